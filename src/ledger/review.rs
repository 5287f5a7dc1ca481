//! The supervisor's ledger pages: the village's funds with what waits, the entries of a fund
//! waiting for verification, and posting or rejecting one (dual control: never one's own).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::{Deserialize, Serialize};

use super::commands::{self, Outcome};
use super::domain::EntryState;
use super::routes::{acting, project_title, refusal_text};
use super::store::{self, Entry, Fund};
use super::view;
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::{Form, TypedForm};
use crate::web::guards::Supervisor;
use crate::web::kept::Kept;
use crate::web::page::{Page, render, render_status, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/staff/v/{village}/ledger-review",
        web::get().to(review_funds),
    )
    .route(
        "/staff/v/{village}/funds/{fund}/verify",
        web::get().to(verify_list),
    )
    .route(
        "/staff/v/{village}/funds/{fund}/entries/{entry}/post",
        web::post().to(post),
    )
    .route(
        "/staff/v/{village}/funds/{fund}/entries/{entry}/reject",
        web::post().to(reject),
    );
}

#[derive(Template)]
#[template(path = "ledger/verify.html")]
struct VerifyPage {
    p: Page,
    village: VillageRef,
    fund: Fund,
    pending: Vec<Entry>,
    projects: Vec<(i64, String)>,
    /// The pending entries' vouchers: (entry, attachment, file name).
    vouchers: Vec<(i64, i64, String)>,
    me: i64,
    message: Option<String>,
    refusals: Vec<String>,
    /// A rejection form sent back as typed.
    kept: Kept,
}

impl VerifyPage {
    fn reject_form(&self, entry: &i64) -> String {
        reject_form(*entry)
    }
    fn project_title(&self, id: &Option<i64>) -> String {
        project_title(&self.projects, id)
    }
}

async fn verify_page(
    p: Page,
    sup: Supervisor,
    state: &AppState,
    fund_id: i64,
    status: StatusCode,
    (message, refusals): (Option<String>, Vec<String>),
    kept: Kept,
) -> AppResult<HttpResponse> {
    let village_id = sup.village.id;
    let (fund, pending, projects, vouchers) = state
        .db
        .run(move |conn| {
            let fund = store::get_fund(conn, village_id, fund_id)?.ok_or(AppError::NotFound)?;
            let pending = store::entries_in(conn, fund.id, EntryState::Pending)?;
            let ids: Vec<i64> = pending.iter().map(|e| e.id).collect();
            let vouchers = super::vouchers::of_entries(conn, &ids)?;
            let projects = view::project_titles(conn, village_id)?;
            Ok::<_, AppError>((fund, pending, projects, vouchers))
        })
        .await?;
    render_status(
        status,
        &VerifyPage {
            p,
            me: sup.staff.id,
            village: sup.village,
            fund,
            pending,
            projects,
            vouchers,
            message,
            refusals,
            kept,
        },
    )
}

async fn verify_list(
    p: Page,
    sup: Supervisor,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let none = (None, Vec::new());
    verify_page(
        p,
        sup,
        &state,
        path.1,
        StatusCode::OK,
        none,
        Kept::default(),
    )
    .await
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct RejectForm {
    reason: String,
}

/// The name of an entry's rejection form on the verification page (one per entry).
fn reject_form(entry: i64) -> String {
    format!("reject-{entry}")
}

/// Renders the outcome of a decision: back to the list, or the list with why not.
async fn decided(
    p: Page,
    sup: Supervisor,
    state: &AppState,
    fund_id: i64,
    outcome: Outcome,
    kept: Kept,
) -> AppResult<HttpResponse> {
    let (status, key, refusals) = match outcome {
        Outcome::Done(_) => {
            let to = format!("/staff/v/{}/funds/{fund_id}/verify", sup.village.code);
            return Ok(see_other(&to));
        }
        Outcome::OwnEntry => (StatusCode::FORBIDDEN, "ledger.error.own_entry", Vec::new()),
        Outcome::Decided => (StatusCode::CONFLICT, "ledger.error.decided", Vec::new()),
        Outcome::Refused(r) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "ledger.error.refused_at_posting",
            r.iter().map(|r| refusal_text(&p, r)).collect(),
        ),
        Outcome::Invalid(_) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "ledger.error.reason",
            Vec::new(),
        ),
    };
    let message = Some(p.t(key));
    verify_page(p, sup, state, fund_id, status, (message, refusals), kept).await
}

async fn post(
    p: Page,
    sup: Supervisor,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    Form(_form): Form<std::collections::HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let (_, fund_id, entry_id) = path.into_inner();
    let by = acting(&sup.staff, &sup.village, addr);
    let outcome = state
        .db
        .tx(move |conn| commands::post(conn, &by, fund_id, entry_id))
        .await?;
    decided(p, sup, &state, fund_id, outcome, Kept::default()).await
}

async fn reject(
    p: Page,
    sup: Supervisor,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    TypedForm(form, bad): TypedForm<RejectForm>,
) -> AppResult<HttpResponse> {
    let (_, fund_id, entry_id) = path.into_inner();
    let reason = form.reason.trim().to_string();
    let mut errors = FieldErrors::new();
    if reason.is_empty() || reason.chars().count() > 500 {
        errors.add("reason", "ledger.error.reason");
    }
    let name = reject_form(entry_id);
    if let Err(errors) = bad.check(errors.into_result(())) {
        let kept = Kept::new(name, &form, errors);
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return verify_page(p, sup, &state, fund_id, status, (None, Vec::new()), kept).await;
    }
    let by = acting(&sup.staff, &sup.village, addr);
    let outcome = state
        .db
        .tx(move |conn| commands::reject(conn, &by, fund_id, entry_id, &reason))
        .await?;
    let kept = Kept::new(name, &form, FieldErrors::new());
    decided(p, sup, &state, fund_id, outcome, kept).await
}

#[derive(Template)]
#[template(path = "ledger/review_funds.html")]
struct ReviewFundsPage {
    p: Page,
    village: VillageRef,
    funds: Vec<(Fund, i64)>,
}

/// The supervisor's way in: the village's funds with how many entries wait for them.
async fn review_funds(
    p: Page,
    sup: Supervisor,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let village_id = sup.village.id;
    let funds = state
        .db
        .run(move |conn| {
            let mut out = Vec::new();
            for fund in store::funds_of(conn, village_id)? {
                let pending = store::pending_count(conn, fund.id)?;
                out.push((fund, pending));
            }
            Ok::<_, AppError>(out)
        })
        .await?;
    render(&ReviewFundsPage {
        p,
        village: sup.village,
        funds,
    })
}
