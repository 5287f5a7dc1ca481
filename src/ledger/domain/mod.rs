//! Ledger rules, with no HTTP or SQL: what posted entries add up to, the scope rules an
//! expense must pass when recorded and again when posted, who may verify, the hash chain
//! ([`chain`]) and the auditor's anomalies ([`anomalies`]).

pub mod anomalies;
pub mod chain;
pub mod form;
pub mod states;

use chrono::NaiveDate;

pub use states::{EntryKind, EntryState, HashAlgorithm};

use crate::money::Money;
use crate::notices::domain::Gate;
use crate::projects::scope::SpendingScope;
use crate::projects::states::ProjectStatus;

/// A posted entry as balances see it. For a reversal, `project_id` and `reversed` are those of
/// the entry it undoes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Movement {
    pub kind: EntryKind,
    pub amount: Money,
    pub project_id: Option<i64>,
    pub reversed: Option<EntryKind>,
}

impl Movement {
    /// The kind whose total this entry changes, and whether it adds (true) or takes away.
    fn effect(&self) -> Option<(EntryKind, bool)> {
        match (self.kind, self.reversed) {
            (EntryKind::Allocation, _) => Some((EntryKind::Allocation, true)),
            (EntryKind::Expense, _) => Some((EntryKind::Expense, true)),
            (EntryKind::Reversal, Some(k @ (EntryKind::Allocation | EntryKind::Expense))) => {
                Some((k, false))
            }
            (EntryKind::Reversal, _) => None,
        }
    }
}

/// What a fund's posted entries add up to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub allocated: Money,
    pub spent: Money,
    pub balance: Money,
}

fn add(total: Money, amount: Money, adds: bool) -> Option<Money> {
    if adds {
        total.checked_add(amount)
    } else {
        total.checked_sub(amount)
    }
}

/// Allocations in minus expenses out, reversals undoing what they name; `None` on overflow.
pub fn totals(movements: &[Movement]) -> Option<Totals> {
    let mut t = Totals::default();
    for m in movements {
        match m.effect() {
            Some((EntryKind::Allocation, adds)) => t.allocated = add(t.allocated, m.amount, adds)?,
            Some((EntryKind::Expense, adds)) => t.spent = add(t.spent, m.amount, adds)?,
            _ => {}
        }
    }
    t.balance = t.allocated.checked_sub(t.spent)?;
    Some(t)
}

/// A project's earmarked-fund spending: its expenses minus their reversals.
pub fn project_spent(movements: &[Movement], project_id: i64) -> Option<Money> {
    let mut spent = Money::ZERO;
    for m in movements
        .iter()
        .filter(|m| m.project_id == Some(project_id))
    {
        if let Some((EntryKind::Expense, adds)) = m.effect() {
            spent = add(spent, m.amount, adds)?;
        }
    }
    Some(spent)
}

/// The statuses in which a project may spend.
pub const SPENDING_STATUSES: [ProjectStatus; 4] = [
    ProjectStatus::Cleared,
    ProjectStatus::InProgress,
    ProjectStatus::Completed,
    ProjectStatus::Accepted,
];

/// Why an entry may not be recorded or posted; each is a sentence for the clerk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No project of this village with that id.
    NoProject,
    /// The project's status does not allow spending.
    Status(ProjectStatus),
    /// The council has approved no plan.
    NoPlan,
    /// The plan's notice does not clear it (not published, in period, objections).
    NotCleared,
    /// The project's earmarked spending would exceed the plan's earmarked part.
    OverBudget { earmarked: Money, spent: Money },
    /// The fund's balance would go below zero.
    OverBalance { balance: Money },
    /// The sums overflow.
    Overflow,
}

impl Refusal {
    pub fn message_key(self) -> &'static str {
        match self {
            Refusal::NoProject => "ledger.refusal.no_project",
            Refusal::Status(_) => "ledger.refusal.status",
            Refusal::NoPlan => "ledger.refusal.no_plan",
            Refusal::NotCleared => "ledger.refusal.not_cleared",
            Refusal::OverBudget { .. } => "ledger.refusal.over_budget",
            Refusal::OverBalance { .. } => "ledger.refusal.over_balance",
            Refusal::Overflow => "ledger.refusal.overflow",
        }
    }

    /// The stored name, for the audit event's detail.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::NoProject => "no_project",
            Refusal::Status(_) => "status",
            Refusal::NoPlan => "no_plan",
            Refusal::NotCleared => "not_cleared",
            Refusal::OverBudget { .. } => "over_budget",
            Refusal::OverBalance { .. } => "over_balance",
            Refusal::Overflow => "overflow",
        }
    }
}

/// The scope rules of an expense of `amount` for `scope` (None: no such project in the
/// village), given the project's spending so far and the fund's balance. Every reason found,
/// empty when the expense is within scope.
pub fn expense_refusals(
    scope: Option<&SpendingScope>,
    project_spent: Money,
    balance: Money,
    amount: Money,
) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    match scope {
        None => refusals.push(Refusal::NoProject),
        Some(s) => {
            if !SPENDING_STATUSES.contains(&s.status) {
                refusals.push(Refusal::Status(s.status));
            }
            match &s.plan {
                None => refusals.push(Refusal::NoPlan),
                Some(plan) => match project_spent.checked_add(amount) {
                    Some(after) if after <= plan.earmarked => {}
                    Some(_) => refusals.push(Refusal::OverBudget {
                        earmarked: plan.earmarked,
                        spent: project_spent,
                    }),
                    None => refusals.push(Refusal::Overflow),
                },
            }
            if s.gate != Gate::Cleared {
                refusals.push(Refusal::NotCleared);
            }
        }
    }
    refusals.extend(outflow_refusal(balance, amount));
    refusals
}

/// Money going out (an expense, or the reversal of an allocation) may not take the balance
/// below zero.
pub fn outflow_refusal(balance: Money, amount: Money) -> Option<Refusal> {
    match balance.checked_sub(amount) {
        Some(after) if !after.is_negative() => None,
        Some(_) => Some(Refusal::OverBalance { balance }),
        None => Some(Refusal::Overflow),
    }
}

/// Whether an entry's posting takes money out of the fund.
pub fn is_outflow(kind: EntryKind, reversed: Option<EntryKind>) -> bool {
    matches!(
        (kind, reversed),
        (EntryKind::Expense, _) | (EntryKind::Reversal, Some(EntryKind::Allocation))
    )
}

/// Why a supervisor may not decide an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotDecidable {
    /// The supervisor recorded it: a second pair of eyes is someone else.
    OwnEntry,
    /// It was posted or rejected already.
    Decided,
}

/// Dual control: only a pending entry, only by someone other than its recorder.
pub fn may_decide(
    state: EntryState,
    recorded_by: i64,
    supervisor: i64,
) -> Result<(), NotDecidable> {
    if state != EntryState::Pending {
        Err(NotDecidable::Decided)
    } else if recorded_by == supervisor {
        Err(NotDecidable::OwnEntry)
    } else {
        Ok(())
    }
}

/// An entry as typed by the clerk, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryInput {
    pub kind: EntryKind,
    pub voucher: String,
    pub date: NaiveDate,
    pub payee: String,
    pub description: String,
    pub amount: Money,
    pub project_id: Option<i64>,
    pub reverses_id: Option<i64>,
}

/// Longest voucher number, payee and description accepted.
pub const VOUCHER_MAX: usize = 40;
pub const PAYEE_MAX: usize = 100;
pub const DESCRIPTION_MAX: usize = 500;

#[cfg(test)]
mod tests;
