//! Paper ballots typed in by clerks: single entry, or double entry by two different clerks with
//! a reconciliation list for typings that differ. Collection sites are in `sites.rs`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::ballot::{self, BallotError, BallotForm, SuggestionInput};
use super::paper_commands::{self, PaperBallot};
use super::paper_store::{self, Site};
use super::routes::{acting, base, load_round};
use super::store::Round;
use crate::error::{AppError, AppResult};
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::guards::Clerk;
use crate::web::page::{Page, render, render_status};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/staff/v/{village}/rounds/{round}/paper",
        web::get().to(paper_form),
    )
    .route(
        "/staff/v/{village}/rounds/{round}/paper",
        web::post().to(enter_paper),
    );
    super::reconcile::configure(cfg);
    super::sites::configure(cfg);
    super::paper_forms::configure(cfg);
}

#[derive(Template)]
#[template(path = "collection/paper.html")]
struct PaperPage {
    p: Page,
    village: VillageRef,
    round: Round,
    sites: Vec<Site>,
    number: String,
    serial: String,
    site: String,
    rows: Vec<SuggestionInput>,
    categories: Vec<String>,
    errors: Vec<BallotError>,
    message: Option<&'static str>,
    done: Option<&'static str>,
    /// The slip for the household whose paper now counts: (户号, serial, receipt code).
    slip: Option<(String, String, String)>,
}

impl PaperPage {
    fn error(&self, row: &usize, field: &str) -> Option<&'static str> {
        BallotError::find(&self.errors, *row, field).map(|e| e.message_key)
    }
    fn base(&self) -> String {
        base(&self.village, self.round.id)
    }
    fn site_value(&self, site: &Site) -> String {
        site.id.to_string()
    }
}

async fn site_list_of(state: &AppState, round_id: i64) -> AppResult<Vec<Site>> {
    Ok(state
        .db
        .run(move |conn| paper_store::sites(conn, round_id))
        .await?
        .into_iter()
        .map(|(s, _)| s)
        .collect())
}

async fn paper_form(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let round = load_round(&state, &clerk.village, path.1).await?;
    let sites = site_list_of(&state, round.id).await?;
    let rows = BallotForm::default().rows(usize::try_from(round.max_suggestions).unwrap_or(5));
    let categories = round.categories();
    render(&PaperPage {
        p,
        village: clerk.village,
        round,
        sites,
        number: String::new(),
        serial: String::new(),
        site: String::new(),
        rows,
        categories,
        errors: Vec::new(),
        message: None,
        done: None,
        slip: None,
    })
}

async fn enter_paper(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<BallotForm>,
) -> AppResult<HttpResponse> {
    let round = load_round(&state, &clerk.village, path.1).await?;
    let sites = site_list_of(&state, round.id).await?;
    let max = usize::try_from(round.max_suggestions).unwrap_or(5);
    let min = usize::try_from(round.min_suggestions).unwrap_or(1);
    let rows = form.rows(max);
    let number = form.number.trim().to_string();
    let serial = form.serial.trim().to_string();
    let site_id = form
        .site
        .parse::<i64>()
        .ok()
        .filter(|id| sites.iter().any(|s| s.id == *id));
    // The round's state is the command's to check, under the round's lock.
    // Text that had to be cleaned is not what was on the paper: shown again to be checked.
    let mut message = if let Some(key) = bad.message() {
        Some(key)
    } else if serial.is_empty() || serial.chars().count() > 30 {
        Some("paper.error.serial")
    } else {
        None
    };
    let checked = ballot::validate(&rows, &round.categories(), min, max);
    let categories = round.categories();
    let page = |p, round, sites, errors, message, done, keep: bool| PaperPage {
        p,
        village: clerk.village.clone(),
        round,
        sites,
        number: if keep {
            form.number.clone()
        } else {
            String::new()
        },
        serial: if keep {
            form.serial.clone()
        } else {
            String::new()
        },
        site: form.site.clone(),
        rows: if keep {
            rows.clone()
        } else {
            BallotForm::default().rows(max)
        },
        categories: categories.clone(),
        errors,
        message,
        done,
        slip: None,
    };
    let list = match (&message, checked) {
        (None, Ok(list)) => list,
        (_, Err(errors)) => {
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(
                    p,
                    round,
                    sites,
                    errors,
                    message.or(Some("form.fix_below")),
                    None,
                    true,
                ),
            );
        }
        (Some(_), _) => {
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(p, round, sites, Vec::new(), message, None, true),
            );
        }
    };
    let (slip_number, slip_serial) = (number.clone(), serial.clone());
    let typed = PaperBallot {
        round_id: round.id,
        number,
        serial,
        site_id,
        suggestions: list,
    };
    let by = acting(&clerk, addr);
    let result = state
        .db
        .tx(move |conn| paper_commands::enter(conn, &by, &typed))
        .await;
    match result {
        Ok(done) => {
            let mut shown = page(
                p,
                round,
                sites,
                Vec::new(),
                None,
                Some(done.message_key),
                false,
            );
            shown.slip = done.receipt.map(|code| (slip_number, slip_serial, code));
            render(&shown)
        }
        Err(AppError::Conflict(refused)) => {
            message = Some(refused);
            render_status(
                StatusCode::CONFLICT,
                &page(p, round, sites, Vec::new(), message, None, true),
            )
        }
        Err(other) => Err(other),
    }
}
