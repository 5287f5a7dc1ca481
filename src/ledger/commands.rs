//! Every change to the ledger, one command each: creating a fund (once per form), recording an
//! entry (the scope rules checked under the fund's and the project's locks; refusals audited),
//! posting it (dual control, the scope rules again, the chain head read under the fund's lock)
//! or rejecting it, and drafting the monthly statement. Each runs inside the caller's one
//! transaction.

use super::domain::chain::{from_hex, link, to_hex};
use super::domain::form::FundInput;
use super::domain::{
    self, EntryInput, EntryKind, NotDecidable, Refusal, expense_refusals, outflow_refusal,
};
use super::store::{self, Entry, Fund, NewEntry, NewFund};
use crate::audit::{self, Action, Actor, Event};
use crate::db::DbConn;
use crate::error::AppError;
use crate::money::Money;
use crate::projects::scope;
use crate::validation::FieldErrors;
use crate::villages::store::VillageRef;
use crate::web::once::{self, Claim};

/// The staff member acting (a clerk recording, a supervisor deciding).
#[derive(Clone, Debug)]
pub struct Staff {
    pub staff_id: i64,
    pub village: VillageRef,
    pub address: String,
}

impl Staff {
    fn event(&self, action: Action, subject: String) -> Event<'_> {
        Event::ok(Actor::Staff(self.staff_id), action, subject)
            .in_township(self.village.township_id)
            .from_address(&self.address)
    }

    pub fn fund_path(&self, fund_id: i64) -> String {
        format!("/staff/v/{}/funds/{fund_id}", self.village.code)
    }
}

/// What a ledger command did.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Done: the page to go to.
    Done(String),
    /// A field is wrong in a way only the database can tell (a voucher number taken, a
    /// reversal naming what cannot be reversed).
    Invalid(FieldErrors),
    /// Out of scope: every reason. Audited as refused; nothing written.
    Refused(Vec<Refusal>),
    /// The supervisor recorded the entry (dual control). Audited as refused.
    OwnEntry,
    /// Posted or rejected already.
    Decided,
}

fn locked(conn: &mut DbConn, by: &Staff, fund_id: i64) -> Result<Fund, AppError> {
    store::lock_fund(conn, by.village.id, fund_id)?.ok_or(AppError::NotFound)
}

fn overflow() -> AppError {
    AppError::Unprocessable("ledger.refusal.overflow")
}

/// Creates a fund for a year of the village; a replay lands on it.
pub fn create_fund(
    conn: &mut DbConn,
    by: &Staff,
    input: &FundInput,
    token: &str,
) -> Result<Outcome, AppError> {
    if let Claim::Repeat(path) = once::claim(conn, "fund:create", token)? {
        let to = if path.is_empty() {
            format!("/staff/v/{}/funds", by.village.code)
        } else {
            path
        };
        return Ok(Outcome::Done(to));
    }
    if store::fund_year_taken(conn, by.village.id, input.year)? {
        let mut errors = FieldErrors::new();
        errors.add("year", "ledger.error.year_taken");
        return Ok(Outcome::Invalid(errors));
    }
    let id = store::insert_fund(
        conn,
        &NewFund {
            village_id: by.village.id,
            year: input.year,
            name: &input.name,
            source: &input.source,
            allocation: input.allocation,
            algorithm: input.algorithm,
            created_by: by.staff_id,
        },
    )?;
    audit::record(
        conn,
        by.event(Action::FundCreate, format!("fund:{id}"))
            .detail(format!("algorithm={}", input.algorithm.as_str())),
    )?;
    let path = by.fund_path(id);
    once::finish(conn, token, &path)?;
    Ok(Outcome::Done(path))
}

/// The balance and the project's spending as the posted entries give them now.
fn figures(
    conn: &mut DbConn,
    fund_id: i64,
    project: Option<i64>,
) -> Result<(Money, Money), AppError> {
    let moves: Vec<_> = store::movements(conn, fund_id)?
        .into_iter()
        .map(|m| m.0)
        .collect();
    let totals = domain::totals(&moves).ok_or_else(overflow)?;
    let spent = match project {
        Some(p) => domain::project_spent(&moves, p).ok_or_else(overflow)?,
        None => Money::ZERO,
    };
    Ok((totals.balance, spent))
}

