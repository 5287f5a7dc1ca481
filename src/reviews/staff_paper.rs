//! A clerk typing a household's paper response sheet: the household's 户号 and its ratings.
//! Written by the same command as a household's own response (one per household, the same
//! separate tables); the audit event names the clerk and the household, never the answers.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::prelude::*;

use super::ReviewError;
use super::commands::{Respond, respond, review_path};
use super::domain::{self, Rating, ResponseChannel, ReviewState};
use super::item_store::{self as items, Item};
use super::store::{self, Review};
use crate::error::{AppError, AppResult};
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::guards::Clerk;
use crate::web::page::{Page, render, render_status, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/staff/v/{village}/reviews/{review}/paper",
        web::get().to(form),
    )
    .route(
        "/staff/v/{village}/reviews/{review}/paper",
        web::post().to(enter),
    );
}

#[derive(Clone, Debug)]
struct Row {
    item: Item,
    rating: String,
    comment: String,
    error: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "reviews/paper.html")]
struct PaperPage {
    p: Page,
    village: VillageRef,
    review: Review,
    number: String,
    number_error: Option<&'static str>,
    message: Option<&'static str>,
    /// The previous sheet was saved (after the redirect).
    saved: bool,
    rows: Vec<Row>,
    ratings: &'static [Rating],
}

async fn load(state: &AppState, village_id: i64, id: i64) -> AppResult<(Review, Vec<Item>)> {
    state
        .db
        .run(move |conn| {
            let review = store::get(conn, village_id, id)?.ok_or(ReviewError::NotFound)?;
            let list = items::items(conn, id)?;
            Ok::<_, AppError>((review, list))
        })
        .await
}

fn rows(list: &[Item], typed: &HashMap<String, String>) -> Vec<Row> {
    list.iter()
        .map(|item| Row {
            item: item.clone(),
            rating: typed
                .get(&format!("rating-{}", item.id))
                .cloned()
                .unwrap_or_default(),
            comment: typed
                .get(&format!("comment-{}", item.id))
                .cloned()
                .unwrap_or_default(),
            error: None,
        })
        .collect()
}

#[derive(serde::Deserialize)]
struct Saved {
    #[serde(default)]
    entered: String,
}

async fn form(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
    query: web::Query<Saved>,
) -> AppResult<HttpResponse> {
    let (_, id) = path.into_inner();
    let (review, list) = load(&state, clerk.village.id, id).await?;
    if review.state != ReviewState::Open {
        return Err(ReviewError::NotOpen.into());
    }
    render(&PaperPage {
        p,
        village: clerk.village,
        review,
        number: String::new(),
        number_error: None,
        message: None,
        saved: query.entered == "1",
        rows: rows(&list, &HashMap::new()),
        ratings: Rating::ALL,
    })
}

async fn enter(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(typed, bad): TypedForm<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let (_, id) = path.into_inner();
    let (review, list) = load(&state, clerk.village.id, id).await?;
    let number = typed
        .get("number")
        .map(|n| n.trim().to_string())
        .unwrap_or_default();
    let ids: Vec<i64> = list.iter().map(|i| i.id).collect();
    let sent: Vec<(i64, String, String)> = rows(&list, &typed)
        .into_iter()
        .map(|r| (r.item.id, r.rating, r.comment))
        .collect();
    let checked = domain::validate_response(&ids, &sent);
    // Text that had to be cleaned is not what was on the sheet: its message comes first.
    let cleaned = |field: &str| bad.fields().iter().any(|f| f == field);
    let number_error = if cleaned("number") {
        bad.message()
    } else {
        number.is_empty().then_some("review.error.number")
    };
    let rows_cleaned = list.iter().any(|item| {
        cleaned(&format!("rating-{}", item.id)) || cleaned(&format!("comment-{}", item.id))
    });
    let answers = match (checked, number_error) {
        (Ok(answers), None) if bad.is_empty() => answers,
        (checked, number_error) => {
            let errors = checked.err().unwrap_or_default();
            let mut shown = rows(&list, &typed);
            for row in &mut shown {
                let id = row.item.id;
                row.error = if cleaned(&format!("rating-{id}")) || cleaned(&format!("comment-{id}"))
                {
                    bad.message()
                } else {
                    errors.iter().find(|(i, _)| *i == id).map(|(_, k)| *k)
                };
            }
            // A field of no row (nor the number) had to be cleaned: said above the sheet.
            let elsewhere = !bad.is_empty() && !cleaned("number") && !rows_cleaned;
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &PaperPage {
                    p,
                    village: clerk.village,
                    review,
                    number,
                    number_error,
                    message: if elsewhere { bad.message() } else { None },
                    saved: false,
                    rows: shown,
                    ratings: Rating::ALL,
                },
            );
        }
    };
    let village = clerk.village.clone();
    let staff_id = clerk.staff.id;
    let typed_number = number.clone();
    let written = state
        .db
        .tx(move |conn| {
            use crate::db::schema::households as h;
            let household: Option<i64> = h::table
                .filter(
                    h::village_id
                        .eq(village.id)
                        .and(h::number.eq(&typed_number)),
                )
                .select(h::id)
                .first(conn)
                .optional()?;
            let Some(household_id) = household else {
                return Err(AppError::Unprocessable("review.error.number_unknown"));
            };
            respond(
                conn,
                &Respond {
                    village_id: village.id,
                    township_id: village.township_id,
                    review_id: id,
                    household_id,
                    channel: ResponseChannel::Paper,
                    entered_by: Some(staff_id),
                    answers,
                    address: addr.0,
                },
            )
        })
        .await;
    let message = match written {
        Ok(()) => {
            return Ok(see_other(&format!(
                "{}/paper?entered=1",
                review_path(&clerk.village, id)
            )));
        }
        Err(AppError::Unprocessable(key)) | Err(AppError::Conflict(key)) => key,
        Err(other) => return Err(other),
    };
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &PaperPage {
            p,
            village: clerk.village,
            review,
            number,
            number_error: None,
            message: Some(message),
            saved: false,
            rows: rows(&list, &typed),
            ratings: Rating::ALL,
        },
    )
}
