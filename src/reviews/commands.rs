//! Every change to reviews, one command each, inside the caller's one transaction: lock the
//! review (`store::lock`), decide with the pure rule on what it sees now, write, record the
//! audit event. A response writes participation and answers together; its audit event says
//! that the household took part and through which channel, never what it answered.

use super::ReviewError;
use super::answer_store;
use super::domain::{
    self, ItemAnswer, ResponseChannel, ReviewAction, ReviewState, ValidReconsult, ValidReview,
};
use super::flag_store as flags;
use super::item_store::{self as items, NewItem};
use super::results;
use super::store::{self, Review};
use crate::audit::{self, Action, Actor, Event};
use crate::db::DbConn;
use crate::error::AppError;
use crate::villages::store::VillageRef;
use crate::web::once::{self, Claim};

/// The clerk acting, for the audit trail.
#[derive(Clone, Debug)]
pub struct Clerk {
    pub staff_id: i64,
    pub village: VillageRef,
    pub address: String,
}

impl Clerk {
    fn event(&self, action: Action, subject: String) -> Event<'_> {
        Event::ok(Actor::Staff(self.staff_id), action, subject)
            .in_township(self.village.township_id)
            .from_address(&self.address)
    }
}

/// The clerk's page of a review.
pub fn review_path(village: &VillageRef, id: i64) -> String {
    format!("/staff/v/{}/reviews/{id}", village.code)
}

fn locked(conn: &mut DbConn, village_id: i64, id: i64) -> Result<Review, AppError> {
    Ok(store::lock(conn, village_id, id)?.ok_or(ReviewError::NotFound)?)
}

/// Creates a draft review with its items: the period's projects, the passed resolutions, the
/// items flagged in earlier reviews not yet carried, then the free items. Acts once per token.
pub fn create(
    conn: &mut DbConn,
    by: &Clerk,
    r: &ValidReview,
    token: &str,
) -> Result<String, AppError> {
    if let Claim::Repeat(path) = once::claim(conn, "review:create", token)? {
        return Ok(if path.is_empty() {
            format!("/staff/v/{}/reviews", by.village.code)
        } else {
            path
        });
    }
    let (start, end) = domain::period::bounds(r.year, r.half)
        .ok_or(AppError::Unprocessable("review.error.year"))?;
    let formula = store::formula(conn, by.village.id)?;
    let new = store::NewReview {
        village_id: by.village.id,
        year: r.year,
        half: r.half,
        opens_at: r.opens_at,
        closes_at: r.closes_at,
        formula,
        created_by: by.staff_id,
    };
    let id = store::create(conn, &new)?;
    let mut list = items::period_projects(conn, by.village.id, start, end)?;
    list.extend(items::period_resolutions(conn, by.village.id, start, end)?);
    for flagged in items::flagged_to_carry(conn, by.village.id)? {
        let same = list.iter_mut().find(|n| {
            n.carried_from.is_none()
                && ((flagged.project_id.is_some() && n.project_id == flagged.project_id)
                    || (flagged.motion_id.is_some() && n.motion_id == flagged.motion_id))
        });
        match same {
            Some(n) => n.carried_from = Some(flagged.id),
            None => list.push(NewItem {
                kind: flagged.kind,
                project_id: flagged.project_id,
                motion_id: flagged.motion_id,
                title: flagged.title.clone(),
                carried_from: Some(flagged.id),
            }),
        }
    }
    list.extend(r.free_items.iter().map(|title| NewItem {
        kind: domain::ItemKind::Free,
        project_id: None,
        motion_id: None,
        title: title.clone(),
        carried_from: None,
    }));
    for (i, n) in list.iter().enumerate() {
        items::add(conn, id, i32::try_from(i + 1).unwrap_or(i32::MAX), n)?;
    }
    audit::record(
        conn,
        by.event(Action::ReviewCreate, format!("review:{id}"))
            .detail(format!("items={}", list.len())),
    )?;
    let path = review_path(&by.village, id);
    once::finish(conn, token, &path)?;
    Ok(path)
}

