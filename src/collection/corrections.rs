//! Corrections a clerk makes to an open round, each only with a written reason and audited:
//! adding a household registered after opening to the roll, taking a household off the roll
//! (moved away, merged: its ballot is voided and its sessions end), and voiding a ballot (the
//! household may then cast again; voids are counted by reason with the results).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::commands;
use super::domain;
use super::routes::{acting, base, load_round, show_page};
use crate::error::AppResult;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::Form;
use crate::web::guards::Clerk;
use crate::web::page::{Page, see_other};

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

#[derive(Deserialize, Default)]
#[serde(default)]
struct NumberReason {
    number: String,
    reason: String,
}

/// What is wrong with the form itself (the round's state is the command's to check).
fn form_problem(form: &NumberReason) -> Option<&'static str> {
    if !domain::valid_reason(&form.reason) {
        Some("round.error.reason")
    } else if !crate::households::domain::valid_number(form.number.trim()) {
        Some("round.error.number")
    } else {
        None
    }
}

/// Which correction a form asks for.
#[derive(Clone, Copy)]
enum Correction {
    AddToRoll,
    RemoveFromRoll,
    Void,
}

/// Runs a correction and comes back to the round page, with the refusal if there was one.
async fn correct(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    round_id: i64,
    form: NumberReason,
    correction: Correction,
) -> AppResult<HttpResponse> {
    let refused = match form_problem(&form) {
        Some(problem) => Some((StatusCode::UNPROCESSABLE_ENTITY, problem)),
        None => {
            let by = acting(&clerk, addr);
            let (number, reason) = (
                form.number.trim().to_string(),
                form.reason.trim().to_string(),
            );
            state
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
                .await?
                .map(|refused| {
                    let status = if refused.is_conflict() {
                        StatusCode::CONFLICT
                    } else {
                        StatusCode::UNPROCESSABLE_ENTITY
                    };
                    (status, refused.message_key())
                })
        }
    };
    match refused {
        None => Ok(see_other(&base(&clerk.village, round_id))),
        Some(message) => {
            let round = load_round(&state, &clerk.village, round_id).await?;
            show_page(p, &state, clerk.village, round, Some(message)).await
        }
    }
}

async fn add_to_roll(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<NumberReason>,
) -> AppResult<HttpResponse> {
    correct(p, clerk, state, addr, path.1, form, Correction::AddToRoll).await
}

async fn void(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<NumberReason>,
) -> AppResult<HttpResponse> {
    correct(p, clerk, state, addr, path.1, form, Correction::Void).await
}

async fn remove_from_roll(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<NumberReason>,
) -> AppResult<HttpResponse> {
    correct(
        p,
        clerk,
        state,
        addr,
        path.1,
        form,
        Correction::RemoveFromRoll,
    )
    .await
}
