//! Households signing in with 户号 + PIN, through two channels that share one flow: the shared
//! kiosk at the village hall (`/kiosk/{village}`: large targets, short idle limit, back to the
//! start screen by itself) and the household's own phone (`/v/{village}/…`).

use actix_session::Session;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::domain::mask_name;
use super::{HouseholdError, store};
use crate::audit::{self, Action, Actor, Event};
use crate::auth::{self, Check};
use crate::error::{AppError, AppResult};
use crate::villages::store::{VillageRef, find_village};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::{Form, NoFields};
use crate::web::page::{Page, render, render_status, see_other};
use crate::web::session::{self, Who};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/kiosk/{village}", web::get().to(kiosk_start))
        .route("/kiosk/{village}/login", web::post().to(kiosk_login))
        .route("/kiosk/{village}/home", web::get().to(kiosk_home))
        .route("/kiosk/{village}/logout", web::post().to(kiosk_logout))
        .route("/v/{village}/login", web::get().to(phone_start))
        .route("/v/{village}/login", web::post().to(phone_login))
        .route("/v/{village}/me", web::get().to(phone_home))
        .route("/v/{village}/logout", web::post().to(phone_logout));
}

/// Where a household is signing in from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Kiosk,
    Phone,
}

/// Read from the request path: `/kiosk/…` is the kiosk, anything else a household's own device.
impl actix_web::FromRequest for Channel {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let channel = if req.path().starts_with("/kiosk/") {
            Channel::Kiosk
        } else {
            Channel::Phone
        };
        std::future::ready(Ok(channel))
    }
}

impl Channel {
    /// Where this channel's pages for a village live: `/kiosk/{village}` or `/v/{village}`.
    pub fn base(self, village: &str) -> String {
        match self {
            Channel::Kiosk => format!("/kiosk/{village}"),
            Channel::Phone => format!("/v/{village}"),
        }
    }

    /// The household signed in through this channel for this village, if any.
    pub fn household(self, p: &Page, village_id: i64) -> Option<i64> {
        match &p.who {
            Some(Who::Household {
                id,
                village_id: v,
                kiosk,
                ..
            }) if *v == village_id && *kiosk == (self == Channel::Kiosk) => Some(*id),
            _ => None,
        }
    }

    pub fn start(self, village: &str) -> String {
        match self {
            Channel::Kiosk => format!("/kiosk/{village}"),
            Channel::Phone => format!("/v/{village}/login"),
        }
    }
    pub fn login_action(self, village: &str) -> String {
        match self {
            Channel::Kiosk => format!("/kiosk/{village}/login"),
            Channel::Phone => format!("/v/{village}/login"),
        }
    }
    pub fn home(self, village: &str) -> String {
        match self {
            Channel::Kiosk => format!("/kiosk/{village}/home"),
            Channel::Phone => format!("/v/{village}/me"),
        }
    }
    pub fn logout(self, village: &str) -> String {
        match self {
            Channel::Kiosk => format!("/kiosk/{village}/logout"),
            Channel::Phone => format!("/v/{village}/logout"),
        }
    }
    pub fn audit_name(self) -> &'static str {
        match self {
            Channel::Kiosk => "kiosk",
            Channel::Phone => "phone",
        }
    }
    /// Kiosk pages with a ballot being written return to the start screen after the longer
    /// form timeout; phones are unchanged.
    pub fn dress_form(self, p: Page, state: &AppState, village: &str) -> Page {
        match self {
            Channel::Kiosk => p.at_kiosk(village, state.settings.kiosk_form_timeout.as_secs()),
            Channel::Phone => p,
        }
    }

    /// Kiosk pages wear kiosk chrome (big targets, automatic return to the start screen).
    pub fn dress(self, p: Page, state: &AppState, village: &str) -> Page {
        match self {
            Channel::Kiosk => p.at_kiosk(village, state.settings.kiosk_idle_timeout.as_secs()),
            Channel::Phone => p,
        }
    }
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
}

#[derive(Template)]
#[template(path = "households/login.html")]
struct LoginPage {
    p: Page,
    village: VillageRef,
    action: String,
    number: String,
    message: Option<&'static str>,
}

async fn start(
    channel: Channel,
    p: Page,
    session: Session,
    state: web::Data<AppState>,
    code: String,
) -> AppResult<HttpResponse> {
    let village = village(&state, code).await?;
    if channel == Channel::Kiosk {
        // The start screen is where a kiosk returns after logout or inactivity: whoever used
        // it before is signed out and forgotten; the cookie keeps only the new form token.
        session::forget(&session);
    }
    let p = p.signed_out();
    let p = channel.dress(p, &state, &village.code);
    let action = channel.login_action(&village.code);
    render(&LoginPage {
        p,
        village,
        action,
        number: String::new(),
        message: None,
    })
}

