//! Minutes on the clerk's side: written from the record once the meeting has closed (and
//! rewritten until the first member signs), and, once signed and locked, corrected only by a new linked record.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::minutes_commands;
use super::routes::{base, show_page, who_of};
use crate::error::AppResult;
use crate::validation::FieldErrors;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::guards::Clerk;
use crate::web::kept::Kept;
use crate::web::page::{Page, see_other};

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

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct RefusalForm {
    member: String,
    reason: String,
}

/// The clerk records a member's refusal to sign, with the member's reason (拒签).
async fn record_refusal(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<RefusalForm>,
) -> AppResult<HttpResponse> {
    let mut errors = FieldErrors::new();
    if !crate::collection::domain::valid_reason(&form.reason) {
        errors.add("reason", "minutes.error.refusal_reason");
    }
    let member = form.member.trim().parse::<i64>();
    if member.is_err() {
        errors.add("member", "minutes.error.refusal_not_present");
    }
    let (who, meeting, reason) = (
        who_of(&clerk, &addr),
        path.1,
        form.reason.trim().to_string(),
    );
    let kept = match bad.check(errors.into_result(member.unwrap_or_default())) {
        Ok(member) => match state
            .db
            .tx(move |conn| minutes_commands::record_refusal(conn, &who, meeting, member, &reason))
            .await
        {
            Ok(()) => return Ok(see_other(&base(&clerk.village, meeting))),
            Err(err) => Kept::refused("refusal", &form, err)?,
        },
        Err(errors) => Kept::new("refusal", &form, errors),
    };
    show_page(p, clerk, &state, meeting, kept, Vec::new()).await
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct MinutesForm {
    notes: String,
    /// Staff id of the member who chaired the meeting.
    chair: String,
    /// Staff id of the member who recorded it; empty for the clerk writing the minutes.
    recorder: String,
}

/// The officers as typed, or the messages beside the fields.
fn named(form: &MinutesForm) -> Result<minutes_commands::Named, FieldErrors> {
    let mut errors = FieldErrors::new();
    let chair = form.chair.trim().parse::<i64>();
    if chair.is_err() {
        errors.add("chair", "minutes.error.chair");
    }
    let recorder = match form.recorder.trim() {
        "" => Ok(None),
        id => id.parse::<i64>().map(Some),
    };
    if recorder.is_err() {
        errors.add("recorder", "minutes.error.recorder");
    }
    match (chair, recorder) {
        (Ok(chair), Ok(recorder)) => Ok(minutes_commands::Named { chair, recorder }),
        _ => Err(errors),
    }
}

async fn write_minutes(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<MinutesForm>,
) -> AppResult<HttpResponse> {
    let who = who_of(&clerk, &addr);
    let (meeting, notes) = (path.1, form.notes.trim().to_string());
    let kept = match bad.check(named(&form)) {
        Ok(named) => match state
            .db
            .tx(move |conn| minutes_commands::write_minutes(conn, &who, meeting, named, &notes))
            .await
        {
            Ok(()) => return Ok(see_other(&base(&clerk.village, meeting))),
            Err(err) => Kept::refused("minutes", &form, err)?,
        },
        Err(errors) => Kept::new("minutes", &form, errors),
    };
    show_page(p, clerk, &state, meeting, kept, Vec::new()).await
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct CorrectionForm {
    text: String,
    /// The one-time token of the meeting page (its motion form is gone once the meeting closed).
    once: String,
}

/// Signed minutes never change; a correction is a new record that links them (see
/// `minutes_commands::correct_minutes`).
async fn correct_minutes(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<CorrectionForm>,
) -> AppResult<HttpResponse> {
    let text = form.text.trim().to_string();
    let mut errors = FieldErrors::new();
    if text.is_empty() || text.chars().count() > 5000 {
        errors.add("text", "minutes.error.correction");
    }
    let (who, meeting) = (who_of(&clerk, &addr), path.1);
    let once = form.once.clone();
    let kept = match bad.check(errors.into_result(text)) {
        Ok(text) => match state
            .db
            .tx(move |conn| minutes_commands::correct_minutes(conn, &who, meeting, &text, &once))
            .await
        {
            Ok(page) => return Ok(see_other(&page)),
            Err(err) => Kept::refused("correction", &form, err)?,
        },
        Err(errors) => Kept::new("correction", &form, errors),
    };
    show_page(p, clerk, &state, meeting, kept, Vec::new()).await
}