/// Opens (freezing the roll), closes (flagging items under the threshold and mailing the
/// clerks the list) or publishes (the result notice) a review.
pub fn change_state(
    conn: &mut DbConn,
    by: &Clerk,
    id: i64,
    action: ReviewAction,
) -> Result<(), AppError> {
    let review = locked(conn, by.village.id, id)?;
    let next = domain::states::next_state(review.state, action)
        .ok_or(AppError::Conflict("review.error.transition"))?;
    let now = crate::db::now();
    if next == ReviewState::Open {
        if review.closes_at <= now {
            return Err(AppError::Conflict("review.error.closes_in_past"));
        }
        if items::items(conn, id)?.is_empty() {
            return Err(AppError::Conflict("review.error.no_items"));
        }
    }
    if next == ReviewState::Published {
        // Linked before the move: a published review's row never changes afterwards.
        let notice = results::publish_notice(conn, by, &review)?;
        store::set_notice(conn, id, notice)?;
    }
    if !store::advance(conn, id, review.state, next, now)? {
        return Err(AppError::Conflict("review.error.transition"));
    }
    let action = match next {
        ReviewState::Open => {
            store::freeze_roll(conn, &review)?;
            Action::ReviewOpen
        }
        ReviewState::Closed => {
            answer_store::reorder(conn)?;
            let flagged = results::flag_items(conn, &review)?;
            results::mail_flags(conn, &by.village, &review, &flagged)?;
            Action::ReviewClose
        }
        _ => Action::ReviewPublish,
    };
    audit::record(conn, by.event(action, format!("review:{id}")))?;
    Ok(())
}

/// A household's response as the handler extracted it (or a paper sheet typed by a clerk).
#[derive(Clone, Debug)]
pub struct Respond {
    pub village_id: i64,
    pub township_id: i64,
    pub review_id: i64,
    pub household_id: i64,
    pub channel: ResponseChannel,
    /// The clerk typing a paper sheet.
    pub entered_by: Option<i64>,
    pub answers: Vec<ItemAnswer>,
    pub address: String,
}

/// Writes participation and answers in one transaction. A review that does not take responses
/// now, a household off the roll, a second response, or answers that do not match the items
/// are refused and nothing is written.
pub fn respond(conn: &mut DbConn, r: &Respond) -> Result<(), AppError> {
    let review = store::lock(conn, r.village_id, r.review_id)?.ok_or(ReviewError::NotOpen)?;
    if !domain::states::accepts_responses(
        review.state,
        review.opens_at,
        review.closes_at,
        crate::db::now(),
    ) {
        return Err(ReviewError::NotOpen.into());
    }
    if !store::on_roll(conn, review.id, r.household_id)? {
        return Err(ReviewError::NotOnRoll.into());
    }
    let item_ids: Vec<i64> = items::items(conn, review.id)?
        .iter()
        .map(|i| i.id)
        .collect();
    let mut answered: Vec<i64> = r.answers.iter().map(|a| a.item_id).collect();
    answered.sort_unstable();
    let mut expected = item_ids.clone();
    expected.sort_unstable();
    if answered != expected {
        return Err(AppError::Unprocessable("review.error.rating"));
    }
    if !store::insert_participation(conn, review.id, r.household_id, r.channel, r.entered_by)? {
        return Err(ReviewError::AlreadyResponded.into());
    }
    let today = answer_store::beijing_today();
    for a in &r.answers {
        answer_store::insert_answer(conn, a.item_id, a.rating, a.comment.as_deref(), today)?;
    }
    let (actor, action) = match r.entered_by {
        Some(staff) => (Actor::Staff(staff), Action::ReviewPaper),
        None => (Actor::Household(r.household_id), Action::ReviewRespond),
    };
    let subject = format!("review:{}", review.id);
    let detail = format!(
        "household={} channel={}",
        r.household_id,
        r.channel.as_str()
    );
    audit::record(
        conn,
        Event::ok(actor, action, subject)
            .in_township(r.township_id)
            .from_address(&r.address)
            .detail(detail),
    )?;
    Ok(())
}

/// Records the committee's re-consultation of a flagged item; the flag then no longer counts
/// as open. Recorded once.
pub fn reconsult(
    conn: &mut DbConn,
    by: &Clerk,
    item_id: i64,
    r: &ValidReconsult,
) -> Result<(), AppError> {
    let item =
        items::item_in_village(conn, by.village.id, item_id)?.ok_or(ReviewError::NotFound)?;
    // Lock the review of the item: two clerks recording at once serialize here.
    locked(conn, by.village.id, item.review_id)?;
    if !flags::is_flagged(conn, item_id)? {
        return Err(AppError::NotFound);
    }
    if !flags::insert_reconsultation(conn, item_id, r, by.staff_id)? {
        return Err(AppError::Conflict("review.error.reconsulted"));
    }
    audit::record(
        conn,
        by.event(Action::ReviewReconsult, format!("review_item:{item_id}")),
    )?;
    Ok(())
}

/// Sets the village's satisfaction-rate formula for its next reviews.
pub fn set_formula(
    conn: &mut DbConn,
    by: &Clerk,
    formula: domain::Formula,
) -> Result<(), AppError> {
    store::set_formula(conn, by.village.id, formula)?;
    audit::record(
        conn,
        by.event(Action::ReviewSettings, format!("village:{}", by.village.id))
            .detail(format!("formula={}", formula.as_str())),
    )?;
    Ok(())
}
