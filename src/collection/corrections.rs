//! Corrections a clerk makes to an open round, each only with a written reason and audited:
//! adding a household registered after opening to the roll, taking a household off the roll
//! (moved away, merged: its ballot is voided and its sessions end), and voiding a ballot (the
//! household may then cast again; voids are counted by reason with the results).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::commands;
use super::domain;
use super::routes::{acting, base, load_round, show_page};
use crate::error::AppResult;
use crate::validation::FieldErrors;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::guards::Clerk;
use crate::web::kept::Kept;
use crate::web::page::{Page, see_other};
use crate::web::text::TextProblems;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/staff/v/{village}/rounds/{round}/roll",
        web::post().to(add_to_roll),
    )
    .route(
        "/staff/v/{village}/rounds/{round}/roll/remove",
        web::post().to(remove_from_roll),
    )
    .route(
        "/staff/v/{village}/rounds/{round}/void",
        web::post().to(void),
    );
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct NumberReason {
    number: String,
    reason: String,
}

/// What is wrong with the form itself (the round's state is the command's to check), beside
/// the field.
fn form_problems(form: &NumberReason) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if !crate::households::domain::valid_number(form.number.trim()) {
        errors.add("number", "round.error.number");
    }
    if !domain::valid_reason(&form.reason) {
        errors.add("reason", "round.error.reason");
    }
    errors
}

/// Which correction a form asks for.
#[derive(Clone, Copy)]
enum Correction {
    AddToRoll,
    RemoveFromRoll,
    Void,
}

impl Correction {
    /// The form's name on the round page.
    fn form(self) -> &'static str {
        match self {
            Correction::AddToRoll => "roll",
            Correction::RemoveFromRoll => "remove",
            Correction::Void => "void",
        }
    }
}

/// Runs a correction and comes back to the round page; when refused, with the form as typed
/// and why (beside the field, or above the page when the round does not allow it).
async fn correct(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    round_id: i64,
    (form, bad): (NumberReason, TextProblems),
    correction: Correction,
) -> AppResult<HttpResponse> {
    let (message, kept) = match bad.check(form_problems(&form).into_result(())) {
        Err(errors) => (None, Kept::new(correction.form(), &form, errors)),
        Ok(()) => {
            let by = acting(&clerk, addr);
            let (number, reason) = (
                form.number.trim().to_string(),
                form.reason.trim().to_string(),
            );
            let refused = state
                .db
                .tx(move |conn| match correction {
                    Correction::AddToRoll => {
                        commands::add_to_roll(conn, &by, round_id, &number, &reason)
                    }
                    Correction::RemoveFromRoll => {
                        commands::remove_from_roll(conn, &by, round_id, &number, &reason)
                    }
                    Correction::Void => commands::void(conn, &by, round_id, &number, &reason),
                })
                .await?;
            let Some(refused) = refused else {
                return Ok(see_other(&base(&clerk.village, round_id)));
            };
            let status = if refused.is_conflict() {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let kept = Kept::new(correction.form(), &form, FieldErrors::new());
            (Some((status, refused.message_key())), kept)
        }
    };
    let round = load_round(&state, &clerk.village, round_id).await?;
    show_page(p, &state, clerk.village, round, message, kept).await
}

async fn add_to_roll(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<NumberReason>,
) -> AppResult<HttpResponse> {
    let sent = (form, bad);
    correct(p, clerk, state, addr, path.1, sent, Correction::AddToRoll).await
}

async fn void(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<NumberReason>,
) -> AppResult<HttpResponse> {
    let sent = (form, bad);
    correct(p, clerk, state, addr, path.1, sent, Correction::Void).await
}

async fn remove_from_roll(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<NumberReason>,
) -> AppResult<HttpResponse> {
    let sent = (form, bad);
    correct(
        p,
        clerk,
        state,
        addr,
        path.1,
        sent,
        Correction::RemoveFromRoll,
    )
    .await
}
