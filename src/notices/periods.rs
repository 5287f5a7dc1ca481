//! The village's notice periods per kind (公示期). Changing one affects notices published later;
//! a published notice keeps the period it was published with, so none is ever shortened.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::domain::Kind;
use super::store;
use crate::error::{AppError, AppResult};
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::guards::Clerk;
use crate::web::page::{Page, render_status, see_other};

/// Registered before the `{notice}` routes, which would otherwise take "periods" for an id.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/v/{village}/notices/periods", web::get().to(show))
        .route("/staff/v/{village}/notices/periods", web::post().to(set));
}

#[derive(Template)]
#[template(path = "notices/periods.html")]
struct PeriodsPage {
    p: Page,
    village: VillageRef,
    periods: Vec<(Kind, i32)>,
    message: Option<&'static str>,
}

async fn page(
    p: Page,
    state: &AppState,
    village: VillageRef,
    message: Option<&'static str>,
) -> AppResult<HttpResponse> {
    let village_id = village.id;
    let periods = state
        .db
        .run(move |conn| {
            Kind::ALL
                .into_iter()
                .map(|k| Ok::<_, AppError>((k, store::period_days(conn, village_id, k)?)))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    let status = if message.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &PeriodsPage {
            p,
            village,
            periods,
            message,
        },
    )
}

async fn show(p: Page, clerk: Clerk, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    page(p, &state, clerk.village, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PeriodForm {
    kind: String,
    days: String,
}

async fn set(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    TypedForm(form, bad): TypedForm<PeriodForm>,
) -> AppResult<HttpResponse> {
    if let Some(message) = bad.message() {
        return page(p, &state, clerk.village, Some(message)).await;
    }
    let kind = Kind::parse(&form.kind);
    let days = form
        .days
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|d| (1..=90).contains(d));
    let (Some(kind), Some(days)) = (kind, days) else {
        return page(p, &state, clerk.village, Some("notice.error.period")).await;
    };
    let by = super::routes::acting(&clerk, addr);
    state
        .db
        .tx(move |conn| super::commands::set_period(conn, &by, kind, days))
        .await?;
    Ok(see_other(&format!(
        "/staff/v/{}/notices/periods",
        clerk.village.code
    )))
}
