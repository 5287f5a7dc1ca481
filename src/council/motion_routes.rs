//! Motions at a meeting (the clerk's or chair's side): put a motion with its rule (and, to
//! approve a candidate, the candidate), open it once the meeting is quorate, record a show of
//! hands on the meeting's behalf, and close it: the tally runs with the stored rule and an
//! approved candidate becomes a project.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::domain::MotionKind;
use super::routes::{MeetingView, PairsForm, base, view};
use super::store::{self, Motion};
use super::tally::{Base, Choice, Rule};
use crate::audit::{self, Action, Actor, Event};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::Form;
use crate::web::guards::Clerk;
use crate::web::page::see_other;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/staff/v/{village}/meetings/{meeting}/motions",
        web::post().to(new_motion),
    )
    .route(
        "/staff/v/{village}/meetings/{meeting}/motions/{motion}/open",
        web::post().to(open_motion),
    )
    .route(
        "/staff/v/{village}/meetings/{meeting}/motions/{motion}/close",
        web::post().to(close_motion),
    )
    .route(
        "/staff/v/{village}/meetings/{meeting}/motions/{motion}/hands",
        web::post().to(show_of_hands),
    );
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MotionForm {
    kind: String,
    text: String,
    /// For "approve candidate": the candidate put to the vote.
    candidate: String,
    base: String,
    fraction: String,
    strict: String,
    min_yes: String,
}

/// The rule typed on the motion form; a field left empty takes the village's default.
fn rule_of(form: &MotionForm, default: Rule) -> Option<Rule> {
    let base = if form.base.is_empty() {
        default.base
    } else {
        Base::parse(&form.base)?
    };
    let (numerator, denominator) = if form.fraction.is_empty() {
        (default.numerator, default.denominator)
    } else {
        super::settings::fraction(&form.fraction)?
    };
    let min_yes = if form.min_yes.trim().is_empty() {
        default.min_yes
    } else {
        form.min_yes
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=99).contains(n))?
    };
    let strict = match form.strict.as_str() {
        "" => default.strict,
        "off" => false,
        _ => true,
    };
    Some(Rule {
        base,
        numerator,
        denominator,
        strict,
        min_yes,
    })
}

async fn new_motion(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<MotionForm>,
) -> AppResult<HttpResponse> {
    let v = view(&state, &clerk.village, path.1).await?;
    let kind = MotionKind::parse(&form.kind).ok_or(AppError::Unprocessable("motion.error.kind"))?;
    let rule =
        rule_of(&form, v.defaults.rule).ok_or(AppError::Unprocessable("motion.error.rule"))?;
    let text = form.text.trim().to_string();
    if text.is_empty() || text.chars().count() > 2000 {
        return Err(AppError::Unprocessable("motion.error.text"));
    }
    if v.meeting.state == "closed" {
        return Err(AppError::Conflict("meeting.error.closed"));
    }
    let (village, staff_id, meeting_id) = (clerk.village.clone(), clerk.staff.id, v.meeting.id);
    let candidate_id = form.candidate.parse::<i64>().ok();
    state
        .db
        .tx(move |conn| {
            let candidate = match kind {
                MotionKind::ApproveCandidate => {
                    let open = crate::council::candidate_store::open_candidates(conn, village.id)?;
                    let chosen = candidate_id.filter(|c| open.iter().any(|o| o.id == *c));
                    Some(chosen.ok_or(AppError::Unprocessable("motion.error.candidate"))?)
                }
                _ => None,
            };
            let id = store::create_motion(conn, meeting_id, kind, &text, &rule, candidate)?;
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::MotionCreate,
                    format!("motion:{id}"),
                )
                .in_township(village.township_id)
                .from_address(&addr.0),
            )?;
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(see_other(&base(&clerk.village, path.1)))
}

async fn find_motion(v: &MeetingView, id: i64) -> AppResult<Motion> {
    v.motions
        .iter()
        .map(|(m, _)| m)
        .find(|m| m.id == id)
        .cloned()
        .ok_or(AppError::NotFound)
}

