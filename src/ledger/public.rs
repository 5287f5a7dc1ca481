//! The public disclosure of a fund, no login: allocation, spent and balance, per project budget,
//! spent and remaining, SVG charts by month and by project, every posted entry a page at a time,
//! and the chain head with a QR code to this page at the configured public address.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::store::{self, Entry, Fund};
use super::view::{self, Summary};
use crate::error::{AppError, AppResult};
use crate::villages::store::{VillageRef, find_village};
use crate::web::AppState;
use crate::web::page::{Page, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/v/{village}/funds", web::get().to(list))
        .route("/v/{village}/funds/{fund}", web::get().to(show));
}

/// Posted entries per public page.
pub const PAGE_SIZE: i64 = 100;

async fn village(state: &AppState, code: String) -> AppResult<VillageRef> {
    state
        .db
        .run(move |conn| find_village(conn, &code))
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "ledger/public_list.html")]
struct ListPage {
    p: Page,
    village: VillageRef,
    funds: Vec<Fund>,
}

async fn list(
    p: Page,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let village = village(&state, path.into_inner()).await?;
    let id = village.id;
    let funds = state.db.run(move |conn| store::funds_of(conn, id)).await?;
    render(&ListPage { p, village, funds })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Query {
    page: i64,
}

#[derive(Template)]
#[template(path = "ledger/public_fund.html")]
struct FundPage {
    p: Page,
    village: VillageRef,
    fund: Fund,
    s: Summary,
    entries: Vec<Entry>,
    /// The seq of every entry a reversal on this page undoes (its canonical form names the
    /// seq, so strangers recompute the hash from what the page shows).
    reversed: Vec<(i64, i64)>,
    projects: Vec<(i64, String)>,
    page: i64,
    pages: i64,
    url: String,
    qr_svg: String,
}

impl FundPage {
    fn project_title(&self, id: &Option<i64>) -> String {
        super::routes::project_title(&self.projects, id)
    }
    /// The seq of the entry `id` a reversal undoes.
    fn reversed_seq(&self, id: &i64) -> String {
        self.reversed
            .iter()
            .find(|(e, _)| e == id)
            .map_or_else(String::new, |(_, seq)| seq.to_string())
    }
    /// Bar width in the 300-unit wide chart area.
    fn width(&self, permille: &i64) -> i64 {
        permille * 300 / 1000
    }
    fn chart_height(&self, bars: usize) -> usize {
        bars * 22 + 4
    }
}

pub fn qr_svg(url: &str) -> AppResult<String> {
    Ok(qrcode::QrCode::new(url.as_bytes())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("qr code: {e}")))?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(120, 120)
        .quiet_zone(true)
        .build())
}

async fn show(
    p: Page,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
    query: web::Query<Query>,
) -> AppResult<HttpResponse> {
    let (code, fund_id) = path.into_inner();
    let village = village(&state, code).await?;
    let village_id = village.id;
    let page = query.page.max(0);
    let (fund, s, entries, reversed, projects) = state
        .db
        .run(move |conn| {
            let fund = store::get_fund(conn, village_id, fund_id)?.ok_or(AppError::NotFound)?;
            let s = view::summary(conn, &fund)?;
            let entries = store::posted_page(conn, fund.id, page * PAGE_SIZE, PAGE_SIZE)?;
            let targets: Vec<i64> = entries.iter().filter_map(|e| e.reverses_id).collect();
            let reversed: Vec<(i64, i64)> = {
                use crate::db::schema::ledger_entries as le;
                use diesel::prelude::*;
                le::table
                    .filter(le::id.eq_any(&targets).and(le::seq.is_not_null()))
                    .select((le::id, le::seq.assume_not_null()))
                    .load(conn)?
            };
            let projects = view::project_titles(conn, village_id)?;
            Ok::<_, AppError>((fund, s, entries, reversed, projects))
        })
        .await?;
    let pages = ((s.posted + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    if page >= pages {
        return Err(AppError::NotFound);
    }
    let url = state
        .settings
        .absolute(&format!("/v/{}/funds/{}", village.code, fund.id));
    let qr_svg = qr_svg(&url)?;
    render(&FundPage {
        p,
        village,
        fund,
        s,
        entries,
        reversed,
        projects,
        page,
        pages,
        url,
        qr_svg,
    })
}
