//! The ledger rules: balances, scope refusals, dual control, forms and anomalies.

use chrono::{NaiveDate, NaiveDateTime};

use super::anomalies::{Anomaly, EntryFacts, ProjectFacts, anomalies};
use super::form::{EntryForm, FundForm, check_entry, check_fund};
use super::*;
use crate::projects::scope::ApprovedPlan;

fn m(fen: i64) -> Money {
    Money::from_fen(fen)
}

fn mv(kind: EntryKind, fen: i64, project: Option<i64>, reversed: Option<EntryKind>) -> Movement {
    Movement {
        kind,
        amount: m(fen),
        project_id: project,
        reversed,
    }
}

#[test]
fn balances_count_allocations_in_expenses_out_and_reversals_undo() {
    use EntryKind::*;
    let moves = [
        mv(Allocation, 100_000, None, None),
        mv(Allocation, 50_000, None, None),
        mv(Expense, 30_000, Some(1), None),
        mv(Expense, 20_000, Some(2), None),
        mv(Reversal, 20_000, Some(2), Some(Expense)),
        mv(Reversal, 50_000, None, Some(Allocation)),
    ];
    let t = totals(&moves).unwrap();
    assert_eq!(t.allocated, m(100_000));
    assert_eq!(t.spent, m(30_000));
    assert_eq!(t.balance, m(70_000));
    assert_eq!(project_spent(&moves, 1), Some(m(30_000)));
    assert_eq!(project_spent(&moves, 2), Some(Money::ZERO));
    assert_eq!(project_spent(&moves, 3), Some(Money::ZERO));
    assert_eq!(totals(&[]), Some(Totals::default()));
    assert_eq!(
        totals(&[
            mv(Allocation, i64::MAX, None, None),
            mv(Allocation, 1, None, None)
        ]),
        None
    );
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn day(y: i32, mo: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, mo, d).unwrap()
}

fn scope(status: ProjectStatus, earmarked: Option<i64>, gate: Gate) -> SpendingScope {
    SpendingScope {
        project_id: 5,
        village_id: 1,
        title: "修路".into(),
        status,
        plan: earmarked.map(|e| ApprovedPlan {
            plan_id: 9,
            version: 1,
            starts_on: day(2026, 1, 1),
            ends_on: day(2026, 12, 31),
            total: m(e * 2),
            earmarked: m(e),
        }),
        gate,
    }
}

#[test]
fn an_expense_within_scope_passes() {
    for status in SPENDING_STATUSES {
        let s = scope(status, Some(10_000), Gate::Cleared);
        assert_eq!(expense_refusals(Some(&s), m(4_000), m(6_000), m(6_000)), []);
    }
}

#[test]
fn each_scope_rule_refuses_with_its_reason() {
    let ok = |s: SpendingScope| expense_refusals(Some(&s), m(0), m(100_000), m(1_000));
    assert_eq!(
        expense_refusals(None, m(0), m(100_000), m(1)),
        [Refusal::NoProject]
    );
    for status in [
        ProjectStatus::Approved,
        ProjectStatus::PlanDrafted,
        ProjectStatus::PlanApproved,
        ProjectStatus::InNotice,
        ProjectStatus::Suspended,
        ProjectStatus::Cancelled,
    ] {
        assert_eq!(
            ok(scope(status, Some(10_000), Gate::Cleared)),
            [Refusal::Status(status)]
        );
    }
    assert_eq!(
        ok(scope(ProjectStatus::Cleared, None, Gate::Cleared)),
        [Refusal::NoPlan]
    );
    for gate in [
        Gate::NotPublished,
        Gate::InPeriod {
            ends_at: at("2026-05-01 00:00"),
        },
        Gate::Unanswered { count: 1 },
        Gate::Upheld,
    ] {
        assert_eq!(
            ok(scope(ProjectStatus::InProgress, Some(10_000), gate)),
            [Refusal::NotCleared]
        );
    }
    let s = scope(ProjectStatus::Cleared, Some(10_000), Gate::Cleared);
    assert_eq!(
        expense_refusals(Some(&s), m(9_000), m(100_000), m(1_001)),
        [Refusal::OverBudget {
            earmarked: m(10_000),
            spent: m(9_000)
        }]
    );
    assert_eq!(
        expense_refusals(Some(&s), m(9_000), m(100_000), m(1_000)),
        []
    );
    assert_eq!(
        expense_refusals(Some(&s), m(0), m(999), m(1_000)),
        [Refusal::OverBalance { balance: m(999) }]
    );
    assert_eq!(
        expense_refusals(Some(&s), m(i64::MAX), m(100_000), m(1)),
        [Refusal::Overflow]
    );
    // Several reasons at once are all given.
    let bad = scope(ProjectStatus::Suspended, None, Gate::NotPublished);
    assert_eq!(expense_refusals(Some(&bad), m(0), m(0), m(1)).len(), 4);
}

#[test]
fn outflows_are_expenses_and_reversed_allocations() {
    assert!(is_outflow(EntryKind::Expense, None));
    assert!(is_outflow(EntryKind::Reversal, Some(EntryKind::Allocation)));
    assert!(!is_outflow(EntryKind::Reversal, Some(EntryKind::Expense)));
    assert!(!is_outflow(EntryKind::Allocation, None));
    assert_eq!(outflow_refusal(m(5), m(5)), None);
    assert_eq!(
        outflow_refusal(m(5), m(6)),
        Some(Refusal::OverBalance { balance: m(5) })
    );
}

