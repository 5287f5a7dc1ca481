//! Objections on the clerk's side: recording an oral or written objection on a household's
//! behalf during the notice period, and answering each objection in writing (upheld or not).

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::domain;
use super::routes::{base, load, manage_page};
use super::store::{self, Filing};
use crate::audit::{self, Action, Actor, Event};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::Form;
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

async fn record_objection(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<OnBehalfForm>,
) -> AppResult<HttpResponse> {
    let notice = load(&state, &clerk.village, path.1).await?;
    let channel = match form.channel.as_str() {
        "oral" => "oral",
        "written" => "written",
        _ => {
            return manage_page(
                p,
                &state,
                clerk.village,
                notice,
                FieldErrors::new(),
                Some("objection.error.channel"),
            )
            .await;
        }
    };
    if notice.phase(crate::db::now()) != domain::Phase::InPeriod {
        return manage_page(
            p,
            &state,
            clerk.village,
            notice,
            FieldErrors::new(),
            Some("objection.error.period"),
        )
        .await;
    }
    if !domain::valid_text(&form.body, domain::OBJECTION_MAX) {
        return manage_page(
            p,
            &state,
            clerk.village,
            notice,
            FieldErrors::new(),
            Some("objection.error.text"),
        )
        .await;
    }
    let (v, staff_id, notice_id, number, body) = (
        clerk.village.clone(),
        clerk.staff.id,
        notice.id,
        form.number.trim().to_string(),
        form.body.trim().to_string(),
    );
    let filed = state
        .db
        .tx(move |conn| {
            let Some((household_id, _)) =
                crate::households::store::find_for_login(conn, v.id, &number)?
            else {
                return Ok::<_, AppError>(false);
            };
            let id = store::file(
                conn,
                &Filing {
                    notice_id,
                    household_id,
                    channel,
                    body: &body,
                    recorded_by: Some(staff_id),
                },
                crate::db::now(),
            )?;
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::ObjectionFile,
                    format!("objection:{id}"),
                )
                .in_township(v.township_id)
                .from_address(&addr.0)
                .detail(format!(
                    "notice={notice_id} channel={channel} household={household_id}"
                )),
            )?;
            Ok(true)
        })
        .await?;
    if !filed {
        return manage_page(
            p,
            &state,
            clerk.village,
            notice,
            FieldErrors::new(),
            Some("objection.error.household"),
        )
        .await;
    }
    Ok(see_other(&format!("{}/{notice_id}", base(&clerk.village))))
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
    Form(form): Form<AnswerForm>,
) -> AppResult<HttpResponse> {
    let notice = load(&state, &clerk.village, path.1).await?;
    if !domain::valid_text(&form.answer, domain::ANSWER_MAX) {
        return manage_page(
            p,
            &state,
            clerk.village,
            notice,
            FieldErrors::new(),
            Some("objection.error.answer"),
        )
        .await;
    }
    let (v, staff_id, notice_id, objection_id) =
        (clerk.village.clone(), clerk.staff.id, notice.id, path.2);
    let upheld = form.upheld == "on";
    let text = form.answer.trim().to_string();
    // An objection of another notice (or none) is not found here, whatever its state.
    let known = state
        .db
        .run(move |conn| store::objections_of(conn, notice_id))
        .await?
        .iter()
        .any(|o| o.id == objection_id);
    if !known {
        return Err(AppError::NotFound);
    }
    state
        .db
        .tx(move |conn| {
            if !store::answer(
                conn,
                notice_id,
                objection_id,
                &text,
                upheld,
                staff_id,
                crate::db::now(),
            )? {
                return Err(AppError::Conflict("objection.error.answered"));
            }
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::ObjectionAnswer,
                    format!("objection:{objection_id}"),
                )
                .in_township(v.township_id)
                .from_address(&addr.0)
                .detail(format!("notice={notice_id} upheld={upheld}")),
            )?;
            Ok(())
        })
        .await?;
    Ok(see_other(&format!("{}/{notice_id}", base(&clerk.village))))
}
