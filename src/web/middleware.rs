//! Middleware shared by every route: secure response headers, the check that ends sessions
//! whose generation has moved on, and the error pages that give a person a sentence in their own
//! language instead of a bare status code.

use actix_session::SessionExt;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::middleware::{DefaultHeaders, ErrorHandlerResponse, ErrorHandlers};
use actix_web::web;
use actix_web::{FromRequest, HttpResponse};
use askama::Template;

use super::page::{Page, Rendered};
use crate::error::ErrorMessage;

/// No script at all, styles and images from this site only, no framing, no referrer leaks.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Kiosk pages only: the same, plus the kiosk's one same-origin script (`static/kiosk.js`, the
/// idle timers that count from the last input and keep the session alive while a person types).
/// Every page works without it (the stylesheet timers of `/kiosk/{v}/idle.css`).
pub const KIOSK_CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
connect-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
frame-ancestors 'none'; base-uri 'none'";

/// The longest Host header taken: a DNS name (253) with a port. Minyi never builds a link from
/// it (absolute links come from `--public-url`); a longer one is a client's mistake or a probe.
pub const HOST_MAX: usize = 261;

/// Answers 400 (with the error page) to a request whose Host header is longer than [`HOST_MAX`].
pub async fn refuse_overlong_host(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let overlong = req
        .headers()
        .get(header::HOST)
        .is_some_and(|h| h.len() > HOST_MAX);
    if overlong {
        let res = HttpResponse::BadRequest().finish();
        return Ok(req.into_response(res).map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// Sets the kiosk's policy on responses under `/kiosk/` before `secure_headers` adds the
/// default one (it adds only what is missing).
pub async fn kiosk_script_policy(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let kiosk = req.path().starts_with("/kiosk/");
    let mut res = next.call(req).await?;
    if kiosk {
        res.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(KIOSK_CONTENT_SECURITY_POLICY),
        );
    }
    Ok(res)
}

pub fn secure_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "same-origin"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=()",
        ))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        // Pages may show a household's data; a shared kiosk's back button must not bring
        // them back from cache. Static files set their own caching first.
        .add((header::CACHE_CONTROL, "no-store"))
}

/// Ends a session whose party has moved to a newer session generation (logout elsewhere,
/// password change, deactivation, role removal): one primary-key read per signed-in request.
/// The session is emptied before any handler runs, so handlers and guards see nobody.
/// Registered inside the session middleware.
pub async fn end_stale_sessions(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let session = req.get_session();
    // Static files answer the same to everyone: no database read for them.
    let issued = (!req.path().starts_with("/static/"))
        .then(|| super::session::issued_under(&session))
        .flatten();
    if let Some((who, epoch)) = issued {
        let state = req
            .app_data::<web::Data<super::AppState>>()
            .cloned()
            .ok_or_else(|| {
                crate::error::AppError::Internal(anyhow::anyhow!("app state missing"))
            })?;
        let principal = crate::auth::sessions::principal(&who);
        let current = state
            .db
            .run(move |conn| crate::auth::sessions::current(conn, &principal))
            .await
            .map_err(crate::error::AppError::from)?;
        if current != epoch {
            super::session::forget(&session);
        }
    }
    next.call(req).await
}

/// Static files may be cached for a day.
pub fn static_cache_headers() -> DefaultHeaders {
    DefaultHeaders::new().add((header::CACHE_CONTROL, "public, max-age=86400"))
}

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage {
    p: Page,
    status: u16,
    message_key: &'static str,
}

impl ErrorPage {
    fn title_key(&self) -> &'static str {
        match self.status {
            400 => "error.title.400",
            403 => "error.title.403",
            404 => "error.title.404",
            409 => "error.title.409",
            422 => "error.title.422",
            429 => "error.title.429",
            503 => "error.title.503",
            s if s >= 500 => "error.title.500",
            _ => "error.title.400",
        }
    }
}

fn default_message(status: u16) -> &'static str {
    match status {
        403 => "error.forbidden",
        404 => "error.not_found",
        405 => "error.bad_request",
        413 => "error.too_large",
        429 => "error.too_many",
        503 => "error.busy",
        s if s >= 500 => "error.internal",
        _ => "error.bad_request",
    }
}

pub fn error_pages<B: 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(render_error_page)
}

fn render_error_page<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    if res.response().extensions().contains::<Rendered>() {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let message_key = res
        .response()
        .extensions()
        .get::<ErrorMessage>()
        .map(|m| m.0)
        .unwrap_or_else(|| default_message(status.as_u16()));
    let (req, old) = res.into_parts();
    let page = Page::from_request(&req, &mut Payload::None).into_inner();
    let body = page.ok().and_then(|p| {
        ErrorPage {
            p,
            status: status.as_u16(),
            message_key,
        }
        .render()
        .ok()
    });
    let mut response = HttpResponse::build(status);
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            response.append_header((name.clone(), value.clone()));
        }
    }
    let response = match body {
        Some(html) => response
            .insert_header((
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ))
            .body(html),
        None => response.finish(),
    };
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}
