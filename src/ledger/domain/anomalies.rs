//! What the township auditor is shown as needing a look, with the thresholds as consts: an
//! expense dated outside its project's plan period, an entry pending too long, a project near
//! its earmarked budget, a year-end balance above a share of the allocation, and an entry
//! recorded and verified by the same person (which dual control forbids; still looked for).

use chrono::{NaiveDate, NaiveDateTime};

use super::{EntryKind, EntryState};
use crate::money::Money;

/// Days an entry may wait for its verification.
pub const PENDING_DAYS_LIMIT: i64 = 30;
/// A project whose earmarked spending passes this share of its earmarked budget is shown.
pub const BUDGET_WARNING_PERCENT: i64 = 90;
/// After the fund's year ends, a balance above this share of the allocation is shown.
pub const SURPLUS_PERCENT: i64 = 10;

/// An entry as the anomaly rules read it.
#[derive(Clone, Debug)]
pub struct EntryFacts {
    pub id: i64,
    pub kind: EntryKind,
    pub state: EntryState,
    pub date: NaiveDate,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
    pub decided_by: Option<i64>,
    /// The plan period of the expense's project, if it has an approved plan.
    pub plan_period: Option<(NaiveDate, NaiveDate)>,
}

/// A project's earmarked budget and spending.
#[derive(Clone, Copy, Debug)]
pub struct ProjectFacts {
    pub project_id: i64,
    pub earmarked: Money,
    pub spent: Money,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Anomaly {
    OutsidePlanPeriod { entry_id: i64 },
    PendingTooLong { entry_id: i64, days: i64 },
    NearBudget { project_id: i64 },
    YearEndSurplus { balance: Money },
    SamePerson { entry_id: i64 },
}

impl Anomaly {
    pub fn message_key(&self) -> &'static str {
        match self {
            Anomaly::OutsidePlanPeriod { .. } => "ledger.anomaly.outside_period",
            Anomaly::PendingTooLong { .. } => "ledger.anomaly.pending",
            Anomaly::NearBudget { .. } => "ledger.anomaly.near_budget",
            Anomaly::YearEndSurplus { .. } => "ledger.anomaly.surplus",
            Anomaly::SamePerson { .. } => "ledger.anomaly.same_person",
        }
    }
}

/// `part` above `percent` % of `whole` (integer arithmetic, no rounding).
fn above_share(part: Money, whole: Money, percent: i64) -> bool {
    i128::from(part.fen()) * 100 > i128::from(whole.fen()) * i128::from(percent)
}

/// Every anomaly of one fund of `year`, as seen on `today` (Beijing date) at `now`.
pub fn anomalies(
    entries: &[EntryFacts],
    projects: &[ProjectFacts],
    year: i32,
    allocated: Money,
    balance: Money,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Vec<Anomaly> {
    let mut found = Vec::new();
    for e in entries {
        if e.kind == EntryKind::Expense
            && e.state != EntryState::Rejected
            && e.plan_period
                .is_none_or(|(from, to)| e.date < from || e.date > to)
        {
            found.push(Anomaly::OutsidePlanPeriod { entry_id: e.id });
        }
        let days = (now - e.recorded_at).num_days();
        if e.state == EntryState::Pending && days > PENDING_DAYS_LIMIT {
            found.push(Anomaly::PendingTooLong {
                entry_id: e.id,
                days,
            });
        }
        if e.decided_by == Some(e.recorded_by) && e.state == EntryState::Posted {
            found.push(Anomaly::SamePerson { entry_id: e.id });
        }
    }
    for p in projects {
        if above_share(p.spent, p.earmarked, BUDGET_WARNING_PERCENT) {
            found.push(Anomaly::NearBudget {
                project_id: p.project_id,
            });
        }
    }
    let year_ended = NaiveDate::from_ymd_opt(year, 12, 31).is_some_and(|end| today > end);
    if year_ended && above_share(balance, allocated, SURPLUS_PERCENT) {
        found.push(Anomaly::YearEndSurplus { balance });
    }
    found
}
