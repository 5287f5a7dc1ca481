//! The context every page template receives (`p`): language, CSRF token, who is signed in, and
//! kiosk chrome. Also the one helper that turns a template into a response.

use std::future::{Ready, ready};

use actix_session::{Session, SessionExt};
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload, web};

use super::AppState;
use super::session::{self, IdleLimits, Who};
use crate::error::{AppError, AppResult};
use crate::i18n::{LOCALE_COOKIE, Locale};

/// Marks a response whose body is a finished page, so the error-page middleware leaves it alone
/// (a form re-rendered with status 422 is such a page).
#[derive(Clone, Copy, Debug)]
pub struct Rendered;

/// Kiosk chrome: the page returns to the village's start screen after `idle_secs`.
#[derive(Clone, Debug)]
pub struct KioskChrome {
    pub village_code: String,
    pub idle_secs: u64,
}

#[derive(Clone)]
pub struct Page {
    pub locale: Locale,
    /// The session, so the CSRF token is made only when a page has a form: public pages that
    /// only show things set no cookie at all.
    session: Session,
    /// Path and query of this request, used to come back after switching language.
    pub here: String,
    pub who: Option<Who>,
    pub kiosk: Option<KioskChrome>,
    /// The village whose kiosk session this very request found over its idle limit and ended
    /// (see `session::seen`; a kiosk form sent now was not saved and the start screen says so).
    pub kiosk_ended: Option<i64>,
}

impl Page {
    pub fn t(&self, key: &str) -> String {
        self.locale.t(key)
    }

    /// The CSRF token for this page's forms.
    pub fn csrf(&self) -> String {
        super::csrf::token(&self.session)
    }

    /// A translation with one `%{name}` placeholder filled in.
    pub fn t1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.locale.t_with(key, &[(name, &value.to_string())])
    }

    /// A calendar date in the page's language.
    pub fn date(&self, date: &chrono::NaiveDate) -> String {
        crate::i18n::format_date(self.locale, *date)
    }

    /// A translation with two placeholders filled in.
    pub fn t2(
        &self,
        key: &str,
        n1: &str,
        v1: impl std::fmt::Display,
        n2: &str,
        v2: impl std::fmt::Display,
    ) -> String {
        self.locale
            .t_with(key, &[(n1, &v1.to_string()), (n2, &v2.to_string())])
    }

    pub fn lang(&self) -> &'static str {
        self.locale.code()
    }

    /// The link that switches to `code` and returns here.
    pub fn lang_href(&self, code: &str) -> String {
        format!("/lang/{code}?next={}", super::encode_query(&self.here))
    }

    pub fn is_staff(&self) -> bool {
        matches!(self.who, Some(Who::Staff { .. }))
    }

    pub fn is_household(&self) -> bool {
        matches!(self.who, Some(Who::Household { .. }))
    }

    pub fn who_label(&self) -> &str {
        self.who.as_ref().map(Who::label).unwrap_or("")
    }

    /// The same page as seen after signing out (the session was just purged).
    pub fn signed_out(mut self) -> Page {
        self.who = None;
        self
    }

    /// Turns this page into kiosk chrome for `village_code`.
    pub fn at_kiosk(mut self, village_code: &str, idle_secs: u64) -> Page {
        self.kiosk = Some(KioskChrome {
            village_code: village_code.to_string(),
            idle_secs,
        });
        self
    }

    pub fn locale_of(req: &HttpRequest) -> Locale {
        req.cookie(LOCALE_COOKIE)
            .map(|c| Locale::from_code(c.value()))
            .unwrap_or_default()
    }
}

impl FromRequest for Page {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.get_session();
        let seen = req
            .app_data::<web::Data<AppState>>()
            .map_or(session::Seen::Nobody, |state| {
                session::seen(&session, &idle_limits(&state.settings))
            });
        let (who, kiosk_ended) = match seen {
            session::Seen::SignedIn(who) => (Some(who), None),
            session::Seen::Nobody => (None, None),
            session::Seen::KioskEnded { village_id } => (None, Some(village_id)),
        };
        let here = match req.query_string() {
            "" => req.path().to_string(),
            q => format!("{}?{q}", req.path()),
        };
        ready(Ok(Page {
            locale: Page::locale_of(req),
            session,
            here,
            who,
            kiosk: None,
            kiosk_ended,
        }))
    }
}

pub fn idle_limits(settings: &crate::config::Settings) -> IdleLimits {
    IdleLimits {
        staff: settings.staff_idle_timeout,
        household: settings.household_idle_timeout,
        // The server must not end a session the page still shows: take the longer of the two.
        kiosk: settings.kiosk_idle_timeout.max(settings.kiosk_form_timeout),
    }
}

/// Renders a template as a 200 page.
pub fn render<T: askama::Template>(template: &T) -> AppResult<HttpResponse> {
    render_status(StatusCode::OK, template)
}

/// Renders a template with a chosen status (422 for a form returned with messages).
pub fn render_status<T: askama::Template>(
    status: StatusCode,
    template: &T,
) -> AppResult<HttpResponse> {
    let body = template
        .render()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("template: {e}")))?;
    let mut response = HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body);
    response.extensions_mut().insert(Rendered);
    Ok(response)
}

/// A 303 redirect after a successful POST.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location.to_string()))
        .finish()
}
