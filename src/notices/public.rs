//! Public notice pages, no login: the village's notice board (newest first, filter by kind, open
//! periods marked), each notice with its objections and answers (never who objected), a print
//! view for the 公开栏 with the content hash and a QR code, and an Atom feed.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::domain::{Kind, Phase};
use super::store::{self, Notice, Objection};
use crate::error::{AppError, AppResult};
use crate::households::access::Channel;
use crate::villages::store::{VillageRef, find_village};
use crate::web::AppState;
use crate::web::page::{Page, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/v/{village}/notices", web::get().to(board))
        .route("/v/{village}/notices.atom", web::get().to(feed))
        .service(
            web::resource("/v/{village}/notices/{notice}")
                .wrap(actix_web::middleware::from_fn(crate::web::revalidate::page))
                .get(show),
        )
        .service(
            web::resource("/v/{village}/notices/{notice}/print")
                .wrap(actix_web::middleware::from_fn(crate::web::revalidate::page))
                .get(print),
        );
}

pub(super) async fn village(state: &AppState, code: String) -> AppResult<VillageRef> {
    state
        .db
        .run(move |conn| find_village(conn, &code))
        .await?
        .ok_or(AppError::NotFound)
}

/// A published notice of this village (drafts are nobody's business but the clerk's).
pub(super) async fn published(
    state: &AppState,
    village: &VillageRef,
    id: i64,
) -> AppResult<Notice> {
    let village_id = village.id;
    state
        .db
        .run(move |conn| store::get(conn, village_id, id))
        .await?
        .filter(Notice::is_published)
        .ok_or(AppError::NotFound)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BoardQuery {
    kind: String,
}

#[derive(Template)]
#[template(path = "notices/board.html")]
struct BoardPage {
    p: Page,
    village: VillageRef,
    notices: Vec<Notice>,
    kind: String,
}

impl BoardPage {
    fn kinds(&self) -> [Kind; 8] {
        Kind::ALL
    }
    fn open(&self, n: &Notice) -> bool {
        n.phase(crate::db::now()) == Phase::InPeriod
    }
    fn when(&self, t: &chrono::NaiveDateTime) -> String {
        crate::i18n::format_time(self.p.locale, *t)
    }
}

async fn board(
    p: Page,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<BoardQuery>,
) -> AppResult<HttpResponse> {
    let village = village(&state, path.into_inner()).await?;
    let kind = Kind::parse(&query.kind);
    let village_id = village.id;
    let notices = state
        .db
        .run(move |conn| store::board(conn, village_id, kind, 100))
        .await?;
    render(&BoardPage {
        p,
        village,
        notices,
        kind: kind.map_or(String::new(), |k| k.as_str().to_string()),
    })
}

#[derive(Template)]
#[template(path = "notices/show.html")]
struct ShowPage {
    p: Page,
    village: VillageRef,
    notice: Notice,
    objections: Vec<Objection>,
    successor: Option<Notice>,
    /// Where a signed-in household of this village files an objection.
    object_href: Option<String>,
}

impl ShowPage {
    fn when(&self, t: &chrono::NaiveDateTime) -> String {
        crate::i18n::format_time(self.p.locale, *t)
    }
    fn in_period(&self) -> bool {
        self.notice.phase(crate::db::now()) == Phase::InPeriod
    }
}

async fn show(
    p: Page,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (code, id) = path.into_inner();
    let village = village(&state, code).await?;
    let notice = published(&state, &village, id).await?;
    let (objections, successor) = state
        .db
        .run(move |conn| {
            Ok::<_, AppError>((store::objections_of(conn, id)?, store::successor(conn, id)?))
        })
        .await?;
    let object_href = [Channel::Kiosk, Channel::Phone]
        .into_iter()
        .find(|c| c.household(&p, village.id).is_some())
        .map(|c| format!("{}/notices/{id}/object", c.base(&village.code)));
    render(&ShowPage {
        p,
        village,
        notice,
        objections,
        successor,
        object_href,
    })
}

#[derive(Template)]
#[template(path = "notices/print.html")]
struct PrintPage {
    p: Page,
    village: VillageRef,
    notice: Notice,
    url: String,
    qr_svg: String,
    /// The village's supervision phone; empty when not set.
    phone: String,
}

impl PrintPage {
    /// A round's results list receipt codes in columns: set in a monospaced face on paper.
    fn tabular(&self) -> bool {
        self.notice.kind() == Kind::CollectionResult
    }
    fn when(&self, t: &chrono::NaiveDateTime) -> String {
        crate::i18n::format_time(self.p.locale, *t)
    }
}

async fn print(
    p: Page,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (code, id) = path.into_inner();
    let village = village(&state, code).await?;
    let notice = published(&state, &village, id).await?;
    let village_id = village.id;
    let phone = state
        .db
        .run(move |conn| crate::villages::store::supervision_phone(conn, village_id))
        .await?;
    let url = state
        .settings
        .absolute(&format!("/v/{}/notices/{id}", village.code));
    let qr_svg = qrcode::QrCode::new(url.as_bytes())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("qr code: {e}")))?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    render(&PrintPage {
        p,
        village,
        notice,
        url,
        qr_svg,
        phone,
    })
}

#[derive(Template)]
#[template(path = "notices/feed.xml")]
struct Feed {
    village: VillageRef,
    notices: Vec<Notice>,
    self_url: String,
    base_url: String,
    updated: String,
}

impl Feed {
    fn stamp(&self, t: &Option<chrono::NaiveDateTime>) -> String {
        t.map_or_else(
            || self.updated.clone(),
            |t| {
                t.and_utc()
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            },
        )
    }
}

async fn feed(state: web::Data<AppState>, path: web::Path<String>) -> AppResult<HttpResponse> {
    let village = village(&state, path.into_inner()).await?;
    let village_id = village.id;
    let notices = state
        .db
        .run(move |conn| store::board(conn, village_id, None, 50))
        .await?;
    let updated = notices
        .first()
        .and_then(|n| n.published_at)
        .unwrap_or_else(crate::db::now)
        .and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let feed = Feed {
        self_url: state
            .settings
            .absolute(&format!("/v/{}/notices.atom", village.code)),
        base_url: state.settings.public_base(),
        village,
        notices,
        updated,
    };
    let body = feed
        .render()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("feed: {e}")))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"))
        .body(body))
}
