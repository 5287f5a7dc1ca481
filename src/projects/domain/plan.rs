//! A plan's arithmetic and completeness: each budget line's amount is its unit price times its
//! quantity (in hundredths of the unit), the total is the sum of the lines, the funding sources
//! add up to exactly the total, the period runs forwards, and outsourced or engineering plans
//! name who drafted them (at least one household representative, supervisor and professional)
//! and how the contractor was chosen.

use chrono::NaiveDate;

use crate::money::Money;
use crate::projects::states::{FundingSource, ParticipantRole, PlanMethod};
use crate::validation::FieldErrors;

/// At most this many budget lines, funding sources or participants on one plan.
pub const MAX_LINES: usize = 50;
/// Longest item, unit, name or contractor text.
pub const MAX_TEXT: usize = 200;

/// A budget line as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineInput {
    pub item: String,
    pub quantity_hundredths: i64,
    pub unit: String,
    pub unit_price: Money,
}

/// A budget line with its amount computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub item: String,
    pub quantity_hundredths: i64,
    pub unit: String,
    pub unit_price: Money,
    pub amount: Money,
}

/// A plan as typed, before checking.
#[derive(Clone, Debug)]
pub struct PlanInput {
    pub method: PlanMethod,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub contractor_selection: String,
    pub lines: Vec<LineInput>,
    pub funding: Vec<(FundingSource, Money)>,
    pub participants: Vec<(ParticipantRole, String)>,
}

/// A checked plan, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidPlan {
    pub method: PlanMethod,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub contractor_selection: Option<String>,
    pub lines: Vec<Line>,
    pub total: Money,
    pub funding: Vec<(FundingSource, Money)>,
    pub participants: Vec<(ParticipantRole, String)>,
}

fn text_ok(s: &str) -> bool {
    let n = s.trim().chars().count();
    n > 0 && n <= MAX_TEXT
}

/// A budget line's amount: unit price × quantity (hundredths), rounded to the fen; `None` on
/// overflow.
pub fn line_amount(unit_price: Money, quantity_hundredths: i64) -> Option<Money> {
    unit_price.times_hundredths(quantity_hundredths)
}

