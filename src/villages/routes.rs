//! Public pages: the directory of villages and each village's home page. No login.

use actix_web::{HttpResponse, web};
use askama::Template;

use super::store::{self, GroupCount, TownshipWithVillages, VillageRef};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::page::{Page, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(directory))
        .route("/v/{village}", web::get().to(village_home));
}

#[derive(Template)]
#[template(path = "villages/directory.html")]
struct DirectoryPage {
    p: Page,
    townships: Vec<TownshipWithVillages>,
}

async fn directory(p: Page, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let townships = state.db.run(store::directory).await?;
    render(&DirectoryPage { p, townships })
}

#[derive(Template)]
#[template(path = "villages/home.html")]
struct VillageHome {
    p: Page,
    village: VillageRef,
    township: String,
    groups: Vec<GroupCount>,
    households: i64,
}

async fn village_home(
    p: Page,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let code = path.into_inner();
    let (village, township, groups) = state
        .db
        .run(move |conn| {
            let village = store::find_village(conn, &code)?.ok_or(AppError::NotFound)?;
            let township = store::township_name(conn, village.township_id)?;
            let groups = store::group_counts(conn, village.id)?;
            Ok::<_, AppError>((village, township, groups))
        })
        .await?;
    let households = groups.iter().map(|g| g.households).sum();
    render(&VillageHome {
        p,
        village,
        township,
        groups,
        households,
    })
}
