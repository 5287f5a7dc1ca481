//! Printable blank paper ballots (空白纸质建议票) for a collection site: one A4 form per serial,
//! pre-numbered `S{site}-{n}`, with the round's title, its categories, the rows a household may
//! fill and lines for the household's and the custodians' signatures. The serial is what the
//! clerks type at paper entry, so a form can be matched to its typings and to the site's
//! certificate (papers issued, returned, spoiled). Printing writes nothing.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::paper_store::{self as sites_store, Site};
use super::routes::{base, load_round};
use super::store::Round;
use crate::error::{AppError, AppResult};
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::guards::Clerk;
use crate::web::page::{Page, render_status};

/// At most this many forms on one printout (a site's usual stack, several printouts).
pub const MAX_FORMS: u32 = 200;
/// Forms printed when nothing is asked.
const DEFAULT_FORMS: u32 = 20;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/staff/v/{village}/rounds/{round}/sites/{site}/forms",
        web::get().to(forms),
    );
}

/// The serial printed on form `n` of `site`: what the clerks type at paper entry.
pub fn serial(site: i64, n: u32) -> String {
    format!("S{site}-{n:04}")
}

/// The serials asked for, `from` and `count` as typed: `None` when either is not a whole number
/// in range (from 1 to 9999, count 1 to [`MAX_FORMS`], the last serial at most 9999).
pub fn serials(site: i64, from: &str, count: &str) -> Option<Vec<String>> {
    let from: u32 = if from.trim().is_empty() {
        1
    } else {
        from.trim().parse().ok()?
    };
    let count: u32 = if count.trim().is_empty() {
        DEFAULT_FORMS
    } else {
        count.trim().parse().ok()?
    };
    let last = from.checked_add(count)?.checked_sub(1)?;
    ((1..=MAX_FORMS).contains(&count) && from >= 1 && last <= 9999)
        .then(|| (from..=last).map(|n| serial(site, n)).collect())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_are_numbered_from_where_the_last_stack_ended() {
        assert_eq!(serials(7, "", "").map(|s| s.len()), Some(20));
        assert_eq!(
            serials(7, "21", "3"),
            Some(vec!["S7-0021".into(), "S7-0022".into(), "S7-0023".into()])
        );
        assert_eq!(serials(7, "9999", "1"), Some(vec!["S7-9999".into()]));
        for (from, count) in [
            ("0", "5"),
            ("1", "0"),
            ("1", "201"),
            ("9999", "2"),
            ("x", "5"),
            ("-1", "5"),
        ] {
            assert_eq!(serials(7, from, count), None, "from {from} count {count}");
        }
        assert_eq!(serials(7, "1", "200").map(|s| s.len()), Some(200));
    }
}
