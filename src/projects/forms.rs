//! The forms of the projects' staff pages as typed, and their reading into the domain's inputs:
//! the plan (repeated rows of budget lines and participants, no JavaScript needed), progress,
//! inspection and acceptance. Money is typed in yuan, quantities with up to two decimals.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::domain::plan::{self, LineInput, PlanInput};
use super::domain::work::{AcceptanceResult, InspectionResult};
use super::states::{FundingSource, ParticipantRole, PlanMethod};
use super::work_commands::{AcceptanceInput, InspectionInput};
use crate::money::Money;
use crate::validation::FieldErrors;

/// Blank budget-line rows on the plan form.
pub const LINE_ROWS: usize = 6;
/// Blank participant rows on the plan and acceptance forms.
pub const PEOPLE_ROWS: usize = 6;

pub fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

fn yuan(text: &str) -> Option<Money> {
    if text.trim().is_empty() {
        return Some(Money::ZERO);
    }
    crate::money::parse_yuan(text.trim()).map(Money::from_fen)
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PlanForm {
    pub method: String,
    pub starts_on: String,
    pub ends_on: String,
    pub contractor_selection: String,
    pub item: Vec<String>,
    pub quantity: Vec<String>,
    pub unit: Vec<String>,
    pub price: Vec<String>,
    pub fund_earmarked: String,
    pub fund_village_own: String,
    pub fund_other: String,
    pub role: Vec<String>,
    pub person: Vec<String>,
    pub once: String,
}

impl PlanForm {
    /// The value of a repeated field at row `i`, or empty.
    pub fn at(list: &[String], i: usize) -> &str {
        list.get(i).map_or("", String::as_str)
    }

    /// Reads the form into the domain's input; fields that cannot be read are reported.
    pub fn read(&self) -> Result<PlanInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let method = PlanMethod::parse(&self.method);
        if method.is_none() {
            errors.add("method", "plan.error.method");
        }
        let starts = date(&self.starts_on);
        if starts.is_none() {
            errors.add("starts_on", "plan.error.date");
        }
        let ends = date(&self.ends_on);
        if ends.is_none() {
            errors.add("ends_on", "plan.error.date");
        }
        let mut lines = Vec::new();
        let rows = self
            .item
            .len()
            .max(self.quantity.len())
            .max(self.price.len());
        for i in 0..rows.min(plan::MAX_LINES + 1) {
            let (item, q, unit, price) = (
                Self::at(&self.item, i),
                Self::at(&self.quantity, i),
                Self::at(&self.unit, i),
                Self::at(&self.price, i),
            );
            if [item, q, unit, price].iter().all(|s| s.trim().is_empty()) {
                continue;
            }
            match (
                plan::parse_quantity(q),
                crate::money::parse_yuan(price.trim()),
            ) {
                (Some(quantity_hundredths), Some(fen)) => lines.push(LineInput {
                    item: item.to_string(),
                    quantity_hundredths,
                    unit: unit.to_string(),
                    unit_price: Money::from_fen(fen),
                }),
                _ => {
                    errors.add("lines", "plan.error.line");
                    break;
                }
            }
        }
        let mut funding = Vec::new();
        for (source, text) in [
            (FundingSource::Earmarked, &self.fund_earmarked),
            (FundingSource::VillageOwn, &self.fund_village_own),
            (FundingSource::Other, &self.fund_other),
        ] {
            match yuan(text) {
                Some(m) => funding.push((source, m)),
                None => errors.add("funding", "plan.error.funding"),
            }
        }
        let participants = people(&self.role, &self.person)
            .ok_or(())
            .unwrap_or_else(|_| {
                errors.add("participants", "plan.error.participants");
                Vec::new()
            });
        match (method, starts, ends, errors.is_empty()) {
            (Some(method), Some(starts_on), Some(ends_on), true) => Ok(PlanInput {
                method,
                starts_on,
                ends_on,
                contractor_selection: self.contractor_selection.clone(),
                lines,
                funding,
                participants,
            }),
            _ => Err(errors),
        }
    }
}

/// Participant rows: blank names are skipped; a named row needs a known role.
fn people(roles: &[String], names: &[String]) -> Option<Vec<(ParticipantRole, String)>> {
    let mut out = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if name.trim().is_empty() {
            continue;
        }
        let role = ParticipantRole::parse(PlanForm::at(roles, i))?;
        out.push((role, name.clone()));
    }
    Some(out)
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ProgressForm {
    pub reported_on: String,
    pub percent: String,
    pub body: String,
    pub once: String,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct InspectionForm {
    pub inspected_on: String,
    pub place: String,
    pub findings: String,
    pub result: String,
    pub follow_up: String,
    pub once: String,
}

impl InspectionForm {
    pub fn read(&self) -> Option<InspectionInput> {
        Some(InspectionInput {
            on: date(&self.inspected_on)?,
            place: self.place.clone(),
            findings: self.findings.clone(),
            result: InspectionResult::parse(&self.result)?,
            follow_up: self.follow_up.clone(),
        })
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AcceptanceForm {
    pub accepted_on: String,
    pub result: String,
    pub reasons: String,
    pub role: Vec<String>,
    pub person: Vec<String>,
    pub once: String,
}

impl AcceptanceForm {
    pub fn read(&self) -> Option<AcceptanceInput> {
        Some(AcceptanceInput {
            on: date(&self.accepted_on)?,
            result: AcceptanceResult::parse(&self.result)?,
            reasons: self.reasons.clone(),
            participants: people(&self.role, &self.person)?,
        })
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct TextForm {
    pub text: String,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct StatusForm {
    /// suspend, resume or cancel.
    pub action: String,
    pub reason: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OnceForm {
    pub once: String,
}
