//! The clerk's ledger pages: the village's funds (a new one per year), a fund with its figures,
//! its entries in every state and the form that records one, the monthly statement. The
//! supervisor's pages are in [`super::review`].

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::{Deserialize, Serialize};

use super::commands::{self, Outcome, Staff};
use super::domain::form::{EntryForm, FundForm, check_entry, check_fund};
use super::domain::{EntryKind, EntryState, HashAlgorithm, Refusal};
use super::store::{self, Entry, Fund};
use super::view::{self, Summary};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::guards::Clerk;
use crate::web::kept::{self, Kept};
use crate::web::once::new_token;
use crate::web::page::{Page, render, render_status, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/v/{village}/funds", web::get().to(list))
        .route("/staff/v/{village}/funds/new", web::post().to(create))
        .route("/staff/v/{village}/funds/{fund}", web::get().to(show))
        .route(
            "/staff/v/{village}/funds/{fund}/entries",
            web::post().to(record),
        )
        .route(
            "/staff/v/{village}/funds/{fund}/statement",
            web::post().to(statement),
        );
    super::review::configure(cfg);
    super::vouchers::configure(cfg);
}

pub(super) fn acting(
    staff: &crate::web::guards::StaffUser,
    village: &VillageRef,
    addr: ClientAddr,
) -> Staff {
    Staff {
        staff_id: staff.id,
        village: village.clone(),
        address: addr.0,
    }
}

/// A refusal as a sentence: the reason, with the amounts where it has them.
pub fn refusal_text(p: &Page, r: &Refusal) -> String {
    match r {
        Refusal::OverBudget { earmarked, spent } => {
            p.t2(r.message_key(), "budget", earmarked, "spent", spent)
        }
        Refusal::OverBalance { balance } => p.t1(r.message_key(), "balance", balance),
        Refusal::Status(s) => p.t1(r.message_key(), "status", s.as_str()),
        _ => p.t(r.message_key()),
    }
}

#[derive(Template)]
#[template(path = "ledger/funds.html")]
struct ListPage {
    p: Page,
    village: VillageRef,
    funds: Vec<Fund>,
    form: FundForm,
    errors: FieldErrors,
    once: String,
}

impl ListPage {
    fn algorithms(&self) -> &'static [HashAlgorithm] {
        HashAlgorithm::ALL
    }
}

async fn list(p: Page, clerk: Clerk, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let village_id = clerk.village.id;
    let funds = state
        .db
        .run(move |conn| store::funds_of(conn, village_id))
        .await?;
    render(&ListPage {
        p,
        village: clerk.village,
        funds,
        form: FundForm {
            algorithm: HashAlgorithm::Sha256.as_str().into(),
            ..FundForm::default()
        },
        errors: FieldErrors::new(),
        once: new_token(),
    })
}

async fn create(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    TypedForm(form, bad): TypedForm<FundForm>,
) -> AppResult<HttpResponse> {
    let outcome = match bad.check(check_fund(&form)) {
        Ok(input) => {
            let by = acting(&clerk.staff, &clerk.village, addr);
            let token = form.once.clone();
            state
                .db
                .tx(move |conn| commands::create_fund(conn, &by, &input, &token))
                .await?
        }
        Err(errors) => Outcome::Invalid(errors),
    };
    let errors = match outcome {
        Outcome::Done(to) => return Ok(see_other(&to)),
        Outcome::Invalid(errors) => errors,
        _ => return Err(AppError::Conflict("ledger.error.decided")),
    };
    let village_id = clerk.village.id;
    let funds = state
        .db
        .run(move |conn| store::funds_of(conn, village_id))
        .await?;
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &ListPage {
            p,
            village: clerk.village,
            funds,
            form,
            errors,
            once: new_token(),
        },
    )
}

/// Everything the clerk's fund page shows.
struct Loaded {
    fund: Fund,
    summary: Summary,
    pending: Vec<Entry>,
    rejected: Vec<Entry>,
    posted: Vec<Entry>,
    projects: Vec<(i64, String)>,
    /// Vouchers of the entries shown: (entry, attachment, file name).
    vouchers: Vec<(i64, i64, String)>,
}

async fn load(state: &AppState, village: &VillageRef, fund_id: i64) -> AppResult<Loaded> {
    let village_id = village.id;
    state
        .db
        .run(move |conn| {
            let fund = store::get_fund(conn, village_id, fund_id)?.ok_or(AppError::NotFound)?;
            let pending = store::entries_in(conn, fund.id, EntryState::Pending)?;
            let posted = store::posted_page(conn, fund.id, 0, 100)?;
            let ids: Vec<i64> = pending.iter().chain(&posted).map(|e| e.id).collect();
            Ok::<_, AppError>(Loaded {
                summary: view::summary(conn, &fund)?,
                vouchers: super::vouchers::of_entries(conn, &ids)?,
                pending,
                rejected: store::entries_in(conn, fund.id, EntryState::Rejected)?,
                posted,
                projects: view::project_titles(conn, village_id)?,
                fund,
            })
        })
        .await
}

