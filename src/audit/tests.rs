//! Reading audit events back: every stored actor, action and outcome is typed, and a value the
//! code does not know is an error naming the row.

use chrono::NaiveDateTime;

use super::{Action, Actor, EventRow, Outcome};
use crate::db::DbError;

fn row(actor: &str, action: &str, outcome: &str) -> EventRow {
    EventRow {
        id: 42,
        occurred_at: NaiveDateTime::default(),
        actor: actor.to_string(),
        action: action.to_string(),
        subject: "round:1".to_string(),
        township_id: Some(1),
        address: None,
        outcome: outcome.to_string(),
        detail: String::new(),
    }
}

#[test]
fn actors_read_back_from_what_is_stored() {
    for actor in [
        Actor::Staff(12),
        Actor::Household(7),
        Actor::System,
        Actor::Anonymous,
    ] {
        assert_eq!(Actor::parse(&actor.as_text()), Some(actor));
    }
    for text in [
        "", "staff", "staff:", "staff:x", "staff:-1", "staff:+1", "staff: 1", "clerk:1", "System",
    ] {
        assert_eq!(Actor::parse(text), None, "{text:?}");
    }
}

#[test]
fn outcomes_read_back_from_what_is_stored() {
    for outcome in [Outcome::Ok, Outcome::Denied] {
        assert_eq!(Outcome::parse(outcome.as_str()), Some(outcome));
    }
    assert_eq!(Outcome::parse("failed"), None);
}

#[test]
fn a_known_row_is_typed() {
    let close = Action::RoundClose.as_str();
    let event = row("staff:3", close, "denied").typed().expect("typed");
    assert_eq!(event.actor, Actor::Staff(3));
    assert_eq!(event.action, Action::RoundClose);
    assert_eq!(event.outcome, Outcome::Denied);
    assert_eq!(event.subject, "round:1");
}

#[test]
fn an_unknown_stored_value_is_an_error_naming_the_row_and_column() {
    let close = Action::RoundClose.as_str();
    for (stored, column, value) in [
        (row("robot:1", close, "ok"), "actor", "robot:1"),
        (row("system", "burn_it.all", "ok"), "action", "burn_it.all"),
        (row("system", close, "maybe"), "outcome", "maybe"),
    ] {
        match stored.typed() {
            Err(DbError::UnknownValue {
                table,
                id,
                column: c,
                value: v,
            }) => {
                assert_eq!(
                    (table, id.as_str(), c, v.as_str()),
                    ("audit_events", "42", column, value)
                );
            }
            other => panic!("{column}: expected an unknown-value error, got {other:?}"),
        }
    }
}
