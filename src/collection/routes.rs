//! The clerk's round pages: list and create rounds, open / close / publish them, watch live
//! turnout, add a late household to the roll and void a ballot (both with a written reason).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::CollectionError;
use super::ballot::BallotChannel;
use super::ballot_store as ballots;
use super::commands::{self, round_path};
use super::domain::{self, RoundAction, RoundForm, RoundState};
use super::results::{Tally, from_counts, tally};
use super::store::{self as rounds, Round};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::villages::store::{Group, VillageRef, groups};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::{Form, TypedForm};
use crate::web::guards::Clerk;
use crate::web::kept::Kept;
use crate::web::page::{Page, render, render_status, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Full paths, no scope: an actix scope answers 404 for anything under its prefix that it
    // does not know, which would hide the paper routes registered beside these.
    cfg.route("/staff/v/{village}/rounds", web::get().to(list))
        .route("/staff/v/{village}/rounds/new", web::get().to(new_form))
        .route("/staff/v/{village}/rounds/new", web::post().to(create))
        .route("/staff/v/{village}/rounds/{round}", web::get().to(show))
        .route(
            "/staff/v/{village}/rounds/{round}/state",
            web::post().to(change_state),
        );
    super::corrections::configure(cfg);
    super::paper_routes::configure(cfg);
}

pub(super) fn base(village: &VillageRef, round: i64) -> String {
    round_path(village, round)
}

/// The clerk and village a command acts for.
pub(super) fn acting(clerk: &Clerk, addr: ClientAddr) -> commands::Clerk {
    commands::Clerk {
        staff_id: clerk.staff.id,
        village: clerk.village.clone(),
        address: addr.0,
    }
}

#[derive(Template)]
#[template(path = "collection/rounds.html")]
struct ListPage {
    p: Page,
    village: VillageRef,
    rounds: Vec<Round>,
}

async fn list(p: Page, clerk: Clerk, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let village_id = clerk.village.id;
    let rounds = state
        .db
        .run(move |conn| rounds::list(conn, village_id))
        .await
        .map_err(AppError::from)?;
    render(&ListPage {
        p,
        village: clerk.village,
        rounds,
    })
}

#[derive(Template)]
#[template(path = "collection/round_form.html")]
struct NewPage {
    p: Page,
    village: VillageRef,
    form: RoundForm,
    errors: FieldErrors,
    /// The one-time token that makes the form create one round, however often it is sent.
    once: String,
}

async fn new_form(p: Page, clerk: Clerk) -> AppResult<HttpResponse> {
    let now = crate::db::now();
    let year = chrono::Datelike::year(&now) + 1;
    let form = RoundForm {
        title: p.t1("round.default_title", "year", year),
        year: year.to_string(),
        opens_at: crate::time::to_local_input(now),
        closes_at: crate::time::to_local_input(now + chrono::TimeDelta::days(14)),
        min_suggestions: "1".into(),
        max_suggestions: "5".into(),
        categories: domain::DEFAULT_CATEGORIES.join("\n"),
        double_entry: String::new(),
        once: String::new(),
    };
    render(&NewPage {
        p,
        village: clerk.village,
        form,
        errors: FieldErrors::new(),
        once: crate::web::once::new_token(),
    })
}

async fn create(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    TypedForm(form, bad): TypedForm<RoundForm>,
) -> AppResult<HttpResponse> {
    let valid = match bad.check(domain::validate_round(&form)) {
        Ok(valid) => valid,
        Err(errors) => {
            // The same token goes back with the form: the round is still to be created once.
            let once = form.once.clone();
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &NewPage {
                    p,
                    village: clerk.village,
                    form,
                    errors,
                    once,
                },
            );
        }
    };
    let by = acting(&clerk, addr);
    let path = state
        .db
        .tx(move |conn| commands::create_round(conn, &by, &valid, &form.once))
        .await?;
    Ok(see_other(&path))
}

pub(super) async fn load_round(
    state: &AppState,
    village: &VillageRef,
    round_id: i64,
) -> AppResult<Round> {
    let village_id = village.id;
    state
        .db
        .run(move |conn| rounds::get(conn, village_id, round_id))
        .await?
        .ok_or_else(|| CollectionError::RoundNotFound.into())
}

/// The live (or final) count of a round, with group names.
pub(super) struct Counted {
    pub tally: Tally,
    pub groups: Vec<Group>,
    pub voided: i64,
    /// The counted suggestions the tally was made from (the public page lists them).
    pub suggestions: Vec<rounds::PublicSuggestion>,
    /// Voided ballots counted by the reason written (no household named).
    pub void_reasons: Vec<(String, i64)>,
    /// Additions to and removals from the frozen roll, by reason.
    pub roll_account: super::roll_changes::RollAccount,
}

impl Counted {
    pub fn group_name(&self, id: &i64) -> &str {
        self.groups
            .iter()
            .find(|g| g.id == *id)
            .map_or("", |g| g.name.as_str())
    }
}

