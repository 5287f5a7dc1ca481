//! Corrections a clerk makes to an open round, each only with a written reason and audited:
//! adding a household registered after opening to the roll, and voiding a ballot (the household
//! may then cast again; the number of voids is published with the results).

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::ballot_store as ballots;
use super::domain::{self, RoundState};
use super::routes::{base, load_round, show_page};
use super::store::{self as rounds, Round};
use crate::audit::{self, Action, Actor, Event};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::Form;
use crate::web::guards::Clerk;
use crate::web::page::{Page, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/staff/v/{village}/rounds/{round}/roll",
        web::post().to(add_to_roll),
    )
    .route(
        "/staff/v/{village}/rounds/{round}/void",
        web::post().to(void),
    );
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NumberReason {
    number: String,
    reason: String,
}

/// Runs a change that needs a household of this village (by 户号) and a written reason, or
/// comes back to the round page with a message.
async fn with_reason(
    p: Page,
    clerk: Clerk,
    state: &AppState,
    round_id: i64,
    form: &NumberReason,
    need: RoundState,
) -> AppResult<Result<(Round, String, String, Clerk), HttpResponse>> {
    let round = load_round(state, &clerk.village, round_id).await?;
    let problem = if round.state() != need {
        Some("round.error.not_open")
    } else if !domain::valid_reason(&form.reason) {
        Some("round.error.reason")
    } else if !crate::households::domain::valid_number(form.number.trim()) {
        Some("round.error.number")
    } else {
        None
    };
    match problem {
        Some(message) => Ok(Err(show_page(
            p,
            state,
            clerk.village,
            round,
            Some(message),
        )
        .await?)),
        None => Ok(Ok((
            round,
            form.number.trim().to_string(),
            form.reason.trim().to_string(),
            clerk,
        ))),
    }
}

async fn add_to_roll(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<NumberReason>,
) -> AppResult<HttpResponse> {
    let (round, number, reason, clerk) =
        match with_reason(p.clone(), clerk, &state, path.1, &form, RoundState::Open).await? {
            Ok(found) => found,
            Err(page) => return Ok(page),
        };
    let (v, staff_id, round_id) = (clerk.village.clone(), clerk.staff.id, round.id);
    let added = state
        .db
        .tx(move |conn| {
            use crate::db::schema::households as h;
            use diesel::prelude::*;
            let found: Option<(i64, i64)> = h::table
                .filter(
                    h::village_id
                        .eq(v.id)
                        .and(h::number.eq(&number))
                        .and(h::status.eq("active")),
                )
                .select((h::id, h::group_id))
                .first(conn)
                .optional()?;
            let Some((household_id, group_id)) = found else {
                return Ok::<_, AppError>(Some("round.error.no_household"));
            };
            if !rounds::add_to_roll(conn, round_id, household_id, group_id, &reason, staff_id)? {
                return Ok(Some("round.error.already_on_roll"));
            }
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::RollAdd,
                    format!("round:{round_id}"),
                )
                .in_township(v.township_id)
                .from_address(&addr.0)
                .detail(format!("household={household_id}")),
            )?;
            Ok(None)
        })
        .await?;
    match added {
        None => Ok(see_other(&base(&clerk.village, round_id))),
        Some(message) => show_page(p, &state, clerk.village, round, Some(message)).await,
    }
}

async fn void(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<NumberReason>,
) -> AppResult<HttpResponse> {
    let (round, number, reason, clerk) =
        match with_reason(p.clone(), clerk, &state, path.1, &form, RoundState::Open).await? {
            Ok(found) => found,
            Err(page) => return Ok(page),
        };
    let (v, staff_id, round_id) = (clerk.village.clone(), clerk.staff.id, round.id);
    let voided = state
        .db
        .tx(move |conn| {
            let Some((household_id, ballot)) =
                ballots::find_by_number(conn, round_id, v.id, &number)?
            else {
                return Ok::<_, AppError>(Some("round.error.no_ballot"));
            };
            if !ballots::void(conn, round_id, ballot.id, &reason, staff_id)? {
                return Ok(Some("round.error.no_ballot"));
            }
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::BallotVoid,
                    format!("round:{round_id}"),
                )
                .in_township(v.township_id)
                .from_address(&addr.0)
                .detail(format!("household={household_id} ballot={}", ballot.id)),
            )?;
            Ok(None)
        })
        .await?;
    match voided {
        None => Ok(see_other(&base(&clerk.village, round_id))),
        Some(message) => show_page(p, &state, clerk.village, round, Some(message)).await,
    }
}
