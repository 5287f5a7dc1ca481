//! Households signing in with 户号 + PIN, through two channels that share one flow: the shared
//! kiosk at the village hall (`/kiosk/{village}`: large targets, short idle limit, back to the
//! start screen by itself) and the household's own phone (`/v/{village}/…`).

use actix_session::Session;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

mod channel;
mod home;
pub mod lost;
mod next;
mod sign_out;

pub use channel::Channel;

use next::{NextQuery, safe_next};

use super::{HouseholdError, store};
use crate::audit::{self, Action, Actor, Event};
use crate::auth::{self, Check};
use crate::error::{AppError, AppResult};
use crate::notices::household::{OpenNotice, open_for_objection};
use crate::villages::store::{VillageRef, find_village};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::page::{Page, render, render_status, see_other};
use crate::web::session::{self, Who};
use crate::web::text::TextProblems;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/kiosk/{village}", web::get().to(kiosk_start))
        .route("/kiosk/{village}/login", web::post().to(kiosk_login))
        .route("/kiosk/{village}/home", web::get().to(kiosk_home))
        .route(
            "/kiosk/{village}/logout",
            web::post().to(sign_out::kiosk_logout),
        )
        .route("/v/{village}/login", web::get().to(phone_start))
        .route("/v/{village}/login", web::post().to(phone_login))
        .route("/v/{village}/me", web::get().to(phone_home))
        .route(
            "/v/{village}/logout",
            web::post().to(sign_out::phone_logout),
        );
}

pub async fn village(state: &AppState, code: String) -> AppResult<VillageRef> {
    state
        .db
        .run(move |conn| find_village(conn, &code))
        .await?
        .ok_or(HouseholdError::UnknownVillage.into())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    number: String,
    pin: String,
    /// Where to go after signing in (a notice of this village), from `?next=`.
    next: String,
}

#[derive(Template)]
#[template(path = "households/login.html")]
struct LoginPage {
    p: Page,
    village: VillageRef,
    action: String,
    number: String,
    message: Option<&'static str>,
    /// Notices open for objection (filing them needs the sign-in below).
    open_notices: Vec<OpenNotice>,
    /// This channel's pages, for the objection links.
    base: String,
    /// At the kiosk: its own notice board.
    kiosk_board: Option<String>,
    /// A notice page to return to after signing in, or empty.
    next: String,
    /// At the kiosk, once: what the last form sent after the idle limit did not save.
    lost: Option<&'static str>,
}

impl LoginPage {
    async fn new(
        p: Page,
        state: &AppState,
        channel: Channel,
        village: VillageRef,
        number: String,
        message: Option<&'static str>,
    ) -> AppResult<LoginPage> {
        let (village_id, locale) = (village.id, p.locale);
        let open_notices = state
            .db
            .run(move |conn| open_for_objection(conn, village_id, locale))
            .await?;
        Ok(LoginPage {
            p: channel.dress(p, state, &village.code),
            action: channel.login_action(&village.code),
            base: channel.base(&village.code),
            kiosk_board: (channel == Channel::Kiosk)
                .then(|| format!("{}/notices", channel.base(&village.code))),
            village,
            number,
            message,
            open_notices,
            next: String::new(),
            lost: None,
        })
    }
}

async fn start(
    channel: Channel,
    p: Page,
    session: Session,
    state: web::Data<AppState>,
    code: String,
    next: String,
) -> AppResult<HttpResponse> {
    let village = village(&state, code).await?;
    let mut lost = None;
    if channel == Channel::Kiosk {
        // The start screen is where a kiosk returns after logout or inactivity: whoever used
        // it before is signed out and forgotten; the cookie keeps only the new form token (and
        // this screen says once that a form sent after the idle limit was not saved).
        lost = lost::take_lost(&session).map(|l| l.message_key());
        session::forget(&session);
    }
    let next = safe_next(&village.code, &next).unwrap_or_default();
    let mut page = LoginPage::new(
        p.signed_out(),
        &state,
        channel,
        village,
        String::new(),
        None,
    )
    .await?;
    page.next = next;
    page.lost = lost;
    render(&page)
}

