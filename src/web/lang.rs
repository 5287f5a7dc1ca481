//! Switching the interface language; the choice is kept in a cookie for a year.

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::{HttpResponse, http::header, web};
use serde::Deserialize;

use crate::i18n::{LOCALE_COOKIE, Locale};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/lang/{code}", web::get().to(switch));
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Next {
    next: String,
}

async fn switch(code: web::Path<String>, query: web::Query<Next>) -> HttpResponse {
    let locale = Locale::from_code(&code);
    let cookie = Cookie::build(LOCALE_COOKIE, locale.code())
        .path("/")
        .same_site(SameSite::Lax)
        .http_only(true)
        .max_age(Duration::days(365))
        .finish();
    HttpResponse::SeeOther()
        .cookie(cookie)
        .insert_header((header::LOCATION, super::safe_next(Some(&query.next), "/")))
        .finish()
}
