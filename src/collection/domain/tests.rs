//! Unit tests of the round rules.

use super::*;

fn at(text: &str) -> NaiveDateTime {
    crate::time::parse_local(text).expect("valid time")
}

#[test]
fn a_round_moves_forward_one_step_at_a_time() {
    use RoundAction as A;
    use RoundState as S;
    let all_states = [S::Draft, S::Open, S::Closed, S::Published];
    let all_actions = [A::Open, A::Close, A::Publish];
    let allowed = [
        (S::Draft, A::Open, S::Open),
        (S::Open, A::Close, S::Closed),
        (S::Closed, A::Publish, S::Published),
    ];
    for state in all_states {
        for action in all_actions {
            let expected = allowed
                .iter()
                .find(|(s, a, _)| *s == state && *a == action)
                .map(|(_, _, n)| *n);
            assert_eq!(
                next_state(state, action),
                expected,
                "{state:?} + {action:?}"
            );
        }
    }
}

#[test]
fn ballots_are_taken_only_while_open_and_between_opening_and_closing() {
    let opens = at("2026-12-01T08:00");
    let closes = at("2026-12-10T18:00");
    assert!(accepts_ballots(
        RoundState::Open,
        opens,
        closes,
        at("2026-12-10T17:59")
    ));
    assert!(accepts_ballots(RoundState::Open, opens, closes, opens));
    assert!(
        !accepts_ballots(RoundState::Open, opens, closes, at("2026-12-01T07:59")),
        "not before the opening time"
    );
    assert!(!accepts_ballots(
        RoundState::Open,
        opens,
        closes,
        at("2026-12-10T18:00")
    ));
    for state in [RoundState::Draft, RoundState::Closed, RoundState::Published] {
        assert!(
            !accepts_ballots(state, opens, closes, at("2026-12-01T08:00")),
            "{state:?}"
        );
    }
}

#[test]
fn results_are_hidden_until_the_round_closes() {
    assert!(!RoundState::Draft.results_visible());
    assert!(!RoundState::Open.results_visible());
    assert!(RoundState::Closed.results_visible());
    assert!(RoundState::Published.results_visible());
    for s in ["draft", "open", "closed", "published"] {
        assert_eq!(RoundState::parse(s).map(RoundState::as_str), Some(s));
    }
    assert_eq!(RoundState::parse("void"), None);
}

fn good_form() -> RoundForm {
    RoundForm {
        title: "2027年度民主征集".into(),
        year: "2027".into(),
        opens_at: "2026-12-01T08:00".into(),
        closes_at: "2026-12-10T18:00".into(),
        min_suggestions: "1".into(),
        max_suggestions: "5".into(),
        categories: "道路交通\n照明\n道路交通\n\n其他\n".into(),
        double_entry: "on".into(),
        once: String::new(),
    }
}

#[test]
fn a_good_round_form_is_valid() {
    let round = validate_round(&good_form()).expect("valid");
    assert_eq!(
        round.categories,
        vec!["道路交通", "照明", "其他"],
        "duplicates and blanks dropped"
    );
    assert!(round.double_entry);
    assert_eq!(round.opens_at, at("2026-12-01T08:00"));
    assert_eq!((round.min_suggestions, round.max_suggestions), (1, 5));
}

#[test]
fn every_bad_round_field_is_named() {
    let form = RoundForm {
        title: "".into(),
        year: "1999".into(),
        opens_at: "soon".into(),
        closes_at: "".into(),
        min_suggestions: "0".into(),
        max_suggestions: "x".into(),
        categories: " \n".into(),
        double_entry: "".into(),
        once: String::new(),
    };
    let errors = validate_round(&form).expect_err("invalid");
    for field in [
        "title",
        "year",
        "opens_at",
        "closes_at",
        "min_suggestions",
        "max_suggestions",
        "categories",
    ] {
        assert!(errors.get(field).is_some(), "{field}");
    }
}

#[test]
fn closing_must_follow_opening_and_max_follow_min() {
    let form = RoundForm {
        closes_at: "2026-12-01T08:00".into(),
        min_suggestions: "3".into(),
        max_suggestions: "2".into(),
        ..good_form()
    };
    let errors = validate_round(&form).expect_err("invalid");
    assert_eq!(errors.get("closes_at"), Some("round.error.order"));
    assert_eq!(
        errors.get("max_suggestions"),
        Some("round.error.count_order")
    );
}

#[test]
fn the_roll_hash_ignores_order_and_sees_every_change() {
    let a = roll_hash(&["0102".into(), "0101".into()]);
    let b = roll_hash(&["0101".into(), "0102".into()]);
    assert_eq!(a, b);
    assert_eq!(a.len(), 64);
    assert_ne!(a, roll_hash(&["0101".into()]));
    assert_ne!(a, roll_hash(&["0101".into(), "0102".into(), "0103".into()]));
    // "01" + "02" must not hash like "0" + "102": every number ends with a newline.
    assert_ne!(
        roll_hash(&["01".into(), "02".into()]),
        roll_hash(&["0".into(), "102".into()])
    );
    // Known value: sha256("0101\n0102\n").
    assert_eq!(
        a,
        "f44546f7a7628dd1400522c033ee7f817e5b51de6766be40ae954040b1bbefc7"
    );
}

#[test]
fn reasons_must_say_something() {
    assert!(!valid_reason(""));
    assert!(!valid_reason("   ab "));
    assert!(valid_reason("迁入新户"));
    assert!(!valid_reason(&"长".repeat(501)));
}

#[test]
fn actions_read_back_and_a_repeat_is_told_so() {
    for action in [RoundAction::Open, RoundAction::Close, RoundAction::Publish] {
        assert_eq!(RoundAction::parse(action.as_str()), Some(action));
        assert_eq!(
            next_state(action.target(), action),
            None,
            "{action:?} twice"
        );
        assert_ne!(
            refusal_key(action.target(), action),
            "round.error.transition"
        );
    }
    assert_eq!(RoundAction::parse("reopen"), None);
    assert_eq!(
        refusal_key(RoundState::Draft, RoundAction::Publish),
        "round.error.transition"
    );
}

#[test]
fn corrections_and_sites_follow_the_round() {
    use RoundState as S;
    let open_only: Vec<_> = [S::Draft, S::Open, S::Closed, S::Published]
        .into_iter()
        .filter(|s| accepts_corrections(*s))
        .collect();
    assert_eq!(open_only, vec![S::Open]);
    assert!(accepts_new_sites(S::Draft) && accepts_new_sites(S::Open));
    assert!(!accepts_new_sites(S::Closed) && !accepts_new_sites(S::Published));
    assert!(accepts_certificates(S::Open) && accepts_certificates(S::Closed));
    assert!(!accepts_certificates(S::Draft) && !accepts_certificates(S::Published));
}

#[test]
fn a_round_opens_only_before_its_closing_time_and_alone() {
    use super::opening_refusal;
    let closes = at("2026-12-10T18:00");
    assert_eq!(opening_refusal(closes, at("2026-12-01T08:00"), false), None);
    assert_eq!(
        opening_refusal(closes, at("2026-12-10T18:00"), false),
        Some("round.error.closing_passed")
    );
    assert_eq!(
        opening_refusal(closes, at("2026-12-01T08:00"), true),
        Some("round.error.another_open")
    );
}
