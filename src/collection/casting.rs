//! A household casting or revising its ballot at the kiosk or on its phone: the form, a preview,
//! the confirmation (validated again, written in one transaction with its audit event) and the
//! receipt. A replayed or double-clicked confirmation finds the ballot changed and says so.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::CollectionError;
use super::ballot::{self, BallotChannel, BallotError, BallotForm, SuggestionInput};
use super::ballot_store::{self as ballots, Written};
use super::cast::{Cast, cast};
use super::domain::accepts_ballots;
use super::handover;
use super::store::{self as rounds, Round};
use crate::db::{DbConn, DbError};
use crate::error::{AppError, AppResult};
use crate::households::access::{Channel, lost, village};
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::page::{Page, render, render_status, see_other};
use crate::web::session;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // The same handlers serve both channels; `Channel` is read from the path. Full paths, no
    // scope: a scope on `/v/{village}` would answer 404 for the village's other pages.
    cfg.route(
        "/kiosk/{village}/idle.css",
        web::get().to(handover::idle_css),
    )
    .route("/kiosk/{village}/ballot", web::get().to(form))
    .route("/kiosk/{village}/ballot", web::post().to(preview_or_edit))
    .route("/kiosk/{village}/ballot/confirm", web::post().to(confirm))
    .route(
        "/kiosk/{village}/receipt",
        web::get().to(super::receipt::show),
    )
    .route("/v/{village}/ballot", web::get().to(form))
    .route("/v/{village}/ballot", web::post().to(preview_or_edit))
    .route("/v/{village}/ballot/confirm", web::post().to(confirm))
    .route("/v/{village}/receipt", web::get().to(super::receipt::show));
}

/// Where a household stands in its village's open round, for its home page.
#[derive(Clone, Debug)]
pub struct RoundStatus {
    pub title: String,
    pub on_roll: bool,
    /// The receipt of the ballot that counts, if any.
    pub receipt: Option<String>,
    pub paper: bool,
    /// When the counting ballot was last written.
    pub written_at: Option<chrono::NaiveDateTime>,
    /// The household's ballot was voided and nothing counts since: (when, the clerk's reason).
    pub voided: Option<(chrono::NaiveDateTime, String)>,
}

pub fn status_for(
    conn: &mut DbConn,
    village_id: i64,
    household_id: i64,
) -> Result<Option<RoundStatus>, DbError> {
    let Some(round) = rounds::open_round(conn, village_id)? else {
        return Ok(None);
    };
    let on_roll = rounds::roll_group(conn, round.id, household_id)?.is_some();
    let ballot = ballots::current(conn, round.id, household_id)?;
    let voided = match ballot {
        Some(_) => None,
        None => super::voids::voided_for(conn, round.id, household_id)?,
    };
    Ok(Some(RoundStatus {
        voided,
        title: round.title,
        on_roll,
        paper: ballot.as_ref().is_some_and(|b| b.channel.is_paper()),
        written_at: ballot.as_ref().map(|b| b.updated_at),
        receipt: ballot.map(|b| b.receipt),
    }))
}

/// The signed-in household, its village and the open round it may cast in.
pub(super) struct Context {
    pub(super) channel: Channel,
    pub(super) village: VillageRef,
    pub(super) household_id: i64,
    pub(super) round: Round,
    /// The ballot that counts now: (version, suggestions, channel).
    current: Option<(i32, Vec<ballot::Suggestion>, BallotChannel)>,
}

pub(super) enum Entry {
    Ready(Box<Context>),
    /// Not signed in here: go to the start screen.
    SignIn(String),
}

