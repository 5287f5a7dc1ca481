//! Rules of a collection round, with no HTTP or SQL: its states and the moves between them, what
//! a valid round is, and the public fingerprint of its frozen eligibility roll.

use chrono::NaiveDateTime;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::validation::FieldErrors;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundState {
    Draft,
    Open,
    Closed,
    Published,
}

impl RoundState {
    pub fn as_str(self) -> &'static str {
        match self {
            RoundState::Draft => "draft",
            RoundState::Open => "open",
            RoundState::Closed => "closed",
            RoundState::Published => "published",
        }
    }

    pub fn parse(text: &str) -> Option<RoundState> {
        [
            RoundState::Draft,
            RoundState::Open,
            RoundState::Closed,
            RoundState::Published,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            RoundState::Draft => "round.state.draft",
            RoundState::Open => "round.state.open",
            RoundState::Closed => "round.state.closed",
            RoundState::Published => "round.state.published",
        }
    }

    /// Contents and per-group turnout are public only once the round has closed.
    pub fn results_visible(self) -> bool {
        matches!(self, RoundState::Closed | RoundState::Published)
    }
}

/// What a clerk may do to a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundAction {
    Open,
    Close,
    Publish,
}

impl RoundAction {
    /// The value of the button that asks for this action.
    pub fn as_str(self) -> &'static str {
        match self {
            RoundAction::Open => "open",
            RoundAction::Close => "close",
            RoundAction::Publish => "publish",
        }
    }

    pub fn parse(text: &str) -> Option<RoundAction> {
        [RoundAction::Open, RoundAction::Close, RoundAction::Publish]
            .into_iter()
            .find(|a| a.as_str() == text)
    }

    /// The state this action leads to: asked again once the round is there, it is a repeat.
    pub fn target(self) -> RoundState {
        match self {
            RoundAction::Open => RoundState::Open,
            RoundAction::Close => RoundState::Closed,
            RoundAction::Publish => RoundState::Published,
        }
    }
}

/// Why a round refuses a move, each with its own sentence: asked twice (a double click, a
/// replayed form, two clerks) the second is told the round already made that move.
pub fn refusal_key(state: RoundState, action: RoundAction) -> &'static str {
    if state == action.target() {
        match action {
            RoundAction::Open => "round.error.already_open",
            RoundAction::Close => "round.error.already_closed",
            RoundAction::Publish => "round.error.already_published",
        }
    } else {
        "round.error.transition"
    }
}

/// draft → open → closed → published, one step at a time, never back.
pub fn next_state(state: RoundState, action: RoundAction) -> Option<RoundState> {
    match (state, action) {
        (RoundState::Draft, RoundAction::Open) => Some(RoundState::Open),
        (RoundState::Open, RoundAction::Close) => Some(RoundState::Closed),
        (RoundState::Closed, RoundAction::Publish) => Some(RoundState::Published),
        _ => None,
    }
}

/// Ballots are taken while the round is open, from its opening time until its closing time.
pub fn accepts_ballots(
    state: RoundState,
    opens_at: NaiveDateTime,
    closes_at: NaiveDateTime,
    now: NaiveDateTime,
) -> bool {
    state == RoundState::Open && opens_at <= now && now < closes_at
}

/// Why a draft round may not be opened now, if it may not: its closing time has passed (it
/// would take no ballot and only block the village), or another round of the village is open
/// (households see one round at a time; the database keeps this too).
pub fn opening_refusal(
    closes_at: NaiveDateTime,
    now: NaiveDateTime,
    another_open: bool,
) -> Option<&'static str> {
    if now >= closes_at {
        Some("round.error.closing_passed")
    } else if another_open {
        Some("round.error.another_open")
    } else {
        None
    }
}

/// Paper ballots, voids and late roll additions are taken while the round is open (the clerk
/// closes it once every paper of the sites is typed), whatever its announced closing time.
pub fn accepts_corrections(state: RoundState) -> bool {
    state == RoundState::Open
}

