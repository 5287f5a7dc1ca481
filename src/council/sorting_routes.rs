//! Sorting a closed round's suggestions into candidate projects (clerks and council members):
//! create, split and merge candidates with their source suggestions kept, add temporary
//! candidates, and publish the shortlist as a notice.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::candidate_store::{self as store, AttachError, Sorted, SourceSuggestion};
use super::sorting::{self, CandidateForm};
use crate::audit::{self, Action, Actor, Event};
use crate::collection::store::{self as rounds, Round};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::villages::store::{Group, VillageRef, groups};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::Form;
use crate::web::guards::Sorter;
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
    errors: FieldErrors,
    message: Option<&'static str>,
}

impl SortPage {
    fn base(&self) -> String {
        base(&self.village, self.round.id)
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
    errors: FieldErrors,
    message: Option<&'static str>,
) -> AppResult<HttpResponse> {
    let (round_id, village_id) = (round.id, village.id);
    let ((candidates, unattached), groups) = state
        .db
        .run(move |conn| {
            Ok::<_, AppError>((store::sorted(conn, round_id)?, groups(conn, village_id)?))
        })
        .await?;
    let status = if errors.is_empty() && message.is_none() {
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
            errors,
            message,
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
    page(p, &state, sorter.village, round, FieldErrors::new(), None).await
}

fn attach_message(e: AttachError) -> Result<&'static str, AppError> {
    match e {
        AttachError::NotInRound => Ok("candidate.error.not_in_round"),
        AttachError::Taken => Ok("candidate.error.taken"),
        AttachError::Db(e) => Err(e.into()),
    }
}

async fn create(
    p: Page,
    sorter: Sorter,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<CandidateForm>,
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
    let valid = match sorting::validate(&form, &round.categories(), &group_ids) {
        Ok(v) => v,
        Err(errors) => return page(p, &state, sorter.village, round, errors, None).await,
    };
    // Without source suggestions a candidate is a temporary one (临时新增项目), marked as such.
    let temporary = valid.suggestions.is_empty();
    let (v, staff, round_id) = (sorter.village.clone(), sorter.staff.id, round.id);
    let result = state
        .db
        .tx(move |conn| {
            let id = match store::create(conn, v.id, round_id, &valid, temporary, staff) {
                Ok(id) => id,
                Err(e) => return Err(AppError::Conflict(attach_message(e)?)),
            };
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff),
                    Action::CandidateCreate,
                    format!("candidate:{id}"),
                )
                .in_township(v.township_id)
                .from_address(&addr.0)
                .detail(format!(
                    "round={round_id} suggestions={} temporary={temporary}",
                    valid.suggestions.len()
                )),
            )?;
            Ok(())
        })
        .await;
    match result {
        Ok(()) => Ok(see_other(&base(&sorter.village, round.id))),
        Err(AppError::Conflict(message)) => {
            page(
                p,
                &state,
                sorter.village,
                round,
                FieldErrors::new(),
                Some(message),
            )
            .await
        }
        Err(other) => Err(other),
    }
}

#[derive(Deserialize, Default)]
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
    Form(form): Form<SplitForm>,
) -> AppResult<HttpResponse> {
    let round = closed_round(&state, &sorter.village, path.1).await?;
    let village_id = sorter.village.id;
    let old = state
        .db
        .run(move |conn| store::get(conn, village_id, path.2))
        .await?
        .filter(|c| c.round_id == Some(round.id))
        .ok_or(AppError::NotFound)?;
    let ids: Vec<i64> = form
        .suggestion
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    let title = form.title.trim().to_string();
    if ids.is_empty() || title.is_empty() || title.chars().count() > 60 || old.state != "candidate"
    {
        return page(
            p,
            &state,
            sorter.village,
            round,
            FieldErrors::new(),
            Some("candidate.error.split"),
        )
        .await;
    }
    let (v, staff, round_id) = (sorter.village.clone(), sorter.staff.id, round.id);
    state
        .db
        .tx(move |conn| {
            let fresh = sorting::ValidCandidate {
                title,
                description: old.description.clone(),
                category: old.category.clone(),
                group_id: old.group_id,
                rough_cost_fen: None,
                suggestions: Vec::new(),
            };
            let id = store::create(conn, v.id, round_id, &fresh, false, staff)
                .map_err(|e| attach_message(e).map_or_else(|e| e, AppError::Conflict))?;
            if store::move_suggestions(conn, old.id, id, &ids)? != ids.len() {
                return Err(AppError::Conflict("candidate.error.split"));
            }
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff),
                    Action::CandidateSplit,
                    format!("candidate:{}", old.id),
                )
                .in_township(v.township_id)
                .from_address(&addr.0)
                .detail(format!("new={id} moved={}", ids.len())),
            )?;
            Ok(())
        })
        .await?;
    Ok(see_other(&base(&sorter.village, round.id)))
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
    let from_id: i64 = form.from.parse().map_err(|_| AppError::BadRequest)?;
    let (v, staff, round_id, into_id) = (sorter.village.clone(), sorter.staff.id, round.id, path.2);
    state
        .db
        .tx(move |conn| {
            let into = store::get(conn, v.id, into_id)?
                .filter(|c| c.round_id == Some(round_id))
                .ok_or(AppError::NotFound)?;
            let from = store::get(conn, v.id, from_id)?
                .filter(|c| c.round_id == Some(round_id))
                .ok_or(AppError::NotFound)?;
            sorting::may_merge(
                into.id,
                from.id,
                into.state == "candidate",
                from.state == "candidate",
            )
            .map_err(|_| AppError::Conflict("candidate.error.merge"))?;
            store::merge(conn, into.id, from.id)?;
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff),
                    Action::CandidateMerge,
                    format!("candidate:{}", into.id),
                )
                .in_township(v.township_id)
                .from_address(&addr.0)
                .detail(format!("merged={}", from.id)),
            )?;
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(see_other(&base(&sorter.village, round.id)))
}
