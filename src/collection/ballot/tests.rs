//! Unit tests of the ballot rules.

use super::*;

fn cats() -> Vec<String> {
    vec!["道路交通".into(), "照明".into()]
}

fn row(category: &str, title: &str, cost: &str) -> SuggestionInput {
    SuggestionInput {
        category: category.into(),
        title: title.into(),
        details: "".into(),
        place: "村口".into(),
        cost: cost.into(),
    }
}

#[test]
fn a_good_ballot_is_kept_in_order_and_blank_rows_are_skipped() {
    let rows = vec![
        row("照明", "村口装路灯", "3000"),
        SuggestionInput::default(),
        row("道路交通", " 修桥 ", ""),
    ];
    let valid = validate(&rows, &cats(), 1, 5).expect("valid");
    assert_eq!(valid.len(), 2);
    assert_eq!(valid[0].cost_fen, Some(300_000));
    assert_eq!(valid[1].title, "修桥");
    assert_eq!(valid[1].cost_fen, None);
}

#[test]
fn each_bad_field_is_reported_on_its_row() {
    let rows = vec![
        row("火箭", "", "abc"),
        SuggestionInput {
            details: "长".repeat(DETAILS_MAX + 1),
            place: "地".repeat(PLACE_MAX + 1),
            ..row("照明", &"标".repeat(TITLE_MAX + 1), "")
        },
    ];
    let errors = validate(&rows, &cats(), 1, 5).expect_err("invalid");
    let has = |row, field, key| {
        errors.contains(&BallotError {
            row,
            field,
            message_key: key,
        })
    };
    assert!(has(1, "category", "ballot.error.category"));
    assert!(has(1, "title", "ballot.error.title_required"));
    assert!(has(1, "cost", "ballot.error.cost"));
    assert!(has(2, "title", "ballot.error.title_long"));
    assert!(has(2, "details", "ballot.error.details_long"));
    assert!(has(2, "place", "ballot.error.place_long"));
    assert_eq!(
        BallotError::find(&errors, 2, "place").map(|e| e.message_key),
        Some("ballot.error.place_long")
    );
}

#[test]
fn limits_on_the_number_of_suggestions_hold() {
    let empty = validate(&[SuggestionInput::default()], &cats(), 1, 5).expect_err("empty");
    assert_eq!(
        empty,
        vec![BallotError {
            row: 0,
            field: "ballot",
            message_key: "ballot.error.too_few"
        }]
    );
    let six: Vec<_> = (0..6)
        .map(|i| row("照明", &format!("建议{i}"), ""))
        .collect();
    let many = validate(&six, &cats(), 1, 5).expect_err("too many");
    assert_eq!(
        many,
        vec![BallotError {
            row: 0,
            field: "ballot",
            message_key: "ballot.error.too_many"
        }]
    );
    assert!(validate(&six[..5], &cats(), 1, 5).is_ok());
    assert_eq!(
        validate(&six[..2], &cats(), 3, 5).expect_err("too few")[0].message_key,
        "ballot.error.too_few"
    );
}

#[test]
fn exactly_the_limits_are_accepted() {
    let title = "标".repeat(TITLE_MAX);
    let r = SuggestionInput {
        details: "长".repeat(DETAILS_MAX),
        place: "地".repeat(PLACE_MAX),
        ..row("照明", &title, "1000000000")
    };
    assert!(validate(&[r], &cats(), 1, 1).is_ok());
}

#[test]
fn control_characters_are_dropped_and_line_breaks_kept_in_details() {
    let r = SuggestionInput {
        details: "第一行\n第二行\u{0007}".into(),
        ..row("照明", "路灯\u{0000}", "")
    };
    let valid = validate(&[r], &cats(), 1, 1).expect("valid");
    assert_eq!(valid[0].title, "路灯");
    assert_eq!(valid[0].details, "第一行\n第二行");
}

#[test]
fn form_rows_are_padded_and_survive_ragged_input() {
    let form = BallotForm {
        category: vec!["照明".into()],
        title: vec!["a".into(), "b".into()],
        ..BallotForm::default()
    };
    let rows = form.rows(5);
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[1].title, "b");
    assert_eq!(rows[1].category, "");
    assert_eq!(
        BallotForm {
            title: vec!["x".into(); 100],
            ..BallotForm::default()
        }
        .rows(5)
        .len(),
        40
    );
}

#[test]
fn suggestions_go_back_to_the_form_as_typed() {
    let s = Suggestion {
        category: "照明".into(),
        title: "t".into(),
        details: "".into(),
        place: "".into(),
        cost_fen: Some(123_405),
    };
    assert_eq!(s.to_input().cost, "1234.05");
    let back = validate(&[s.to_input()], &cats(), 1, 1).expect("valid");
    assert_eq!(back[0], s);
}

#[test]
fn receipts_are_short_clear_and_varied() {
    let mut rng = rand::rng();
    let codes: std::collections::HashSet<String> =
        (0..1000).map(|_| new_receipt(&mut rng)).collect();
    assert!(codes.len() > 990, "random enough");
    for code in &codes {
        assert_eq!(code.len(), 9);
        assert_eq!(&code[4..5], "-");
        assert!(!code.contains(['I', 'L', 'O', 'U']), "{code}");
        assert_eq!(
            normalise_receipt(&code.to_lowercase().replace('-', " ")),
            *code
        );
    }
    assert_eq!(normalise_receipt("abco-1il2"), "ABC0-1112");
}

#[test]
fn channels_read_back_and_unknown_ones_are_none() {
    for channel in BallotChannel::ALL {
        assert_eq!(BallotChannel::parse(channel.as_str()), Some(channel));
    }
    assert_eq!(BallotChannel::parse("email"), None);
    assert!(BallotChannel::Paper.is_paper() && !BallotChannel::Kiosk.is_paper());
}
