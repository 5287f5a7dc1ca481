//! Objections on the clerk's side: recording an oral or written objection on a household's
//! behalf during the notice period, and answering each objection in writing (upheld or not).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

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
use crate::web::kept::Kept;
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

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct OnBehalfForm {
    number: String,
    channel: String,
    body: String,
}

/// The name of an objection's answer form on the notice's page (one per objection).
pub(super) fn answer_form(objection: i64) -> String {
    format!("answer-{objection}")
}

/// Back to the notice's page (reloaded: it may have moved on) with the form as typed, and why
/// the command refused it when it did.
async fn refused(
    p: Page,
    clerk: Clerk,
    state: &AppState,
    notice_id: i64,
    (kept, message): (Kept, Option<&'static str>),
) -> AppResult<HttpResponse> {
    let notice = load(state, &clerk.village, notice_id).await?;
    // Out of period is the notice moving on (409); anything else is the form (422).
    let message = message.map(|key| {
        let status = if key == NotFiled::OutOfPeriod.message_key() {
            StatusCode::CONFLICT
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        (status, key)
    });
    manage_page(p, state, clerk.village, notice, None, message, kept).await
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
    let mut errors = FieldErrors::new();
    let channel = ObjectionChannel::parse_on_behalf(&form.channel);
    if channel.is_none() {
        errors.add("channel", "objection.error.channel");
    }
    if !domain::valid_text(&form.body, domain::OBJECTION_MAX) {
        errors.add("body", "objection.error.text");
    }
    let checked = match channel {
        Some(channel) if errors.is_empty() => Ok(channel),
        _ => Err(errors),
    };
    let channel = match bad.check(checked) {
        Ok(channel) => channel,
        Err(errors) => {
            let kept = Kept::new("objections", &form, errors);
            return refused(p, clerk, &state, notice_id, (kept, None)).await;
        }
    };
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
        Err(not_filed) => {
            let kept = Kept::new("objections", &form, FieldErrors::new());
            let message = Some(not_filed.message_key());
            refused(p, clerk, &state, notice_id, (kept, message)).await
        }
    }
}

#[derive(Deserialize, Serialize, Default)]
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
    let mut errors = FieldErrors::new();
    if !domain::valid_text(&form.answer, domain::ANSWER_MAX) {
        errors.add("answer", "objection.error.answer");
    }
    if let Err(errors) = bad.check(errors.into_result(())) {
        let kept = Kept::new(answer_form(objection_id), &form, errors);
        return refused(p, clerk, &state, notice_id, (kept, None)).await;
    }
    let outcome = AnswerOutcome::of_upheld(form.upheld == "on");
    let (by, text) = (acting(&clerk, addr), form.answer.trim().to_string());
    state
        .db
        .tx(move |conn| commands::answer(conn, &by, notice_id, objection_id, &text, outcome))
        .await?;
    Ok(see_other(&format!("{}/{notice_id}", base(&clerk.village))))
}
