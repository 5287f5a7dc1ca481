//! Refused state changes are audit events too (等保 2.0: record failed as well as successful
//! operations). A POST answered 403 (forbidden, or a CSRF token that does not match), 409 (the
//! record moved on: a closed round, a decided motion) or 422 (the form was refused) is recorded
//! as `request.refused` with outcome `denied`: who (as the session said before the handler ran),
//! which route (its pattern, never the values in the path or the form), the status and the
//! address. What was typed is never recorded.

use actix_session::SessionExt;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{FromRequest, web};

use super::AppState;
use super::client::ClientAddr;
use super::session::Who;
use crate::audit::{self, Action, Actor, Event};

/// The statuses that mean "refused": not found (404) and too many (429, the throttle writes its
/// own events) are not refusals of a change.
fn is_refusal(status: u16) -> bool {
    matches!(status, 403 | 409 | 422)
}

/// Registered inside the session middleware (it reads the session before the handler runs: a
/// handler may end the session).
pub async fn record_refused_posts(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() != Method::POST {
        return next.call(req).await;
    }
    let actor = match super::session::issued_under(&req.get_session()) {
        Some((Who::Staff { id, .. }, _)) => Actor::Staff(id),
        Some((Who::Household { id, .. }, _)) => Actor::Household(id),
        None => Actor::Anonymous,
    };
    let address = ClientAddr::extract(req.request())
        .await
        .map_or_else(|_| "unknown".to_string(), |a| a.0);
    let response = next.call(req).await?;
    let status = response.status().as_u16();
    if !is_refusal(status) {
        return Ok(response);
    }
    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "(no route)".to_string());
    if let Some(state) = response
        .request()
        .app_data::<web::Data<AppState>>()
        .cloned()
    {
        let written = state
            .db
            .tx(move |conn| {
                let event = Event::ok(actor, Action::RequestRefused, route)
                    .denied()
                    .from_address(&address)
                    .detail(format!("status={status}"));
                audit::record(conn, event)
            })
            .await;
        if let Err(err) = written {
            // The answer to the person stands; the missing record is an operator's matter.
            tracing::error!(error = %err, "recording a refused request");
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    #[test]
    fn refusals_are_forbidden_conflict_and_unprocessable_only() {
        for status in [403, 409, 422] {
            assert!(super::is_refusal(status));
        }
        for status in [200, 303, 400, 404, 413, 429, 500] {
            assert!(!super::is_refusal(status), "{status}");
        }
    }
}
