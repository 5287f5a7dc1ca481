//! The one mapping from failures to what a person sees: an HTTP status and a page in their own
//! language saying what went wrong and what to do. Each part of the cycle has its own error enum
//! and converts into [`AppError`]; nothing user-caused ever panics or shows internals.

use actix_web::body::BoxBody;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, ResponseError};

use crate::db::DbError;

/// What the error page should say: an i18n key for the message.
#[derive(Clone, Copy, Debug)]
pub struct ErrorMessage(pub &'static str);

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// The form's CSRF token is missing or stale (for example an old tab, or a replayed form).
    #[error("csrf token rejected")]
    CsrfRejected,
    /// Login needed first; GET requests are sent to the login page and come back afterwards.
    #[error("login required")]
    LoginRequired { login_path: String, next: String },
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("unprocessable: {0}")]
    Unprocessable(&'static str),
    #[error("bad request")]
    BadRequest,
    /// The body exceeded the configured limit.
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("too many attempts")]
    TooManyRequests,
    /// Password hashing or the database writer is saturated; the person should try again in a
    /// moment.
    #[error("busy")]
    Busy,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<DbError> for AppError {
    fn from(err: DbError) -> Self {
        match err {
            // Too many commands waiting for the SQLite writer: like the password queue, the
            // person is told to retry rather than the queue growing without bound.
            DbError::Busy => AppError::Busy,
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(err: diesel::result::Error) -> Self {
        match err {
            diesel::result::Error::NotFound => AppError::NotFound,
            other => AppError::Internal(other.into()),
        }
    }
}

impl AppError {
    /// The i18n key of the sentence shown on the error page.
    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::NotFound => "error.not_found",
            AppError::Forbidden => "error.forbidden",
            AppError::CsrfRejected => "error.csrf",
            AppError::LoginRequired { .. } => "error.login_required",
            AppError::Conflict(key) | AppError::Unprocessable(key) => key,
            AppError::BadRequest => "error.bad_request",
            AppError::PayloadTooLarge => "error.too_large",
            AppError::TooManyRequests => "error.too_many",
            AppError::Busy => "error.busy",
            AppError::Internal(_) => "error.internal",
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::CsrfRejected => StatusCode::FORBIDDEN,
            AppError::LoginRequired { .. } => StatusCode::SEE_OTHER,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest => StatusCode::BAD_REQUEST,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The body is left empty here: the error-page middleware renders it with the request's
    /// language (this function cannot see the request).
    fn error_response(&self) -> HttpResponse<BoxBody> {
        if let AppError::Internal(err) = self {
            // The chain names tables and constraints, never form contents.
            tracing::error!(error = %format!("{err:#}"), "internal error");
        }
        if let AppError::LoginRequired { login_path, next } = self {
            let location = format!("{login_path}?next={}", crate::web::encode_query(next));
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, location))
                .finish();
        }
        let mut response = HttpResponse::build(self.status_code()).finish();
        response
            .extensions_mut()
            .insert(ErrorMessage(self.message_key()));
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;
