//! The township auditor's workspace (乡镇审计 / 三资监管): every fund of the townships the auditor
//! holds in one table (allocated, spent, balance, pending, anomalies), a fund's ledger with its
//! anomalies, every entry with its hashes and the chain recomputed on demand, and the CSV export
//! (UTF-8 with BOM, spreadsheet-safe; columns in docs/ledger.md; the download is audited).

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::domain::anomalies::{self, Anomaly, EntryFacts, ProjectFacts};
use super::domain::chain::Verdict;
use super::store::{self, Entry, Fund};
use super::view::{self, Summary};
use crate::audit::export::{BOM, safe_cell};
use crate::audit::{self, Action, Actor, Event};
use crate::db::{DbConn, DbError};
use crate::error::{AppError, AppResult};
use crate::projects::scope;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::guards::AuditReader;
use crate::web::page::{Page, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/ledger", web::get().to(overview))
        .route("/staff/ledger/funds/{fund}", web::get().to(fund_page))
        .route(
            "/staff/ledger/funds/{fund}/export.csv",
            web::get().to(export_csv),
        );
}

/// A fund's anomalies as of now.
pub fn fund_anomalies(
    conn: &mut DbConn,
    fund: &Fund,
    s: &Summary,
) -> Result<Vec<Anomaly>, DbError> {
    let entries = store::all_entries(conn, fund.id)?;
    let mut periods = HashMap::new();
    for id in entries.iter().filter_map(|e| e.project_id) {
        if let std::collections::hash_map::Entry::Vacant(slot) = periods.entry(id) {
            slot.insert(
                scope::approved_plans(conn, &[id])?
                    .pop()
                    .map(|p| (p.starts_on, p.ends_on)),
            );
        }
    }
    let facts: Vec<EntryFacts> = entries
        .iter()
        .map(|e| EntryFacts {
            id: e.id,
            kind: e.kind,
            state: e.state,
            date: e.date,
            recorded_by: e.recorded_by,
            recorded_at: e.recorded_at,
            decided_by: e.decided_by,
            plan_period: e
                .project_id
                .and_then(|p| periods.get(&p).copied().flatten()),
        })
        .collect();
    let projects: Vec<ProjectFacts> = s
        .projects
        .iter()
        .map(|p| ProjectFacts {
            project_id: p.project_id,
            earmarked: p.budget,
            spent: p.spent,
        })
        .collect();
    Ok(anomalies::anomalies(
        &facts,
        &projects,
        fund.year,
        s.totals.allocated,
        s.totals.balance,
        view::today(),
        crate::db::now(),
    ))
}

/// One row of the overview.
struct Row {
    village_code: String,
    village_name: String,
    fund: Fund,
    s: Summary,
    pending: i64,
    anomalies: usize,
}

#[derive(Template)]
#[template(path = "ledger/auditor_list.html")]
struct OverviewPage {
    p: Page,
    rows: Vec<Row>,
}

async fn overview(
    p: Page,
    reader: AuditReader,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let townships = reader.townships;
    let rows = state
        .db
        .run(move |conn| {
            let mut rows = Vec::new();
            for (fund, code, name) in store::funds_of_townships(conn, &townships)? {
                let s = view::summary(conn, &fund)?;
                let anomalies = fund_anomalies(conn, &fund, &s)?.len();
                rows.push(Row {
                    pending: store::pending_count(conn, fund.id)?,
                    village_code: code,
                    village_name: name,
                    fund,
                    s,
                    anomalies,
                });
            }
            Ok::<_, DbError>(rows)
        })
        .await?;
    render(&OverviewPage { p, rows })
}

