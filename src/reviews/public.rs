//! The public review pages: the village's published reviews, a review's results with SVG bar
//! charts and its flags, and the downloads anyone can recompute every rate from: per-item counts
//! (CSV with BOM, spreadsheet-safe, and JSON) and the anonymous answers (item, rating, date) in the order of their random ids. Nothing of a review is public before it is published.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Serialize;

use super::ReviewError;
use super::answer_store;
use super::domain::{Rating, ReviewState};
use super::flag_store::{self as flags, Flag};
use super::results::{self, Results};
use super::store::{self, Review};
use crate::audit::export::{BOM, safe_cell};
use crate::error::{AppError, AppResult};
use crate::villages::store::{VillageRef, find_village};
use crate::web::AppState;
use crate::web::page::{Page, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/v/{village}/reviews", web::get().to(list))
        .route("/v/{village}/reviews/{review}", web::get().to(show))
        .route(
            "/v/{village}/reviews/{review}/counts.csv",
            web::get().to(counts_csv),
        )
        .route(
            "/v/{village}/reviews/{review}/counts.json",
            web::get().to(counts_json),
        )
        .route(
            "/v/{village}/reviews/{review}/answers.csv",
            web::get().to(answers_csv),
        );
}

async fn village(state: &AppState, code: String) -> AppResult<VillageRef> {
    state
        .db
        .run(move |conn| find_village(conn, &code))
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "reviews/public_list.html")]
struct ListPage {
    p: Page,
    village: VillageRef,
    reviews: Vec<(Review, String)>,
}

async fn list(
    p: Page,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let village = village(&state, path.into_inner()).await?;
    let id = village.id;
    let reviews = state.db.run(move |conn| store::list(conn, id)).await?;
    let reviews = reviews
        .into_iter()
        .filter(|r| r.state == ReviewState::Published)
        .map(|r| {
            let label = super::routes::period_label(&p, &r);
            (r, label)
        })
        .collect();
    render(&ListPage {
        p,
        village,
        reviews,
    })
}

/// A published review of the village with its results, or 404 (also while open or closed).
async fn published(
    state: &AppState,
    (code, id): (String, i64),
) -> AppResult<(VillageRef, Review, Results, Vec<Flag>)> {
    let village = village(state, code).await?;
    let village_id = village.id;
    let (review, results, flags) = state
        .db
        .run(move |conn| {
            let review = store::get(conn, village_id, id)?
                .filter(|r| r.state == ReviewState::Published)
                .ok_or(ReviewError::NotFound)?;
            let results = results::compute(conn, &review)?;
            let flags = flags::review_flags(conn, id)?;
            Ok::<_, AppError>((review, results, flags))
        })
        .await?;
    Ok((village, review, results, flags))
}

#[derive(Template)]
#[template(path = "reviews/public.html")]
struct ShowPage {
    p: Page,
    village: VillageRef,
    review: Review,
    period: String,
    results: Results,
    flags: Vec<Flag>,
    ratings: &'static [Rating],
    reconsult_base: Option<String>,
}

async fn show(
    p: Page,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (village, review, results, flags) = published(&state, path.into_inner()).await?;
    render(&ShowPage {
        period: super::routes::period_label(&p, &review),
        p,
        village,
        review,
        results,
        flags,
        ratings: Rating::ALL,
        reconsult_base: None,
    })
}

fn attachment(name: &str, content_type: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body)
}

fn csv_body(rows: Vec<Vec<String>>) -> AppResult<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::from(BOM.as_bytes()));
    for row in rows {
        out.write_record(row.iter().map(|c| safe_cell(c)))
            .map_err(|e| AppError::Internal(e.into()))?;
    }
    out.into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))
}

/// Per item: position, kind, title, the four counts, valid, favourable, rate, flagged.
fn count_rows(results: &Results) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            "item",
            "kind",
            "title",
            "satisfied",
            "basic",
            "dissatisfied",
            "unknown",
            "valid",
            "favourable",
            "rate",
            "flagged",
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    for r in &results.items {
        rows.push(vec![
            r.item.position.to_string(),
            r.item.kind.as_str().to_string(),
            r.item.title.clone(),
            r.counts.satisfied.to_string(),
            r.counts.basic.to_string(),
            r.counts.dissatisfied.to_string(),
            r.counts.unknown.to_string(),
            r.rate.valid.to_string(),
            r.rate.favourable.to_string(),
            r.rate_text(),
            r.flagged().to_string(),
        ]);
    }
    rows
}

async fn counts_csv(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (_, review, results, _) = published(&state, path.into_inner()).await?;
    Ok(attachment(
        &format!("review-{}-counts.csv", review.id),
        "text/csv; charset=utf-8",
        csv_body(count_rows(&results))?,
    ))
}

#[derive(Serialize)]
struct JsonItem {
    item: i32,
    kind: &'static str,
    title: String,
    satisfied: i64,
    basic: i64,
    dissatisfied: i64,
    unknown: i64,
    valid: i64,
    favourable: i64,
    rate: String,
    flagged: bool,
}

#[derive(Serialize)]
struct JsonReview {
    review: i64,
    year: i32,
    half: &'static str,
    formula: &'static str,
    roll: i64,
    responses: i64,
    threshold: String,
    items: Vec<JsonItem>,
}

async fn counts_json(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (_, review, results, _) = published(&state, path.into_inner()).await?;
    let export = JsonReview {
        review: review.id,
        year: review.year,
        half: review.half.as_str(),
        formula: review.formula.as_str(),
        roll: results.roll,
        responses: results.responses,
        threshold: format!(
            "{}/{}",
            super::domain::THRESHOLD.0,
            super::domain::THRESHOLD.1
        ),
        items: results
            .items
            .iter()
            .map(|r| JsonItem {
                item: r.item.position,
                kind: r.item.kind.as_str(),
                title: r.item.title.clone(),
                satisfied: r.counts.satisfied,
                basic: r.counts.basic,
                dissatisfied: r.counts.dissatisfied,
                unknown: r.counts.unknown,
                valid: r.rate.valid,
                favourable: r.rate.favourable,
                rate: r.rate_text(),
                flagged: r.flagged(),
            })
            .collect(),
    };
    let body = serde_json::to_vec_pretty(&export).map_err(|e| AppError::Internal(e.into()))?;
    Ok(attachment(
        &format!("review-{}-counts.json", review.id),
        "application/json; charset=utf-8",
        body,
    ))
}

/// Every answer: item (position and title), rating, date; ordered by the random answer id.
/// Comments stay off the public file: a household may have written something that names it.
async fn answers_csv(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (_, review, results, _) = published(&state, path.into_inner()).await?;
    let id = review.id;
    let lines = state
        .db
        .run(move |conn| answer_store::answers(conn, id))
        .await?;
    let mut rows = vec![
        ["item", "title", "rating", "date"]
            .map(str::to_string)
            .to_vec(),
    ];
    for (_, item_id, rating, _comment, on) in lines {
        let item = results.items.iter().find(|r| r.item.id == item_id);
        rows.push(vec![
            item.map(|r| r.item.position.to_string())
                .unwrap_or_default(),
            item.map(|r| r.item.title.clone()).unwrap_or_default(),
            rating,
            on.to_string(),
        ]);
    }
    Ok(attachment(
        &format!("review-{}-answers.csv", review.id),
        "text/csv; charset=utf-8",
        csv_body(rows)?,
    ))
}
