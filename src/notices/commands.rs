//! Every change to notices and objections, one command each: drafting a notice (once per form),
//! editing a draft, publishing it, starting a new version, filing an objection (household
//! online, or a clerk on a household's behalf), answering one, setting the village's periods.
//! Each runs inside the caller's one transaction: lock the notice ([`store::lock`]), decide with
//! the pure rule on what it sees now (a draft, the period at this moment, an unanswered
//! objection), write, record the audit event. Handlers only extract, call and render.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::{self, Kind, Phase};
use super::states::{AnswerOutcome, ObjectionChannel};
use super::store::{self, Draft, Filing, Notice};
use crate::audit::{self, Action, Actor, Event};
use crate::db::DbConn;
use crate::db::schema::notice_periods as np;
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

    /// The clerk's page of a notice.
    pub fn notice_path(&self, id: i64) -> String {
        format!("/staff/v/{}/notices/{id}", self.village.code)
    }

    fn list_path(&self) -> String {
        format!("/staff/v/{}/notices", self.village.code)
    }
}

/// A notice's text as checked by `domain::check_notice`.
#[derive(Clone, Debug)]
pub struct NoticeText {
    pub kind: Kind,
    pub title: String,
    pub body: String,
    pub subject: Option<String>,
}

/// Where a repeated submission of a one-time token goes: the page the first one recorded.
fn repeat_target(path: String, fallback: String) -> String {
    if path.is_empty() { fallback } else { path }
}

fn locked(conn: &mut DbConn, village_id: i64, id: i64) -> Result<Notice, AppError> {
    store::lock(conn, village_id, id)?.ok_or(AppError::NotFound)
}

/// Saves a new draft; returns its page. A replay of the form lands on the same draft.
pub fn create(
    conn: &mut DbConn,
    by: &Clerk,
    text: &NoticeText,
    token: &str,
) -> Result<String, AppError> {
    if let Claim::Repeat(path) = once::claim(conn, "notice:create", token)? {
        return Ok(repeat_target(path, by.list_path()));
    }
    let draft = Draft {
        village_id: by.village.id,
        kind: text.kind,
        title: &text.title,
        body: &text.body,
        subject: text.subject.as_deref(),
        supersedes: None,
        created_by: by.staff_id,
    };
    let id = store::create_draft(conn, &draft)?;
    audit::record(conn, by.event(Action::NoticeDraft, format!("notice:{id}")))?;
    let path = by.notice_path(id);
    once::finish(conn, token, &path)?;
    Ok(path)
}

/// Changes a draft; a published notice never changes (409).
pub fn update(conn: &mut DbConn, by: &Clerk, id: i64, text: &NoticeText) -> Result<(), AppError> {
    let notice = locked(conn, by.village.id, id)?;
    if notice.is_published() {
        return Err(AppError::Conflict("notice.error.published"));
    }
    let subject = text.subject.as_deref();
    if !store::update_draft(conn, id, text.kind, &text.title, &text.body, subject)? {
        return Err(AppError::Conflict("notice.error.published"));
    }
    audit::record(conn, by.event(Action::NoticeEdit, format!("notice:{id}")))?;
    Ok(())
}

/// Publishes a draft; returns its page. The form's token makes a double click or a replay land
/// on the published notice; publishing an already published notice without one is refused.
pub fn publish(conn: &mut DbConn, by: &Clerk, id: i64, token: &str) -> Result<String, AppError> {
    let notice = locked(conn, by.village.id, id)?;
    if let Claim::Repeat(path) = once::claim(conn, "notice:publish", token)? {
        return Ok(repeat_target(path, by.notice_path(id)));
    }
    if notice.is_published() {
        return Err(AppError::Conflict("notice.error.already_published"));
    }
    let published = store::publish(conn, id, crate::db::now())?
        .ok_or(AppError::Conflict("notice.error.already_published"))?;
    let hash = published.content_hash.unwrap_or_default();
    audit::record(
        conn,
        by.event(Action::NoticePublish, format!("notice:{id}"))
            .detail(format!("sha256={hash}")),
    )?;
    let path = by.notice_path(id);
    once::finish(conn, token, &path)?;
    Ok(path)
}

