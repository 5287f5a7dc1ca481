//! The kiosk's keep-alive: while a person types (no request leaves the page), the kiosk's small
//! same-origin script (`static/kiosk.js`) posts here at most every few seconds, so the server's
//! idle limit counts from the last input, like the page's own timers, and a slow typist's ballot
//! is still signed in when it is submitted. CSRF-protected like every POST; answers 204 while
//! the kiosk household is signed in, 401 once its session has ended (the script then covers the
//! page, as the timers would have).

use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::access::{Channel, village};
use crate::error::AppResult;
use crate::web::AppState;
use crate::web::csrf::{Form, NoFields};
use crate::web::page::Page;
use crate::web::session;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/kiosk/{village}/alive", web::post().to(alive));
}

async fn alive(
    p: Page,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    Form(_): Form<NoFields>,
) -> AppResult<HttpResponse> {
    let village = village(&state, path.into_inner()).await?;
    Ok(match Channel::Kiosk.household(&p, village.id) {
        Some(_) => {
            session::touch(&session);
            HttpResponse::NoContent().finish()
        }
        None => HttpResponse::Unauthorized().finish(),
    })
}
