//! Unit tests of the store's boundary: stored kinds, states, channels and outcomes read as
//! enums, and a value no variant names is an error naming the row.

use super::*;
use crate::notices::objection_store::ObjectionRow;
use crate::notices::states::{AnswerOutcome, ObjectionChannel, ObjectionState};

fn at() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("valid time")
}

fn notice_row(kind: &str, state: &str) -> NoticeRow {
    NoticeRow {
        id: 12,
        village_id: 1,
        kind: kind.into(),
        title: "公示".into(),
        body: "正文".into(),
        subject: None,
        period_days: 7,
        state: state.into(),
        published_at: None,
        period_ends_at: None,
        content_hash: None,
        supersedes_id: None,
        created_by: 1,
        created_at: at(),
    }
}

#[test]
fn a_stored_notice_reads_as_enums() {
    let notice = Notice::try_from(notice_row("plan", "published")).expect("known values");
    assert_eq!(notice.kind(), Kind::Plan);
    assert!(notice.is_published());
}

#[test]
fn an_unknown_kind_or_state_is_an_error_naming_the_notice() {
    for (kind, state, column, value) in [
        ("poster", "draft", "kind", "poster"),
        ("general", "withdrawn", "state", "withdrawn"),
    ] {
        let text = Notice::try_from(notice_row(kind, state))
            .expect_err("unknown value")
            .to_string();
        assert!(
            text.contains("notices row 12") && text.contains(column) && text.contains(value),
            "{text}"
        );
    }
}

fn objection_row(channel: &str, answered: bool, upheld: Option<bool>) -> ObjectionRow {
    ObjectionRow::for_test(channel, answered.then(at), upheld)
}

#[test]
fn a_stored_objection_reads_as_enums() {
    let open = Objection::try_from(objection_row("oral", false, None)).expect("open");
    assert_eq!(open.channel, ObjectionChannel::Oral);
    assert_eq!(open.state, ObjectionState::Open);
    let upheld = Objection::try_from(objection_row("online", true, Some(true))).expect("answered");
    assert_eq!(
        upheld.state,
        ObjectionState::Answered(AnswerOutcome::Upheld)
    );
    assert!(upheld.is_upheld() && upheld.is_answered());
}

#[test]
fn an_unknown_channel_or_an_answer_without_outcome_is_an_error() {
    let channel = Objection::try_from(objection_row("email", false, None))
        .expect_err("unknown channel")
        .to_string();
    assert!(
        channel.contains("objections row 5") && channel.contains("email"),
        "{channel}"
    );
    let outcome = Objection::try_from(objection_row("oral", true, None))
        .expect_err("answered without an outcome")
        .to_string();
    assert!(
        outcome.contains("objections row 5") && outcome.contains("upheld"),
        "{outcome}"
    );
}