/// The scope rules for an entry of `kind` with `amount`, under the fund's lock (the project's
/// row is locked here too). For a reversal, `target` is the entry it undoes.
fn refusals(
    conn: &mut DbConn,
    village_id: i64,
    fund_id: i64,
    kind: EntryKind,
    amount: Money,
    project_id: Option<i64>,
    target: Option<&Entry>,
) -> Result<Vec<Refusal>, AppError> {
    Ok(match kind {
        EntryKind::Allocation => Vec::new(),
        EntryKind::Expense => {
            let project = project_id.unwrap_or_default();
            let found = scope::lock(conn, village_id, project, crate::db::now())?;
            let (balance, spent) = figures(conn, fund_id, Some(project))?;
            expense_refusals(found.as_ref(), spent, balance, amount)
        }
        EntryKind::Reversal => {
            let undoes_allocation = target.is_some_and(|t| t.kind == EntryKind::Allocation);
            if undoes_allocation {
                let (balance, _) = figures(conn, fund_id, None)?;
                outflow_refusal(balance, amount).into_iter().collect()
            } else {
                Vec::new()
            }
        }
    })
}

fn refused_event<'a>(by: &'a Staff, subject: String, refusals: &[Refusal]) -> Event<'a> {
    let codes: Vec<&str> = refusals.iter().map(|r| r.code()).collect();
    by.event(Action::LedgerRecord, subject)
        .denied()
        .detail(format!("refused={}", codes.join(",")))
}

/// Records a pending entry after the scope rules; refused entries are audited and not written.
pub fn record(
    conn: &mut DbConn,
    by: &Staff,
    fund_id: i64,
    input: &EntryInput,
    token: &str,
) -> Result<Outcome, AppError> {
    let fund = locked(conn, by, fund_id)?;
    if let Claim::Repeat(path) = once::claim(conn, "ledger:record", token)? {
        let to = if path.is_empty() {
            by.fund_path(fund.id)
        } else {
            path
        };
        return Ok(Outcome::Done(to));
    }
    let mut errors = FieldErrors::new();
    if store::voucher_taken(conn, fund.id, &input.voucher)? {
        errors.add("voucher", "ledger.error.voucher_taken");
    }
    let mut amount = input.amount;
    let target = match input.reverses_id {
        Some(id) => {
            let target = store::get_entry(conn, fund.id, id)?
                .filter(|t| t.state == domain::EntryState::Posted && t.kind != EntryKind::Reversal);
            match &target {
                Some(t) if !store::reversal_of(conn, t.id)? => amount = t.amount,
                _ => errors.add("reverses", "ledger.error.reverses_target"),
            }
            target
        }
        None => None,
    };
    if !errors.is_empty() {
        return Ok(Outcome::Invalid(errors));
    }
    let subject = format!("fund:{}", fund.id);
    let found = refusals(
        conn,
        by.village.id,
        fund.id,
        input.kind,
        amount,
        input.project_id,
        target.as_ref(),
    )?;
    if !found.is_empty() {
        audit::record(conn, refused_event(by, subject, &found))?;
        return Ok(Outcome::Refused(found));
    }
    let id = store::insert_entry(
        conn,
        &NewEntry {
            fund_id: fund.id,
            kind: input.kind,
            voucher: &input.voucher,
            date: input.date,
            payee: &input.payee,
            description: &input.description,
            amount,
            project_id: input.project_id,
            reverses_id: target.as_ref().map(|t| t.id),
            recorded_by: by.staff_id,
            recorded_at: crate::db::now(),
        },
    )?;
    audit::record(
        conn,
        by.event(Action::LedgerRecord, format!("ledger_entry:{id}"))
            .detail(format!(
                "fund={} kind={} fen={}",
                fund.id,
                input.kind.as_str(),
                amount.fen()
            )),
    )?;
    let path = format!("{}#entry-{id}", by.fund_path(fund.id));
    once::finish(conn, token, &path)?;
    Ok(Outcome::Done(path))
}

