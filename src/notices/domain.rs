//! Notice rules, with no HTTP or SQL: kinds, the notice period and its day boundaries in Beijing
//! time, the content hash that makes a published notice checkable, objection deadlines, and the
//! gate that tells whether a subject is cleared to go ahead.

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Asia::Shanghai;
use sha2::{Digest, Sha256};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Shortlist,
    CouncilResult,
    Plan,
    FundStatement,
    Acceptance,
    ReviewResult,
    /// A collection round's results, posted when the clerk publishes them.
    CollectionResult,
    General,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Shortlist,
        Kind::CouncilResult,
        Kind::Plan,
        Kind::FundStatement,
        Kind::Acceptance,
        Kind::ReviewResult,
        Kind::CollectionResult,
        Kind::General,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Shortlist => "shortlist",
            Kind::CouncilResult => "council_result",
            Kind::Plan => "plan",
            Kind::FundStatement => "fund_statement",
            Kind::Acceptance => "acceptance",
            Kind::ReviewResult => "review_result",
            Kind::CollectionResult => "collection_result",
            Kind::General => "general",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Whether a clerk may write a notice of this kind on the notice form. A round's results
    /// are posted only by publishing them, from the counts stored at the close.
    pub fn written_by_hand(self) -> bool {
        self != Kind::CollectionResult
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Kind::Shortlist => "notice.kind.shortlist",
            Kind::CouncilResult => "notice.kind.council_result",
            Kind::Plan => "notice.kind.plan",
            Kind::FundStatement => "notice.kind.fund_statement",
            Kind::Acceptance => "notice.kind.acceptance",
            Kind::ReviewResult => "notice.kind.review_result",
            Kind::CollectionResult => "notice.kind.collection_result",
            Kind::General => "notice.kind.general",
        }
    }
}

/// The default notice period (公示期) in days.
pub const DEFAULT_PERIOD_DAYS: i32 = 7;
/// Days a clerk has to answer an objection.
pub const ANSWER_DAYS: i32 = 10;

fn local_date(utc: NaiveDateTime) -> NaiveDate {
    utc.and_utc().with_timezone(&Shanghai).date_naive()
}

/// The UTC instant of 00:00 Beijing time on `date`.
fn beijing_midnight(date: NaiveDate) -> NaiveDateTime {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    Shanghai
        .from_local_datetime(&midnight)
        .single()
        .map_or(midnight, |t| t.naive_utc())
}

/// A period of `days` full days after the day something starts, counted in Beijing time: a 7-day
/// notice published on 11月23日 at any hour runs through the whole of 11月30日 and ends at
/// 00:00 on 12月1日. The day of publication does not count, so nobody loses part of a day.
pub fn period_end(start_utc: NaiveDateTime, days: i32) -> NaiveDateTime {
    let last =
        local_date(start_utc) + chrono::Days::new(u64::try_from(days.max(0)).unwrap_or(0) + 1);
    beijing_midnight(last)
}

/// The period as people read it: its first and its last whole day in Beijing time, both
/// included (公示期 自 11月24日 至 11月30日). The day of publication does not count, and
/// `ends_at` is 00:00 of the day after the last; "截止 12月1日 00:00" was read as including 1 December.
pub fn period_days_shown(
    published_at: NaiveDateTime,
    ends_at: NaiveDateTime,
) -> (NaiveDate, NaiveDate) {
    let first = local_date(published_at) + chrono::Days::new(1);
    let last = local_date(ends_at) - chrono::Days::new(1);
    (first, last.max(first))
}

/// Where a notice stands at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Draft,
    InPeriod,
    PeriodEnded,
}

pub fn phase(published: bool, period_ends_at: Option<NaiveDateTime>, now: NaiveDateTime) -> Phase {
    match (published, period_ends_at) {
        (true, Some(end)) if now < end => Phase::InPeriod,
        (true, _) => Phase::PeriodEnded,
        (false, _) => Phase::Draft,
    }
}

/// The text a published notice's SHA-256 is taken over: everything a reader relies on, one
/// field per line, so the printed hash proves the online and the posted notice are the same.
/// The public page and the print view show these lines as they are (docs/notices.md), so anyone
/// recomputes the hash from the page alone; the format never changes for a published notice.
pub fn canonical_text(
    village: &str,
    kind: Kind,
    title: &str,
    body: &str,
    published_at: NaiveDateTime,
    period_ends_at: NaiveDateTime,
    supersedes: Option<i64>,
) -> String {
    let head = canonical_head(
        village,
        kind,
        title,
        published_at,
        period_ends_at,
        supersedes,
    );
    format!("{head}\n\n{body}")
}

