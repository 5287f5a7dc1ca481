//! Paper ballots, as rules: double entry (two clerks type the same paper; identical typings
//! post, differing ones wait for reconciliation) and the closure certificate of a collection
//! site (papers issued, returned, spoiled and entered must add up).

use serde::{Deserialize, Serialize};

use super::ballot::Suggestion;

/// One typing of a paper ballot, compared as a whole with another clerk's typing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Typing {
    pub household_number: String,
    pub suggestions: Vec<Suggestion>,
}

impl Typing {
    /// Two typings agree when every field matches after folding runs of white space, so an
    /// extra space is not a mismatch but a different word or amount is.
    pub fn agrees_with(&self, other: &Typing) -> bool {
        self.differences(other).is_empty()
    }

    /// Where this typing differs from `other`, by the same folding as [`Typing::agrees_with`]:
    /// `(0, "household_number")`, or `(row, field)` with rows from 1; a row only one typing has
    /// differs in every field. The reconcile page marks these so a clerk compares them first.
    pub fn differences(&self, other: &Typing) -> Vec<(usize, &'static str)> {
        fn fold(text: &str) -> String {
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        }
        let mut found = Vec::new();
        if self.household_number.trim() != other.household_number.trim() {
            found.push((0, "household_number"));
        }
        let rows = self.suggestions.len().max(other.suggestions.len());
        for i in 0..rows {
            let (a, b) = (self.suggestions.get(i), other.suggestions.get(i));
            let fields: [(&'static str, bool); 5] = match (a, b) {
                (Some(a), Some(b)) => [
                    ("category", a.category == b.category),
                    ("title", fold(&a.title) == fold(&b.title)),
                    ("details", fold(&a.details) == fold(&b.details)),
                    ("place", fold(&a.place) == fold(&b.place)),
                    ("cost", a.cost_fen == b.cost_fen),
                ],
                _ => [
                    ("category", false),
                    ("title", false),
                    ("details", false),
                    ("place", false),
                    ("cost", false),
                ],
            };
            found.extend(
                fields
                    .into_iter()
                    .filter(|(_, same)| !same)
                    .map(|(f, _)| (i + 1, f)),
            );
        }
        found
    }
}

/// The state of an earlier typing of the same paper serial.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryState {
    Waiting,
    Posted,
    Mismatch,
    Resolved,
}

impl EntryState {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryState::Waiting => "waiting",
            EntryState::Posted => "posted",
            EntryState::Mismatch => "mismatch",
            EntryState::Resolved => "resolved",
        }
    }

    pub fn parse(text: &str) -> Option<EntryState> {
        [
            EntryState::Waiting,
            EntryState::Posted,
            EntryState::Mismatch,
            EntryState::Resolved,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// Where a collection site stands: its closure certificate is signed once and never changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteState {
    Collecting,
    Certified,
}

impl SiteState {
    /// Derived from the stored certificate time: a site is certified exactly when it has one.
    pub fn of(certified_at: Option<chrono::NaiveDateTime>) -> SiteState {
        match certified_at {
            Some(_) => SiteState::Certified,
            None => SiteState::Collecting,
        }
    }
}

/// An earlier typing: who typed it and where it stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Earlier {
    pub id: i64,
    pub clerk: i64,
    pub state: EntryState,
}

/// What to do with a new typing of a paper serial under double entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextStep {
    /// The first typing: keep it and wait for a second clerk.
    WaitForSecond,
    /// A second clerk typed it: compare with typing `id`.
    CompareWith(i64),
    /// This clerk typed this paper before; a different clerk must do the second typing.
    SameClerk,
    /// The paper was posted, is awaiting reconciliation, or was reconciled: nothing to type.
    AlreadySettled,
}

pub fn next_step(earlier: &[Earlier], clerk: i64) -> NextStep {
    if earlier.iter().any(|e| e.state != EntryState::Waiting) {
        return NextStep::AlreadySettled;
    }
    if earlier.iter().any(|e| e.clerk == clerk) {
        return NextStep::SameClerk;
    }
    match earlier.first() {
        Some(first) => NextStep::CompareWith(first.id),
        None => NextStep::WaitForSecond,
    }
}

/// The counts on a collection site's closure certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SiteCounts {
    pub issued: i64,
    pub returned: i64,
    pub spoiled: i64,
    /// Paper ballots of this site that count (entered and posted).
    pub entered: i64,
}

/// What does not add up on a certificate; each has a sentence on the certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteMismatch {
    /// More papers came back than were handed out.
    ReturnedExceedsIssued,
    /// More papers spoiled than came back.
    SpoiledExceedsReturned,
    /// Returned minus spoiled should equal the papers entered.
    EnteredDiffers { expected: i64 },
}

impl SiteMismatch {
    pub fn message_key(self) -> &'static str {
        match self {
            SiteMismatch::ReturnedExceedsIssued => "site.mismatch.returned",
            SiteMismatch::SpoiledExceedsReturned => "site.mismatch.spoiled",
            SiteMismatch::EnteredDiffers { .. } => "site.mismatch.entered",
        }
    }
}

pub fn certificate_mismatches(counts: SiteCounts) -> Vec<SiteMismatch> {
    let mut found = Vec::new();
    if counts.returned > counts.issued {
        found.push(SiteMismatch::ReturnedExceedsIssued);
    }
    if counts.spoiled > counts.returned {
        found.push(SiteMismatch::SpoiledExceedsReturned);
    }
    let expected = counts.returned - counts.spoiled;
    if expected != counts.entered {
        found.push(SiteMismatch::EnteredDiffers { expected });
    }
    found
}

/// Blank paper ballots: a site's printout and the serials on it (`paper_forms` prints them).
/// At most this many forms on one printout (a site's usual stack, several printouts).
pub const MAX_FORMS: u32 = 200;
/// Forms printed when nothing is asked.
const DEFAULT_FORMS: u32 = 20;

/// The serial printed on form `n` of `site`: what the clerks type at paper entry.
pub fn serial(site: i64, n: u32) -> String {
    format!("S{site}-{n:04}")
}

/// The serials asked for, `from` and `count` as typed: `None` when either is not a whole number
/// in range (from 1 to 9999, count 1 to [`MAX_FORMS`], the last serial at most 9999).
pub fn serials(site: i64, from: &str, count: &str) -> Option<Vec<String>> {
    let from: u32 = if from.trim().is_empty() {
        1
    } else {
        from.trim().parse().ok()?
    };
    let count: u32 = if count.trim().is_empty() {
        DEFAULT_FORMS
    } else {
        count.trim().parse().ok()?
    };
    let last = from.checked_add(count)?.checked_sub(1)?;
    ((1..=MAX_FORMS).contains(&count) && from >= 1 && last <= 9999)
        .then(|| (from..=last).map(|n| serial(site, n)).collect())
}

#[cfg(test)]
mod tests;
