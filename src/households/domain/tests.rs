//! Unit tests of the household rules.

use super::*;

fn form(number: &str, name: &str, members: &str, group: &str, status: &str) -> HouseholdForm {
    HouseholdForm {
        number: number.into(),
        head_name: name.into(),
        members: members.into(),
        group: group.into(),
        status: status.into(),
    }
}

#[test]
fn a_complete_form_is_valid_and_trimmed() {
    let valid = validate(&form(" 0107 ", " 张三 ", "4", "2", ""), &[1, 2]).expect("valid");
    assert_eq!(
        valid,
        ValidHousehold {
            number: "0107".into(),
            head_name: "张三".into(),
            members: 4,
            group_id: 2,
            status: Status::Active,
        }
    );
}

#[test]
fn every_bad_field_gets_its_own_message() {
    let errors = validate(&form("", "", "0", "9", "gone"), &[1, 2]).expect_err("invalid");
    assert_eq!(
        errors.get("number"),
        Some("household.error.number_required")
    );
    assert_eq!(
        errors.get("head_name"),
        Some("household.error.name_required")
    );
    assert_eq!(errors.get("members"), Some("household.error.members"));
    assert_eq!(errors.get("group"), Some("household.error.group"));
    assert_eq!(errors.get("status"), Some("household.error.status"));
}

#[test]
fn number_format_and_lengths_are_checked() {
    let errors =
        validate(&form("01 07", &"名".repeat(31), "100", "x", ""), &[1]).expect_err("invalid");
    assert_eq!(errors.get("number"), Some("household.error.number_format"));
    assert_eq!(errors.get("head_name"), Some("household.error.name_format"));
    assert_eq!(errors.get("members"), Some("household.error.members"));
    assert_eq!(errors.get("group"), Some("household.error.group"));
    assert!(valid_number("3-12"));
    assert!(valid_number(&"9".repeat(20)));
    assert!(!valid_number(&"9".repeat(21)));
    assert!(!valid_number("户1"));
}

#[test]
fn members_must_be_a_whole_number_in_range() {
    for bad in ["", "abc", "-1", "1.5", "99999999999"] {
        let errors = validate(&form("1", "李", bad, "1", ""), &[1]).expect_err(bad);
        assert_eq!(
            errors.get("members"),
            Some("household.error.members"),
            "{bad}"
        );
    }
    assert!(validate(&form("1", "李", "99", "1", "moved"), &[1]).is_ok());
}

#[test]
fn names_are_masked_to_the_surname() {
    assert_eq!(mask_name("张三丰"), "张**");
    assert_eq!(mask_name("张三"), "张*");
    assert_eq!(mask_name("张"), "张*");
    assert_eq!(mask_name("Li Wei"), "L****");
    assert_eq!(mask_name(""), "");
}

#[test]
fn trivial_pins_are_refused() {
    for bad in [
        "000000",
        "111111",
        "123456",
        "987654",
        "12345",
        "1234567",
        "12a456",
        "１２３４５６",
    ] {
        assert!(!acceptable_pin(bad), "{bad}");
    }
    for good in ["104729", "000001", "135790"] {
        assert!(acceptable_pin(good), "{good}");
    }
}

#[test]
fn generated_pins_are_acceptable() {
    let mut rng = rand::rng();
    for _ in 0..500 {
        let pin = new_pin(&mut rng);
        assert!(acceptable_pin(&pin), "{pin}");
    }
}

#[test]
fn statuses_round_trip() {
    for s in Status::ALL {
        assert_eq!(Status::parse(s.as_str()), Some(s));
    }
    assert_eq!(Status::parse("dead"), None);
}
