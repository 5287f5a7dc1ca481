//! Conditional GETs for what never changes once closed: a closed round's results, a signed
//! meeting's record and its downloads, a published notice. The response carries a strong ETag
//! (SHA-256 of the body) and a browser or proxy that already holds it gets `304 Not Modified`
//! with no body. Pages are `private, no-cache` (they may carry a signed-in header or a language
//! choice, so only the browser keeps them and asks again); downloads are the same for everyone
//! and may be kept for a while by anyone. Anything still open is never marked and stays
//! `no-store` (see `middleware::secure_headers`).

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

/// Who may keep a copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cacheable {
    /// An HTML page: the browser only, revalidated on every use.
    Page,
    /// A download the same for everyone: any cache, for five minutes, then revalidated.
    Download,
}

impl Cacheable {
    fn cache_control(self) -> &'static str {
        match self {
            Cacheable::Page => "private, no-cache",
            Cacheable::Download => "public, max-age=300, must-revalidate",
        }
    }
}

/// The strong validator of a body.
pub fn etag_of(body: &[u8]) -> String {
    let digest = hex::encode(Sha256::digest(body));
    format!("\"{}\"", &digest[..32])
}

/// True when `If-None-Match` names `etag` (or is `*`).
fn matches(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag == etag || tag.strip_prefix("W/") == Some(etag))
}

/// Adds the validator to a complete 200 response, or answers 304 when the client holds it.
/// Anything else (an error page, a streamed body) passes through unchanged. A page asked for
/// with a cookie (someone signed in, perhaps at a shared kiosk) stays `no-store`.
pub fn conditional(req: &HttpRequest, response: HttpResponse, how: Cacheable) -> HttpResponse {
    if response.status() != StatusCode::OK
        || (how == Cacheable::Page && req.headers().contains_key(header::COOKIE))
    {
        return response;
    }
    let (head, body) = response.into_parts();
    let bytes = match body.try_into_bytes() {
        Ok(bytes) => bytes,
        Err(body) => return head.set_body(body),
    };
    let etag = etag_of(&bytes);
    let control = HeaderValue::from_static(how.cache_control());
    let tag = HeaderValue::from_str(&etag).unwrap_or_else(|_| HeaderValue::from_static("\"\""));
    if matches(req, &etag) {
        let mut not_modified = HttpResponse::NotModified().finish();
        not_modified.headers_mut().insert(header::ETAG, tag);
        not_modified
            .headers_mut()
            .insert(header::CACHE_CONTROL, control);
        return not_modified;
    }
    let mut full = head.set_body(BoxBody::new(bytes));
    full.headers_mut().insert(header::ETAG, tag);
    full.headers_mut().insert(header::CACHE_CONTROL, control);
    full
}

async fn apply(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
    how: Cacheable,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let response = next.call(req).await?.map_into_boxed_body();
    let (request, response) = response.into_parts();
    let response = conditional(&request, response, how);
    Ok(ServiceResponse::new(request, response))
}

/// Middleware for a public page's resource (`web::resource(..).wrap(from_fn(page))`).
pub async fn page(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    apply(req, next, Cacheable::Page).await
}

/// Middleware for a public download's resource.
pub async fn download(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    apply(req, next, Cacheable::Download).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn a_client_holding_the_tag_gets_304_and_others_the_body_with_the_tag() {
        let body = "已公示的内容";
        let tag = etag_of(body.as_bytes());
        let fresh = TestRequest::default().to_http_request();
        let full = conditional(&fresh, HttpResponse::Ok().body(body), Cacheable::Page);
        assert_eq!(full.status(), StatusCode::OK);
        assert_eq!(
            full.headers().get(header::ETAG).map(|v| v.to_str().ok()),
            Some(Some(tag.as_str()))
        );
        assert_eq!(
            full.headers()
                .get(header::CACHE_CONTROL)
                .and_then(|v| v.to_str().ok()),
            Some("private, no-cache")
        );
        let holding = TestRequest::default()
            .insert_header((header::IF_NONE_MATCH, format!("\"other\", {tag}")))
            .to_http_request();
        let again = conditional(&holding, HttpResponse::Ok().body(body), Cacheable::Download);
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        let stale = TestRequest::default()
            .insert_header((header::IF_NONE_MATCH, "\"older\""))
            .to_http_request();
        let changed = conditional(&stale, HttpResponse::Ok().body("新内容"), Cacheable::Page);
        assert_eq!(changed.status(), StatusCode::OK);
        let error = conditional(
            &holding,
            HttpResponse::NotFound().body(body),
            Cacheable::Page,
        );
        assert_eq!(
            error.status(),
            StatusCode::NOT_FOUND,
            "only a 200 is validated"
        );
    }
}