/// Collection sites are set up before and during collection.
pub fn accepts_new_sites(state: RoundState) -> bool {
    matches!(state, RoundState::Draft | RoundState::Open)
}

/// A site's closure certificate is signed during collection or after closing, never after the
/// results are published (they would no longer match what was published).
pub fn accepts_certificates(state: RoundState) -> bool {
    matches!(state, RoundState::Open | RoundState::Closed)
}

/// The default categories of suggestions.
pub const DEFAULT_CATEGORIES: [&str; 8] = [
    "道路交通",
    "饮水水利",
    "环境卫生",
    "照明",
    "文化体育",
    "养老服务",
    "治安",
    "其他",
];

/// What a clerk typed to set up a round.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RoundForm {
    pub title: String,
    pub year: String,
    pub opens_at: String,
    pub closes_at: String,
    pub min_suggestions: String,
    pub max_suggestions: String,
    pub categories: String,
    pub double_entry: String,
    /// The form's one-time token (`crate::web::once`).
    pub once: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidRound {
    pub title: String,
    pub year: i32,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub min_suggestions: i32,
    pub max_suggestions: i32,
    pub categories: Vec<String>,
    pub double_entry: bool,
}

pub fn validate_round(form: &RoundForm) -> Result<ValidRound, FieldErrors> {
    let mut errors = FieldErrors::new();
    let title = form.title.trim().to_string();
    if title.is_empty() || title.chars().count() > 60 {
        errors.add("title", "round.error.title");
    }
    let year = form
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y));
    if year.is_none() {
        errors.add("year", "round.error.year");
    }
    let opens_at = crate::time::parse_local(&form.opens_at);
    let closes_at = crate::time::parse_local(&form.closes_at);
    if opens_at.is_none() {
        errors.add("opens_at", "round.error.time");
    }
    match (opens_at, closes_at) {
        (_, None) => errors.add("closes_at", "round.error.time"),
        (Some(o), Some(c)) if c <= o => errors.add("closes_at", "round.error.order"),
        _ => {}
    }
    let min = form
        .min_suggestions
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|n| (1..=20).contains(n));
    let max = form
        .max_suggestions
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|n| (1..=20).contains(n));
    if min.is_none() {
        errors.add("min_suggestions", "round.error.count");
    }
    match (min, max) {
        (_, None) => errors.add("max_suggestions", "round.error.count"),
        (Some(lo), Some(hi)) if hi < lo => errors.add("max_suggestions", "round.error.count_order"),
        _ => {}
    }
    let mut categories: Vec<String> = Vec::new();
    for line in form
        .categories
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        if !categories.iter().any(|c| c == line) {
            categories.push(line.to_string());
        }
    }
    if categories.is_empty()
        || categories.len() > 30
        || categories.iter().any(|c| c.chars().count() > 20)
    {
        errors.add("categories", "round.error.categories");
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    match (year, opens_at, closes_at, min, max) {
        (
            Some(year),
            Some(opens_at),
            Some(closes_at),
            Some(min_suggestions),
            Some(max_suggestions),
        ) => Ok(ValidRound {
            title,
            year,
            opens_at,
            closes_at,
            min_suggestions,
            max_suggestions,
            categories,
            double_entry: form.double_entry == "on",
        }),
        _ => Err(errors),
    }
}

/// SHA-256 over the roll's household numbers, sorted and one per line: anyone with the public
/// list of numbers can recompute it and see the roll was not changed after opening.
pub fn roll_hash(numbers: &[String]) -> String {
    let mut sorted: Vec<&str> = numbers.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let mut hasher = Sha256::new();
    for number in sorted {
        hasher.update(number.as_bytes());
        hasher.update(b"\n");
    }
    hex::encode(hasher.finalize())
}

/// A reason is required when a household joins the roll after opening or a ballot is voided.
pub fn valid_reason(reason: &str) -> bool {
    let n = reason.trim().chars().count();
    (4..=500).contains(&n)
}

#[cfg(test)]
mod tests;
