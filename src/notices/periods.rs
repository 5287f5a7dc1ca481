//! The village's notice periods per kind (公示期). Changing one affects notices published later;
//! a published notice keeps the period it was published with, so none is ever shortened.

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
        .route("/staff/v/{village}/notices/periods", web::post().to(set));
}

#[derive(Template)]
#[template(path = "notices/periods.html")]
struct PeriodsPage {
    p: Page,
    village: VillageRef,
    periods: Vec<(Kind, i32)>,
    /// A kind's period form sent back as typed.
    kept: Kept,
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
    let village_id = village.id;
    let periods = state
        .db
        .run(move |conn| {
            Kind::ALL
                .into_iter()
                .map(|k| Ok::<_, AppError>((k, store::period_days(conn, village_id, k)?)))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    let status = if kept.is_sent() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &PeriodsPage {
            p,
            village,
            periods,
            kept,
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
