//! Minutes on the clerk's side: written from the record once the meeting has closed (and
//! rewritten until the first member signs), and, once signed and locked, corrected only by a new linked record.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::minutes_commands;
use super::routes::{base, who_of};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::Form;
use crate::web::guards::Clerk;
use crate::web::page::see_other;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/staff/v/{village}/meetings/{meeting}/minutes",
        web::post().to(write_minutes),
    )
    .route(
        "/staff/v/{village}/meetings/{meeting}/correction",
        web::post().to(correct_minutes),
    )
    .route(
        "/staff/v/{village}/meetings/{meeting}/refusal",
        web::post().to(record_refusal),
    );
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RefusalForm {
    member: String,
    reason: String,
}

/// The clerk records a member's refusal to sign, with the member's reason (拒签).
async fn record_refusal(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<RefusalForm>,
) -> AppResult<HttpResponse> {
    if !crate::collection::domain::valid_reason(&form.reason) {
        return Err(AppError::Unprocessable("minutes.error.refusal_reason"));
    }
    let member = form
        .member
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::Unprocessable("minutes.error.refusal_not_present"))?;
    let (who, meeting, reason) = (
        who_of(&clerk, &addr),
        path.1,
        form.reason.trim().to_string(),
    );
    state
        .db
        .tx(move |conn| minutes_commands::record_refusal(conn, &who, meeting, member, &reason))
        .await?;
    Ok(see_other(&base(&clerk.village, path.1)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MinutesForm {
    notes: String,
    /// Staff id of the member who chaired the meeting.
    chair: String,
    /// Staff id of the member who recorded it; empty for the clerk writing the minutes.
    recorder: String,
}

async fn write_minutes(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<MinutesForm>,
) -> AppResult<HttpResponse> {
    let who = who_of(&clerk, &addr);
    let (meeting, notes) = (path.1, form.notes.trim().to_string());
    let chair = form
        .chair
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::Unprocessable("minutes.error.chair"))?;
    let recorder = match form.recorder.trim() {
        "" => None,
        id => Some(
            id.parse::<i64>()
                .map_err(|_| AppError::Unprocessable("minutes.error.recorder"))?,
        ),
    };
    let named = minutes_commands::Named { chair, recorder };
    state
        .db
        .tx(move |conn| minutes_commands::write_minutes(conn, &who, meeting, named, &notes))
        .await?;
    Ok(see_other(&base(&clerk.village, path.1)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CorrectionForm {
    text: String,
    /// The one-time token of the meeting page (its motion form is gone once the meeting closed).
    once: String,
}

/// Signed minutes never change; a correction is a new record that links them (see
/// `minutes_commands::correct_minutes`).
async fn correct_minutes(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<CorrectionForm>,
) -> AppResult<HttpResponse> {
    let text = form.text.trim().to_string();
    if text.is_empty() || text.chars().count() > 5000 {
        return Err(AppError::Unprocessable("minutes.error.correction"));
    }
    let (who, meeting) = (who_of(&clerk, &addr), path.1);
    let once = form.once;
    let page = state
        .db
        .tx(move |conn| minutes_commands::correct_minutes(conn, &who, meeting, &text, &once))
        .await?;
    Ok(see_other(&page))
}
