//! The clerk's review pages: list with the village's formula and open flags, create, a review's
//! page (items, state moves, results once closed), and recording a re-consultation.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::ReviewError;
use super::answer_store;
use super::commands::{self, Clerk as Acting, review_path};
use super::domain::{self, Formula, Rating, ReconsultForm, ReviewAction, ReviewForm};
use super::flag_store::{self as flags, Flag};
use super::item_store::{self as items, Item};
use super::results::{self, Results};
use super::store::{self, Review};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::{Form, TypedForm};
use crate::web::guards::Clerk;
use crate::web::page::{Page, render, render_status, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/v/{village}/reviews", web::get().to(list))
        .route("/staff/v/{village}/reviews/new", web::get().to(new_form))
        .route("/staff/v/{village}/reviews/new", web::post().to(create))
        .route(
            "/staff/v/{village}/reviews/settings",
            web::post().to(settings),
        )
        .route(
            "/staff/v/{village}/reviews/items/{item}/reconsult",
            web::get().to(reconsult_form),
        )
        .route(
            "/staff/v/{village}/reviews/items/{item}/reconsult",
            web::post().to(reconsult),
        )
        .route("/staff/v/{village}/reviews/{review}", web::get().to(show))
        .route(
            "/staff/v/{village}/reviews/{review}/state",
            web::post().to(change_state),
        );
}

pub(super) fn acting(clerk: &Clerk, addr: ClientAddr) -> Acting {
    Acting {
        staff_id: clerk.staff.id,
        village: clerk.village.clone(),
        address: addr.0,
    }
}

/// A review's period in the page's language: "2026年上半年" / "2026 first half".
pub fn period_label(p: &Page, review: &Review) -> String {
    p.t1(review.half.label_key(), "year", review.year)
}

#[derive(Template)]
#[template(path = "reviews/list.html")]
struct ListPage {
    p: Page,
    village: VillageRef,
    reviews: Vec<(Review, String)>,
    formula: Formula,
    formulas: &'static [Formula],
    flags: Vec<Flag>,
    reconsult_base: Option<String>,
}

async fn list(p: Page, clerk: Clerk, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let village_id = clerk.village.id;
    let (reviews, formula, flags) = state
        .db
        .run(move |conn| {
            Ok::<_, AppError>((
                store::list(conn, village_id)?,
                store::formula(conn, village_id)?,
                flags::village_flags(conn, village_id)?,
            ))
        })
        .await?;
    let reviews = reviews
        .into_iter()
        .map(|r| {
            let label = period_label(&p, &r);
            (r, label)
        })
        .collect();
    render(&ListPage {
        p,
        reviews,
        formula,
        formulas: Formula::ALL,
        flags,
        reconsult_base: Some(format!("/staff/v/{}/reviews", clerk.village.code)),
        village: clerk.village,
    })
}

#[derive(Template)]
#[template(path = "reviews/new.html")]
struct NewPage {
    p: Page,
    village: VillageRef,
    form: ReviewForm,
    errors: FieldErrors,
    halves: &'static [domain::Half],
}

async fn new_form(p: Page, clerk: Clerk) -> AppResult<HttpResponse> {
    let now = crate::db::now();
    let year = chrono::Datelike::year(&now);
    let month = chrono::Datelike::month(&now);
    // The half-year just ended (or ending): reviews judge what was done.
    let (year, half) = if month >= 7 {
        (year, "first")
    } else {
        (year - 1, "second")
    };
    let form = ReviewForm {
        year: year.to_string(),
        half: half.into(),
        opens_at: crate::time::to_local_input(now),
        closes_at: crate::time::to_local_input(now + chrono::TimeDelta::days(14)),
        free_items: p.t("review.default_free_items"),
        once: crate::web::once::new_token(),
    };
    render(&NewPage {
        p,
        village: clerk.village,
        form,
        errors: FieldErrors::new(),
        halves: domain::Half::ALL,
    })
}

async fn create(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    TypedForm(form, bad): TypedForm<ReviewForm>,
) -> AppResult<HttpResponse> {
    let valid = match bad.check(domain::validate_review(&form)) {
        Ok(valid) => valid,
        Err(errors) => {
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &NewPage {
                    p,
                    village: clerk.village,
                    form,
                    errors,
                    halves: domain::Half::ALL,
                },
            );
        }
    };
    let by = acting(&clerk, addr);
    let path = state
        .db
        .tx(move |conn| commands::create(conn, &by, &valid, &form.once))
        .await?;
    Ok(see_other(&path))
}

