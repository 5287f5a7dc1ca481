//! Household rules, with no HTTP or SQL: what a valid household record is, how names are
//! masked on public pages (个人信息保护法), and what makes an acceptable PIN.

use rand::Rng;
use serde::Deserialize;

use crate::validation::FieldErrors;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Active,
    Moved,
    Merged,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Active, Status::Moved, Status::Merged];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Moved => "moved",
            Status::Merged => "merged",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Status::Active => "household.status.active",
            Status::Moved => "household.status.moved",
            Status::Merged => "household.status.merged",
        }
    }
}

pub const NUMBER_MAX_CHARS: usize = 20;
pub const NAME_MAX_CHARS: usize = 30;
pub const MEMBERS_MAX: i32 = 99;

/// What a clerk typed, as text; every field is checked by [`validate`].
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct HouseholdForm {
    pub number: String,
    pub head_name: String,
    pub members: String,
    pub group: String,
    pub status: String,
}

/// A household record that passed every rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidHousehold {
    pub number: String,
    pub head_name: String,
    pub members: i32,
    pub group_id: i64,
    pub status: Status,
}

/// 户号: letters, digits and '-', at most 20, e.g. `0107` or `3-12`.
pub fn valid_number(number: &str) -> bool {
    !number.is_empty()
        && number.chars().count() <= NUMBER_MAX_CHARS
        && number
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Checks a form against the village's groups. `status` may be empty (new households are active).
pub fn validate(form: &HouseholdForm, group_ids: &[i64]) -> Result<ValidHousehold, FieldErrors> {
    let mut errors = FieldErrors::new();
    let number = form.number.trim().to_string();
    if number.is_empty() {
        errors.add("number", "household.error.number_required");
    } else if !valid_number(&number) {
        errors.add("number", "household.error.number_format");
    }
    let head_name = form.head_name.trim().to_string();
    if head_name.is_empty() {
        errors.add("head_name", "household.error.name_required");
    } else if head_name.chars().count() > NAME_MAX_CHARS || head_name.chars().any(char::is_control)
    {
        errors.add("head_name", "household.error.name_format");
    }
    let members = form.members.trim().parse::<i32>().ok();
    if !members.is_some_and(|m| (1..=MEMBERS_MAX).contains(&m)) {
        errors.add("members", "household.error.members");
    }
    let group_id = form.group.trim().parse::<i64>().ok();
    if !group_id.is_some_and(|g| group_ids.contains(&g)) {
        errors.add("group", "household.error.group");
    }
    let status = match form.status.trim() {
        "" => Some(Status::Active),
        s => Status::parse(s),
    };
    if status.is_none() {
        errors.add("status", "household.error.status");
    }
    errors.into_result(()).map(|()| ValidHousehold {
        number,
        head_name,
        members: members.unwrap_or(1),
        group_id: group_id.unwrap_or_default(),
        status: status.unwrap_or(Status::Active),
    })
}

/// Public pages show the surname only: 张三丰 → 张**, "Li Wei" → L***.
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    let mut chars = name.chars();
    match chars.next() {
        None => String::new(),
        Some(first) => {
            let rest = chars.filter(|c| !c.is_whitespace()).count().max(1);
            format!("{first}{}", "*".repeat(rest))
        }
    }
}

pub const PIN_DIGITS: usize = 6;

/// A PIN is six digits and not trivially guessable: not one digit repeated and not a run
/// such as 123456 or 987654.
pub fn acceptable_pin(pin: &str) -> bool {
    let digits: Vec<u32> = pin.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != PIN_DIGITS || pin.chars().count() != PIN_DIGITS {
        return false;
    }
    let all_same = digits.iter().all(|d| *d == digits[0]);
    let steps: Vec<i64> = digits
        .windows(2)
        .map(|w| i64::from(w[1]) - i64::from(w[0]))
        .collect();
    let run = steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1);
    !all_same && !run
}

/// A fresh random acceptable PIN.
pub fn new_pin(rng: &mut impl Rng) -> String {
    loop {
        let pin: String = (0..PIN_DIGITS)
            .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
            .collect();
        if acceptable_pin(&pin) {
            return pin;
        }
    }
}

#[cfg(test)]
mod tests;
