//! The way back for a staff member who lost both the authenticator and the recovery codes: an
//! administrator resets another account's second factor (never its own: separation of duties,
//! as for roles) with a written reason, or, for the last administrator, `minyi reset-2fa` on
//! the server. One command does both: the secret and the recovery codes are deleted, the account
//! must enrol again at its next sign-in whatever its roles, every session of the account ends,
//! the holder is mailed when an address is known, and the audit event keeps the reason.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::admin::{ShowPage, load_one};
use super::notify::{self, Change as Notice};
use crate::audit::{self, Action, Actor, Event};
use crate::auth::{sessions, two_factor};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::guards::Admin;
use crate::web::page::{render_status, see_other};

/// The longest reason kept.
pub const REASON_MAX: usize = 500;

/// Who resets, and why.
pub struct Reset {
    pub by: Actor,
    pub staff_id: i64,
    pub reason: String,
    pub address: Option<String>,
    pub township: Option<i64>,
}

/// The reason as kept, or the field's message: written, and at most [`REASON_MAX`] characters.
pub fn checked_reason(reason: &str) -> Result<String, FieldErrors> {
    let reason = reason.trim();
    let mut errors = FieldErrors::new();
    if reason.is_empty() || reason.chars().count() > REASON_MAX {
        errors.add("reason", "account.reset_2fa.reason_error");
    }
    errors.into_result(reason.to_string())
}

/// The reset, in the caller's transaction: false when the account does not exist.
pub fn reset(conn: &mut DbConn, r: &Reset) -> Result<bool, AppError> {
    if !two_factor::reset(conn, r.staff_id)? {
        return Ok(false);
    }
    sessions::bump(conn, &sessions::staff(r.staff_id))?;
    notify::holder(conn, r.staff_id, Notice::SecondFactorReset, "")?;
    let mut event = Event::ok(
        r.by,
        Action::StaffResetSecondFactor,
        format!("staff:{}", r.staff_id),
    )
    .detail(format!("reason={}", r.reason));
    if let Some(address) = &r.address {
        event = event.from_address(address);
    }
    if let Some(t) = r.township {
        event = event.in_township(t);
    }
    audit::record(conn, event)?;
    Ok(true)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ReasonForm {
    reason: String,
}

pub(super) async fn reset_page(
    p: crate::web::page::Page,
    admin: Admin,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<i64>,
    TypedForm(form, bad): TypedForm<ReasonForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    if id == admin.staff.id {
        return Err(AppError::Conflict("account.error.own_2fa"));
    }
    let (index, account) = load_one(&state, &admin, id).await?;
    let reason = match bad.check(checked_reason(&form.reason)) {
        Ok(reason) => reason,
        Err(errors) => {
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ShowPage {
                    p,
                    index,
                    account,
                    is_self: false,
                    errors,
                    reason: form.reason,
                },
            );
        }
    };
    let township = account
        .roles
        .iter()
        .find_map(|r| index.place(r.2))
        .map(|pl| pl.township);
    let command = Reset {
        by: Actor::Staff(admin.staff.id),
        staff_id: id,
        reason,
        address: Some(addr.0),
        township,
    };
    if !state.db.tx(move |conn| reset(conn, &command)).await? {
        return Err(AppError::NotFound);
    }
    Ok(see_other(&format!("/staff/accounts/{id}")))
}

/// `minyi reset-2fa --username … --reason …`: the way back for the last administrator, who has
/// no other administrator to ask. Audited with the actor `cli`.
pub fn reset_from_cli(
    state: &AppState,
    username: &str,
    reason: &str,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    let reason = checked_reason(reason)
        .map_err(|_| anyhow::anyhow!("give --reason: why (1 to {REASON_MAX} characters)"))?;
    let mut conn = state.db.pool().get()?;
    let done = crate::db::in_transaction(&mut conn, |conn| {
        let Some(record) = super::store::find_for_login(conn, username)? else {
            return Ok::<_, AppError>(false);
        };
        let command = Reset {
            by: Actor::Cli,
            staff_id: record.id,
            reason,
            address: None,
            township: None,
        };
        reset(conn, &command)
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    anyhow::ensure!(done, "no staff account named {username}");
    writeln!(
        out,
        "minyi: the second factor of {username} was reset; it enrols again at its next sign-in"
    )?;
    Ok(())
}
