//! CSRF protection for every POST: a random token lives in the session and every form carries
//! it in a hidden `csrf` field. [`Form`] is the only way handlers read a form, so no POST can
//! skip the check.

use actix_session::{Session, SessionExt};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use futures_util::future::LocalBoxFuture;
use rand::RngCore;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::AppError;

const KEY: &str = "csrf";

/// The session's token, created on first use.
pub fn token(session: &Session) -> String {
    if let Ok(Some(existing)) = session.get::<String>(KEY) {
        return existing;
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let fresh = hex::encode(bytes);
    // A failed insert only means the next form will be refused with a clear message.
    let _ = session.insert(KEY, &fresh);
    fresh
}

/// Compares in constant time so the token cannot be guessed byte by byte.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub fn verify(session: &Session, submitted: Option<&str>) -> Result<(), AppError> {
    let expected = session.get::<String>(KEY).ok().flatten();
    match (expected, submitted) {
        (Some(expected), Some(submitted)) if same(&expected, submitted) => Ok(()),
        _ => Err(AppError::CsrfRejected),
    }
}

/// A url-encoded form whose CSRF token has been checked. Repeated keys (checkbox lists) are
/// read as sequences. Form structs should hold `String`s with `#[serde(default)]`, so that what
/// a person typed is validated by the domain and returned with messages, never refused here.
pub struct Form<T>(pub T);

/// The body of a form that carries nothing but its CSRF token (sign-out, reset buttons).
#[derive(Debug, Deserialize)]
pub struct NoFields {}

#[derive(Deserialize)]
struct TokenOnly {
    csrf: Option<String>,
}

impl<T: DeserializeOwned + 'static> FromRequest for Form<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let body = body.await.map_err(|err| {
                // An oversize body is the sender's size problem (413), not a malformed form.
                match err.as_error::<actix_web::error::PayloadError>() {
                    Some(actix_web::error::PayloadError::Overflow) => AppError::PayloadTooLarge,
                    _ => AppError::BadRequest,
                }
            })?;
            let token: TokenOnly =
                serde_html_form::from_bytes(&body).map_err(|_| AppError::BadRequest)?;
            verify(&req.get_session(), token.csrf.as_deref())?;
            if has_unsavable_text(&body) {
                // A NUL, another control character or bytes that are not UTF-8 cannot be stored
                // (PostgreSQL refuses NUL in text) and never come from a person typing: say so,
                // and nothing is written.
                return Err(AppError::Unprocessable("error.invalid_text"));
            }
            let value = serde_html_form::from_bytes(&body).map_err(|_| AppError::BadRequest)?;
            Ok(Form(value))
        })
    }
}

/// True when a url-encoded body holds text that cannot be stored: a control character other
/// than tab, line feed and carriage return (raw or percent-encoded), or bytes that are not UTF-8
/// once decoded.
fn has_unsavable_text(body: &[u8]) -> bool {
    let allowed = |b: u8| matches!(b, b'\t' | b'\n' | b'\r');
    let hex = |b: u8| (b as char).to_digit(16);
    let mut decoded = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let mut b = body[i];
        if b == b'%'
            && i + 2 < body.len()
            && let (Some(h), Some(l)) = (hex(body[i + 1]), hex(body[i + 2]))
        {
            b = (h * 16 + l) as u8;
            i += 2;
        }
        if (b < 0x20 && !allowed(b)) || b == 0x7f {
            return true;
        }
        decoded.push(b);
        i += 1;
    }
    std::str::from_utf8(&decoded).is_err()
}

#[cfg(test)]
mod tests {
    use super::{has_unsavable_text, same};

    #[test]
    fn control_characters_are_found_raw_or_encoded() {
        assert!(has_unsavable_text(b"title=a%00b"));
        assert!(has_unsavable_text(b"title=a%1fb"));
        assert!(has_unsavable_text(b"title=a%7Fb"));
        assert!(has_unsavable_text(b"title=a\x00b"));
        assert!(!has_unsavable_text(b"body=line%0D%0Aline%09tab"));
        assert!(!has_unsavable_text(b"title=%E6%9D%91%E9%81%93&x=100%25"));
        assert!(!has_unsavable_text(b"x=%"));
        assert!(!has_unsavable_text(b"x=%0"));
        assert!(has_unsavable_text(b"title=%FF%FE"), "not UTF-8");
        assert!(has_unsavable_text(b"title=\xff"), "not UTF-8, raw");
    }

    #[test]
    fn comparison_needs_equal_strings() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
        assert!(!same("", "a"));
    }
}
