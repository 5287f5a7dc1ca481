//! Unit tests of the paper rules: double entry, certificates, differences, blank-ballot serials.

use super::*;

fn s(title: &str, cost: Option<i64>) -> Suggestion {
    Suggestion {
        category: "照明".into(),
        title: title.into(),
        details: "d".into(),
        place: "p".into(),
        cost_fen: cost,
    }
}

fn typing(number: &str, suggestions: Vec<Suggestion>) -> Typing {
    Typing {
        household_number: number.into(),
        suggestions,
    }
}

#[test]
fn identical_typings_agree_and_spacing_does_not_matter() {
    let a = typing("0101", vec![s("村口 路灯", Some(100))]);
    let b = typing("0101", vec![s(" 村口  路灯 ", Some(100))]);
    assert!(a.agrees_with(&b));
}

#[test]
fn any_real_difference_is_a_mismatch() {
    let a = typing("0101", vec![s("路灯", Some(100))]);
    assert!(
        !a.agrees_with(&typing("0102", vec![s("路灯", Some(100))])),
        "household"
    );
    assert!(
        !a.agrees_with(&typing("0101", vec![s("路灯", Some(1000))])),
        "amount"
    );
    assert!(
        !a.agrees_with(&typing("0101", vec![s("路等", Some(100))])),
        "title"
    );
    assert!(
        !a.agrees_with(&typing("0101", vec![s("路灯", Some(100)), s("桥", None)])),
        "count"
    );
    let mut other_category = s("路灯", Some(100));
    other_category.category = "其他".into();
    assert!(
        !a.agrees_with(&typing("0101", vec![other_category])),
        "category"
    );
}

#[test]
fn double_entry_steps() {
    let w = |id, clerk| Earlier {
        id,
        clerk,
        state: EntryState::Waiting,
    };
    assert_eq!(next_step(&[], 1), NextStep::WaitForSecond);
    assert_eq!(next_step(&[w(7, 1)], 1), NextStep::SameClerk);
    assert_eq!(next_step(&[w(7, 1)], 2), NextStep::CompareWith(7));
    for state in [
        EntryState::Posted,
        EntryState::Mismatch,
        EntryState::Resolved,
    ] {
        let done = [Earlier {
            id: 7,
            clerk: 1,
            state,
        }];
        assert_eq!(next_step(&done, 2), NextStep::AlreadySettled, "{state:?}");
        assert_eq!(next_step(&done, 1), NextStep::AlreadySettled, "{state:?}");
    }
    for s in ["waiting", "posted", "mismatch", "resolved"] {
        assert_eq!(EntryState::parse(s).map(EntryState::as_str), Some(s));
    }
    assert_eq!(EntryState::parse("typed"), None);
}

#[test]
fn a_clean_certificate_has_no_mismatch() {
    let counts = SiteCounts {
        issued: 120,
        returned: 100,
        spoiled: 3,
        entered: 97,
    };
    assert_eq!(certificate_mismatches(counts), vec![]);
}

#[test]
fn every_kind_of_mismatch_is_shown() {
    let counts = SiteCounts {
        issued: 10,
        returned: 12,
        spoiled: 13,
        entered: 0,
    };
    assert_eq!(
        certificate_mismatches(counts),
        vec![
            SiteMismatch::ReturnedExceedsIssued,
            SiteMismatch::SpoiledExceedsReturned,
            SiteMismatch::EnteredDiffers { expected: -1 }
        ]
    );
    let missing = SiteCounts {
        issued: 50,
        returned: 40,
        spoiled: 0,
        entered: 38,
    };
    assert_eq!(
        certificate_mismatches(missing),
        vec![SiteMismatch::EnteredDiffers { expected: 40 }]
    );
}

#[test]
fn differences_name_the_household_number_and_each_differing_field_by_row() {
    let row = |title: &str, cost: Option<i64>| Suggestion {
        category: "道路交通".into(),
        title: title.into(),
        details: String::new(),
        place: "村口".into(),
        cost_fen: cost,
    };
    let a = Typing {
        household_number: "0101".into(),
        suggestions: vec![row("修路", Some(80_000)), row("装灯", None)],
    };
    assert!(a.differences(&a.clone()).is_empty());
    let mut b = a.clone();
    b.suggestions[0].cost_fen = Some(800_000);
    b.suggestions[1].title = "  装灯 ".into();
    assert_eq!(
        a.differences(&b),
        vec![(1, "cost")],
        "spacing is not a difference"
    );
    b.household_number = "0110".into();
    b.suggestions.pop();
    assert_eq!(
        a.differences(&b),
        vec![
            (0, "household_number"),
            (1, "cost"),
            (2, "category"),
            (2, "title"),
            (2, "details"),
            (2, "place"),
            (2, "cost")
        ]
    );
    assert!(!a.agrees_with(&b));
}

#[test]
fn serials_are_numbered_from_where_the_last_stack_ended() {
    assert_eq!(serials(7, "", "").map(|s| s.len()), Some(20));
    assert_eq!(
        serials(7, "21", "3"),
        Some(vec!["S7-0021".into(), "S7-0022".into(), "S7-0023".into()])
    );
    assert_eq!(serials(7, "9999", "1"), Some(vec!["S7-9999".into()]));
    for (from, count) in [
        ("0", "5"),
        ("1", "0"),
        ("1", "201"),
        ("9999", "2"),
        ("x", "5"),
        ("-1", "5"),
    ] {
        assert_eq!(serials(7, from, count), None, "from {from} count {count}");
    }
    assert_eq!(serials(7, "1", "200").map(|s| s.len()), Some(200));
}
