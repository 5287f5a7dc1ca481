//! The append-only audit log: every change of state writes one event (who, what, on what, when,
//! from where, with what result) in the same transaction as the change. The database refuses
//! updates and deletions of these rows (triggers in the migrations), and each event carries the
//! hash of the one before (`chain`), so `minyi verify` finds an edit even without the triggers.

mod action;
pub mod chain;
pub mod export;
pub mod routes;

pub use action::Action;

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
    /// Someone at the server's command line acting on staff accounts (`minyi reset-2fa`).
    Cli,
}

impl Actor {
    /// As stored in `audit_events.actor`: `staff:12`, `household:7`, `system`, `anonymous`, `cli`.
    pub fn as_text(self) -> String {
        match self {
            Actor::Staff(id) => format!("staff:{id}"),
            Actor::Household(id) => format!("household:{id}"),
            Actor::System => "system".to_string(),
            Actor::Anonymous => "anonymous".to_string(),
            Actor::Cli => "cli".to_string(),
        }
    }

    /// The actor a stored text names; None for text [`Actor::as_text`] never writes.
    pub fn parse(text: &str) -> Option<Actor> {
        match text {
            "system" => return Some(Actor::System),
            "anonymous" => return Some(Actor::Anonymous),
            "cli" => return Some(Actor::Cli),
            _ => {}
        }
        let (kind, id) = text.split_once(':')?;
        // Only the digits as_text writes: no sign, no spaces, no leading `+`.
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let id = id.parse().ok()?;
        match kind {
            "staff" => Some(Actor::Staff(id)),
            "household" => Some(Actor::Household(id)),
            _ => None,
        }
    }
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.as_text())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Denied,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "denied",
        }
    }

    pub fn parse(text: &str) -> Option<Outcome> {
        [Outcome::Ok, Outcome::Denied]
            .into_iter()
            .find(|o| o.as_str() == text)
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
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

/// Appends an event, chained to the one before. Call it inside the transaction that makes the
/// change (it opens a savepoint of its own, or a transaction when called outside one, so the
/// chain head and the event are written together).
pub fn record(conn: &mut DbConn, event: Event<'_>) -> Result<(), DbError> {
    conn.transaction(|conn| {
        let prev = chain::take_head(conn)?;
        let occurred_at = crate::db::now();
        let actor = event.actor.as_text();
        let fields = chain::Fields {
            occurred_at,
            actor: &actor,
            action: event.action.as_str(),
            subject: &event.subject,
            township_id: event.township_id,
            address: event.address,
            outcome: event.outcome.as_str(),
            detail: &event.detail,
        };
        let hash = chain::event_hash(&prev, &fields);
        diesel::insert_into(ae::audit_events)
            .values((
                ae::occurred_at.eq(occurred_at),
                ae::actor.eq(&actor),
                ae::action.eq(event.action.as_str()),
                ae::subject.eq(&event.subject),
                ae::township_id.eq(event.township_id),
                ae::address.eq(event.address),
                ae::outcome.eq(event.outcome.as_str()),
                ae::detail.eq(&event.detail),
                ae::prev_hash.eq(&prev),
                ae::hash.eq(&hash),
            ))
            .execute(conn)?;
        chain::advance_head(conn, &hash)
    })
}

/// An event as read back, with its actor, action and outcome typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEvent {
    pub id: i64,
    pub occurred_at: NaiveDateTime,
    pub actor: Actor,
    pub action: Action,
    pub subject: String,
    pub township_id: Option<i64>,
    pub address: Option<String>,
    pub outcome: Outcome,
    pub detail: String,
}

/// An `audit_events` row as stored, text where [`StoredEvent`] has enums.
#[derive(Queryable)]
struct EventRow {
    id: i64,
    occurred_at: NaiveDateTime,
    actor: String,
    action: String,
    subject: String,
    township_id: Option<i64>,
    address: Option<String>,
    outcome: String,
    detail: String,
}

impl EventRow {
    /// The typed event; an actor, action or outcome the code does not know is an error naming
    /// the row (an auditor must never read a guess).
    fn typed(self) -> Result<StoredEvent, DbError> {
        let unknown =
            |column, value: &str| DbError::unknown("audit_events", self.id, column, value);
        let actor = Actor::parse(&self.actor).ok_or_else(|| unknown("actor", &self.actor))?;
        let action = Action::parse(&self.action).ok_or_else(|| unknown("action", &self.action))?;
        let outcome =
            Outcome::parse(&self.outcome).ok_or_else(|| unknown("outcome", &self.outcome))?;
        Ok(StoredEvent {
            id: self.id,
            occurred_at: self.occurred_at,
            actor,
            action,
            subject: self.subject,
            township_id: self.township_id,
            address: self.address,
            outcome,
            detail: self.detail,
        })
    }
}

/// What an auditor narrows the log to; every part is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Who acted, as stored (`staff:3`, `household:7`, `anonymous`).
    pub actor: Option<String>,
    pub action: Option<Action>,
    pub outcome: Option<Outcome>,
    /// From this instant on (inclusive).
    pub from: Option<NaiveDateTime>,
    /// Before this instant.
    pub until: Option<NaiveDateTime>,
}

/// A page of events of the given townships, newest first, older than `before` when given.
pub fn page(
    conn: &mut DbConn,
    townships: &[i64],
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<StoredEvent>, DbError> {
    search(conn, townships, &Filter::default(), before, limit)
}

/// [`page`] narrowed by `filter`.
pub fn search(
    conn: &mut DbConn,
    townships: &[i64],
    filter: &Filter,
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
        .select((
            ae::id,
            ae::occurred_at,
            ae::actor,
            ae::action,
            ae::subject,
            ae::township_id,
            ae::address,
            ae::outcome,
            ae::detail,
        ))
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(ae::id.lt(before));
    }
    if let Some(actor) = &filter.actor {
        query = query.filter(ae::actor.eq(actor.clone()));
    }
    if let Some(action) = filter.action {
        query = query.filter(ae::action.eq(action.as_str()));
    }
    if let Some(outcome) = filter.outcome {
        query = query.filter(ae::outcome.eq(outcome.as_str()));
    }
    if let Some(from) = filter.from {
        query = query.filter(ae::occurred_at.ge(from));
    }
    if let Some(until) = filter.until {
        query = query.filter(ae::occurred_at.lt(until));
    }
    query
        .load::<EventRow>(conn)?
        .into_iter()
        .map(EventRow::typed)
        .collect()
}

#[cfg(test)]
mod tests;