/// The household this request acts for and its open round. At the kiosk, a session that began
/// before the household's ballot was last written acts for nobody (see `handover`); a ballot
/// `submitted` after the kiosk's limit goes to a start screen that says it was not saved.
pub(super) async fn context(
    state: &AppState,
    p: &Page,
    session: &Session,
    (channel, submitted): (Channel, bool),
    code: String,
) -> AppResult<Entry> {
    let village = village(state, code).await?;
    let Some(household_id) = channel.household(p, village.id) else {
        if submitted && channel == Channel::Kiosk {
            lost::note_lost(p, session, village.id, lost::Lost::Ballot);
        }
        return Ok(Entry::SignIn(channel.start(&village.code)));
    };
    let village_id = village.id;
    let (round, current, written_at) = state
        .db
        .run(move |conn| {
            let round =
                rounds::open_round(conn, village_id)?.ok_or(CollectionError::NotAccepting)?;
            // Shown early (the form is of no use off the roll); the command checks it again.
            rounds::roll_group(conn, round.id, household_id)?.ok_or(CollectionError::NotOnRoll)?;
            let counting = ballots::current(conn, round.id, household_id)?;
            let written_at = counting.as_ref().map(|b| b.updated_at);
            let current = match counting {
                Some(b) => Some((
                    b.version,
                    ballots::suggestions_of(conn, b.id, b.version)?,
                    b.channel,
                )),
                None => None,
            };
            Ok::<_, AppError>((round, current, written_at))
        })
        .await?;
    if channel == Channel::Kiosk && handover::outlived(session, written_at) {
        session::forget(session);
        return Ok(Entry::SignIn(channel.start(&village.code)));
    }
    if round.state() == super::domain::RoundState::Open && crate::db::now() < round.opens_at {
        return Err(AppError::Conflict("ballot.error.not_yet_open"));
    }
    if !accepts_ballots(
        round.state(),
        round.opens_at,
        round.closes_at,
        crate::db::now(),
    ) {
        return Err(CollectionError::NotAccepting.into());
    }
    Ok(Entry::Ready(Box::new(Context {
        channel,
        village,
        household_id,
        round,
        current,
    })))
}

#[derive(Template)]
#[template(path = "collection/ballot_form.html")]
struct FormPage {
    p: Page,
    base: String,
    round: Round,
    categories: Vec<String>,
    rows: Vec<SuggestionInput>,
    expected_version: i32,
    errors: Vec<BallotError>,
    paper_locked: bool,
}

impl FormPage {
    fn error(&self, row: &usize, field: &str) -> Option<&'static str> {
        BallotError::find(&self.errors, *row, field).map(|e| e.message_key)
    }
    fn whole_errors(&self) -> Vec<&'static str> {
        self.errors
            .iter()
            .filter(|e| e.row == 0)
            .map(|e| e.message_key)
            .collect()
    }
}

fn form_page(
    p: Page,
    state: &AppState,
    ctx: &Context,
    rows: Vec<SuggestionInput>,
    expected_version: i32,
    errors: Vec<BallotError>,
) -> AppResult<HttpResponse> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        p: ctx.channel.dress_form(p, state, &ctx.village.code),
        base: ctx.channel.base(&ctx.village.code),
        categories: ctx.round.categories(),
        round: ctx.round.clone(),
        rows,
        expected_version,
        errors,
        paper_locked: ctx.current.as_ref().is_some_and(|c| c.2.is_paper()),
    };
    render_status(status, &page)
}

async fn form(
    p: Page,
    session: Session,
    state: web::Data<AppState>,
    channel: Channel,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let ctx = match context(&state, &p, &session, (channel, false), path.into_inner()).await? {
        Entry::Ready(ctx) => ctx,
        Entry::SignIn(to) => return Ok(see_other(&to)),
    };
    let max = usize::try_from(ctx.round.max_suggestions).unwrap_or(5);
    let (version, typed) = match &ctx.current {
        Some((version, list, _)) => (
            *version,
            list.iter().map(ballot::Suggestion::to_input).collect(),
        ),
        None => (0, Vec::new()),
    };
    let rows = BallotForm::default()
        .rows(max)
        .into_iter()
        .enumerate()
        .map(|(i, empty)| typed.get(i).cloned().unwrap_or(empty))
        .collect();
    form_page(p, &state, &ctx, rows, version, Vec::new())
}

#[derive(Template)]
#[template(path = "collection/ballot_preview.html")]
struct PreviewPage {
    p: Page,
    base: String,
    round: Round,
    suggestions: Vec<ballot::Suggestion>,
    expected_version: i32,
}

impl PreviewPage {
    fn money(&self, fen: &i64) -> String {
        crate::money::format_fen(*fen)
    }
}

/// The form's message when text had to be cleaned (`web::text`): above the whole ballot, since
/// the cleaned field names do not say which row.
fn cleaned() -> Vec<BallotError> {
    vec![BallotError {
        row: 0,
        field: "",
        message_key: crate::web::text::FIELD_MESSAGE,
    }]
}