#[test]
fn the_recorder_never_decides_their_own_entry() {
    assert_eq!(may_decide(EntryState::Pending, 1, 2), Ok(()));
    assert_eq!(
        may_decide(EntryState::Pending, 2, 2),
        Err(NotDecidable::OwnEntry)
    );
    assert_eq!(
        may_decide(EntryState::Posted, 1, 2),
        Err(NotDecidable::Decided)
    );
    assert_eq!(
        may_decide(EntryState::Rejected, 1, 2),
        Err(NotDecidable::Decided)
    );
}

fn form(kind: &str) -> EntryForm {
    EntryForm {
        kind: kind.into(),
        voucher: "记-1".into(),
        date: "2026-03-01".into(),
        payee: "建材店".into(),
        description: "水泥".into(),
        amount: "1,234.56".into(),
        project: "5".into(),
        reverses: String::new(),
        ..EntryForm::default()
    }
}

#[test]
fn entry_forms_are_checked_field_by_field() {
    let e = check_entry(&form("expense")).unwrap();
    assert_eq!(e.amount, m(123_456));
    assert_eq!(e.project_id, Some(5));
    let a = check_entry(&form("allocation")).unwrap();
    assert_eq!(a.project_id, None);
    for (field, change) in [
        (
            "kind",
            (|f: &mut EntryForm| f.kind = "gift".into()) as fn(&mut EntryForm),
        ),
        ("voucher", |f| f.voucher = " ".into()),
        ("date", |f| f.date = "2026-02-30".into()),
        ("payee", |f| f.payee = "a\nb".into()),
        ("description", |f| f.description = String::new()),
        ("amount", |f| f.amount = "-1".into()),
        ("amount", |f| f.amount = "0".into()),
        ("amount", |f| f.amount = "1.234".into()),
        ("project", |f| f.project = "x".into()),
    ] {
        let mut f = form("expense");
        change(&mut f);
        let errors = check_entry(&f).unwrap_err();
        assert!(errors.get(field).is_some(), "{field}");
    }
    let mut r = form("reversal");
    assert!(check_entry(&r).unwrap_err().get("reverses").is_some());
    r.reverses = "3".into();
    r.amount = String::new();
    assert_eq!(check_entry(&r).unwrap().reverses_id, Some(3));
}

#[test]
fn fund_forms_default_to_sha256_and_take_sm3() {
    let mut f = FundForm {
        year: "2026".into(),
        name: "2026年村级公共服务和社会管理专项资金".into(),
        source: "县财政".into(),
        allocation: "200000".into(),
        ..FundForm::default()
    };
    assert_eq!(check_fund(&f).unwrap().algorithm, HashAlgorithm::Sha256);
    f.algorithm = "sm3".into();
    assert_eq!(check_fund(&f).unwrap().algorithm, HashAlgorithm::Sm3);
    f.algorithm = "md5".into();
    assert!(check_fund(&f).unwrap_err().get("algorithm").is_some());
    f.algorithm = String::new();
    f.year = "26".into();
    assert!(check_fund(&f).unwrap_err().get("year").is_some());
}

fn facts(id: i64, kind: EntryKind, state: EntryState, date: NaiveDate) -> EntryFacts {
    EntryFacts {
        id,
        kind,
        state,
        date,
        recorded_by: 1,
        recorded_at: at("2026-06-01 00:00"),
        decided_by: (state != EntryState::Pending).then_some(2),
        plan_period: Some((day(2026, 3, 1), day(2026, 9, 30))),
    }
}

#[test]
fn anomalies_are_found_with_their_thresholds() {
    use EntryKind::Expense;
    let now = at("2026-07-02 00:00");
    let mut same = facts(4, Expense, EntryState::Posted, day(2026, 5, 1));
    same.decided_by = Some(1);
    let entries = [
        facts(1, Expense, EntryState::Posted, day(2026, 2, 28)),
        facts(2, Expense, EntryState::Posted, day(2026, 9, 30)),
        facts(3, Expense, EntryState::Pending, day(2026, 5, 1)),
        same,
    ];
    let projects = [
        ProjectFacts {
            project_id: 7,
            earmarked: m(1000),
            spent: m(901),
        },
        ProjectFacts {
            project_id: 8,
            earmarked: m(1000),
            spent: m(900),
        },
    ];
    let found = anomalies(
        &entries,
        &projects,
        2026,
        m(1000),
        m(101),
        day(2026, 7, 2),
        now,
    );
    assert_eq!(
        found,
        [
            Anomaly::OutsidePlanPeriod { entry_id: 1 },
            Anomaly::PendingTooLong {
                entry_id: 3,
                days: 31
            },
            Anomaly::SamePerson { entry_id: 4 },
            Anomaly::NearBudget { project_id: 7 },
        ]
    );
    let after_year = anomalies(&[], &[], 2026, m(1000), m(101), day(2027, 1, 1), now);
    assert_eq!(after_year, [Anomaly::YearEndSurplus { balance: m(101) }]);
    assert_eq!(
        anomalies(&[], &[], 2026, m(1000), m(100), day(2027, 1, 1), now),
        []
    );
}
