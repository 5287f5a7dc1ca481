//! The entry and fund forms as typed, and their checks (field by field, message keys).

use chrono::NaiveDate;
use serde::Deserialize;

use super::{DESCRIPTION_MAX, EntryInput, EntryKind, HashAlgorithm, PAYEE_MAX, VOUCHER_MAX};
use crate::money::Money;
use crate::validation::FieldErrors;

/// The entry form: every field text, as typed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct EntryForm {
    pub kind: String,
    pub voucher: String,
    pub date: String,
    pub payee: String,
    pub description: String,
    pub amount: String,
    pub project: String,
    pub reverses: String,
    pub once: String,
    pub csrf: String,
}

fn text_ok(text: &str, max: usize) -> bool {
    let t = text.trim();
    !t.is_empty() && t.chars().count() <= max && !t.chars().any(|c| c.is_control() && c != '\n')
}

fn id(text: &str) -> Option<i64> {
    text.trim().parse::<i64>().ok().filter(|id| *id > 0)
}

/// The checked entry, or the form's errors. An expense names a project; a reversal names the
/// entry it undoes (its amount, payee and project are taken from that entry when posted).
pub fn check_entry(form: &EntryForm) -> Result<EntryInput, FieldErrors> {
    let mut errors = FieldErrors::new();
    let kind = EntryKind::parse(form.kind.trim());
    if kind.is_none() {
        errors.add("kind", "ledger.error.kind");
    }
    if !text_ok(&form.voucher, VOUCHER_MAX) || form.voucher.contains('\n') {
        errors.add("voucher", "ledger.error.voucher");
    }
    let date = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d").ok();
    if date.is_none() {
        errors.add("date", "ledger.error.date");
    }
    if !text_ok(&form.payee, PAYEE_MAX) || form.payee.contains('\n') {
        errors.add("payee", "ledger.error.payee");
    }
    if !text_ok(&form.description, DESCRIPTION_MAX) {
        errors.add("description", "ledger.error.description");
    }
    let amount = Money::parse(&form.amount).filter(|m| m.fen() > 0);
    if amount.is_none() && kind != Some(EntryKind::Reversal) {
        errors.add("amount", "ledger.error.amount");
    }
    let project = id(&form.project);
    if kind == Some(EntryKind::Expense) && project.is_none() {
        errors.add("project", "ledger.error.project");
    }
    let reverses = id(&form.reverses);
    if kind == Some(EntryKind::Reversal) && reverses.is_none() {
        errors.add("reverses", "ledger.error.reverses");
    }
    match (kind, date) {
        (Some(kind), Some(date)) if errors.is_empty() => Ok(EntryInput {
            kind,
            voucher: form.voucher.trim().to_string(),
            date,
            payee: form.payee.trim().to_string(),
            description: form.description.trim().replace("\r\n", "\n"),
            amount: amount.unwrap_or(Money::ZERO),
            project_id: (kind == EntryKind::Expense).then_some(project).flatten(),
            reverses_id: (kind == EntryKind::Reversal).then_some(reverses).flatten(),
        }),
        _ => Err(errors),
    }
}

/// The fund form.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct FundForm {
    pub year: String,
    pub name: String,
    pub source: String,
    pub allocation: String,
    pub algorithm: String,
    pub once: String,
    pub csrf: String,
}

/// A checked fund.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FundInput {
    pub year: i32,
    pub name: String,
    pub source: String,
    pub allocation: Money,
    pub algorithm: HashAlgorithm,
}

pub fn check_fund(form: &FundForm) -> Result<FundInput, FieldErrors> {
    let mut errors = FieldErrors::new();
    let year = form
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y));
    if year.is_none() {
        errors.add("year", "ledger.error.year");
    }
    if !text_ok(&form.name, 100) || form.name.contains('\n') {
        errors.add("name", "ledger.error.name");
    }
    if !text_ok(&form.source, 200) || form.source.contains('\n') {
        errors.add("source", "ledger.error.source");
    }
    let allocation = Money::parse(&form.allocation);
    if allocation.is_none() {
        errors.add("allocation", "ledger.error.amount");
    }
    let algorithm = match form.algorithm.trim() {
        "" => Some(HashAlgorithm::Sha256),
        other => HashAlgorithm::parse(other),
    };
    if algorithm.is_none() {
        errors.add("algorithm", "ledger.error.algorithm");
    }
    match (year, allocation, algorithm) {
        (Some(year), Some(allocation), Some(algorithm)) if errors.is_empty() => Ok(FundInput {
            year,
            name: form.name.trim().to_string(),
            source: form.source.trim().to_string(),
            allocation,
            algorithm,
        }),
        _ => Err(errors),
    }
}
