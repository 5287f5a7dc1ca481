//! Printable blank paper ballots (空白纸质建议票) for a collection site: one A4 form per serial,
//! pre-numbered `S{site}-{n}`, with the round's title, its categories, the rows a household may
//! fill and lines for the household's and the custodians' signatures. The serial is what the
//! clerks type at paper entry, so a form can be matched to its typings and to the site's
//! certificate (papers issued, returned, spoiled). Printing writes nothing.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::paper::serials;
use super::paper_store::{self as sites_store, Site};
use super::routes::{base, load_round};
use super::store::Round;
use crate::error::{AppError, AppResult};
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::guards::Clerk;
use crate::web::page::{Page, render_status};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/staff/v/{village}/rounds/{round}/sites/{site}/forms",
        web::get().to(forms),
    );
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Query {
    from: String,
    count: String,
}

#[derive(Template)]
#[template(path = "collection/paper_forms.html")]
struct FormsPage {
    p: Page,
    village: VillageRef,
    round: Round,
    site: Site,
    serials: Vec<String>,
    from: String,
    count: String,
    error: Option<&'static str>,
}

impl FormsPage {
    fn base(&self) -> String {
        base(&self.village, self.round.id)
    }
    fn rows(&self) -> std::ops::RangeInclusive<i32> {
        1..=self.round.max_suggestions
    }
}

async fn forms(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    path: web::Path<(String, i64, i64)>,
    query: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let (round_id, site_id) = (path.1, path.2);
    let round = load_round(&state, &clerk.village, round_id).await?;
    let site = state
        .db
        .run(move |conn| sites_store::sites(conn, round_id))
        .await?
        .into_iter()
        .map(|(site, _)| site)
        .find(|s| s.id == site_id)
        .ok_or(AppError::NotFound)?;
    let Query { from, count } = query.into_inner();
    let (serials, error, status) = match serials(site_id, &from, &count) {
        Some(list) => (list, None, StatusCode::OK),
        None => (
            Vec::new(),
            Some("paper_forms.error.range"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    render_status(
        status,
        &FormsPage {
            p,
            village: clerk.village,
            round,
            site,
            serials,
            from,
            count,
            error,
        },
    )
}
