//! Public project pages, no login: `/v/{village}/projects` (filter by year, status and category
//! through the query string) and `/v/{village}/projects/{id}`, one timeline from the
//! households' suggestions to the acceptance. No personal data: source suggestions show their
//! title and place, never the household; participants are the names clerks typed in their
//! public roles.

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Datelike;
use serde::Deserialize;

use super::domain::plan;
use super::states::ProjectStatus;
use super::store::{self, Project};
use super::timeline::{self, Timeline};
use crate::error::{AppError, AppResult};
use crate::villages::store::{VillageRef, find_village};
use crate::web::AppState;
use crate::web::page::{Page, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/v/{village}/projects", web::get().to(list))
        .route("/v/{village}/projects/{project}", web::get().to(show));
}

async fn village(state: &AppState, code: String) -> AppResult<VillageRef> {
    state
        .db
        .run(move |conn| find_village(conn, &code))
        .await?
        .ok_or(AppError::NotFound)
}

/// The public address of a project's page.
pub fn project_path(village_code: &str, project: i64) -> String {
    format!("/v/{village_code}/projects/{project}")
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Filter {
    year: String,
    status: String,
    category: String,
}

#[derive(Template)]
#[template(path = "projects/list.html")]
struct ListPage {
    p: Page,
    village: VillageRef,
    projects: Vec<Project>,
    years: Vec<i32>,
    categories: Vec<String>,
    year: String,
    status: String,
    category: String,
}

impl ListPage {
    fn statuses(&self) -> &'static [ProjectStatus] {
        ProjectStatus::ALL
    }
}

async fn list(
    p: Page,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<Filter>,
) -> AppResult<HttpResponse> {
    let village = village(&state, path.into_inner()).await?;
    let village_id = village.id;
    let all = state
        .db
        .run(move |conn| store::list(conn, village_id))
        .await?;
    let mut years: Vec<i32> = all.iter().map(|x| x.created_at.year()).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let mut categories: Vec<String> = all.iter().map(|x| x.category.clone()).collect();
    categories.sort();
    categories.dedup();
    let f = query.into_inner();
    let projects = all
        .into_iter()
        .filter(|x| f.year.is_empty() || x.created_at.year().to_string() == f.year)
        .filter(|x| f.status.is_empty() || x.status.as_str() == f.status)
        .filter(|x| f.category.is_empty() || x.category == f.category)
        .collect();
    render(&ListPage {
        p,
        village,
        projects,
        years,
        categories,
        year: f.year,
        status: f.status,
        category: f.category,
    })
}

#[derive(Template)]
#[template(path = "projects/show.html")]
struct ShowPage {
    p: Page,
    village: VillageRef,
    project: Project,
    t: Timeline,
    /// Flags from satisfaction reviews (under the threshold) and the ratings of published
    /// reviews (the reviews part's answers, read for this page).
    flags: Vec<crate::reviews::project::ProjectFlag>,
    ratings: Vec<crate::reviews::project::ProjectRating>,
    /// The earmarked part of the approved plan, what the ledger has spent on it (posted, net of
    /// reversals) and the posted entries.
    earmarked: Option<crate::money::Money>,
    spent: crate::money::Money,
    spending: Vec<crate::ledger::store::Entry>,
}

impl ShowPage {
    fn remaining(&self) -> Option<crate::money::Money> {
        self.earmarked.and_then(|e| e.checked_sub(self.spent))
    }
}

impl ShowPage {
    fn when(&self, t: &chrono::NaiveDateTime) -> String {
        crate::i18n::format_time(self.p.locale, *t)
    }
    fn quantity(&self, q: &i64) -> String {
        plan::quantity_text(*q)
    }
    fn outcome(&self, id: &i64) -> String {
        self.t.outcome(*id, self.p.locale)
    }
}

async fn show(
    p: Page,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (code, id) = path.into_inner();
    let village = village(&state, code).await?;
    let village_id = village.id;
    let (project, t, flags, ratings, earmarked, spent, spending) = state
        .db
        .run(move |conn| {
            let project = store::get(conn, village_id, id)?.ok_or(AppError::NotFound)?;
            let t = timeline::read(conn, &project)?;
            let flags = crate::reviews::project::project_flags(conn, &[project.id])?;
            let ratings = crate::reviews::project::project_ratings(conn, &[project.id])?;
            let earmarked = crate::projects::scope::approved_plans(conn, &[project.id])?
                .pop()
                .map(|p| p.earmarked);
            let (spent, spending) =
                crate::ledger::view::project_spending(conn, village_id, project.id)?;
            Ok::<_, AppError>((project, t, flags, ratings, earmarked, spent, spending))
        })
        .await?;
    render(&ShowPage {
        p,
        village,
        project,
        t,
        flags,
        ratings,
        earmarked,
        spent,
        spending,
    })
}