/// The canonical text's lines before the blank line and the body: what the public page shows
/// under 核验 beside the body it shows anyway.
pub fn canonical_head(
    village: &str,
    kind: Kind,
    title: &str,
    published_at: NaiveDateTime,
    period_ends_at: NaiveDateTime,
    supersedes: Option<i64>,
) -> String {
    format!(
        "minyi-notice-v1\nvillage: {village}\nkind: {}\ntitle: {title}\npublished: {}\nperiod-ends: {}\nsupersedes: {}",
        kind.as_str(),
        published_at.format("%Y-%m-%dT%H:%M:%S%.6fZ"),
        period_ends_at.format("%Y-%m-%dT%H:%M:%S%.6fZ"),
        supersedes.map_or("-".to_string(), |id| id.to_string()),
    )
}

pub fn content_hash(canonical: &str) -> String {
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// A notice as a clerk typed it.
#[derive(serde::Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct NoticeForm {
    pub kind: String,
    pub title: String,
    pub body: String,
    /// What the notice is about, e.g. `project:12`; optional.
    pub subject: String,
    /// The one-time token of the form that creates a notice (`crate::web::once`).
    pub once: String,
}

/// Checks a notice form: a known kind, a title, a body and an optional `kind:id` subject.
pub fn check_notice(
    form: &NoticeForm,
) -> Result<(Kind, String, String, Option<String>), crate::validation::FieldErrors> {
    let mut errors = crate::validation::FieldErrors::new();
    let kind = Kind::parse(form.kind.trim()).filter(|k| k.written_by_hand());
    if kind.is_none() {
        errors.add("kind", "notice.error.kind");
    }
    if !valid_text(&form.title, TITLE_MAX) {
        errors.add("title", "notice.error.title");
    }
    if !valid_text(&form.body, BODY_MAX) {
        errors.add("body", "notice.error.body");
    }
    let subject = form.subject.trim();
    let subject_ok = subject.is_empty()
        || (subject.len() <= 40
            && subject
                .split_once(':')
                .is_some_and(|(a, b)| !a.is_empty() && b.parse::<i64>().is_ok()));
    if !subject_ok {
        errors.add("subject", "notice.error.subject");
    }
    match kind {
        Some(kind) if errors.is_empty() => Ok((
            kind,
            form.title.trim().to_string(),
            // One kind of line break, as a page shows it: a stranger copying the body from the
            // page gets the very text the hash covers (browsers send CR LF from a textarea).
            form.body.trim().replace("\r\n", "\n").replace('\r', "\n"),
            (!subject.is_empty()).then(|| subject.to_string()),
        )),
        _ => Err(errors),
    }
}

/// Limits on what a notice holds.
pub const TITLE_MAX: usize = 80;
pub const BODY_MAX: usize = 20_000;
pub const OBJECTION_MAX: usize = 1_000;
pub const ANSWER_MAX: usize = 2_000;

/// One objection as the gate sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ObjectionFacts {
    pub answered: bool,
    pub upheld: bool,
    pub answered_at: Option<NaiveDateTime>,
}

/// One published notice of a subject as the gate sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeFacts {
    pub published_at: NaiveDateTime,
    pub period_ends_at: NaiveDateTime,
    pub objections: Vec<ObjectionFacts>,
}

/// Why a subject may not go ahead yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    Cleared,
    /// No notice about it has been published.
    NotPublished,
    /// The latest notice's period is still running.
    InPeriod {
        ends_at: NaiveDateTime,
    },
    /// Objections wait for a written answer.
    Unanswered {
        count: usize,
    },
    /// An objection was upheld and no later notice has been published since.
    Upheld,
}

/// The one rule every part uses before execution or spending: the latest published notice's
/// period has ended, no objection to any of the subject's notices is unanswered, and every
/// upheld objection was followed by a notice published after it was upheld.
pub fn gate(notices: &[NoticeFacts], now: NaiveDateTime) -> Gate {
    let Some(latest) = notices.iter().max_by_key(|n| n.published_at) else {
        return Gate::NotPublished;
    };
    let unanswered = notices
        .iter()
        .flat_map(|n| &n.objections)
        .filter(|o| !o.answered)
        .count();
    if unanswered > 0 {
        return Gate::Unanswered { count: unanswered };
    }
    let upheld_later_than_latest = notices
        .iter()
        .flat_map(|n| &n.objections)
        .filter(|o| o.upheld)
        .any(|o| o.answered_at.is_none_or(|at| at >= latest.published_at));
    if upheld_later_than_latest {
        return Gate::Upheld;
    }
    if now < latest.period_ends_at {
        return Gate::InPeriod {
            ends_at: latest.period_ends_at,
        };
    }
    Gate::Cleared
}

/// Whether a household may file one more objection: at most `MAX_OBJECTIONS_PER_DAY` in the last
/// 24 hours across all notices, so one household cannot flood the register.
pub const MAX_OBJECTIONS_PER_DAY: i64 = 5;

pub fn may_file(filed_in_last_day: i64) -> bool {
    filed_in_last_day < MAX_OBJECTIONS_PER_DAY
}

/// Checks a text a person wrote (objection or answer): not blank, not longer than `max`.
pub fn valid_text(text: &str, max: usize) -> bool {
    let n = text.trim().chars().count();
    n > 0 && n <= max
}

#[cfg(test)]
mod tests;