/// Loads a pending entry for a decision and applies dual control; a refusal by dual control
/// is audited.
fn decidable(
    conn: &mut DbConn,
    by: &Staff,
    fund_id: i64,
    entry_id: i64,
    action: Action,
) -> Result<Result<(Fund, Entry), Outcome>, AppError> {
    let fund = locked(conn, by, fund_id)?;
    let entry = store::get_entry(conn, fund.id, entry_id)?.ok_or(AppError::NotFound)?;
    match domain::may_decide(entry.state, entry.recorded_by, by.staff_id) {
        Ok(()) => Ok(Ok((fund, entry))),
        Err(NotDecidable::Decided) => Ok(Err(Outcome::Decided)),
        Err(NotDecidable::OwnEntry) => {
            audit::record(
                conn,
                by.event(action, format!("ledger_entry:{entry_id}"))
                    .denied()
                    .detail("refused=own_entry"),
            )?;
            Ok(Err(Outcome::OwnEntry))
        }
    }
}

/// Posts (verifies) a pending entry: dual control, the scope rules again on what holds now,
/// then the next sequence number and `hash = H(prev_hash || canonical)` with the head read
/// under the fund's lock, so concurrent postings line up one after another.
pub fn post(
    conn: &mut DbConn,
    by: &Staff,
    fund_id: i64,
    entry_id: i64,
) -> Result<Outcome, AppError> {
    let (fund, entry) = match decidable(conn, by, fund_id, entry_id, Action::LedgerPost)? {
        Ok(found) => found,
        Err(outcome) => return Ok(outcome),
    };
    let target = match entry.reverses_id {
        Some(id) => store::get_entry(conn, fund.id, id)?,
        None => None,
    };
    let found = refusals(
        conn,
        by.village.id,
        fund.id,
        entry.kind,
        entry.amount,
        entry.project_id,
        target.as_ref(),
    )?;
    let subject = format!("ledger_entry:{}", entry.id);
    if !found.is_empty() {
        let codes: Vec<&str> = found.iter().map(|r| r.code()).collect();
        audit::record(
            conn,
            by.event(Action::LedgerPost, subject)
                .denied()
                .detail(format!("refused={}", codes.join(","))),
        )?;
        return Ok(Outcome::Refused(found));
    }
    let (last_seq, prev_hex) = store::head(conn, fund.id)?;
    let prev = from_hex(&prev_hex).ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!("fund {}: stored head is no hash", fund.id))
    })?;
    let mut posted = entry.clone();
    posted.seq = Some(last_seq + 1);
    posted.decided_by = Some(by.staff_id);
    posted.decided_at = Some(crate::db::now());
    let canonical = posted
        .canonical(target.as_ref().and_then(|t| t.seq))
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("entry {} not complete", entry.id)))?;
    let hash = to_hex(&link(fund.algorithm, &prev, canonical.text().as_bytes()));
    let at = canonical.verified_at;
    if !store::post(
        conn,
        entry.id,
        last_seq + 1,
        &prev_hex,
        &hash,
        by.staff_id,
        at,
    )? {
        return Ok(Outcome::Decided);
    }
    audit::record(
        conn,
        by.event(Action::LedgerPost, subject).detail(format!(
            "fund={} seq={} hash={hash}",
            fund.id,
            last_seq + 1
        )),
    )?;
    Ok(Outcome::Done(format!(
        "{}#entry-{}",
        by.fund_path(fund.id),
        entry.id
    )))
}

/// Rejects a pending entry with a reason (dual control as for posting).
pub fn reject(
    conn: &mut DbConn,
    by: &Staff,
    fund_id: i64,
    entry_id: i64,
    reason: &str,
) -> Result<Outcome, AppError> {
    let (fund, entry) = match decidable(conn, by, fund_id, entry_id, Action::LedgerReject)? {
        Ok(found) => found,
        Err(outcome) => return Ok(outcome),
    };
    if !store::reject(conn, entry.id, reason, by.staff_id, crate::db::now())? {
        return Ok(Outcome::Decided);
    }
    audit::record(
        conn,
        by.event(Action::LedgerReject, format!("ledger_entry:{}", entry.id)),
    )?;
    Ok(Outcome::Done(format!(
        "{}#entry-{}",
        by.fund_path(fund.id),
        entry.id
    )))
}

/// Runs `work` in one transaction (for the demo seed and tests that call commands directly).
pub fn in_tx<T>(
    conn: &mut DbConn,
    work: impl FnOnce(&mut DbConn) -> Result<T, AppError>,
) -> Result<T, AppError> {
    crate::db::in_transaction(conn, work)
}