/// Starts the new version of a published notice: a draft with the same content that links the
/// old one. A notice has at most one new version, so asking again (a replay, a second clerk)
/// lands on the version that exists.
pub fn supersede(
    conn: &mut DbConn,
    by: &Clerk,
    old_id: i64,
    token: &str,
) -> Result<String, AppError> {
    let old = locked(conn, by.village.id, old_id)?;
    if let Claim::Repeat(path) = once::claim(conn, "notice:supersede", token)? {
        return Ok(repeat_target(path, by.notice_path(old_id)));
    }
    if !old.is_published() {
        return Err(AppError::Conflict("notice.error.not_published"));
    }
    // Looked up under the old notice's lock, so the unique index never has to refuse (which
    // would abort a PostgreSQL transaction).
    if let Some(next) = store::any_successor(conn, old.id)? {
        let path = by.notice_path(next.id);
        once::finish(conn, token, &path)?;
        return Ok(path);
    }
    let draft = Draft {
        village_id: by.village.id,
        kind: old.kind,
        title: &old.title,
        body: &old.body,
        subject: old.subject.as_deref(),
        supersedes: Some(old.id),
        created_by: by.staff_id,
    };
    let id = store::create_draft(conn, &draft)?;
    audit::record(
        conn,
        by.event(Action::NoticeDraft, format!("notice:{id}"))
            .detail(format!("supersedes={}", old.id)),
    )?;
    let path = by.notice_path(id);
    once::finish(conn, token, &path)?;
    Ok(path)
}

/// An objection, as the handler extracted it.
#[derive(Clone, Debug)]
pub struct ObjectionText {
    pub notice_id: i64,
    pub channel: ObjectionChannel,
    pub body: String,
}

/// Why an objection was not filed; each is a sentence on the objection page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotFiled {
    /// The notice is not (or no longer) in its period at this moment.
    OutOfPeriod,
    /// The household filed as many as a day allows.
    TooMany,
    /// No active household of the village has that 户号 (clerk's form).
    NoHousehold,
}

impl NotFiled {
    pub fn message_key(self) -> &'static str {
        match self {
            NotFiled::OutOfPeriod => "objection.error.period",
            NotFiled::TooMany => "objection.error.rate",
            NotFiled::NoHousehold => "objection.error.household",
        }
    }
}

/// Locks the notice and checks it takes objections now, by the time taken under the lock.
fn in_period(
    conn: &mut DbConn,
    village_id: i64,
    notice_id: i64,
) -> Result<Option<NaiveDateTime>, AppError> {
    let notice = locked(conn, village_id, notice_id)?;
    let now = crate::db::now();
    Ok((notice.phase(now) == Phase::InPeriod).then_some(now))
}

/// A household objects from the kiosk or its phone; returns when the answer is due.
pub fn file_online(
    conn: &mut DbConn,
    village: &VillageRef,
    household_id: i64,
    text: &ObjectionText,
    address: &str,
) -> Result<Result<NaiveDateTime, NotFiled>, AppError> {
    let Some(now) = in_period(conn, village.id, text.notice_id)? else {
        return Ok(Err(NotFiled::OutOfPeriod));
    };
    lock_household(conn, household_id)?;
    let recent = store::filed_since(conn, household_id, now - chrono::TimeDelta::days(1))?;
    if !domain::may_file(recent) {
        return Ok(Err(NotFiled::TooMany));
    }
    let filing = Filing {
        notice_id: text.notice_id,
        household_id,
        channel: ObjectionChannel::Online,
        body: &text.body,
        recorded_by: None,
    };
    let id = store::file(conn, &filing, now)?;
    audit::record(
        conn,
        Event::ok(
            Actor::Household(household_id),
            Action::ObjectionFile,
            format!("objection:{id}"),
        )
        .in_township(village.township_id)
        .from_address(address)
        .detail(format!(
            "notice={} channel={}",
            text.notice_id,
            ObjectionChannel::Online.as_str()
        )),
    )?;
    Ok(Ok(domain::period_end(now, domain::ANSWER_DAYS)))
}

