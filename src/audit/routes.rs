//! The audit log pages for administrators and township auditors: newest first, a page at a
//! time, narrowed by who, what, when and result; and the same selection as a CSV file (the
//! download is itself recorded).

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{Action, Actor, Event, Filter, Outcome, StoredEvent, export, search};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::guards::AuditReader;
use crate::web::page::{Page, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/audit", web::get().to(audit_log))
        .route("/staff/audit/export.csv", web::get().to(export_csv));
}

const PAGE: i64 = 100;
/// The most rows one export holds; narrow the filter for more.
const EXPORT_LIMIT: i64 = 50_000;

/// The filter as typed in the form (all text, all optional).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct Query {
    before: String,
    who: String,
    what: String,
    result: String,
    from: String,
    to: String,
}

impl Query {
    /// The typed filter; a value that names nothing (an unknown action, a date that is no
    /// date) is a 422 rather than a silently wider search.
    fn filter(&self) -> AppResult<Filter> {
        let bad = || AppError::Unprocessable("audit.filter_invalid");
        fn text(s: &str) -> Option<&str> {
            Some(s.trim()).filter(|s| !s.is_empty())
        }
        let day = |s: &str| -> AppResult<Option<chrono::NaiveDateTime>> {
            text(s)
                .map(|d| crate::time::end_of_local_day(d).ok_or_else(bad))
                .transpose()
        };
        Ok(Filter {
            actor: text(&self.who)
                .map(|w| Actor::parse(w).map(|a| a.as_text()).ok_or_else(bad))
                .transpose()?,
            action: text(&self.what)
                .map(|w| Action::parse(w).ok_or_else(bad))
                .transpose()?,
            outcome: text(&self.result)
                .map(|r| Outcome::parse(r).ok_or_else(bad))
                .transpose()?,
            // A Beijing day starts 24 hours before it ends (no daylight saving since 1991).
            from: day(&self.from)?.map(|end| end - chrono::TimeDelta::days(1)),
            until: day(&self.to)?,
        })
    }

    /// The filter part of the query string, for the "older" and export links.
    fn filter_query(&self) -> String {
        [
            ("who", &self.who),
            ("what", &self.what),
            ("result", &self.result),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", crate::web::encode_query(v.trim())))
        .collect::<Vec<_>>()
        .join("&")
    }
}

#[derive(Template)]
#[template(path = "audit/log.html")]
struct LogPage {
    p: Page,
    events: Vec<StoredEvent>,
    older: Option<i64>,
    query: Query,
    actions: &'static [Action],
}

impl LogPage {
    fn when(&self, event: &StoredEvent) -> String {
        crate::i18n::format_time(self.p.locale, event.occurred_at)
    }
    fn filter_query(&self) -> String {
        self.query.filter_query()
    }
}

async fn audit_log(
    p: Page,
    reader: AuditReader,
    state: web::Data<AppState>,
    query: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let filter = query.filter()?;
    let before = query.before.parse::<i64>().ok();
    let townships = reader.townships;
    let events = state
        .db
        .run(move |conn| search(conn, &townships, &filter, before, PAGE))
        .await?;
    let older = (events.len() as i64 == PAGE)
        .then(|| events.last().map(|e| e.id))
        .flatten();
    render(&LogPage {
        p,
        events,
        older,
        query,
        actions: Action::ALL,
    })
}

/// The selected events as CSV. The log holds addresses and who did what: the download itself
/// is recorded.
async fn export_csv(
    reader: AuditReader,
    state: web::Data<AppState>,
    addr: ClientAddr,
    query: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let filter = query.filter()?;
    let (townships, reader_id) = (reader.townships, reader.staff.id);
    let detail = format!("filter={}", query.filter_query());
    let events = state
        .db
        .tx(move |conn| {
            let events = search(conn, &townships, &filter, None, EXPORT_LIMIT)?;
            let mut event = Event::ok(Actor::Staff(reader_id), Action::AuditExport, "audit")
                .from_address(&addr.0)
                .detail(format!("{detail} rows={}", events.len()));
            if let Some(t) = townships.first() {
                event = event.in_township(*t);
            }
            super::record(conn, event)?;
            Ok::<_, AppError>(events)
        })
        .await?;
    let body = export::to_csv(&events).map_err(|e| AppError::Internal(e.into()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"minyi-audit.csv\"",
        ))
        .body(body))
}