async fn login(
    channel: Channel,
    p: Page,
    session: Session,
    state: web::Data<AppState>,
    addr: ClientAddr,
    code: String,
    (form, bad): (LoginForm, TextProblems),
) -> AppResult<HttpResponse> {
    let village = village(&state, code).await?;
    let number = form.number.trim().to_string();
    if let Some(message) = bad.message() {
        // Not what was typed: the PIN is not tried (no attempt counted), the 户号 shown again.
        let next = safe_next(&village.code, &form.next).unwrap_or_default();
        let mut page = LoginPage::new(p, &state, channel, village, number, Some(message)).await?;
        page.next = next;
        return render_status(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let (village_id, n) = (village.id, number.clone());
    let found = state
        .db
        .run(move |conn| store::find_for_login(conn, village_id, &n))
        .await?;
    let account_key = format!("household:{}:{number}", village.id);
    let check = auth::check_secret(
        &state,
        account_key,
        &addr.0,
        found.as_ref().map(|(_, hash)| hash.clone()),
        form.pin.trim().to_string(),
    )
    .await?;
    let household_id = found.map(|(id, _)| id);
    let (v, ch, address) = (village.clone(), channel, addr.0.clone());
    let epoch = state
        .db
        .tx(move |conn| {
            let subject =
                household_id.map_or("household:?".to_string(), |id| format!("household:{id}"));
            let actor = match (check, household_id) {
                (Check::Accepted, Some(id)) => Actor::Household(id),
                _ => Actor::Anonymous,
            };
            let event = Event::ok(actor, Action::HouseholdLogin, subject)
                .in_township(v.township_id)
                .from_address(&address)
                .detail(format!("channel={} result={check:?}", ch.audit_name()));
            let event = if check == Check::Accepted {
                event
            } else {
                event.denied()
            };
            audit::record(conn, event)?;
            match (check, household_id) {
                (Check::Accepted, Some(id)) => {
                    auth::sessions::current(conn, &auth::sessions::household(id))
                }
                _ => Ok(0),
            }
        })
        .await
        .map_err(AppError::from)?;
    match (check, household_id) {
        (Check::Accepted, Some(id)) => {
            let who = Who::Household {
                id,
                village_id: village.id,
                label: number,
                kiosk: channel == Channel::Kiosk,
            };
            session::sign_in(&session, &who, epoch)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
            if channel == Channel::Kiosk {
                crate::collection::handover::mark_sign_in(&session);
            }
            let to = safe_next(&village.code, &form.next);
            Ok(see_other(
                &to.unwrap_or_else(|| channel.home(&village.code)),
            ))
        }
        (outcome, _) => {
            let message = if outcome == Check::Locked {
                "login.locked"
            } else {
                "login.household_wrong"
            };
            let status = if outcome == Check::Locked {
                actix_web::http::StatusCode::TOO_MANY_REQUESTS
            } else {
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
            };
            let next = safe_next(&village.code, &form.next).unwrap_or_default();
            let mut page =
                LoginPage::new(p, &state, channel, village, number, Some(message)).await?;
            page.next = next;
            render_status(status, &page)
        }
    }
}

// Thin per-channel entry points: actix needs a function per route.

async fn kiosk_start(
    p: Page,
    s: Session,
    st: web::Data<AppState>,
    v: web::Path<String>,
) -> AppResult<HttpResponse> {
    start(Channel::Kiosk, p, s, st, v.into_inner(), String::new()).await
}
async fn phone_start(
    p: Page,
    s: Session,
    st: web::Data<AppState>,
    v: web::Path<String>,
    q: web::Query<NextQuery>,
) -> AppResult<HttpResponse> {
    start(
        Channel::Phone,
        p,
        s,
        st,
        v.into_inner(),
        q.into_inner().next,
    )
    .await
}
async fn kiosk_login(
    p: Page,
    s: Session,
    st: web::Data<AppState>,
    a: ClientAddr,
    v: web::Path<String>,
    TypedForm(f, bad): TypedForm<LoginForm>,
) -> AppResult<HttpResponse> {
    login(Channel::Kiosk, p, s, st, a, v.into_inner(), (f, bad)).await
}
async fn phone_login(
    p: Page,
    s: Session,
    st: web::Data<AppState>,
    a: ClientAddr,
    v: web::Path<String>,
    TypedForm(f, bad): TypedForm<LoginForm>,
) -> AppResult<HttpResponse> {
    login(Channel::Phone, p, s, st, a, v.into_inner(), (f, bad)).await
}
async fn kiosk_home(
    p: Page,
    s: Session,
    st: web::Data<AppState>,
    v: web::Path<String>,
) -> AppResult<HttpResponse> {
    home::home(Channel::Kiosk, p, s, st, v.into_inner()).await
}
async fn phone_home(
    p: Page,
    s: Session,
    st: web::Data<AppState>,
    v: web::Path<String>,
) -> AppResult<HttpResponse> {
    home::home(Channel::Phone, p, s, st, v.into_inner()).await
}
