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
use crate::web::text::{self, TextProblems};

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

/// Runs `f` (which empties the session) and puts this session's token back, so a form already
/// on screen can still be sent once (an idle kiosk session, see `session::seen`).
pub fn keep_token(session: &Session, f: impl FnOnce()) {
    let kept = session.get::<String>(KEY).ok().flatten();
    f();
    if let Some(token) = kept {
        let _ = session.insert(KEY, token);
    }
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
///
/// Text that cannot be stored (see `web::text`) is refused here with a page that says why: this
/// is the extractor of forms that carry nothing typed (buttons, choices). A form with typed
/// fields takes [`TypedForm`] and shows itself again instead.
pub struct Form<T>(pub T);

/// A [`Form`] whose text was cleaned (`web::text`), with the fields that had to be: the handler
/// puts `problems.check(…)` around its validation, so such a form comes back as a 422 with what
/// was typed and a message beside the field, and nothing is written.
pub struct TypedForm<T>(pub T, pub TextProblems);

/// The body of a form that carries nothing but its CSRF token (sign-out, reset buttons).
#[derive(Debug, Deserialize)]
pub struct NoFields {}

#[derive(Deserialize)]
struct TokenOnly {
    csrf: Option<String>,
}

/// Reads the body, cleans its text and checks the CSRF token: the form encoded again and the
/// fields that had to be cleaned.
async fn read(
    req: HttpRequest,
    body: impl std::future::Future<Output = Result<web::Bytes, actix_web::Error>>,
) -> Result<(Vec<u8>, TextProblems), AppError> {
    let body = body.await.map_err(|err| {
        // An oversize body is the sender's size problem (413), not a malformed form.
        match err.as_error::<actix_web::error::PayloadError>() {
            Some(actix_web::error::PayloadError::Overflow) => AppError::PayloadTooLarge,
            _ => AppError::BadRequest,
        }
    })?;
    let (pairs, problems) = text::clean_pairs(&body);
    let body = text::encode_pairs(&pairs);
    let token: TokenOnly = serde_html_form::from_bytes(&body).map_err(|_| AppError::BadRequest)?;
    verify(&req.get_session(), token.csrf.as_deref())?;
    Ok((body, problems))
}

impl<T: DeserializeOwned + 'static> FromRequest for Form<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let (body, problems) = read(req, body).await?;
            if !problems.is_empty() {
                // Nothing typed to show again: say why, and nothing is written.
                return Err(AppError::Unprocessable("error.invalid_text"));
            }
            let value = serde_html_form::from_bytes(&body).map_err(|_| AppError::BadRequest)?;
            Ok(Form(value))
        })
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for TypedForm<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let (body, problems) = read(req, body).await?;
            let value = serde_html_form::from_bytes(&body).map_err(|_| AppError::BadRequest)?;
            Ok(TypedForm(value, problems))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn comparison_needs_equal_strings() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
        assert!(!same("", "a"));
    }
}