#[derive(Deserialize)]
struct SettingsForm {
    formula: String,
}

async fn settings(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    Form(form): Form<SettingsForm>,
) -> AppResult<HttpResponse> {
    let formula =
        Formula::parse(&form.formula).ok_or(AppError::Unprocessable("review.error.formula"))?;
    let by = acting(&clerk, addr);
    let path = format!("/staff/v/{}/reviews", clerk.village.code);
    state
        .db
        .tx(move |conn| commands::set_formula(conn, &by, formula))
        .await?;
    Ok(see_other(&path))
}

#[derive(Template)]
#[template(path = "reviews/review.html")]
struct ShowPage {
    p: Page,
    village: VillageRef,
    review: Review,
    period: String,
    items: Vec<Item>,
    /// Only once closed.
    results: Option<Results>,
    /// Only once closed: (item id, comment), in no order of households.
    comments: Vec<(i64, String)>,
    flags: Vec<Flag>,
    ratings: &'static [Rating],
    reconsult_base: Option<String>,
}

async fn show(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (_, id) = path.into_inner();
    let village_id = clerk.village.id;
    let (review, items, (results, comments), flags) = state
        .db
        .run(move |conn| {
            let review = store::get(conn, village_id, id)?.ok_or(ReviewError::NotFound)?;
            let list = items::items(conn, id)?;
            let closed = if domain::states::results_visible(review.state) {
                (
                    Some(results::compute(conn, &review)?),
                    answer_store::comments(conn, id)?,
                )
            } else {
                (None, Vec::new())
            };
            let flags = flags::review_flags(conn, id)?;
            Ok::<_, AppError>((review, list, closed, flags))
        })
        .await?;
    render(&ShowPage {
        period: period_label(&p, &review),
        p,
        review,
        items,
        results,
        comments,
        flags,
        ratings: Rating::ALL,
        reconsult_base: Some(format!("/staff/v/{}/reviews", clerk.village.code)),
        village: clerk.village,
    })
}

#[derive(Deserialize)]
struct StateForm {
    action: String,
}

async fn change_state(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<StateForm>,
) -> AppResult<HttpResponse> {
    let (_, id) = path.into_inner();
    let action = ReviewAction::parse(&form.action).ok_or(AppError::BadRequest)?;
    let by = acting(&clerk, addr);
    let to = review_path(&clerk.village, id);
    state
        .db
        .tx(move |conn| commands::change_state(conn, &by, id, action))
        .await?;
    Ok(see_other(&to))
}

#[derive(Template)]
#[template(path = "reviews/reconsult.html")]
struct ReconsultPage {
    p: Page,
    village: VillageRef,
    item: Item,
    form: ReconsultForm,
    errors: FieldErrors,
}

async fn load_flagged(state: &AppState, village_id: i64, item_id: i64) -> AppResult<Item> {
    state
        .db
        .run(move |conn| {
            let item =
                items::item_in_village(conn, village_id, item_id)?.ok_or(ReviewError::NotFound)?;
            if !flags::is_flagged(conn, item_id)? {
                return Err(AppError::NotFound);
            }
            Ok(item)
        })
        .await
}

async fn reconsult_form(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (_, item_id) = path.into_inner();
    let item = load_flagged(&state, clerk.village.id, item_id).await?;
    render(&ReconsultPage {
        p,
        village: clerk.village,
        item,
        form: ReconsultForm::default(),
        errors: FieldErrors::new(),
    })
}

async fn reconsult(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<ReconsultForm>,
) -> AppResult<HttpResponse> {
    let (_, item_id) = path.into_inner();
    let item = load_flagged(&state, clerk.village.id, item_id).await?;
    let valid = match bad.check(domain::validate_reconsult(&form)) {
        Ok(v) => v,
        Err(errors) => {
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ReconsultPage {
                    p,
                    village: clerk.village,
                    item,
                    form,
                    errors,
                },
            );
        }
    };
    let by = acting(&clerk, addr);
    let to = review_path(&clerk.village, item.review_id);
    state
        .db
        .tx(move |conn| commands::reconsult(conn, &by, item_id, &valid))
        .await?;
    Ok(see_other(&to))
}
