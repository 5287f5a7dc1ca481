//! The receipt page. On a phone it shows the counting ballot's code with 修改户票; at the kiosk it
//! shows the code left behind by the confirmation (the household's session has already ended)
//! with one large 完成 button that clears the kiosk and returns to the start screen.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::ballot_store as ballots;
use super::casting::{Entry, context};
use super::handover;
use crate::error::{AppError, AppResult};
use crate::households::access::{Channel, village};
use crate::web::AppState;
use crate::web::page::{Page, render, see_other};

#[derive(Template)]
#[template(path = "collection/receipt.html")]
struct ReceiptPage {
    p: Page,
    base: String,
    title: String,
    receipt: String,
    paper: bool,
    /// What the clerks recorded from the household's paper ballot (its serial and suggestions),
    /// so the household can check the typing against what it wrote.
    recorded: Option<(String, Vec<super::ballot::Suggestion>)>,
    /// At the kiosk: where 完成 posts to end the session and return to the start screen.
    done: Option<String>,
}

pub(super) async fn show(
    p: Page,
    session: Session,
    state: web::Data<AppState>,
    channel: Channel,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let code = path.into_inner();
    if channel == Channel::Kiosk {
        // Shown for as long as a kiosk page stays (the idle limit), then never again.
        if let Some(left) = handover::left_receipt(&session, state.settings.kiosk_idle_timeout) {
            let village = village(&state, code).await?;
            return render(&ReceiptPage {
                p: channel.dress(p.signed_out(), &state, &village.code),
                base: channel.base(&village.code),
                title: left.round_title,
                receipt: left.receipt,
                paper: false,
                recorded: None,
                done: Some(channel.logout(&village.code)),
            });
        }
    }
    let ctx = match context(&state, &p, &session, (channel, false), code).await? {
        Entry::Ready(ctx) => ctx,
        Entry::SignIn(to) => return Ok(see_other(&to)),
    };
    let (round_id, household_id) = (ctx.round.id, ctx.household_id);
    let (ballot, recorded) = state
        .db
        .run(move |conn| {
            let Some(ballot) = ballots::current(conn, round_id, household_id)? else {
                return Err(AppError::NotFound);
            };
            let recorded = match (&ballot.paper_serial, ballot.channel.is_paper()) {
                (Some(serial), true) => Some((
                    serial.clone(),
                    ballots::suggestions_of(conn, ballot.id, ballot.version)?,
                )),
                _ => None,
            };
            Ok((ballot, recorded))
        })
        .await?;
    render(&ReceiptPage {
        p: ctx.channel.dress(p, &state, &ctx.village.code),
        base: ctx.channel.base(&ctx.village.code),
        title: ctx.round.title.clone(),
        receipt: ballot.receipt,
        paper: ballot.channel.is_paper(),
        recorded,
        done: (channel == Channel::Kiosk).then(|| channel.logout(&ctx.village.code)),
    })
}