/// The daily limit counts a household's objections: its row is locked so that two filings at
/// once (two devices) count each other on PostgreSQL too.
fn lock_household(conn: &mut DbConn, household_id: i64) -> Result<(), AppError> {
    use crate::db::schema::households as h;
    let query = h::table.find(household_id).select(h::id);
    match conn {
        DbConn::Pg(c) => query.for_update().first::<i64>(c)?,
        DbConn::Sqlite(c) => query.first::<i64>(c)?,
    };
    Ok(())
}

/// A clerk records an oral or written objection on behalf of the household with this 户号.
pub fn file_on_behalf(
    conn: &mut DbConn,
    by: &Clerk,
    number: &str,
    text: &ObjectionText,
) -> Result<Result<(), NotFiled>, AppError> {
    let Some(now) = in_period(conn, by.village.id, text.notice_id)? else {
        return Ok(Err(NotFiled::OutOfPeriod));
    };
    let Some((household_id, _)) =
        crate::households::store::find_for_login(conn, by.village.id, number)?
    else {
        return Ok(Err(NotFiled::NoHousehold));
    };
    let filing = Filing {
        notice_id: text.notice_id,
        household_id,
        channel: text.channel,
        body: &text.body,
        recorded_by: Some(by.staff_id),
    };
    let id = store::file(conn, &filing, now)?;
    audit::record(
        conn,
        by.event(Action::ObjectionFile, format!("objection:{id}"))
            .detail(format!(
                "notice={} channel={} household={household_id}",
                text.notice_id,
                text.channel.as_str()
            )),
    )?;
    Ok(Ok(()))
}

/// Answers an objection of this notice in writing, once: an answered one is refused (409), an
/// objection of another notice is not found (404).
pub fn answer(
    conn: &mut DbConn,
    by: &Clerk,
    notice_id: i64,
    objection_id: i64,
    text: &str,
    outcome: AnswerOutcome,
) -> Result<(), AppError> {
    locked(conn, by.village.id, notice_id)?;
    let objection = store::objections_of(conn, notice_id)?
        .into_iter()
        .find(|o| o.id == objection_id)
        .ok_or(AppError::NotFound)?;
    if objection.is_answered() {
        return Err(AppError::Conflict("objection.error.answered"));
    }
    let now = crate::db::now();
    if !store::answer(
        conn,
        notice_id,
        objection_id,
        text,
        outcome,
        by.staff_id,
        now,
    )? {
        return Err(AppError::Conflict("objection.error.answered"));
    }
    audit::record(
        conn,
        by.event(Action::ObjectionAnswer, format!("objection:{objection_id}"))
            .detail(format!("notice={notice_id} upheld={}", outcome.upheld())),
    )?;
    Ok(())
}

/// Sets the village's notice period for a kind: one statement that inserts or replaces, so two
/// clerks saving at once never meet a unique violation (which would abort a PostgreSQL
/// transaction and answer 500).
pub fn set_period(conn: &mut DbConn, by: &Clerk, kind: Kind, days: i32) -> Result<(), AppError> {
    let row = (
        np::village_id.eq(by.village.id),
        np::kind.eq(kind.as_str()),
        np::days.eq(days),
    );
    // ON CONFLICT needs a branch per backend under MultiConnection.
    match conn {
        DbConn::Sqlite(c) => diesel::insert_into(np::table)
            .values(row)
            .on_conflict((np::village_id, np::kind))
            .do_update()
            .set(np::days.eq(days))
            .execute(c)?,
        DbConn::Pg(c) => diesel::insert_into(np::table)
            .values(row)
            .on_conflict((np::village_id, np::kind))
            .do_update()
            .set(np::days.eq(days))
            .execute(c)?,
    };
    audit::record(
        conn,
        by.event(Action::NoticePeriod, format!("village:{}", by.village.id))
            .detail(format!("kind={} days={days}", kind.as_str())),
    )?;
    Ok(())
}

/// Sets the village's supervision phone (监督电话), printed on its A4 notices; `phone` is checked
/// by `villages::phone::valid_phone`. Audited without the number: it is on every printed notice.
pub fn set_supervision_phone(conn: &mut DbConn, by: &Clerk, phone: &str) -> Result<(), AppError> {
    crate::villages::store::set_supervision_phone(conn, by.village.id, phone)?;
    audit::record(
        conn,
        by.event(
            Action::SupervisionPhone,
            format!("village:{}", by.village.id),
        ),
    )?;
    Ok(())
}
