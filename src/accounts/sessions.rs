//! Ending staff sessions: signing out (ends every session of the account, on every app server)
//! and "sign out my other sessions" (the session that asks stays). Both move the account's
//! session generation on (`auth::sessions`) and are audited.

use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::store;
use crate::audit::{self, Action, Actor, Event};
use crate::auth::sessions;
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::{Form, NoFields};
use crate::web::guards::StaffUser;
use crate::web::page::see_other;
use crate::web::session::{self, Who};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/logout", web::post().to(logout))
        .route("/staff/sessions/end-others", web::post().to(end_others));
}

/// Moves the account's generation on and records why, in one transaction.
async fn end_sessions(
    state: &AppState,
    staff_id: i64,
    action: Action,
    address: String,
) -> AppResult<i64> {
    state
        .db
        .tx(move |conn| {
            let epoch = sessions::bump(conn, &sessions::staff(staff_id))?;
            let mut event = Event::ok(Actor::Staff(staff_id), action, format!("staff:{staff_id}"))
                .from_address(&address);
            if let Some(t) = store::home_township(conn, staff_id)? {
                event = event.in_township(t);
            }
            audit::record(conn, event)?;
            Ok::<_, AppError>(epoch)
        })
        .await
}

/// Signs out. A staff session's sign-out ends every copy of the cookie (and every other session
/// of the account): a cookie copied before can no longer act anywhere.
async fn logout(
    session: Session,
    state: web::Data<AppState>,
    addr: ClientAddr,
    _form: Form<NoFields>,
) -> AppResult<HttpResponse> {
    if let Some((Who::Staff { id, .. }, _)) = session::issued_under(&session) {
        end_sessions(&state, id, Action::StaffLogout, addr.0).await?;
    }
    session::sign_out(&session);
    Ok(see_other("/"))
}

/// Ends every other session of the signed-in account; this one moves to the new generation.
async fn end_others(
    session: Session,
    staff: StaffUser,
    state: web::Data<AppState>,
    addr: ClientAddr,
    _form: Form<NoFields>,
) -> AppResult<HttpResponse> {
    let epoch = end_sessions(&state, staff.id, Action::StaffEndSessions, addr.0).await?;
    session::keep_under(&session, epoch).map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(see_other("/staff?sessions=ended"))
}
