//! Vouchers (凭证: invoices, receipts, photos of the goods) of ledger entries, in the shared
//! attachment store. The clerk attaches them while an entry waits for the second person, so the
//! supervisor verifies the entry with its vouchers in view; once the entry is posted or rejected
//! its vouchers never change (a database promise). Vouchers may name people and accounts, so
//! they are served to the village's clerks and supervisors only, never on the public pages.

use std::path::Path;

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;

use super::commands::Staff;
use super::domain::EntryState;
use super::store;
use crate::audit::{self, Action, Actor, Event};
use crate::db::schema::{attachments as at, ledger_vouchers as lv};
use crate::db::{DbConn, DbError, in_transaction};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::guards::{Clerk, ProjectStaff};
use crate::web::page::see_other;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/staff/v/{village}/funds/{fund}/entries/{entry}/vouchers",
        web::post().to(upload),
    )
    .route(
        "/staff/v/{village}/funds/{fund}/vouchers/{attachment}",
        web::get().to(serve),
    );
}

/// Whether an attachment is some entry's voucher.
pub fn is_voucher(conn: &mut DbConn, attachment_id: i64) -> Result<bool, DbError> {
    Ok(lv::table
        .filter(lv::attachment_id.eq(attachment_id))
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

/// The vouchers of `entries`: (entry id, attachment id, file name), in one query.
pub fn of_entries(conn: &mut DbConn, entries: &[i64]) -> Result<Vec<(i64, i64, String)>, DbError> {
    Ok(lv::table
        .inner_join(at::table.on(at::id.eq(lv::attachment_id)))
        .filter(lv::entry_id.eq_any(entries))
        .select((lv::entry_id, lv::attachment_id, at::file_name))
        .order((lv::entry_id, lv::attachment_id))
        .load(conn)?)
}

/// Stores a voucher and links it to a pending entry of the fund, under the fund's lock: a
/// decided entry takes no more vouchers (409); a wrong type is 422, an oversize file 413.
pub fn attach(
    conn: &mut DbConn,
    by: &Staff,
    data_dir: &Path,
    fund_id: i64,
    entry_id: i64,
    file_name: &str,
    bytes: &[u8],
) -> Result<i64, AppError> {
    in_transaction(conn, |conn| {
        let fund = store::lock_fund(conn, by.village.id, fund_id)?.ok_or(AppError::NotFound)?;
        let entry = store::get_entry(conn, fund.id, entry_id)?.ok_or(AppError::NotFound)?;
        if entry.state != EntryState::Pending {
            return Err(AppError::Conflict("ledger.voucher.error.decided"));
        }
        let id = crate::attachments::store::save(
            conn,
            data_dir,
            by.village.id,
            by.staff_id,
            file_name,
            bytes,
        )?;
        diesel::insert_into(lv::table)
            .values((lv::entry_id.eq(entry.id), lv::attachment_id.eq(id)))
            .execute(conn)?;
        audit::record(
            conn,
            Event::ok(
                Actor::Staff(by.staff_id),
                Action::LedgerVoucher,
                format!("ledger_entry:{}", entry.id),
            )
            .in_township(by.village.township_id)
            .from_address(&by.address)
            .detail(format!("attachment={id}")),
        )?;
        Ok(id)
    })
}

async fn upload(
    req: HttpRequest,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let (_, fund, entry) = path.into_inner();
    let up = crate::attachments::routes::read_upload(&req, payload).await?;
    let (name, bytes) = up
        .file
        .ok_or(AppError::Unprocessable("attachment.error.empty"))?;
    let by = super::routes::acting(&clerk.staff, &clerk.village, addr);
    let back = format!("/staff/v/{}/funds/{fund}#entry-{entry}", clerk.village.code);
    let data_dir = state.settings.data_dir.clone();
    state
        .db
        .run(move |conn| attach(conn, &by, &data_dir, fund, entry, &name, &bytes))
        .await?;
    Ok(see_other(&back))
}

/// A voucher for the village's clerks and supervisors; 404 for anything that is not a voucher
/// of this fund.
async fn serve(
    g: ProjectStaff,
    state: web::Data<AppState>,
    path: web::Path<(String, i64, i64)>,
) -> AppResult<HttpResponse> {
    let (_, fund_id, attachment) = path.into_inner();
    let village_id = g.village.id;
    let found = state
        .db
        .run(move |conn| {
            let fund = store::get_fund(conn, village_id, fund_id)?.ok_or(AppError::NotFound)?;
            let linked: i64 = lv::table
                .inner_join(crate::db::schema::ledger_entries::table)
                .filter(
                    lv::attachment_id
                        .eq(attachment)
                        .and(crate::db::schema::ledger_entries::fund_id.eq(fund.id)),
                )
                .count()
                .get_result(conn)?;
            if linked == 0 {
                return Err(AppError::NotFound);
            }
            Ok::<_, AppError>(crate::attachments::store::get(
                conn, village_id, attachment,
            )?)
        })
        .await?
        .ok_or(AppError::NotFound)?;
    crate::attachments::routes::send(&state, found, "private, no-store").await
}
