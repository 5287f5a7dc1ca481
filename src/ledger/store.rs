//! Funds and entries in the database. [`lock_fund`] locks a fund's row: every write to a fund
//! (recording, posting, rejecting) takes it first, so two postings never read the same chain
//! head. Kinds, states and algorithms are enums from here on.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::domain::chain::Canonical;
use super::domain::{EntryKind, EntryState, HashAlgorithm};
use crate::db::schema::{funds as f, ledger_entries as e, villages as v};
use crate::db::{DbConn, DbError};
use crate::money::Money;

type FundRow = (
    i64,
    i64,
    i32,
    String,
    String,
    i64,
    String,
    i64,
    NaiveDateTime,
);

#[derive(Clone, Debug)]
pub struct Fund {
    pub id: i64,
    pub village_id: i64,
    pub year: i32,
    pub name: String,
    pub source: String,
    /// The allocation as planned (what the tranches are expected to add up to).
    pub allocation: Money,
    pub algorithm: HashAlgorithm,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

fn fund(r: FundRow) -> Result<Fund, DbError> {
    let algorithm = HashAlgorithm::parse(&r.6)
        .ok_or_else(|| DbError::unknown("funds", r.0, "hash_algorithm", &r.6))?;
    Ok(Fund {
        id: r.0,
        village_id: r.1,
        year: r.2,
        name: r.3,
        source: r.4,
        allocation: Money::from_fen(r.5),
        algorithm,
        created_by: r.7,
        created_at: r.8,
    })
}

macro_rules! fund_columns {
    () => {
        (
            f::id,
            f::village_id,
            f::year,
            f::name,
            f::source,
            f::allocation_fen,
            f::hash_algorithm,
            f::created_by,
            f::created_at,
        )
    };
}

/// Reads a fund of the village and locks it until the caller's transaction ends (PostgreSQL
/// `FOR UPDATE`; SQLite's `BEGIN IMMEDIATE` already holds the database).
pub fn lock_fund(conn: &mut DbConn, village_id: i64, id: i64) -> Result<Option<Fund>, DbError> {
    let q = f::table
        .filter(f::id.eq(id).and(f::village_id.eq(village_id)))
        .select(fund_columns!());
    let row: Option<FundRow> = match conn {
        DbConn::Pg(c) => q.for_update().first(c).optional()?,
        DbConn::Sqlite(c) => q.first(c).optional()?,
    };
    row.map(fund).transpose()
}

/// A fund of the village, unlocked.
pub fn get_fund(conn: &mut DbConn, village_id: i64, id: i64) -> Result<Option<Fund>, DbError> {
    let row: Option<FundRow> = f::table
        .filter(f::id.eq(id).and(f::village_id.eq(village_id)))
        .select(fund_columns!())
        .first(conn)
        .optional()?;
    row.map(fund).transpose()
}

/// The village's funds, newest year first.
pub fn funds_of(conn: &mut DbConn, village_id: i64) -> Result<Vec<Fund>, DbError> {
    let rows: Vec<FundRow> = f::table
        .filter(f::village_id.eq(village_id))
        .select(fund_columns!())
        .order(f::year.desc())
        .load(conn)?;
    rows.into_iter().map(fund).collect()
}

/// Every fund, by id (`minyi verify`).
pub fn all_funds(conn: &mut DbConn) -> Result<Vec<Fund>, DbError> {
    let rows: Vec<FundRow> = f::table.select(fund_columns!()).order(f::id).load(conn)?;
    rows.into_iter().map(fund).collect()
}

/// Every fund of the villages of `townships`, with the village's code and name.
pub fn funds_of_townships(
    conn: &mut DbConn,
    townships: &[i64],
) -> Result<Vec<(Fund, String, String)>, DbError> {
    let rows: Vec<(FundRow, String, String)> = f::table
        .inner_join(v::table.on(v::id.eq(f::village_id)))
        .filter(v::township_id.eq_any(townships))
        .select((fund_columns!(), v::code, v::name))
        .order((v::code, f::year.desc()))
        .load(conn)?;
    rows.into_iter()
        .map(|(r, code, name)| Ok((fund(r)?, code, name)))
        .collect()
}

pub fn fund_year_taken(conn: &mut DbConn, village_id: i64, year: i32) -> Result<bool, DbError> {
    Ok(diesel::select(diesel::dsl::exists(
        f::table.filter(f::village_id.eq(village_id).and(f::year.eq(year))),
    ))
    .get_result(conn)?)
}

/// A new fund's row.
pub struct NewFund<'a> {
    pub village_id: i64,
    pub year: i32,
    pub name: &'a str,
    pub source: &'a str,
    pub allocation: Money,
    pub algorithm: HashAlgorithm,
    pub created_by: i64,
}

pub fn insert_fund(conn: &mut DbConn, n: &NewFund<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(f::table)
        .values((
            f::village_id.eq(n.village_id),
            f::year.eq(n.year),
            f::name.eq(n.name),
            f::source.eq(n.source),
            f::allocation_fen.eq(n.allocation.fen()),
            f::hash_algorithm.eq(n.algorithm.as_str()),
            f::created_by.eq(n.created_by),
            f::created_at.eq(crate::db::now()),
        ))
        .returning(f::id)
        .get_result(conn)?)
}

type EntryRow = (
    (
        i64,
        i64,
        String,
        String,
        String,
        NaiveDate,
        String,
        String,
        i64,
    ),
    (Option<i64>, Option<i64>, i64, NaiveDateTime, Option<i64>),
    (
        Option<NaiveDateTime>,
        Option<String>,
        Option<i64>,
        Option<String>,
        Option<String>,
    ),
);

