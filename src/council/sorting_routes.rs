//! Sorting a closed round's suggestions into candidate projects (clerks and council members):
//! create, split and merge candidates with their source suggestions kept, add temporary
//! candidates, and publish the shortlist as a notice. The writes are `sorting_commands`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::{Deserialize, Serialize};

use super::candidate_store::{self as store, Sorted, SourceSuggestion};
use super::commands::Who;
use super::sorting::{self, CandidateForm};
use super::sorting_commands;
use crate::collection::store::{self as rounds, Round};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::villages::store::{Group, VillageRef, groups};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::{Form, TypedForm};
use crate::web::guards::Sorter;
use crate::web::kept::Kept;
use crate::web::page::{Page, render_status, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Before the `{candidate}` routes, which would otherwise take "shortlist" for an id.
    super::shortlist::configure(cfg);
    cfg.route(
        "/staff/v/{village}/rounds/{round}/candidates",
        web::get().to(show),
    )
    .route(
        "/staff/v/{village}/rounds/{round}/candidates",
        web::post().to(create),
    )
    .route(
        "/staff/v/{village}/rounds/{round}/candidates/{candidate}/split",
        web::post().to(split),
    )
    .route(
        "/staff/v/{village}/rounds/{round}/candidates/{candidate}/merge",
        web::post().to(merge),
    );
}

pub(super) fn base(village: &VillageRef, round: i64) -> String {
    format!("/staff/v/{}/rounds/{round}/candidates", village.code)
}

/// A round whose suggestions may be sorted: closed or published.
pub(super) async fn closed_round(
    state: &AppState,
    village: &VillageRef,
    id: i64,
) -> AppResult<Round> {
    let village_id = village.id;
    let round = state
        .db
        .run(move |conn| rounds::get(conn, village_id, id))
        .await?
        .ok_or(AppError::NotFound)?;
    if !round.state().results_visible() {
        return Err(AppError::Conflict("candidate.error.round_open"));
    }
    Ok(round)
}

#[derive(Template)]
#[template(path = "council/candidates.html")]
struct SortPage {
    p: Page,
    village: VillageRef,
    round: Round,
    candidates: Vec<Sorted>,
    unattached: Vec<SourceSuggestion>,
    groups: Vec<Group>,
    categories: Vec<String>,
    /// The create form (`create`) or a split form (`split-{candidate}`) sent back as typed.
    kept: Kept,
    message: Option<&'static str>,
    /// One-time tokens of the "create candidate" and "publish shortlist" forms.
    once_create: String,
    once_shortlist: String,
}

impl SortPage {
    fn base(&self) -> String {
        base(&self.village, self.round.id)
    }
    fn split_form(&self, candidate: &i64) -> String {
        split_form(*candidate)
    }
    /// Whether `id` was ticked in the `suggestion` boxes of `form` when it came back.
    fn ticked(&self, form: &str, id: &i64) -> bool {
        self.kept.chose(form, "suggestion", &id.to_string())
    }
    fn money(&self, fen: &i64) -> String {
        crate::money::format_fen(*fen)
    }
    fn group_name(&self, id: &Option<i64>) -> String {
        match id {
            Some(g) => self
                .groups
                .iter()
                .find(|x| x.id == *g)
                .map_or(String::new(), |x| x.name.clone()),
            None => self.p.t("candidate.whole_village"),
        }
    }
}

async fn page(
    p: Page,
    state: &AppState,
    village: VillageRef,
    round: Round,
    kept: Kept,
    message: Option<&'static str>,
) -> AppResult<HttpResponse> {
    let (round_id, village_id) = (round.id, village.id);
    let ((candidates, unattached), groups) = state
        .db
        .run(move |conn| {
            Ok::<_, AppError>((store::sorted(conn, round_id)?, groups(conn, village_id)?))
        })
        .await?;
    let status = if !kept.is_sent() && message.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let categories = round.categories();
    render_status(
        status,
        &SortPage {
            p,
            village,
            round,
            candidates,
            unattached,
            groups,
            categories,
            kept,
            message,
            once_create: crate::web::once::new_token(),
            once_shortlist: crate::web::once::new_token(),
        },
    )
}

