//! Unit tests of the notice rules.

use super::*;

fn bj(text: &str) -> NaiveDateTime {
    crate::time::parse_local(text).expect("valid Beijing time")
}

#[test]
fn a_seven_day_period_counts_full_days_after_publication_in_beijing() {
    // Published any time on 11月23日 Beijing time: ends at 00:00 on 12月1日 Beijing (16:00 UTC on 11-30).
    for published in ["2026-11-23T00:00", "2026-11-23T10:30", "2026-11-23T23:59"] {
        let end = period_end(bj(published), 7);
        assert_eq!(end, bj("2026-12-01T00:00"), "{published}");
        assert_eq!(end.to_string(), "2026-11-30 16:00:00");
    }
}

#[test]
fn the_beijing_date_decides_not_the_utc_date() {
    // 2026-11-22 17:00 UTC is already 11月23日 01:00 in Beijing.
    let utc = chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
        .and_then(|d| d.and_hms_opt(17, 0, 0))
        .expect("valid");
    assert_eq!(period_end(utc, 7), bj("2026-12-01T00:00"));
    // 2026-11-23 15:59 UTC is still 11月23日 23:59 in Beijing.
    let late = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(15, 59, 0))
        .expect("valid");
    assert_eq!(period_end(late, 7), bj("2026-12-01T00:00"));
}

#[test]
fn periods_cross_months_and_years() {
    assert_eq!(
        period_end(bj("2026-12-28T09:00"), 7),
        bj("2027-01-05T00:00")
    );
    assert_eq!(
        period_end(bj("2028-02-27T09:00"), 1),
        bj("2028-02-29T00:00"),
        "leap day counts"
    );
    assert_eq!(
        period_end(bj("2026-11-23T09:00"), ANSWER_DAYS),
        bj("2026-12-04T00:00")
    );
}

#[test]
fn phases_follow_the_clock() {
    let end = bj("2026-12-01T00:00");
    assert_eq!(phase(false, None, bj("2026-11-24T00:00")), Phase::Draft);
    assert_eq!(
        phase(true, Some(end), bj("2026-11-30T23:59")),
        Phase::InPeriod
    );
    assert_eq!(
        phase(true, Some(end), end),
        Phase::PeriodEnded,
        "the end instant is outside"
    );
}

