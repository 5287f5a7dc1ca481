//! A household signing out (kiosk or phone): the session generation moves on, so no copy of
//! the cookie acts for the household afterwards, and the sign-out is audited.

use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::{Channel, village};
use crate::audit::{self, Action, Actor, Event};
use crate::auth;
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::{Form, NoFields};
use crate::web::page::see_other;
use crate::web::session::{self, Who};

/// Signs the household out everywhere: its session generation moves on, so a copy of this
/// cookie (a shared phone, a kiosk's saved state) can no longer act for it.
pub(super) async fn logout(
    channel: Channel,
    session: Session,
    state: &AppState,
    addr: ClientAddr,
    code: String,
) -> AppResult<HttpResponse> {
    if let Some((Who::Household { id, .. }, _)) = session::issued_under(&session) {
        let township = village(state, code.clone()).await?.township_id;
        let address = addr.0;
        state
            .db
            .tx(move |conn| {
                auth::sessions::bump(conn, &auth::sessions::household(id))?;
                let event = Event::ok(
                    Actor::Household(id),
                    Action::HouseholdLogout,
                    format!("household:{id}"),
                )
                .in_township(township)
                .from_address(&address)
                .detail(format!("channel={}", channel.audit_name()));
                audit::record(conn, event)
            })
            .await
            .map_err(AppError::from)?;
    }
    session::sign_out(&session);
    Ok(see_other(&channel.start(&code)))
}

// Per-channel entry points: actix needs a function per route.

pub(super) async fn kiosk_logout(
    s: Session,
    st: web::Data<AppState>,
    a: ClientAddr,
    v: web::Path<String>,
    _f: Form<NoFields>,
) -> AppResult<HttpResponse> {
    logout(Channel::Kiosk, s, &st, a, v.into_inner()).await
}
pub(super) async fn phone_logout(
    s: Session,
    st: web::Data<AppState>,
    a: ClientAddr,
    v: web::Path<String>,
    _f: Form<NoFields>,
) -> AppResult<HttpResponse> {
    logout(Channel::Phone, s, &st, a, v.into_inner()).await
}