async fn open_motion(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    _f: Form<crate::web::csrf::NoFields>,
) -> AppResult<HttpResponse> {
    let v = view(&state, &clerk.village, path.1).await?;
    let motion = find_motion(&v, path.2).await?;
    if v.meeting.state != "open" {
        return Err(AppError::Conflict("meeting.error.not_open"));
    }
    if !v.quorate() {
        return Err(AppError::Conflict("meeting.error.not_quorate"));
    }
    let (village, staff_id, members) = (
        clerk.village.clone(),
        clerk.staff.id,
        v.members.len() as i32,
    );
    state
        .db
        .tx(move |conn| {
            if !store::open_motion(conn, motion.id, members)? {
                return Err(AppError::Conflict("motion.error.state"));
            }
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::MotionOpen,
                    format!("motion:{}", motion.id),
                )
                .in_township(village.township_id)
                .from_address(&addr.0),
            )?;
            Ok(())
        })
        .await?;
    Ok(see_other(&base(&clerk.village, path.1)))
}

async fn close_motion(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    _f: Form<crate::web::csrf::NoFields>,
) -> AppResult<HttpResponse> {
    let v = view(&state, &clerk.village, path.1).await?;
    let motion = find_motion(&v, path.2).await?;
    let members: Vec<i64> = v.members.iter().map(|(id, _)| *id).collect();
    let (village, staff_id, present) = (clerk.village.clone(), clerk.staff.id, v.present.clone());
    state
        .db
        .tx(move |conn| {
            let outcome = store::close_motion(conn, &motion, &members, &present)?
                .ok_or(AppError::Conflict("motion.error.state"))?;
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::MotionClose,
                    format!("motion:{}", motion.id),
                )
                .in_township(village.township_id)
                .from_address(&addr.0)
                .detail(format!(
                    "passed={} yes={} needed={}",
                    outcome.passed, outcome.yes, outcome.needed
                )),
            )?;
            // An approved candidate becomes a project that plans and spending build on.
            let approved = match (outcome.passed, motion.candidate_id) {
                (true, Some(id)) => crate::council::candidate_store::get(conn, village.id, id)?,
                _ => None,
            };
            if let Some(candidate) = approved {
                let project =
                    crate::council::candidate_store::approve(conn, &candidate, motion.id)?;
                audit::record(
                    conn,
                    Event::ok(
                        Actor::Staff(staff_id),
                        Action::ProjectApprove,
                        format!("project:{project}"),
                    )
                    .in_township(village.township_id)
                    .detail(format!("candidate={} motion={}", candidate.id, motion.id)),
                )?;
            }
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(see_other(&base(&clerk.village, path.1)))
}

async fn show_of_hands(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    Form(form): Form<PairsForm>,
) -> AppResult<HttpResponse> {
    let v = view(&state, &clerk.village, path.1).await?;
    let motion = find_motion(&v, path.2).await?;
    if motion.state != "open" {
        return Err(AppError::Conflict("motion.error.state"));
    }
    let pairs: Vec<(i64, Choice)> = form
        .pairs(&v.members)
        .into_iter()
        .filter_map(|(m, c)| Some((m, Choice::parse(&c)?)))
        .collect();
    let (village, staff_id, present) = (clerk.village.clone(), clerk.staff.id, v.present.clone());
    state
        .db
        .tx(move |conn| {
            let recused = store::recusals(conn, motion.id)?;
            let mut recorded = 0;
            for (member, choice) in &pairs {
                // Only present members who did not recuse; an existing vote is never replaced.
                if present.contains(member)
                    && !recused.contains_key(member)
                    && store::cast(conn, motion.id, *member, *choice, Some(staff_id))?
                {
                    recorded += 1;
                }
            }
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::VoteRecord,
                    format!("motion:{}", motion.id),
                )
                .in_township(village.township_id)
                .from_address(&addr.0)
                .detail(format!("show_of_hands={recorded}")),
            )?;
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(see_other(&base(&clerk.village, path.1)))
}
