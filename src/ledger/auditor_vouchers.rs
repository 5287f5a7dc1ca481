//! Vouchers (凭证) for the township auditor: the files behind a fund's entries, opened from the
//! auditor's fund page. Only a voucher of a fund in one of the auditor's townships is served
//! (404 otherwise, as for anything that is not that fund's voucher); vouchers are never public,
//! so each opening is audited, in the same transaction that reads it.

use actix_web::{HttpResponse, web};

use super::store;
use crate::audit::{self, Action, Actor, Event};
use crate::db::schema::{ledger_entries as le, ledger_vouchers as lv};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::guards::AuditReader;
use diesel::prelude::*;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/staff/ledger/funds/{fund}/vouchers/{attachment}",
        web::get().to(serve),
    );
}

async fn serve(
    reader: AuditReader,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (fund_id, attachment) = path.into_inner();
    let (townships, reader_id) = (reader.townships, reader.staff.id);
    let found = state
        .db
        .tx(move |conn| {
            let fund = store::funds_of_townships(conn, &townships)?
                .into_iter()
                .map(|row| row.0)
                .find(|f| f.id == fund_id)
                .ok_or(AppError::NotFound)?;
            let entry: Option<i64> = lv::table
                .inner_join(le::table)
                .filter(
                    lv::attachment_id
                        .eq(attachment)
                        .and(le::fund_id.eq(fund.id)),
                )
                .select(lv::entry_id)
                .first(conn)
                .optional()?;
            let entry = entry.ok_or(AppError::NotFound)?;
            let file = crate::attachments::store::get(conn, fund.village_id, attachment)?
                .ok_or(AppError::NotFound)?;
            let mut event = Event::ok(
                Actor::Staff(reader_id),
                Action::LedgerVoucherRead,
                format!("fund:{}", fund.id),
            )
            .detail(format!("entry={entry} attachment={attachment}"))
            .from_address(&addr.0);
            if let Some(t) = townships.first() {
                event = event.in_township(*t);
            }
            audit::record(conn, event)?;
            Ok::<_, AppError>(file)
        })
        .await?;
    crate::attachments::routes::send(&state, found, "private, no-store").await
}
