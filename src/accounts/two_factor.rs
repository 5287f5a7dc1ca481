//! Two-factor sign-in pages. After a correct password, an account with a confirmed TOTP secret
//! waits at `/login/2fa` for a 6-digit code or a recovery code (throttled like passwords, each
//! code accepted once). `/staff/2fa` enrols: a QR code and the secret in base32, then the first
//! code confirms it and ten recovery codes are shown once. Administrators and auditors must
//! enrol before anything else (see `web::guards`); every other staff member may.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::store;
use crate::audit::{self, Action, Actor, Event};
use crate::auth::store as throttle_store;
use crate::auth::throttle::{self, Policy};
use crate::auth::{sessions, totp, two_factor};
use crate::db::{DbConn, DbError};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::guards::StaffUser;
use crate::web::page::{Page, render, render_status, see_other};
use crate::web::session::{self, Who};

/// Where a correct password waits for its second factor.
pub const SECOND_FACTOR_PAGE: &str = "/login/2fa";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/login/2fa", web::get().to(code_form))
        .route("/login/2fa", web::post().to(check_code))
        .route("/staff/2fa", web::get().to(enrol_form))
        .route("/staff/2fa", web::post().to(confirm));
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CodeForm {
    code: String,
}

#[derive(Template)]
#[template(path = "accounts/second_factor.html")]
struct CodePage {
    p: Page,
    message: Option<&'static str>,
}

async fn code_form(p: Page, session: Session) -> AppResult<HttpResponse> {
    if session::pending(&session).is_none() {
        return Ok(see_other("/login"));
    }
    render(&CodePage { p, message: None })
}

/// A stored secret that is not base32 is an error naming the row, never an empty key.
fn secret_bytes(staff_id: i64, secret: &str) -> Result<Vec<u8>, DbError> {
    totp::base32_decode(secret)
        .filter(|b| !b.is_empty())
        .ok_or_else(|| DbError::unknown("staff_totp", staff_id, "secret", "(not base32)"))
}

/// Whether `code` (a TOTP code or a recovery code) is accepted for the account, once.
fn accept(conn: &mut DbConn, staff_id: i64, code: &str) -> Result<Option<&'static str>, DbError> {
    let Some(enrolment) = two_factor::enrolment(conn, staff_id)?.filter(|e| e.confirmed) else {
        return Ok(None);
    };
    let secret = secret_bytes(staff_id, &enrolment.secret)?;
    let now = chrono::Utc::now().timestamp();
    if let Some(step) = totp::matching_step(&secret, code, now, enrolment.last_step) {
        return Ok(two_factor::use_step(conn, staff_id, step)?.then_some("totp"));
    }
    let hash = totp::recovery_hash(code);
    Ok(two_factor::use_recovery(conn, staff_id, &hash)?.then_some("recovery"))
}

enum Answer {
    Accepted(i64),
    Rejected,
    Locked,
}