#[derive(Template)]
#[template(path = "ledger/fund.html")]
struct FundPage {
    p: Page,
    village: VillageRef,
    l: Loaded,
    form: EntryForm,
    errors: FieldErrors,
    refusals: Vec<String>,
    once: String,
    statement_once: String,
    /// The statement form sent back as typed.
    kept: Kept,
}

impl FundPage {
    fn kinds(&self) -> &'static [EntryKind] {
        EntryKind::ALL
    }
    fn project_title(&self, id: &Option<i64>) -> String {
        project_title(&self.l.projects, id)
    }
    fn default_month(&self) -> String {
        super::view::today().format("%Y-%m").to_string()
    }
}

pub(super) fn project_title(projects: &[(i64, String)], id: &Option<i64>) -> String {
    id.and_then(|id| projects.iter().find(|p| p.0 == id))
        .map_or_else(String::new, |p| p.1.clone())
}

fn fresh_form() -> EntryForm {
    EntryForm {
        kind: EntryKind::Expense.as_str().into(),
        date: super::view::today().format("%Y-%m-%d").to_string(),
        ..EntryForm::default()
    }
}

async fn show(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let l = load(&state, &clerk.village, path.1).await?;
    render(&FundPage {
        p,
        village: clerk.village,
        l,
        form: fresh_form(),
        errors: FieldErrors::new(),
        refusals: Vec::new(),
        once: new_token(),
        statement_once: new_token(),
        kept: Kept::default(),
    })
}

async fn record(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<EntryForm>,
) -> AppResult<HttpResponse> {
    let fund_id = path.1;
    let outcome = match bad.check(check_entry(&form)) {
        Ok(input) => {
            let by = acting(&clerk.staff, &clerk.village, addr);
            let token = form.once.clone();
            state
                .db
                .tx(move |conn| commands::record(conn, &by, fund_id, &input, &token))
                .await?
        }
        Err(errors) => Outcome::Invalid(errors),
    };
    let (errors, refusals) = match outcome {
        Outcome::Done(to) => return Ok(see_other(&to)),
        Outcome::Invalid(errors) => (errors, Vec::new()),
        Outcome::Refused(r) => (FieldErrors::new(), r),
        Outcome::OwnEntry | Outcome::Decided => {
            return Err(AppError::Conflict("ledger.error.decided"));
        }
    };
    let l = load(&state, &clerk.village, fund_id).await?;
    let refusals = refusals.iter().map(|r| refusal_text(&p, r)).collect();
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &FundPage {
            p,
            village: clerk.village,
            l,
            form,
            errors,
            refusals,
            // A refused or invalid submission wrote nothing; the next one is a new attempt.
            once: new_token(),
            statement_once: new_token(),
            kept: Kept::default(),
        },
    )
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct StatementForm {
    month: String,
    once: String,
}

async fn statement(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<StatementForm>,
) -> AppResult<HttpResponse> {
    use chrono::Datelike;
    let fund_id = path.1;
    let month = chrono::NaiveDate::parse_from_str(&format!("{}-01", form.month.trim()), "%Y-%m-%d");
    let mut errors = FieldErrors::new();
    if month.is_err() {
        errors.add("month", "ledger.error.month");
    }
    let checked = bad.check(errors.into_result(month.unwrap_or_default()));
    let url = state
        .settings
        .absolute(&format!("/v/{}/funds/{fund_id}", clerk.village.code));
    let by = acting(&clerk.staff, &clerk.village, addr);
    let once = form.once.clone();
    let written = kept::write(
        &state.db,
        "statement",
        &form,
        checked,
        move |conn, month| {
            let ym = (month.year(), month.month());
            super::statement::draft(conn, &by, fund_id, ym, &url, &once)
        },
    )
    .await?;
    let kept = match written {
        Ok(Outcome::Done(to)) => return Ok(see_other(&to)),
        Ok(_) => return Err(AppError::Conflict("ledger.error.decided")),
        Err(kept) => kept,
    };
    let l = load(&state, &clerk.village, fund_id).await?;
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &FundPage {
            p,
            village: clerk.village,
            l,
            form: fresh_form(),
            errors: FieldErrors::new(),
            refusals: Vec::new(),
            once: new_token(),
            statement_once: new_token(),
            kept,
        },
    )
}
