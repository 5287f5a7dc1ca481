//! Objections on the clerk's side: recording an oral or written objection on a household's
//! behalf during the notice period, and answering each objection in writing (upheld or not).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::commands::{self, NotFiled, ObjectionText};
use super::domain;
use super::routes::{acting, base, load, manage_page};
use super::states::{AnswerOutcome, ObjectionChannel};
use crate::error::AppResult;
use crate::validation::FieldErrors;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::guards::Clerk;
use crate::web::page::{Page, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/staff/v/{village}/notices/{notice}/objections",
        web::post().to(record_objection),
    )
    .route(
        "/staff/v/{village}/notices/{notice}/objections/{objection}/answer",
        web::post().to(answer),
    );
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OnBehalfForm {
    number: String,
    channel: String,
    body: String,
}

/// Back to the notice's page (reloaded: it may have moved on) with why the form was refused.
async fn refused(
    p: Page,
    clerk: Clerk,
    state: &AppState,
    notice_id: i64,
    message: &'static str,
) -> AppResult<HttpResponse> {
    let notice = load(state, &clerk.village, notice_id).await?;
    // Out of period is the notice moving on (409); anything else is the form (422).
    let status = if message == NotFiled::OutOfPeriod.message_key() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let errors = FieldErrors::new();
    manage_page(
        p,
        state,
        clerk.village,
        notice,
        errors,
        Some((status, message)),
    )
    .await
}

async fn record_objection(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<OnBehalfForm>,
) -> AppResult<HttpResponse> {
    let notice_id = path.1;
    if let Some(message) = bad.message() {
        return refused(p, clerk, &state, notice_id, message).await;
    }
    let Some(channel) = ObjectionChannel::parse_on_behalf(&form.channel) else {
        return refused(p, clerk, &state, notice_id, "objection.error.channel").await;
    };
    if !domain::valid_text(&form.body, domain::OBJECTION_MAX) {
        return refused(p, clerk, &state, notice_id, "objection.error.text").await;
    }
    let text = ObjectionText {
        notice_id,
        channel,
        body: form.body.trim().to_string(),
    };
    let (by, number) = (acting(&clerk, addr), form.number.trim().to_string());
    let filed = state
        .db
        .tx(move |conn| commands::file_on_behalf(conn, &by, &number, &text))
        .await?;
    match filed {
        Ok(()) => Ok(see_other(&format!("{}/{notice_id}", base(&clerk.village)))),
        Err(not_filed) => refused(p, clerk, &state, notice_id, not_filed.message_key()).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AnswerForm {
    answer: String,
    upheld: String,
}

async fn answer(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    TypedForm(form, bad): TypedForm<AnswerForm>,
) -> AppResult<HttpResponse> {
    let (notice_id, objection_id) = (path.1, path.2);
    if let Some(message) = bad.message() {
        return refused(p, clerk, &state, notice_id, message).await;
    }
    if !domain::valid_text(&form.answer, domain::ANSWER_MAX) {
        return refused(p, clerk, &state, notice_id, "objection.error.answer").await;
    }
    let outcome = AnswerOutcome::of_upheld(form.upheld == "on");
    let (by, text) = (acting(&clerk, addr), form.answer.trim().to_string());
    state
        .db
        .tx(move |conn| commands::answer(conn, &by, notice_id, objection_id, &text, outcome))
        .await?;
    Ok(see_other(&format!("{}/{notice_id}", base(&clerk.village))))
}