async fn show(
    p: Page,
    sorter: Sorter,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let round = closed_round(&state, &sorter.village, path.1).await?;
    page(p, &state, sorter.village, round, Kept::default(), None).await
}

fn who_of(sorter: &Sorter, addr: &ClientAddr) -> Who {
    Who {
        staff: sorter.staff.id,
        village: sorter.village.clone(),
        addr: addr.0.clone(),
    }
}

/// Re-renders the sorting page for a refusal (409 conflicts become a message on the page),
/// with the form as typed.
async fn refused(
    p: Page,
    state: &AppState,
    (sorter, round): (Sorter, Round),
    kept: Kept,
    result: AppResult<HttpResponse>,
) -> AppResult<HttpResponse> {
    match result {
        Err(AppError::Conflict(message)) => {
            page(p, state, sorter.village, round, kept, Some(message)).await
        }
        other => other,
    }
}

/// The name of a candidate's split form on the sorting page (one per candidate).
fn split_form(candidate: i64) -> String {
    format!("split-{candidate}")
}

async fn create(
    p: Page,
    sorter: Sorter,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<CandidateForm>,
) -> AppResult<HttpResponse> {
    let round = closed_round(&state, &sorter.village, path.1).await?;
    let village_id = sorter.village.id;
    let group_ids: Vec<i64> = state
        .db
        .run(move |conn| groups(conn, village_id))
        .await?
        .into_iter()
        .map(|g| g.id)
        .collect();
    let valid = match bad.check(sorting::validate(&form, &round.categories(), &group_ids)) {
        Ok(v) => v,
        Err(errors) => {
            let kept = Kept::new("create", &form, errors);
            return page(p, &state, sorter.village, round, kept, None).await;
        }
    };
    let (who, round_id, token) = (who_of(&sorter, &addr), round.id, form.once.clone());
    let result = state
        .db
        .tx(move |conn| sorting_commands::create_candidate(conn, &who, round_id, &valid, &token))
        .await
        .map(|target| see_other(&target));
    let kept = Kept::new("create", &form, FieldErrors::new());
    refused(p, &state, (sorter, round), kept, result).await
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct SplitForm {
    title: String,
    suggestion: Vec<String>,
}

async fn split(
    p: Page,
    sorter: Sorter,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    TypedForm(form, bad): TypedForm<SplitForm>,
) -> AppResult<HttpResponse> {
    let round = closed_round(&state, &sorter.village, path.1).await?;
    let ids: Vec<i64> = form
        .suggestion
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    let title = form.title.trim().to_string();
    let mut errors = FieldErrors::new();
    if ids.is_empty() {
        errors.add("suggestion", "candidate.error.split");
    }
    if !super::sorting::valid_title(&title) {
        errors.add("title", "candidate.error.split");
    }
    let name = split_form(path.2);
    if let Err(errors) = bad.check(errors.into_result(())) {
        let kept = Kept::new(name, &form, errors);
        return page(p, &state, sorter.village, round, kept, None).await;
    }
    let (who, round_id, candidate) = (who_of(&sorter, &addr), round.id, path.2);
    let target = base(&sorter.village, round.id);
    let result = state
        .db
        .tx(move |conn| {
            sorting_commands::split_candidate(conn, &who, round_id, candidate, &title, &ids)
        })
        .await
        .map(|()| see_other(&target));
    let kept = Kept::new(name, &form, FieldErrors::new());
    refused(p, &state, (sorter, round), kept, result).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MergeForm {
    from: String,
}

async fn merge(
    sorter: Sorter,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    Form(form): Form<MergeForm>,
) -> AppResult<HttpResponse> {
    let round = closed_round(&state, &sorter.village, path.1).await?;
    let from: i64 = form.from.parse().map_err(|_| AppError::BadRequest)?;
    let (who, round_id, into) = (who_of(&sorter, &addr), round.id, path.2);
    state
        .db
        .tx(move |conn| sorting_commands::merge_candidates(conn, &who, round_id, into, from))
        .await?;
    Ok(see_other(&base(&sorter.village, round.id)))
}
