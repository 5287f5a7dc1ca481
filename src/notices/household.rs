//! Notices as households reach them: the notices open for objection, listed on the kiosk start
//! screen and on the household's home page (kiosk and phone) with 提出异议, and the kiosk's own
//! notice board at `/kiosk/{village}/notices` (kiosk chrome, each open notice with its
//! objection link; filing still needs the household's sign-in).

use actix_web::{HttpResponse, web};
use askama::Template;

use super::domain::Phase;
use super::public::village;
use super::store;
use crate::db::{DbConn, DbError};
use crate::error::AppResult;
use crate::households::access::Channel;
use crate::i18n::Locale;
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::page::{Page, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/kiosk/{village}/notices", web::get().to(kiosk_board));
}

/// A notice a household may still object to, as its pages list it.
#[derive(Clone, Debug)]
pub struct OpenNotice {
    pub id: i64,
    pub title: String,
    /// The period's last day (included), in the reader's language.
    pub ends: String,
}

/// How many open notices a household page lists (the board has the rest).
const LISTED: i64 = 200;

/// The village's published notices whose objection period is running, newest first.
pub fn open_for_objection(
    conn: &mut DbConn,
    village_id: i64,
    locale: Locale,
) -> Result<Vec<OpenNotice>, DbError> {
    let now = crate::db::now();
    Ok(store::board(conn, village_id, None, LISTED)?
        .into_iter()
        .filter(|n| n.phase(now) == Phase::InPeriod)
        .map(|n| OpenNotice {
            id: n.id,
            ends: n
                .period_days_shown()
                .map(|(_, last)| crate::i18n::format_date(locale, last))
                .unwrap_or_default(),
            title: n.title,
        })
        .collect())
}

#[derive(Template)]
#[template(path = "notices/kiosk_board.html")]
struct KioskBoard {
    p: Page,
    village: VillageRef,
    open_notices: Vec<OpenNotice>,
    /// Where objections are filed from here: `/kiosk/{village}`.
    base: String,
}

async fn kiosk_board(
    p: Page,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let village = village(&state, path.into_inner()).await?;
    let (village_id, locale) = (village.id, p.locale);
    let open_notices = state
        .db
        .run(move |conn| open_for_objection(conn, village_id, locale))
        .await?;
    let channel = Channel::Kiosk;
    render(&KioskBoard {
        p: channel.dress(p, &state, &village.code),
        base: channel.base(&village.code),
        village,
        open_notices,
    })
}
