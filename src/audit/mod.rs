//! The append-only audit log: every change of state writes one event (who, what, on what, when,
//! from where, with what result) in the same transaction as the change. The database refuses
//! updates and deletions of these rows (triggers in the migrations).

pub mod routes;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::audit_events::dsl as ae;
use crate::db::{DbConn, DbError};

/// Who acted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    Staff(i64),
    Household(i64),
    /// A command-line job or the server itself.
    System,
    /// Someone not signed in (for example a failed login).
    Anonymous,
}

impl Actor {
    fn as_text(self) -> String {
        match self {
            Actor::Staff(id) => format!("staff:{id}"),
            Actor::Household(id) => format!("household:{id}"),
            Actor::System => "system".to_string(),
            Actor::Anonymous => "anonymous".to_string(),
        }
    }
}

/// The fixed vocabulary of audited actions, so auditors can rely on the names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    DemoSeed,
    StaffCreateAdmin,
    HouseholdResetPin,
    HouseholdCreate,
    HouseholdUpdate,
    HouseholdLogin,
    HouseholdImport,
    StaffLogin,
    StaffPassword,
    StaffCreate,
    StaffAddRole,
    StaffRemoveRole,
    StaffActivate,
    StaffDeactivate,
    StaffResetPassword,
    BallotCast,
    BallotPaper,
    BallotVoid,
    RoundCreate,
    RoundOpen,
    RoundClose,
    RoundPublish,
    RollAdd,
    PaperEntry,
    PaperReconcile,
    SiteCreate,
    SiteCertify,
    NoticeDraft,
    NoticePublish,
    ObjectionFile,
    ObjectionAnswer,
    ObjectionRemind,
    NoticePeriod,
    NoticeEdit,
    MeetingCreate,
    MeetingAttendance,
    MeetingState,
    MotionCreate,
    MotionOpen,
    MotionClose,
    VoteRecord,
    VoteCast,
    MotionRecuse,
    MinutesWrite,
    MinutesSign,
    MinutesLock,
    MinutesCorrect,
    CouncilSettings,
    CandidateCreate,
    CandidateSplit,
    CandidateMerge,
    ShortlistPublish,
    ProjectApprove,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::DemoSeed => "demo.seed",
            Action::StaffCreateAdmin => "staff.create_admin",
            Action::HouseholdResetPin => "household.reset_pin",
            Action::HouseholdCreate => "household.create",
            Action::HouseholdUpdate => "household.update",
            Action::HouseholdLogin => "household.login",
            Action::HouseholdImport => "household.import",
            Action::StaffLogin => "staff.login",
            Action::StaffPassword => "staff.password",
            Action::StaffCreate => "staff.create",
            Action::StaffAddRole => "staff.add_role",
            Action::StaffRemoveRole => "staff.remove_role",
            Action::StaffActivate => "staff.activate",
            Action::StaffDeactivate => "staff.deactivate",
            Action::StaffResetPassword => "staff.reset_password",
            Action::BallotCast => "ballot.cast",
            Action::BallotPaper => "ballot.paper",
            Action::BallotVoid => "ballot.void",
            Action::RoundCreate => "round.create",
            Action::RoundOpen => "round.open",
            Action::RoundClose => "round.close",
            Action::RoundPublish => "round.publish",
            Action::RollAdd => "round.roll_add",
            Action::PaperEntry => "paper.entry",
            Action::PaperReconcile => "paper.reconcile",
            Action::SiteCreate => "site.create",
            Action::SiteCertify => "site.certify",
            Action::NoticeDraft => "notice.draft",
            Action::NoticePublish => "notice.publish",
            Action::ObjectionFile => "objection.file",
            Action::ObjectionAnswer => "objection.answer",
            Action::ObjectionRemind => "objection.remind",
            Action::NoticePeriod => "notice.period",
            Action::NoticeEdit => "notice.edit",
            Action::MeetingCreate => "meeting.create",
            Action::MeetingAttendance => "meeting.attendance",
            Action::MeetingState => "meeting.state",
            Action::MotionCreate => "motion.create",
            Action::MotionOpen => "motion.open",
            Action::MotionClose => "motion.close",
            Action::VoteRecord => "vote.record",
            Action::VoteCast => "vote.cast",
            Action::MotionRecuse => "motion.recuse",
            Action::MinutesWrite => "minutes.write",
            Action::MinutesSign => "minutes.sign",
            Action::MinutesLock => "minutes.lock",
            Action::MinutesCorrect => "minutes.correct",
            Action::CouncilSettings => "council.settings",
            Action::CandidateCreate => "candidate.create",
            Action::CandidateSplit => "candidate.split",
            Action::CandidateMerge => "candidate.merge",
            Action::ShortlistPublish => "shortlist.publish",
            Action::ProjectApprove => "project.approve",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Denied,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "denied",
        }
    }
}

/// One event to record. `detail` names fields and ids, never a person's name, phone or PIN.
#[derive(Clone, Debug)]
pub struct Event<'a> {
    pub actor: Actor,
    pub action: Action,
    pub subject: String,
    pub township_id: Option<i64>,
    pub address: Option<&'a str>,
    pub outcome: Outcome,
    pub detail: String,
}

impl<'a> Event<'a> {
    /// A successful action with no detail; chain the setters for the rest.
    pub fn ok(actor: Actor, action: Action, subject: impl Into<String>) -> Event<'a> {
        Event {
            actor,
            action,
            subject: subject.into(),
            township_id: None,
            address: None,
            outcome: Outcome::Ok,
            detail: String::new(),
        }
    }

    pub fn denied(mut self) -> Self {
        self.outcome = Outcome::Denied;
        self
    }

    pub fn in_township(mut self, township_id: i64) -> Self {
        self.township_id = Some(township_id);
        self
    }

    pub fn from_address(mut self, address: &'a str) -> Self {
        self.address = Some(address);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
}

/// Appends an event. Call it inside the transaction that makes the change.
pub fn record(conn: &mut DbConn, event: Event<'_>) -> Result<(), DbError> {
    diesel::insert_into(ae::audit_events)
        .values((
            ae::occurred_at.eq(crate::db::now()),
            ae::actor.eq(event.actor.as_text()),
            ae::action.eq(event.action.as_str()),
            ae::subject.eq(&event.subject),
            ae::township_id.eq(event.township_id),
            ae::address.eq(event.address),
            ae::outcome.eq(event.outcome.as_str()),
            ae::detail.eq(&event.detail),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Clone, Debug, Queryable)]
pub struct StoredEvent {
    pub id: i64,
    pub occurred_at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub township_id: Option<i64>,
    pub address: Option<String>,
    pub outcome: String,
    pub detail: String,
}

/// A page of events of the given townships, newest first, older than `before` when given.
pub fn page(
    conn: &mut DbConn,
    townships: &[i64],
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<StoredEvent>, DbError> {
    let mut query = ae::audit_events
        // Events tied to no township (a failed login with an unknown name, a command-line job)
        // are shown to every township's readers: they hold no village data.
        .filter(
            ae::township_id
                .eq_any(townships.to_vec())
                .or(ae::township_id.is_null()),
        )
        .order(ae::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(ae::id.lt(before));
    }
    Ok(query.load(conn)?)
}