/// A fund of a village in one of the auditor's townships, else 404.
fn readable(conn: &mut DbConn, townships: &[i64], fund_id: i64) -> Result<Fund, AppError> {
    store::funds_of_townships(conn, townships)?
        .into_iter()
        .map(|r| r.0)
        .find(|f| f.id == fund_id)
        .ok_or(AppError::NotFound)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct FundQuery {
    verify: String,
}

#[derive(Template)]
#[template(path = "ledger/auditor_fund.html")]
struct FundPage {
    p: Page,
    fund: Fund,
    s: Summary,
    entries: Vec<Entry>,
    anomalies: Vec<Anomaly>,
    verdict: Option<Verdict>,
    /// The entries' vouchers: (entry id, attachment id, file name).
    vouchers: Vec<(i64, i64, String)>,
}

impl FundPage {
    /// The voucher files of one entry: (attachment id, file name).
    fn files_of(&self, entry: &i64) -> Vec<(i64, &str)> {
        self.vouchers
            .iter()
            .filter(|(e, _, _)| e == entry)
            .map(|(_, id, name)| (*id, name.as_str()))
            .collect()
    }
    fn anomaly_text(&self, a: &Anomaly) -> String {
        let key = a.message_key();
        match a {
            Anomaly::OutsidePlanPeriod { entry_id } | Anomaly::SamePerson { entry_id } => {
                self.p.t1(key, "entry", entry_id)
            }
            Anomaly::PendingTooLong { entry_id, days } => {
                self.p.t2(key, "entry", entry_id, "days", days)
            }
            Anomaly::NearBudget { project_id } => self.p.t1(key, "project", project_id),
            Anomaly::YearEndSurplus { balance } => self.p.t1(key, "balance", balance),
        }
    }
    fn verdict_text(&self) -> String {
        match &self.verdict {
            Some(Verdict::Intact { entries, head }) => {
                self.p
                    .t2("ledger.chain.intact", "entries", entries, "head", head)
            }
            Some(Verdict::Broken { seq, .. }) => self.p.t1("ledger.chain.broken", "seq", seq),
            None => String::new(),
        }
    }
    fn broken(&self) -> bool {
        matches!(self.verdict, Some(Verdict::Broken { .. }))
    }
}

async fn fund_page(
    p: Page,
    reader: AuditReader,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    query: web::Query<FundQuery>,
) -> AppResult<HttpResponse> {
    let (townships, fund_id, reader_id) = (reader.townships, path.into_inner(), reader.staff.id);
    let verify = !query.verify.is_empty();
    let page = state
        .db
        .tx(move |conn| {
            let fund = readable(conn, &townships, fund_id)?;
            let s = view::summary(conn, &fund)?;
            let anomalies = fund_anomalies(conn, &fund, &s)?;
            let verdict = if verify {
                let v = super::verify::verify_fund(conn, &fund, |_| {})?;
                let mut event = Event::ok(
                    Actor::Staff(reader_id),
                    Action::LedgerVerify,
                    format!("fund:{}", fund.id),
                )
                .detail(format!("{v:?}"));
                if let Some(t) = townships.first() {
                    event = event.in_township(*t);
                }
                audit::record(conn, event)?;
                Some(v)
            } else {
                None
            };
            let entries = store::all_entries(conn, fund.id)?;
            let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
            let vouchers = super::vouchers::of_entries(conn, &ids)?;
            Ok::<_, AppError>((fund, s, entries, anomalies, verdict, vouchers))
        })
        .await?;
    let (fund, s, entries, anomalies, verdict, vouchers) = page;
    render(&FundPage {
        p,
        fund,
        s,
        entries,
        anomalies,
        verdict,
        vouchers,
    })
}

/// The CSV columns, in order (documented in docs/ledger.md).
pub const CSV_COLUMNS: [&str; 18] = [
    "seq",
    "entry_id",
    "state",
    "kind",
    "voucher",
    "date",
    "payee",
    "description",
    "amount_fen",
    "amount_yuan",
    "project_id",
    "reverses_entry_id",
    "recorded_by",
    "recorded_at_utc",
    "decided_by",
    "decided_at_utc",
    "prev_hash",
    "hash",
];

/// The fund's entries as CSV: BOM, header row, one row per entry (posted in chain order first).
pub fn to_csv(entries: &[Entry]) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_COLUMNS)?;
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let time = |t: chrono::NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    for e in entries {
        w.write_record([
            opt(e.seq),
            e.id.to_string(),
            e.state.as_str().to_string(),
            e.kind.as_str().to_string(),
            safe_cell(&e.voucher),
            e.date.format("%Y-%m-%d").to_string(),
            safe_cell(&e.payee),
            safe_cell(&e.description),
            e.amount.fen().to_string(),
            e.amount.yuan_input(),
            opt(e.project_id),
            opt(e.reverses_id),
            e.recorded_by.to_string(),
            time(e.recorded_at),
            opt(e.decided_by),
            e.decided_at.map(time).unwrap_or_default(),
            e.prev_hash.clone().unwrap_or_default(),
            e.hash.clone().unwrap_or_default(),
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(format!("{BOM}{}", String::from_utf8_lossy(&bytes)))
}

async fn export_csv(
    reader: AuditReader,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (townships, fund_id, reader_id) = (reader.townships, path.into_inner(), reader.staff.id);
    let (fund, entries) = state
        .db
        .tx(move |conn| {
            let fund = readable(conn, &townships, fund_id)?;
            let entries = store::all_entries(conn, fund.id)?;
            let mut event = Event::ok(
                Actor::Staff(reader_id),
                Action::LedgerExport,
                format!("fund:{}", fund.id),
            )
            .from_address(&addr.0)
            .detail(format!("rows={}", entries.len()));
            if let Some(t) = townships.first() {
                event = event.in_township(*t);
            }
            audit::record(conn, event)?;
            Ok::<_, AppError>((fund, entries))
        })
        .await?;
    let body = to_csv(&entries).map_err(|e| AppError::Internal(e.into()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"minyi-fund-{}.csv\"", fund.id),
        ))
        .body(body))
}