async fn check_code(
    p: Page,
    session: Session,
    state: web::Data<AppState>,
    addr: ClientAddr,
    TypedForm(form, bad): TypedForm<CodeForm>,
) -> AppResult<HttpResponse> {
    let Some((who, next)) = session::pending(&session) else {
        return Ok(see_other("/login"));
    };
    let Who::Staff { id, .. } = who else {
        return Ok(see_other("/login"));
    };
    if let Some(message) = bad.message() {
        // Not what was typed: not tried, so no attempt is counted; the code is never shown.
        let page = CodePage {
            p,
            message: Some(message),
        };
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let code = form.code.trim().to_string();
    let answer = state
        .db
        .tx(move |conn| {
            // Counted before checking, like passwords: six codes in parallel get five checks.
            let key = format!("totp:{id}");
            let attempt = throttle_store::count(conn, &key, crate::db::now(), Policy::PER_ACCOUNT)?;
            let used = if throttle::may_check(attempt, Policy::PER_ACCOUNT) {
                accept(conn, id, &code)?
            } else {
                None
            };
            let mut event = Event::ok(
                Actor::Staff(id),
                Action::StaffTwoFactor,
                format!("staff:{id}"),
            )
            .from_address(&addr.0);
            if let Some(t) = store::home_township(conn, id)? {
                event = event.in_township(t);
            }
            let answer = match used {
                Some(method) => {
                    throttle_store::clear(conn, &key)?;
                    event = event.detail(format!("method={method}"));
                    Answer::Accepted(sessions::current(conn, &sessions::staff(id))?)
                }
                None if throttle::may_check(attempt, Policy::PER_ACCOUNT) => {
                    event = event.denied().detail("result=Rejected");
                    Answer::Rejected
                }
                None => {
                    event = event.denied().detail("result=Locked");
                    Answer::Locked
                }
            };
            audit::record(conn, event)?;
            Ok::<_, AppError>(answer)
        })
        .await?;
    let (status, message) = match answer {
        Answer::Accepted(epoch) => {
            session::sign_in(&session, &who, epoch)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
            return Ok(see_other(&next));
        }
        Answer::Rejected => (StatusCode::UNPROCESSABLE_ENTITY, "two_factor.wrong"),
        Answer::Locked => (StatusCode::TOO_MANY_REQUESTS, "login.locked"),
    };
    render_status(
        status,
        &CodePage {
            p,
            message: Some(message),
        },
    )
}

#[derive(Template)]
#[template(path = "accounts/two_factor.html")]
struct EnrolPage {
    p: Page,
    /// Already enrolled: nothing to show but that.
    enrolled: bool,
    required: bool,
    qr_svg: String,
    secret: String,
    message: Option<&'static str>,
    /// Shown once, right after confirming.
    recovery: Vec<String>,
}

fn qr_svg(text: &str) -> AppResult<String> {
    Ok(qrcode::QrCode::new(text.as_bytes())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("qr code: {e}")))?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

/// The enrolment page for the account's waiting secret (made now if none is waiting).
async fn enrol_page(
    p: Page,
    staff: &StaffUser,
    state: &AppState,
    status: StatusCode,
    message: Option<&'static str>,
) -> AppResult<HttpResponse> {
    let id = staff.id;
    let fresh = totp::new_secret();
    let secret = state
        .db
        .run(move |conn| two_factor::pending_secret(conn, id, &fresh))
        .await?;
    let required = two_factor::required(&staff.assignments);
    let page = match secret {
        None => EnrolPage {
            p,
            enrolled: true,
            required,
            qr_svg: String::new(),
            secret: String::new(),
            message,
            recovery: Vec::new(),
        },
        Some(secret) => EnrolPage {
            p,
            enrolled: false,
            required,
            qr_svg: qr_svg(&totp::otpauth_uri(&staff.username, &secret))?,
            secret,
            message,
            recovery: Vec::new(),
        },
    };
    render_status(status, &page)
}

async fn enrol_form(
    p: Page,
    staff: StaffUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    enrol_page(p, &staff, &state, StatusCode::OK, None).await
}

async fn confirm(
    p: Page,
    staff: StaffUser,
    state: web::Data<AppState>,
    addr: ClientAddr,
    TypedForm(form, bad): TypedForm<CodeForm>,
) -> AppResult<HttpResponse> {
    if let Some(message) = bad.message() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return enrol_page(p, &staff, &state, status, Some(message)).await;
    }
    let id = staff.id;
    let code = form.code.trim().to_string();
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| totp::recovery_hash(c)).collect();
    let confirmed = state
        .db
        .tx(move |conn| {
            let Some(waiting) = two_factor::enrolment(conn, id)?.filter(|e| !e.confirmed) else {
                return Ok::<_, AppError>(false);
            };
            let secret = secret_bytes(id, &waiting.secret)?;
            let now = chrono::Utc::now().timestamp();
            let Some(step) = totp::matching_step(&secret, &code, now, waiting.last_step) else {
                return Ok(false);
            };
            if !two_factor::confirm(conn, id, step, &hashes)? {
                return Ok(false);
            }
            let mut event = Event::ok(
                Actor::Staff(id),
                Action::StaffTwoFactorEnrol,
                format!("staff:{id}"),
            )
            .from_address(&addr.0);
            if let Some(t) = store::home_township(conn, id)? {
                event = event.in_township(t);
            }
            audit::record(conn, event)?;
            Ok(true)
        })
        .await?;
    if !confirmed {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return enrol_page(p, &staff, &state, status, Some("two_factor.wrong")).await;
    }
    render(&EnrolPage {
        p,
        enrolled: true,
        required: two_factor::required(&staff.assignments),
        qr_svg: String::new(),
        secret: String::new(),
        message: None,
        recovery: codes,
    })
}