/// Checks a plan; every problem is reported against its field.
pub fn check(input: PlanInput) -> Result<ValidPlan, FieldErrors> {
    let mut errors = FieldErrors::new();
    if input.starts_on > input.ends_on {
        errors.add("ends_on", "plan.error.dates");
    }
    let mut lines = Vec::new();
    if input.lines.is_empty() || input.lines.len() > MAX_LINES {
        errors.add("lines", "plan.error.lines");
    }
    for l in &input.lines {
        let amount = line_amount(l.unit_price, l.quantity_hundredths);
        match amount {
            Some(amount)
                if text_ok(&l.item)
                    && text_ok(&l.unit)
                    && l.quantity_hundredths > 0
                    && !l.unit_price.is_negative() =>
            {
                lines.push(Line {
                    item: l.item.trim().to_string(),
                    quantity_hundredths: l.quantity_hundredths,
                    unit: l.unit.trim().to_string(),
                    unit_price: l.unit_price,
                    amount,
                });
            }
            _ => {
                errors.add("lines", "plan.error.line");
                break;
            }
        }
    }
    let total = Money::sum(lines.iter().map(|l| l.amount));
    let funding: Vec<(FundingSource, Money)> = input
        .funding
        .into_iter()
        .filter(|(_, m)| m.fen() != 0)
        .collect();
    let distinct = FundingSource::ALL
        .iter()
        .all(|s| funding.iter().filter(|(f, _)| f == s).count() <= 1);
    let funded = Money::sum(funding.iter().map(|(_, m)| *m));
    match (total, funded) {
        (Some(t), Some(f))
            if t == f && distinct && funding.iter().all(|(_, m)| !m.is_negative()) => {}
        (None, _) => errors.add("lines", "plan.error.line"),
        _ => errors.add("funding", "plan.error.funding"),
    }
    let participants: Vec<(ParticipantRole, String)> = input
        .participants
        .into_iter()
        .filter(|(_, name)| !name.trim().is_empty())
        .map(|(r, name)| (r, name.trim().to_string()))
        .collect();
    if participants.len() > MAX_LINES || participants.iter().any(|(_, n)| !text_ok(n)) {
        errors.add("participants", "plan.error.participants");
    }
    let contractor = input.contractor_selection.trim().to_string();
    if input.method.needs_participants() {
        let has = |r: ParticipantRole| participants.iter().any(|(x, _)| *x == r);
        if !ParticipantRole::ALL.iter().all(|r| has(*r)) {
            errors.add("participants", "plan.error.participants");
        }
        if contractor.is_empty() || contractor.chars().count() > 2000 {
            errors.add("contractor_selection", "plan.error.contractor");
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ValidPlan {
        method: input.method,
        starts_on: input.starts_on,
        ends_on: input.ends_on,
        contractor_selection: (!contractor.is_empty()).then_some(contractor),
        lines,
        total: total.unwrap_or(Money::ZERO),
        funding,
        participants,
    })
}

/// A quantity in hundredths as typed back: 1250 → "12.5", 300 → "3".
pub fn quantity_text(hundredths: i64) -> String {
    let whole = hundredths / 100;
    let frac = (hundredths % 100).abs();
    match frac {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

/// A quantity as typed ("12.5", "3", "0.25") in hundredths; `None` unless positive with at
/// most two decimals.
pub fn parse_quantity(text: &str) -> Option<i64> {
    let t = text.trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || !frac.chars().all(|c| c.is_ascii_digit())
        || whole.len() > 12
    {
        return None;
    }
    let f: i64 = format!("{frac:0<2}").parse().ok()?;
    let q = whole
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(f)?;
    (q > 0).then_some(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn self_built() -> PlanInput {
        PlanInput {
            method: PlanMethod::SelfBuilt,
            starts_on: d("2026-12-01"),
            ends_on: d("2027-01-31"),
            contractor_selection: String::new(),
            lines: vec![
                LineInput {
                    item: "水泥".into(),
                    quantity_hundredths: 1250,
                    unit: "吨".into(),
                    unit_price: Money::from_fen(45_000),
                },
                LineInput {
                    item: "人工".into(),
                    quantity_hundredths: 300,
                    unit: "天".into(),
                    unit_price: Money::from_fen(20_000),
                },
            ],
            funding: vec![
                (FundingSource::Earmarked, Money::from_fen(500_000)),
                (FundingSource::VillageOwn, Money::from_fen(122_500)),
            ],
            participants: vec![],
        }
    }

    #[test]
    fn amounts_are_price_times_quantity_and_the_total_their_sum() {
        let plan = check(self_built()).unwrap();
        assert_eq!(plan.lines[0].amount, Money::from_fen(562_500));
        assert_eq!(plan.lines[1].amount, Money::from_fen(60_000));
        assert_eq!(plan.total, Money::from_fen(622_500));
    }

    #[test]
    fn funding_must_add_up_exactly() {
        let mut p = self_built();
        p.funding[1].1 = Money::from_fen(122_499);
        let e = check(p).unwrap_err();
        assert_eq!(e.get("funding"), Some("plan.error.funding"));
        let mut p = self_built();
        p.funding.push((FundingSource::Earmarked, Money::ZERO));
        assert!(check(p).is_ok(), "a zero source is left out");
        let mut p = self_built();
        p.funding = vec![
            (FundingSource::Earmarked, Money::from_fen(300_000)),
            (FundingSource::Earmarked, Money::from_fen(322_500)),
        ];
        assert!(check(p).is_err(), "a source counted twice");
    }

    #[test]
    fn quantities_read_and_print_in_hundredths() {
        assert_eq!(parse_quantity("12.5"), Some(1250));
        assert_eq!(parse_quantity("3"), Some(300));
        assert_eq!(parse_quantity("0.25"), Some(25));
        assert_eq!(parse_quantity("0"), None);
        assert_eq!(parse_quantity("1.234"), None);
        assert_eq!(parse_quantity("-1"), None);
        assert_eq!(quantity_text(1250), "12.5");
        assert_eq!(quantity_text(300), "3");
        assert_eq!(quantity_text(25), "0.25");
    }

    #[test]
    fn dates_run_forwards() {
        let mut p = self_built();
        p.ends_on = d("2026-11-30");
        assert_eq!(
            check(p).unwrap_err().get("ends_on"),
            Some("plan.error.dates")
        );
        let mut p = self_built();
        p.ends_on = p.starts_on;
        assert!(check(p).is_ok());
    }

    #[test]
    fn lines_need_text_and_a_positive_quantity() {
        let mut p = self_built();
        p.lines[0].quantity_hundredths = 0;
        assert!(check(p).is_err());
        let mut p = self_built();
        p.lines[0].item = " ".into();
        assert!(check(p).is_err());
        let mut p = self_built();
        p.lines.clear();
        assert_eq!(check(p).unwrap_err().get("lines"), Some("plan.error.lines"));
        let mut p = self_built();
        p.lines[0].unit_price = Money::from_fen(i64::MAX);
        assert!(check(p).is_err(), "overflow is refused, never wrapped");
    }

    #[test]
    fn outsourced_plans_name_who_drafted_them_and_the_contractor_choice() {
        let mut p = self_built();
        p.method = PlanMethod::Outsourced;
        let e = check(p.clone()).unwrap_err();
        assert_eq!(e.get("participants"), Some("plan.error.participants"));
        assert_eq!(e.get("contractor_selection"), Some("plan.error.contractor"));
        p.participants = vec![
            (ParticipantRole::HouseholdRep, "王五".into()),
            (ParticipantRole::Supervisor, "李四".into()),
        ];
        p.contractor_selection = "三家比价".into();
        assert!(check(p.clone()).is_err(), "no professional");
        p.participants
            .push((ParticipantRole::Professional, "赵工".into()));
        let ok = check(p).unwrap();
        assert_eq!(ok.contractor_selection.as_deref(), Some("三家比价"));
    }
}