pub(super) async fn count(state: &AppState, round: &Round) -> AppResult<Counted> {
    let (round_id, village_id, categories) = (round.id, round.village_id, round.categories());
    let closed = round.state.results_visible();
    state
        .db
        .run(move |conn| {
            let suggestions = rounds::counted_suggestions(conn, round_id)?;
            // A closed round was counted once when it closed; an open one is counted now.
            let tally = if closed {
                let stored = super::tally_store::stored(conn, round_id)?;
                from_counts(&stored.groups, &stored.categories, &categories)
            } else {
                let roll = rounds::roll_by_group(conn, round_id)?;
                let ballot_groups = rounds::counted_ballot_groups(conn, round_id)?;
                tally(
                    &roll,
                    ballot_groups,
                    suggestions.iter().map(|s| s.category.as_str()),
                    &categories,
                )
            };
            Ok::<_, AppError>(Counted {
                tally,
                groups: groups(conn, village_id)?,
                voided: rounds::voided_count(conn, round_id)?,
                void_reasons: super::voids::by_reason(conn, round_id)?,
                roll_account: super::roll_changes::account(conn, round_id)?,
                suggestions,
            })
        })
        .await
}

#[derive(Template)]
#[template(path = "collection/round.html")]
struct ShowPage {
    p: Page,
    village: VillageRef,
    round: Round,
    counted: Counted,
    channels: Vec<(BallotChannel, i64)>,
    late: Vec<(String, String)>,
    message: Option<&'static str>,
    /// Paper ballots typed once or with differing typings: (serial, what is missing).
    pending: Vec<(String, &'static str)>,
    /// Every voided ballot with its reason.
    voids: Vec<super::voids::Void>,
    /// Households taken off the roll: (户号, reason).
    removed: Vec<(String, String)>,
    /// A correction form (`roll`, `remove`, `void`) sent back as typed.
    kept: Kept,
    /// The supervisory board's remarks on the round.
    remarks: Vec<crate::supervision::remarks::Remark>,
}

impl ShowPage {
    fn when(&self, t: &chrono::NaiveDateTime) -> String {
        crate::i18n::format_time(self.p.locale, *t)
    }
    fn base(&self) -> String {
        base(&self.village, self.round.id)
    }
}

/// The clerk's round page; with a message, a form came back refused (422 when the form was
/// wrong, 409 when the round no longer allows it).
pub(super) async fn show_page(
    p: Page,
    state: &AppState,
    village: VillageRef,
    round: Round,
    message: Option<(StatusCode, &'static str)>,
    kept: Kept,
) -> AppResult<HttpResponse> {
    let counted = count(state, &round).await?;
    let round_id = round.id;
    let (channels, late, pending, voids, removed, remarks) = state
        .db
        .run(move |conn| {
            Ok::<_, AppError>((
                ballots::channel_counts(conn, round_id)?,
                rounds::late_additions(conn, round_id)?,
                pending_papers(conn, round_id)?,
                super::voids::list(conn, round_id)?,
                super::roll_changes::removals(conn, round_id)?,
                crate::supervision::remarks::of_round(conn, round_id)?,
            ))
        })
        .await?;
    let status = match message {
        Some((status, _)) => status,
        None if kept.is_sent() => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    render_status(
        status,
        &ShowPage {
            p,
            village,
            round,
            counted,
            channels,
            late,
            message: message.map(|(_, key)| key),
            pending,
            voids,
            removed,
            remarks,
            kept,
        },
    )
}

/// The papers that keep a round from closing, one line per serial.
fn pending_papers(
    conn: &mut crate::db::DbConn,
    round_id: i64,
) -> Result<Vec<(String, &'static str)>, crate::db::DbError> {
    use super::paper::EntryState;
    let mut pending: Vec<(String, &'static str)> = Vec::new();
    for (state, key) in [
        (EntryState::Waiting, "round.pending.typed_once"),
        (EntryState::Mismatch, "round.pending.mismatch"),
    ] {
        for entry in super::paper_store::entries_in_state(conn, round_id, state)? {
            if !pending
                .iter()
                .any(|(serial, _)| *serial == entry.paper_serial)
            {
                pending.push((entry.paper_serial, key));
            }
        }
    }
    Ok(pending)
}

async fn show(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let round = load_round(&state, &clerk.village, path.1).await?;
    show_page(p, &state, clerk.village, round, None, Kept::default()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StateForm {
    action: String,
}

async fn change_state(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<StateForm>,
) -> AppResult<HttpResponse> {
    let action = RoundAction::parse(&form.action).ok_or(AppError::BadRequest)?;
    let round_id = path.1;
    let by = acting(&clerk, addr);
    let changed = state
        .db
        .tx(move |conn| commands::change_state(conn, &by, round_id, action))
        .await;
    match changed {
        Ok(()) => Ok(see_other(&base(&clerk.village, round_id))),
        // Refused for unsettled paper: the round page lists each paper still pending.
        Err(AppError::Conflict(key @ "round.error.paper_pending")) => {
            let round = load_round(&state, &clerk.village, round_id).await?;
            let refusal = Some((StatusCode::CONFLICT, key));
            show_page(p, &state, clerk.village, round, refusal, Kept::default()).await
        }
        Err(other) => Err(other),
    }
}