fn check(
    ctx: &Context,
    form: &BallotForm,
) -> Result<Vec<ballot::Suggestion>, (Vec<SuggestionInput>, Vec<BallotError>)> {
    let max = usize::try_from(ctx.round.max_suggestions).unwrap_or(5);
    let min = usize::try_from(ctx.round.min_suggestions).unwrap_or(1);
    let rows = form.rows(max);
    ballot::validate(&rows, &ctx.round.categories(), min, max).map_err(|errors| (rows, errors))
}

async fn preview_or_edit(
    p: Page,
    session: Session,
    state: web::Data<AppState>,
    channel: Channel,
    path: web::Path<String>,
    TypedForm(submitted, bad): TypedForm<BallotForm>,
) -> AppResult<HttpResponse> {
    let ctx = match context(&state, &p, &session, (channel, true), path.into_inner()).await? {
        Entry::Ready(ctx) => ctx,
        Entry::SignIn(to) => return Ok(see_other(&to)),
    };
    let expected_version = submitted.expected_version.parse().unwrap_or(0);
    let max = usize::try_from(ctx.round.max_suggestions).unwrap_or(5);
    if !bad.is_empty() {
        let rows = submitted.rows(max);
        return form_page(p, &state, &ctx, rows, expected_version, cleaned());
    }
    if submitted.step == "edit" {
        return form_page(
            p,
            &state,
            &ctx,
            submitted.rows(max),
            expected_version,
            Vec::new(),
        );
    }
    match check(&ctx, &submitted) {
        Err((rows, errors)) => form_page(p, &state, &ctx, rows, expected_version, errors),
        Ok(suggestions) => render(&PreviewPage {
            p: ctx.channel.dress_form(p, &state, &ctx.village.code),
            base: ctx.channel.base(&ctx.village.code),
            round: ctx.round.clone(),
            suggestions,
            expected_version,
        }),
    }
}

#[derive(Template)]
#[template(path = "collection/ballot_refused.html")]
struct RefusedPage {
    p: Page,
    base: String,
    message: &'static str,
    receipt: Option<String>,
}

async fn confirm(
    p: Page,
    session: Session,
    state: web::Data<AppState>,
    channel: Channel,
    addr: ClientAddr,
    path: web::Path<String>,
    TypedForm(submitted, bad): TypedForm<BallotForm>,
) -> AppResult<HttpResponse> {
    let ctx = match context(&state, &p, &session, (channel, true), path.into_inner()).await? {
        Entry::Ready(ctx) => ctx,
        Entry::SignIn(to) => return Ok(see_other(&to)),
    };
    let expected_version = submitted.expected_version.parse().unwrap_or(-1);
    if !bad.is_empty() {
        // Nothing is cast from text that is not what was typed: the form again, as typed.
        let rows = submitted.rows(usize::try_from(ctx.round.max_suggestions).unwrap_or(5));
        return form_page(p, &state, &ctx, rows, expected_version.max(0), cleaned());
    }
    // Hidden fields come back from the browser: check everything again.
    let suggestions = match check(&ctx, &submitted) {
        Ok(list) => list,
        Err((rows, errors)) => {
            return form_page(p, &state, &ctx, rows, expected_version.max(0), errors);
        }
    };
    let (round_id, household_id) = (ctx.round.id, ctx.household_id);
    let command = Cast {
        village_id: ctx.village.id,
        township_id: ctx.village.township_id,
        round_id,
        household_id,
        channel: match ctx.channel {
            Channel::Kiosk => BallotChannel::Kiosk,
            Channel::Phone => BallotChannel::Phone,
        },
        expected_version,
        suggestions,
        address: addr.0,
    };
    let written = state.db.tx(move |conn| cast(conn, &command)).await?;
    let base = ctx.channel.base(&ctx.village.code);
    let message = match written {
        Written::Stored { receipt, .. } => {
            if ctx.channel == Channel::Kiosk {
                // The household is done with the kiosk: the next person starts from nothing.
                handover::hand_over(&session, ctx.round.title.clone(), receipt);
            }
            return Ok(see_other(&format!("{base}/receipt")));
        }
        Written::Changed => "ballot.error.changed",
        Written::PaperLocked | Written::AlreadyPaper | Written::SerialUsed => {
            "ballot.error.paper_locked"
        }
    };
    let receipt = state
        .db
        .run(move |conn| ballots::current(conn, round_id, household_id))
        .await?
        .map(|b| b.receipt);
    let page = RefusedPage {
        p: ctx.channel.dress(p, &state, &ctx.village.code),
        base,
        message,
        receipt,
    };
    render_status(StatusCode::CONFLICT, &page)
}
