//! The HTTP edge shared by every part: application state, session identity, CSRF-checked forms,
//! page context and rendering, role guards, and the middleware for headers and error pages.

pub mod client;
pub mod csrf;
pub mod guards;
pub mod kept;
pub mod lang;
pub mod middleware;
pub mod once;
pub mod page;
pub mod refusals;
pub mod revalidate;
pub mod session;
pub mod text;

use std::sync::Arc;

use crate::auth::password::PasswordPool;
use crate::config::Settings;
use crate::db::Db;

/// What every handler can reach through `web::Data<AppState>`.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub passwords: PasswordPool,
}

/// Percent-encodes a value for use in a query string.
pub fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Accepts a redirect target only if it is a path on this site, so `?next=` cannot send a
/// person elsewhere after login.
pub fn safe_next(next: Option<&str>, fallback: &str) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_string()
        }
        _ => fallback.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_must_stay_on_this_site() {
        assert_eq!(safe_next(Some("/staff"), "/"), "/staff");
        assert_eq!(safe_next(Some("//evil.example"), "/"), "/");
        assert_eq!(safe_next(Some("https://evil.example"), "/"), "/");
        assert_eq!(safe_next(Some("/\\evil"), "/"), "/");
        assert_eq!(safe_next(None, "/x"), "/x");
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(encode_query("/staff?a=1&b=2"), "/staff%3Fa%3D1%26b%3D2");
        assert_eq!(encode_query("户"), "%E6%88%B7");
    }
}