macro_rules! entry_columns {
    () => {
        (
            (
                e::id,
                e::fund_id,
                e::kind,
                e::state,
                e::voucher,
                e::entry_date,
                e::payee,
                e::description,
                e::amount_fen,
            ),
            (
                e::project_id,
                e::reverses_id,
                e::recorded_by,
                e::recorded_at,
                e::decided_by,
            ),
            (
                e::decided_at,
                e::reject_reason,
                e::seq,
                e::prev_hash,
                e::hash,
            ),
        )
    };
}

/// An entry as stored.
#[derive(Clone, Debug)]
pub struct Entry {
    pub id: i64,
    pub fund_id: i64,
    pub kind: EntryKind,
    pub state: EntryState,
    pub voucher: String,
    pub date: NaiveDate,
    pub payee: String,
    pub description: String,
    pub amount: Money,
    pub project_id: Option<i64>,
    pub reverses_id: Option<i64>,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
    pub decided_by: Option<i64>,
    pub decided_at: Option<NaiveDateTime>,
    pub reject_reason: Option<String>,
    pub seq: Option<i64>,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

fn entry(r: EntryRow) -> Result<Entry, DbError> {
    let ((id, fund_id, kind, state, voucher, date, payee, description, amount), b, c) = r;
    let kind = EntryKind::parse(&kind)
        .ok_or_else(|| DbError::unknown("ledger_entries", id, "kind", &kind))?;
    let state = EntryState::parse(&state)
        .ok_or_else(|| DbError::unknown("ledger_entries", id, "state", &state))?;
    Ok(Entry {
        id,
        fund_id,
        kind,
        state,
        voucher,
        date,
        payee,
        description,
        amount: Money::from_fen(amount),
        project_id: b.0,
        reverses_id: b.1,
        recorded_by: b.2,
        recorded_at: b.3,
        decided_by: b.4,
        decided_at: c.0,
        reject_reason: c.1,
        seq: c.2,
        prev_hash: c.3,
        hash: c.4,
    })
}

fn entries(rows: Vec<EntryRow>) -> Result<Vec<Entry>, DbError> {
    rows.into_iter().map(entry).collect()
}

impl Entry {
    /// The canonical form the chain hashes, for a posted entry (`reverses_seq` is the sequence
    /// number of the entry a reversal undoes).
    pub fn canonical(&self, reverses_seq: Option<i64>) -> Option<Canonical<'_>> {
        Some(Canonical {
            fund_id: self.fund_id,
            seq: self.seq?,
            kind: self.kind,
            voucher: &self.voucher,
            date: self.date,
            payee: &self.payee,
            description: &self.description,
            amount: self.amount,
            project_id: self.project_id,
            reverses_seq,
            recorded_by: self.recorded_by,
            recorded_at: self.recorded_at,
            verified_by: self.decided_by?,
            verified_at: self.decided_at?,
        })
    }
}

/// An entry of the fund.
pub fn get_entry(conn: &mut DbConn, fund_id: i64, id: i64) -> Result<Option<Entry>, DbError> {
    let row: Option<EntryRow> = e::table
        .filter(e::id.eq(id).and(e::fund_id.eq(fund_id)))
        .select(entry_columns!())
        .first(conn)
        .optional()?;
    row.map(entry).transpose()
}

/// Entries of the fund in a state, by sequence (posted) or by recording time (others).
pub fn entries_in(
    conn: &mut DbConn,
    fund_id: i64,
    state: EntryState,
) -> Result<Vec<Entry>, DbError> {
    let q = e::table
        .filter(e::fund_id.eq(fund_id).and(e::state.eq(state.as_str())))
        .select(entry_columns!());
    let rows: Vec<EntryRow> = match state {
        EntryState::Posted => q.order(e::seq).load(conn)?,
        _ => q.order(e::id).load(conn)?,
    };
    entries(rows)
}

/// Posted entries with `seq` above `after`, at most `limit`, in order: a page of the public
/// list, or the next piece of a chain being verified.
pub fn posted_after(
    conn: &mut DbConn,
    fund_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<Entry>, DbError> {
    let rows: Vec<EntryRow> = e::table
        .filter(
            e::fund_id
                .eq(fund_id)
                .and(e::state.eq(EntryState::Posted.as_str())),
        )
        .filter(e::seq.gt(after))
        .order(e::seq)
        .limit(limit)
        .select(entry_columns!())
        .load(conn)?;
    entries(rows)
}

/// Posted entries of the fund on a page: newest first.
pub fn posted_page(
    conn: &mut DbConn,
    fund_id: i64,
    offset: i64,
    limit: i64,
) -> Result<Vec<Entry>, DbError> {
    let rows: Vec<EntryRow> = e::table
        .filter(
            e::fund_id
                .eq(fund_id)
                .and(e::state.eq(EntryState::Posted.as_str())),
        )
        .order(e::seq.desc())
        .offset(offset)
        .limit(limit)
        .select(entry_columns!())
        .load(conn)?;
    entries(rows)
}

/// Every entry of the fund, posted first by sequence, then the others by id (CSV export).
pub fn all_entries(conn: &mut DbConn, fund_id: i64) -> Result<Vec<Entry>, DbError> {
    let rows: Vec<EntryRow> = e::table
        .filter(e::fund_id.eq(fund_id))
        .order((e::seq.is_null(), e::seq, e::id))
        .select(entry_columns!())
        .load(conn)?;
    entries(rows)
}

pub use super::entry_reads::{head, movements, pending_count, reversal_of, voucher_taken};
pub use super::entry_writes::{NewEntry, insert_entry, post, reject};
