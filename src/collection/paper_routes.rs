//! Paper ballots typed in by clerks: single entry, or double entry by two different clerks with
//! a reconciliation list for typings that differ. Collection sites are in `sites.rs`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::ballot::{self, BallotError, BallotForm, Suggestion, SuggestionInput};
use super::ballot_store::{self as ballots, Casting, Written};
use super::domain::RoundState;
use super::paper::{self, EntryState, NextStep, Typing};
use super::paper_store::{self, Site};
use super::routes::{base, load_round};
use super::store::{self as rounds, Round};
use crate::audit::{self, Action, Actor, Event};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::Form;
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
    })
}

/// The outcome of one typing, shown above a fresh form.
fn outcome_message(
    step: NextStep,
    written: Option<&Written>,
) -> Result<&'static str, &'static str> {
    match (step, written) {
        (NextStep::WaitForSecond, _) => Ok("paper.done.waiting"),
        (NextStep::SameClerk, _) => Err("paper.error.same_clerk"),
        (NextStep::AlreadySettled, _) => Err("paper.error.settled"),
        (NextStep::CompareWith(_), None) => Ok("paper.done.mismatch"),
        (NextStep::CompareWith(_), Some(Written::Stored { .. })) => Ok("paper.done.posted"),
        (NextStep::CompareWith(_), Some(w)) => Err(refusal(w)),
    }
}

pub(super) fn refusal(written: &Written) -> &'static str {
    match written {
        Written::SerialUsed => "paper.error.serial_used",
        Written::AlreadyPaper => "paper.error.already_paper",
        _ => "paper.error.changed",
    }
}

/// Posts a paper ballot (single entry, an agreeing second typing, or a reconciliation).
pub(super) fn post(
    conn: &mut DbConn,
    round: &Round,
    household_id: i64,
    serial: &str,
    site_id: Option<i64>,
    clerk: i64,
    list: &[Suggestion],
) -> Result<Written, AppError> {
    let group_id = rounds::roll_group(conn, round.id, household_id)?
        .ok_or(super::CollectionError::NotOnRoll)?;
    let casting = Casting {
        round_id: round.id,
        household_id,
        group_id,
        channel: "paper",
        paper_serial: Some(serial),
        site_id,
        entered_by: Some(clerk),
    };
    Ok(ballots::write(conn, &casting, 0, list)?)
}

async fn enter_paper(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<BallotForm>,
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
    let mut message = if round.state() != RoundState::Open {
        Some("round.error.not_open")
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
    let (r, v, staff_id) = (round.clone(), clerk.village.clone(), clerk.staff.id);
    let (n, s) = (number.clone(), serial.clone());
    let result = state
        .db
        .tx(move |conn| {
            use crate::db::schema::households as h;
            use diesel::prelude::*;
            let household: Option<i64> = h::table
                .filter(h::village_id.eq(v.id).and(h::number.eq(&n)))
                .select(h::id)
                .first(conn)
                .optional()?;
            let Some(household_id) = household else {
                return Err::<&'static str, AppError>(AppError::Conflict(
                    "paper.error.no_household",
                ));
            };
            if rounds::roll_group(conn, r.id, household_id)?.is_none() {
                return Err(AppError::Conflict("ballot.error.not_on_roll"));
            }
            let event = |detail: String| {
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::PaperEntry,
                    format!("round:{}", r.id),
                )
                .in_township(v.township_id)
                .detail(detail)
            };
            if !r.double_entry {
                let written = post(conn, &r, household_id, &s, site_id, staff_id, &list)?;
                if !matches!(written, Written::Stored { .. }) {
                    return Err(AppError::Conflict(refusal(&written)));
                }
                audit::record(
                    conn,
                    event(format!("household={household_id} serial={s} single"))
                        .from_address(&addr.0),
                )?;
                return Ok("paper.done.posted");
            }
            let earlier: Vec<paper::Earlier> = paper_store::entries_for_serial(conn, r.id, &s)?
                .iter()
                .filter_map(|e| {
                    Some(paper::Earlier {
                        id: e.id,
                        clerk: e.entered_by,
                        state: EntryState::parse(&e.state)?,
                    })
                })
                .collect();
            let step = paper::next_step(&earlier, staff_id);
            let typing = Typing {
                household_number: n.clone(),
                suggestions: list.clone(),
            };
            let content =
                serde_json::to_string(&typing).map_err(|e| AppError::Internal(e.into()))?;
            let written = match step {
                NextStep::SameClerk | NextStep::AlreadySettled => {
                    return outcome_message(step, None).map_err(AppError::Conflict);
                }
                NextStep::WaitForSecond => {
                    paper_store::add_entry(
                        conn,
                        r.id,
                        household_id,
                        &s,
                        site_id,
                        staff_id,
                        &content,
                    )?;
                    None
                }
                NextStep::CompareWith(first_id) => {
                    let entries = paper_store::entries_for_serial(conn, r.id, &s)?;
                    let first: Option<Typing> = entries
                        .iter()
                        .find(|e| e.id == first_id)
                        .and_then(|e| serde_json::from_str(&e.content).ok());
                    paper_store::add_entry(
                        conn,
                        r.id,
                        household_id,
                        &s,
                        site_id,
                        staff_id,
                        &content,
                    )?;
                    if first.is_some_and(|f| f.agrees_with(&typing)) {
                        let written = post(conn, &r, household_id, &s, site_id, staff_id, &list)?;
                        if !matches!(written, Written::Stored { .. }) {
                            return Err(AppError::Conflict(refusal(&written)));
                        }
                        paper_store::set_entries_state(conn, r.id, &s, "waiting", "posted")?;
                        Some(written)
                    } else {
                        paper_store::set_entries_state(conn, r.id, &s, "waiting", "mismatch")?;
                        None
                    }
                }
            };
            audit::record(
                conn,
                event(format!("household={household_id} serial={s} step={step:?}"))
                    .from_address(&addr.0),
            )?;
            // A refusal is an error so that the transaction rolls back: a typing is never kept
            // without its ballot and audit row.
            outcome_message(step, written.as_ref()).map_err(AppError::Conflict)
        })
        .await;
    match result {
        Ok(done) => render(&page(p, round, sites, Vec::new(), None, Some(done), false)),
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