#[test]
fn the_hash_covers_everything_a_reader_relies_on() {
    let at = bj("2026-11-23T10:00");
    let end = period_end(at, 7);
    let base = canonical_text("桃源村", Kind::Plan, "方案", "正文", at, end, None);
    let h = content_hash(&base);
    assert_eq!(h.len(), 64);
    assert_eq!(h, content_hash(&base), "stable");
    for other in [
        canonical_text("清溪村", Kind::Plan, "方案", "正文", at, end, None),
        canonical_text("桃源村", Kind::General, "方案", "正文", at, end, None),
        canonical_text("桃源村", Kind::Plan, "方案二", "正文", at, end, None),
        canonical_text("桃源村", Kind::Plan, "方案", "正文。", at, end, None),
        canonical_text(
            "桃源村",
            Kind::Plan,
            "方案",
            "正文",
            at,
            period_end(at, 8),
            None,
        ),
        canonical_text("桃源村", Kind::Plan, "方案", "正文", at, end, Some(1)),
    ] {
        assert_ne!(content_hash(&other), h);
    }
    assert_eq!(
        content_hash("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

fn notice(published: &str, objections: Vec<ObjectionFacts>) -> NoticeFacts {
    let at = bj(published);
    NoticeFacts {
        published_at: at,
        period_ends_at: period_end(at, 7),
        objections,
    }
}

fn answered(upheld: bool, at: &str) -> ObjectionFacts {
    ObjectionFacts {
        answered: true,
        upheld,
        answered_at: Some(bj(at)),
    }
}

const OPEN: ObjectionFacts = ObjectionFacts {
    answered: false,
    upheld: false,
    answered_at: None,
};

#[test]
fn nothing_published_is_not_cleared() {
    assert_eq!(gate(&[], bj("2026-12-31T00:00")), Gate::NotPublished);
}

#[test]
fn the_gate_opens_only_after_the_period() {
    let n = notice("2026-11-23T10:00", vec![]);
    assert_eq!(
        gate(std::slice::from_ref(&n), bj("2026-11-30T23:59")),
        Gate::InPeriod {
            ends_at: bj("2026-12-01T00:00")
        }
    );
    assert_eq!(gate(&[n], bj("2026-12-01T00:00")), Gate::Cleared);
}

#[test]
fn an_unanswered_objection_holds_the_gate_even_after_the_period() {
    let n = notice(
        "2026-11-23T10:00",
        vec![answered(false, "2026-11-25T10:00"), OPEN, OPEN],
    );
    assert_eq!(
        gate(&[n], bj("2027-01-01T00:00")),
        Gate::Unanswered { count: 2 }
    );
}

#[test]
fn answered_and_rejected_objections_do_not_hold_the_gate() {
    let n = notice(
        "2026-11-23T10:00",
        vec![answered(false, "2026-11-25T10:00")],
    );
    assert_eq!(gate(&[n], bj("2026-12-02T00:00")), Gate::Cleared);
}

#[test]
fn an_upheld_objection_needs_a_later_notice_whose_period_then_runs() {
    let first = notice("2026-11-23T10:00", vec![answered(true, "2026-11-26T10:00")]);
    assert_eq!(
        gate(std::slice::from_ref(&first), bj("2027-01-01T00:00")),
        Gate::Upheld
    );
    let second = notice("2026-12-05T10:00", vec![]);
    let both = [first, second];
    assert_eq!(
        gate(&both, bj("2026-12-10T00:00")),
        Gate::InPeriod {
            ends_at: bj("2026-12-13T00:00")
        }
    );
    assert_eq!(gate(&both, bj("2026-12-13T00:00")), Gate::Cleared);
}

#[test]
fn an_objection_upheld_after_the_later_notice_holds_again() {
    let first = notice("2026-11-23T10:00", vec![answered(true, "2026-12-06T10:00")]);
    let second = notice("2026-12-05T10:00", vec![]);
    assert_eq!(gate(&[first, second], bj("2027-01-01T00:00")), Gate::Upheld);
}

#[test]
fn objection_floods_are_limited() {
    assert!(may_file(0));
    assert!(may_file(MAX_OBJECTIONS_PER_DAY - 1));
    assert!(!may_file(MAX_OBJECTIONS_PER_DAY));
}

#[test]
fn texts_must_be_present_and_not_too_long() {
    assert!(!valid_text("  ", 10));
    assert!(valid_text("有异议", 10));
    assert!(valid_text(&"字".repeat(10), 10));
    assert!(!valid_text(&"字".repeat(11), 10));
}

#[test]
fn kinds_round_trip() {
    for k in Kind::ALL {
        assert_eq!(Kind::parse(k.as_str()), Some(k));
    }
    assert_eq!(Kind::parse("secret"), None);
}

#[test]
fn a_notice_form_needs_kind_title_body_and_a_well_formed_subject() {
    let form = |kind: &str, title: &str, body: &str, subject: &str| NoticeForm {
        kind: kind.into(),
        title: title.into(),
        body: body.into(),
        subject: subject.into(),
        once: String::new(),
    };
    let ok = check_notice(&form("plan", " 方案 ", "正文", "project:12")).expect("valid");
    assert_eq!(
        ok,
        (
            Kind::Plan,
            "方案".to_string(),
            "正文".to_string(),
            Some("project:12".to_string())
        )
    );
    assert_eq!(
        check_notice(&form("general", "通知", "正文", ""))
            .expect("valid")
            .3,
        None
    );
    let bad = check_notice(&form("secret", "", &"字".repeat(BODY_MAX + 1), "project:x"))
        .expect_err("invalid");
    for field in ["kind", "title", "body", "subject"] {
        assert!(bad.get(field).is_some(), "{field}");
    }
}

#[test]
fn the_period_is_shown_as_its_first_and_last_whole_day() {
    let day = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").expect("date");
    // Any hour of 11月23日: 自 11月24日 至 11月30日, the 7 whole days the notice runs.
    for published in ["2026-11-23T00:00", "2026-11-23T23:59"] {
        let at = bj(published);
        assert_eq!(
            period_days_shown(at, period_end(at, 7)),
            (day("2026-11-24"), day("2026-11-30")),
            "{published}"
        );
    }
    // Across a year's end and a leap day; one day is that day alone.
    let at = bj("2026-12-28T09:00");
    assert_eq!(
        period_days_shown(at, period_end(at, 7)),
        (day("2026-12-29"), day("2027-01-04"))
    );
    let at = bj("2028-02-28T09:00");
    assert_eq!(
        period_days_shown(at, period_end(at, 1)),
        (day("2028-02-29"), day("2028-02-29"))
    );
}
