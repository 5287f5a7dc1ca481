//! The village's notice settings: the periods per kind (公示期) and the supervision phone printed
//! on A4 notices. Changing a period affects notices published later; a published notice keeps the
//! period it was published with, so none is ever shortened.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::{Deserialize, Serialize};

use super::domain::Kind;
use super::store;
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::guards::Clerk;
use crate::web::kept::Kept;
use crate::web::page::{Page, render_status, see_other};

/// Registered before the `{notice}` routes, which would otherwise take "periods" for an id.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/v/{village}/notices/periods", web::get().to(show))
        .route("/staff/v/{village}/notices/periods", web::post().to(set))
        .route(
            "/staff/v/{village}/notices/phone",
            web::post().to(set_phone),
        );
}

#[derive(Template)]
#[template(path = "notices/periods.html")]
struct PeriodsPage {
    p: Page,
    village: VillageRef,
    periods: Vec<(Kind, i32)>,
    /// A kind's period form sent back as typed.
    kept: Kept,
    /// The supervision phone: stored, or as typed when it was refused.
    phone: String,
    phone_error: Option<&'static str>,
}

impl PeriodsPage {
    /// The message of a form sent for no kind this page shows (a kind that does not exist).
    fn stray(&self) -> Option<&'static str> {
        let placed = self
            .periods
            .iter()
            .any(|(kind, _)| self.kept.is(&period_form(kind.as_str())));
        if placed { None } else { self.kept.first() }
    }
    fn period_form(&self, kind: &Kind) -> String {
        period_form(kind.as_str())
    }
    /// The days shown for `kind`: as typed when its form came back, else as stored.
    fn days(&self, kind: &Kind, stored: &i32) -> String {
        let form = period_form(kind.as_str());
        if self.kept.is(&form) {
            self.kept.get(&form, "days").to_string()
        } else {
            stored.to_string()
        }
    }
}

/// The name of a kind's form on the periods page (one per kind).
fn period_form(kind: &str) -> String {
    format!("period-{kind}")
}

async fn page(
    p: Page,
    state: &AppState,
    village: VillageRef,
    kept: Kept,
) -> AppResult<HttpResponse> {
    render_page(p, state, village, kept, None).await
}

/// The page; `typed` is a refused phone with its message, shown instead of the stored one.
async fn render_page(
    p: Page,
    state: &AppState,
    village: VillageRef,
    kept: Kept,
    typed: Option<(String, &'static str)>,
) -> AppResult<HttpResponse> {
    let village_id = village.id;
    let (periods, stored) = state
        .db
        .run(move |conn| {
            let periods = Kind::ALL
                .into_iter()
                .map(|k| Ok::<_, AppError>((k, store::period_days(conn, village_id, k)?)))
                .collect::<Result<Vec<_>, _>>()?;
            let phone = crate::villages::store::supervision_phone(conn, village_id)?;
            Ok::<_, AppError>((periods, phone))
        })
        .await?;
    let status = if kept.is_sent() || typed.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (phone, phone_error) = match typed {
        Some((text, key)) => (text, Some(key)),
        None => (stored, None),
    };
    render_status(
        status,
        &PeriodsPage {
            p,
            village,
            periods,
            kept,
            phone,
            phone_error,
        },
    )
}

async fn show(p: Page, clerk: Clerk, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    page(p, &state, clerk.village, Kept::default()).await
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct PeriodForm {
    kind: String,
    days: String,
}

async fn set(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    TypedForm(form, bad): TypedForm<PeriodForm>,
) -> AppResult<HttpResponse> {
    let mut errors = FieldErrors::new();
    let kind = Kind::parse(&form.kind);
    if kind.is_none() {
        errors.add("kind", "notice.error.period");
    }
    let days = form
        .days
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|d| (1..=90).contains(d));
    if days.is_none() {
        errors.add("days", "notice.error.period");
    }
    let checked = bad.check(match (kind, days) {
        (Some(kind), Some(days)) => Ok((kind, days)),
        _ => Err(errors),
    });
    let (kind, days) = match checked {
        Ok(read) => read,
        Err(errors) => {
            let kept = Kept::new(period_form(&form.kind), &form, errors);
            return page(p, &state, clerk.village, kept).await;
        }
    };
    let by = super::routes::acting(&clerk, addr);
    state
        .db
        .tx(move |conn| super::commands::set_period(conn, &by, kind, days))
        .await?;
    Ok(see_other(&format!(
        "/staff/v/{}/notices/periods",
        clerk.village.code
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PhoneForm {
    phone: String,
}

/// Sets the supervision phone; a refused number comes back in its field with the reason.
async fn set_phone(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    TypedForm(form, bad): TypedForm<PhoneForm>,
) -> AppResult<HttpResponse> {
    let checked = if bad.is_empty() {
        crate::villages::phone::valid_phone(&form.phone).ok_or("notices.phone_error")
    } else {
        Err(crate::web::text::FIELD_MESSAGE)
    };
    let phone = match checked {
        Ok(phone) => phone,
        Err(key) => {
            let typed = Some((form.phone, key));
            return render_page(p, &state, clerk.village, Kept::default(), typed).await;
        }
    };
    let by = super::routes::acting(&clerk, addr);
    state
        .db
        .tx(move |conn| super::commands::set_supervision_phone(conn, &by, &phone))
        .await?;
    Ok(see_other(&format!(
        "/staff/v/{}/notices/periods",
        clerk.village.code
    )))
}