async fn login(
    channel: Channel,
    p: Page,
    session: Session,
    state: web::Data<AppState>,
    addr: ClientAddr,
    code: String,
    form: LoginForm,
) -> AppResult<HttpResponse> {
    let village = village(&state, code).await?;
    let number = form.number.trim().to_string();
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
    state
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
            audit::record(conn, event)
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
            session::sign_in(&session, &who)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
            if channel == Channel::Kiosk {
                crate::collection::handover::mark_sign_in(&session);
            }
            Ok(see_other(&channel.home(&village.code)))
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
            let p = channel.dress(p, &state, &village.code);
            let action = channel.login_action(&village.code);
            render_status(
                status,
                &LoginPage {
                    p,
                    village,
                    action,
                    number,
                    message: Some(message),
                },
            )
        }
    }
}

#[derive(Template)]
#[template(path = "households/home.html")]
struct HomePage {
    p: Page,
    village: VillageRef,
    number: String,
    masked_name: String,
    members: i32,
    logout: String,
    /// This channel's base path, for links to the ballot.
    base: String,
    /// The open round and where this household stands in it.
    round: Option<crate::collection::casting::RoundStatus>,
}

async fn home(
    channel: Channel,
    p: Page,
    session: Session,
    state: web::Data<AppState>,
    code: String,
) -> AppResult<HttpResponse> {
    let village = village(&state, code).await?;
    let Some(id) = channel.household(&p, village.id) else {
        return Ok(see_other(&channel.start(&village.code)));
    };
    let village_id = village.id;
    let (household, round) = state
        .db
        .run(move |conn| {
            let household = store::get(conn, village_id, id)?.ok_or(HouseholdError::NotFound)?;
            let round = crate::collection::casting::status_for(conn, village_id, id)?;
            Ok::<_, AppError>((household, round))
        })
        .await?;
    let written_at = round.as_ref().and_then(|r| r.written_at);
    if channel == Channel::Kiosk && crate::collection::handover::outlived(&session, written_at) {
        session::forget(&session);
        return Ok(see_other(&channel.start(&village.code)));
    }
    let p = channel.dress(p, &state, &village.code);
    let logout = channel.logout(&village.code);
    let base = channel.base(&village.code);
    render(&HomePage {
        p,
        number: household.number,
        masked_name: mask_name(&household.head_name),
        members: household.members,
        village,
        logout,
        base,
        round,
    })
}

async fn logout(channel: Channel, session: Session, code: String) -> AppResult<HttpResponse> {
    session::sign_out(&session);
    Ok(see_other(&channel.start(&code)))
}

// Thin per-channel entry points: actix needs a function per route.

async fn kiosk_start(
    p: Page,
    s: Session,
    st: web::Data<AppState>,
    v: web::Path<String>,
) -> AppResult<HttpResponse> {
    start(Channel::Kiosk, p, s, st, v.into_inner()).await
}
async fn phone_start(
    p: Page,
    s: Session,
    st: web::Data<AppState>,
    v: web::Path<String>,
) -> AppResult<HttpResponse> {
    start(Channel::Phone, p, s, st, v.into_inner()).await
}
async fn kiosk_login(
    p: Page,
    s: Session,
    st: web::Data<AppState>,
    a: ClientAddr,
    v: web::Path<String>,
    Form(f): Form<LoginForm>,
) -> AppResult<HttpResponse> {
    login(Channel::Kiosk, p, s, st, a, v.into_inner(), f).await
}
async fn phone_login(
    p: Page,
    s: Session,
    st: web::Data<AppState>,
    a: ClientAddr,
    v: web::Path<String>,
    Form(f): Form<LoginForm>,
) -> AppResult<HttpResponse> {
    login(Channel::Phone, p, s, st, a, v.into_inner(), f).await
}
async fn kiosk_home(
    p: Page,
    s: Session,
    st: web::Data<AppState>,
    v: web::Path<String>,
) -> AppResult<HttpResponse> {
    home(Channel::Kiosk, p, s, st, v.into_inner()).await
}
async fn phone_home(
    p: Page,
    s: Session,
    st: web::Data<AppState>,
    v: web::Path<String>,
) -> AppResult<HttpResponse> {
    home(Channel::Phone, p, s, st, v.into_inner()).await
}
async fn kiosk_logout(
    s: Session,
    v: web::Path<String>,
    _f: Form<NoFields>,
) -> AppResult<HttpResponse> {
    logout(Channel::Kiosk, s, v.into_inner()).await
}
async fn phone_logout(
    s: Session,
    v: web::Path<String>,
    _f: Form<NoFields>,
) -> AppResult<HttpResponse> {
    logout(Channel::Phone, s, v.into_inner()).await
}
