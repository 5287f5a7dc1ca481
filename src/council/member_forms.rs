//! The forms a council member types on their meeting page: a recusal with its reason, a
//! refusal to sign the minutes in their own words, and the signature (their password). A form
//! refused comes back on the member's page as typed (never the password), with the message
//! beside the field, and nothing written.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::member::{base, meeting_member, member_page, who_of};
use super::member_commands;
use crate::auth::{self, Check};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::guards::StaffUser;
use crate::web::kept::Kept;
use crate::web::page::{Page, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/staff/v/{village}/council/{meeting}/motions/{motion}/recuse",
        web::post().to(recuse),
    )
    .route(
        "/staff/v/{village}/council/{meeting}/sign",
        web::post().to(sign),
    )
    .route(
        "/staff/v/{village}/council/{meeting}/refuse",
        web::post().to(refuse),
    );
}

/// The name of a motion's recusal form on the member's page (one per motion).
pub(super) fn recuse_form(motion: i64) -> String {
    format!("recuse-{motion}")
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct ReasonForm {
    reason: String,
}

/// The reason as typed, or `key` beside it.
fn reason_of(form: &ReasonForm, key: &'static str) -> Result<String, FieldErrors> {
    let mut errors = FieldErrors::new();
    if !crate::collection::domain::valid_reason(&form.reason) {
        errors.add("reason", key);
    }
    errors.into_result(form.reason.trim().to_string())
}

async fn recuse(
    p: Page,
    staff: StaffUser,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    TypedForm(form, bad): TypedForm<ReasonForm>,
) -> AppResult<HttpResponse> {
    let member = meeting_member(&state, staff, path.0.clone(), path.1).await?;
    let (who, meeting, motion) = (who_of(&member, &addr), path.1, path.2);
    let name = recuse_form(motion);
    let kept = match bad.check(reason_of(&form, "recusal.error.reason")) {
        Ok(reason) => match state
            .db
            .tx(move |conn| member_commands::recuse(conn, &who, meeting, motion, &reason))
            .await
        {
            Ok(()) => return Ok(see_other(&base(&member.village, meeting))),
            Err(err) => Kept::refused(name, &form, err)?,
        },
        Err(errors) => Kept::new(name, &form, errors),
    };
    let fresh = meeting_member(&state, member.staff, path.0.clone(), meeting).await?;
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    member_page(p, &state, fresh, status, None, kept).await
}

/// A member present refuses to sign the minutes, in their own words (拒签): recorded like the
/// clerk's record of a refusal (`minutes_commands::record_refusal`), with the member as recorder.
async fn refuse(
    p: Page,
    staff: StaffUser,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<ReasonForm>,
) -> AppResult<HttpResponse> {
    let member = meeting_member(&state, staff, path.0.clone(), path.1).await?;
    let (who, meeting) = (who_of(&member, &addr), path.1);
    let me = who.staff;
    let kept = match bad.check(reason_of(&form, "minutes.error.refusal_reason")) {
        Ok(reason) => match state
            .db
            .tx(move |conn| {
                super::minutes_commands::record_refusal(conn, &who, meeting, me, &reason)
            })
            .await
        {
            Ok(()) => return Ok(see_other(&base(&member.village, meeting))),
            Err(err) => Kept::refused("refuse", &form, err)?,
        },
        Err(errors) => Kept::new("refuse", &form, errors),
    };
    let fresh = meeting_member(&state, member.staff, path.0.clone(), meeting).await?;
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    member_page(p, &state, fresh, status, None, kept).await
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct SignForm {
    password: String,
    /// The SHA-256 of the minutes text the member was shown.
    minutes_hash: String,
}

async fn sign(
    p: Page,
    staff: StaffUser,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<SignForm>,
) -> AppResult<HttpResponse> {
    let member = meeting_member(&state, staff, path.0.clone(), path.1).await?;
    // The password is never shown again, whatever happens.
    let shown = SignForm {
        password: String::new(),
        minutes_hash: form.minutes_hash.clone(),
    };
    // Text that had to be cleaned is not what the member typed: the password is not tried.
    let checked = bad
        .check(Ok(()))
        .map_err(|errors| Kept::new("sign", &shown, errors));
    let answer = match checked {
        Err(kept) => Err(kept),
        Ok(()) => {
            let name = member.staff.username.clone();
            let record = state
                .db
                .run(move |conn| crate::accounts::store::find_for_login(conn, &name))
                .await?;
            match auth::check_secret(
                &state,
                format!("staff:{}", member.staff.username),
                &addr.0,
                record.map(|r| r.password_hash),
                form.password,
            )
            .await?
            {
                Check::Accepted => Ok(()),
                Check::Rejected => {
                    let mut errors = FieldErrors::new();
                    errors.add("password", "minutes.error.password");
                    Err(Kept::new("sign", &shown, errors))
                }
                Check::Locked => return Err(AppError::TooManyRequests),
            }
        }
    };
    if let Err(kept) = answer {
        let fresh = meeting_member(&state, member.staff, path.0.clone(), path.1).await?;
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return member_page(p, &state, fresh, status, None, kept).await;
    }
    let (who, meeting, hash) = (who_of(&member, &addr), path.1, form.minutes_hash);
    let signed = state
        .db
        .tx(move |conn| member_commands::sign_minutes(conn, &who, meeting, &hash))
        .await;
    match signed {
        Ok(()) => Ok(see_other(&base(&member.village, path.1))),
        // The minutes changed since they were shown: say so and show the current text.
        Err(AppError::Conflict(key)) if key == "minutes.error.changed" => {
            let fresh = meeting_member(&state, member.staff, path.0.clone(), path.1).await?;
            let status = StatusCode::CONFLICT;
            member_page(p, &state, fresh, status, Some(key), Kept::default()).await
        }
        Err(other) => match Kept::refused("sign", &shown, other) {
            Ok(kept) => {
                let fresh = meeting_member(&state, member.staff, path.0.clone(), path.1).await?;
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                member_page(p, &state, fresh, status, None, kept).await
            }
            Err(other) => Err(other),
        },
    }
}
