//! The audit log page for administrators and township auditors: newest first, a page at a time.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{StoredEvent, page};
use crate::error::AppResult;
use crate::web::AppState;
use crate::web::guards::AuditReader;
use crate::web::page::{Page, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/audit", web::get().to(audit_log));
}

const PAGE: i64 = 100;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Query {
    before: String,
}

#[derive(Template)]
#[template(path = "audit/log.html")]
struct LogPage {
    p: Page,
    events: Vec<StoredEvent>,
    older: Option<i64>,
}

impl LogPage {
    fn when(&self, event: &StoredEvent) -> String {
        crate::i18n::format_time(self.p.locale, event.occurred_at)
    }
}

async fn audit_log(
    p: Page,
    reader: AuditReader,
    state: web::Data<AppState>,
    query: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let before = query.before.parse::<i64>().ok();
    let townships = reader.townships;
    let events = state
        .db
        .run(move |conn| page(conn, &townships, before, PAGE))
        .await?;
    let older = (events.len() as i64 == PAGE)
        .then(|| events.last().map(|e| e.id))
        .flatten();
    render(&LogPage { p, events, older })
}
