//! A household rating the items of its village's open review at the kiosk or on its phone:
//! the form, a "check your answers" step, the confirmation (validated again, written in one
//! transaction) and a thank-you page that names nobody. At the kiosk the confirmation ends the
//! household's session at once, as a ballot does (`collection::handover`): the next person
//! starts from the start screen and can neither see nor change the answers, and a replayed
//! cookie from before the response acts for nobody.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::ReviewError;
use super::commands::{Respond, respond};
use super::domain::{self, ItemAnswer, Rating, ResponseChannel};
use super::item_store::{self as items, Item};
use super::store::{self, Review};
use crate::collection::handover;
use crate::db::{DbConn, DbError};
use crate::error::{AppError, AppResult};
use crate::households::access::{Channel, lost, village};
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::page::{Page, render, render_status, see_other};
use crate::web::session;
use crate::web::text::TextProblems;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/kiosk/{village}/review", web::get().to(form))
        .route("/kiosk/{village}/review", web::post().to(preview_or_edit))
        .route("/kiosk/{village}/review/confirm", web::post().to(confirm))
        .route("/kiosk/{village}/review/done", web::get().to(done))
        .route("/v/{village}/review", web::get().to(form))
        .route("/v/{village}/review", web::post().to(preview_or_edit))
        .route("/v/{village}/review/confirm", web::post().to(confirm))
        .route("/v/{village}/review/done", web::get().to(done));
}

/// Where a household stands in its village's open review, for its home page.
#[derive(Clone, Debug)]
pub struct ReviewStatus {
    pub year: i32,
    pub half_key: &'static str,
    pub on_roll: bool,
    pub responded_at: Option<chrono::NaiveDateTime>,
}

pub fn status_for(
    conn: &mut DbConn,
    village_id: i64,
    household_id: i64,
) -> Result<Option<ReviewStatus>, DbError> {
    let Some(review) = store::open_review(conn, village_id)? else {
        return Ok(None);
    };
    Ok(Some(ReviewStatus {
        year: review.year,
        half_key: review.half.label_key(),
        on_roll: store::on_roll(conn, review.id, household_id)?,
        responded_at: store::responded_at(conn, review.id, household_id)?,
    }))
}

struct Context {
    channel: Channel,
    village: VillageRef,
    household_id: i64,
    review: Review,
    items: Vec<Item>,
    responded: bool,
}

enum Entry {
    Ready(Box<Context>),
    SignIn(String),
}

/// `submitted`: answers sent after the kiosk's limit go to a start screen that says so.
async fn context(
    state: &AppState,
    p: &Page,
    session: &Session,
    (channel, submitted): (Channel, bool),
    code: String,
) -> AppResult<Entry> {
    let village = village(state, code).await?;
    let Some(household_id) = channel.household(p, village.id) else {
        if submitted && channel == Channel::Kiosk {
            lost::note_lost(p, session, village.id, lost::Lost::Review);
        }
        return Ok(Entry::SignIn(channel.start(&village.code)));
    };
    let village_id = village.id;
    let (review, list, responded_at) = state
        .db
        .run(move |conn| {
            let review = store::open_review(conn, village_id)?.ok_or(ReviewError::NotOpen)?;
            if !store::on_roll(conn, review.id, household_id)? {
                return Err(ReviewError::NotOnRoll.into());
            }
            let responded_at = store::responded_at(conn, review.id, household_id)?;
            let list = items::items(conn, review.id)?;
            Ok::<_, AppError>((review, list, responded_at))
        })
        .await?;
    if channel == Channel::Kiosk && handover::outlived(session, responded_at) {
        session::forget(session);
        return Ok(Entry::SignIn(channel.start(&village.code)));
    }
    if !domain::states::accepts_responses(
        review.state,
        review.opens_at,
        review.closes_at,
        crate::db::now(),
    ) {
        return Err(ReviewError::NotOpen.into());
    }
    Ok(Entry::Ready(Box::new(Context {
        channel,
        village,
        household_id,
        review,
        items: list,
        responded: responded_at.is_some(),
    })))
}

/// One item's row on the form: what was chosen and typed, and its error.
#[derive(Clone, Debug)]
struct Row {
    item: Item,
    rating: String,
    comment: String,
    error: Option<&'static str>,
}

impl Row {
    fn rating_label(&self) -> &'static str {
        Rating::parse(&self.rating).map_or("", Rating::label_key)
    }
}

#[derive(Template)]
#[template(path = "reviews/respond.html")]
struct FormPage {
    p: Page,
    base: String,
    period: String,
    rows: Vec<Row>,
    ratings: &'static [Rating],
    has_errors: bool,
}

#[derive(Template)]
#[template(path = "reviews/preview.html")]
struct PreviewPage {
    p: Page,
    base: String,
    period: String,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "reviews/already.html")]
struct AlreadyPage {
    p: Page,
    home: String,
}

fn rows(ctx: &Context, typed: &HashMap<String, String>) -> Vec<Row> {
    ctx.items
        .iter()
        .map(|item| Row {
            item: item.clone(),
            rating: typed
                .get(&format!("rating-{}", item.id))
                .cloned()
                .unwrap_or_default(),
            comment: typed
                .get(&format!("comment-{}", item.id))
                .cloned()
                .unwrap_or_default(),
            error: None,
        })
        .collect()
}

fn check(ctx: &Context, typed: &HashMap<String, String>) -> Result<Vec<ItemAnswer>, Vec<Row>> {
    let ids: Vec<i64> = ctx.items.iter().map(|i| i.id).collect();
    let sent: Vec<(i64, String, String)> = ctx
        .items
        .iter()
        .map(|i| {
            (
                i.id,
                typed
                    .get(&format!("rating-{}", i.id))
                    .cloned()
                    .unwrap_or_default(),
                typed
                    .get(&format!("comment-{}", i.id))
                    .cloned()
                    .unwrap_or_default(),
            )
        })
        .collect();
    domain::validate_response(&ids, &sent).map_err(|errors| {
        let mut list = rows(ctx, typed);
        for row in &mut list {
            row.error = errors
                .iter()
                .find(|(id, _)| *id == row.item.id)
                .map(|(_, k)| *k);
        }
        list
    })
}

/// The rows as typed, with the message beside each row whose text had to be cleaned
/// (`web::text`); a cleaned field of no row is said beside the first.
fn cleaned(ctx: &Context, typed: &HashMap<String, String>, bad: &TextProblems) -> Vec<Row> {
    let mut list = rows(ctx, typed);
    let hit = |id: i64| {
        let (rating, comment) = (format!("rating-{id}"), format!("comment-{id}"));
        bad.fields().iter().any(|f| *f == rating || *f == comment)
    };
    let placed = list.iter().any(|r| hit(r.item.id));
    for (i, row) in list.iter_mut().enumerate() {
        if hit(row.item.id) || (!placed && i == 0) {
            row.error = bad.message();
        }
    }
    list
}

fn period(p: &Page, review: &Review) -> String {
    super::routes::period_label(p, review)
}

fn form_page(p: Page, state: &AppState, ctx: &Context, rows: Vec<Row>) -> AppResult<HttpResponse> {
    let has_errors = rows.iter().any(|r| r.error.is_some());
    let page = FormPage {
        period: period(&p, &ctx.review),
        p: ctx.channel.dress_form(p, state, &ctx.village.code),
        base: ctx.channel.base(&ctx.village.code),
        rows,
        ratings: Rating::ALL,
        has_errors,
    };
    let status = if has_errors {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(status, &page)
}

fn already(p: Page, state: &AppState, ctx: &Context) -> AppResult<HttpResponse> {
    render_status(
        StatusCode::CONFLICT,
        &AlreadyPage {
            p: ctx.channel.dress(p, state, &ctx.village.code),
            home: ctx.channel.home(&ctx.village.code),
        },
    )
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
    if ctx.responded {
        return already(p, &state, &ctx);
    }
    let empty = rows(&ctx, &HashMap::new());
    form_page(p, &state, &ctx, empty)
}

async fn preview_or_edit(
    p: Page,
    session: Session,
    state: web::Data<AppState>,
    channel: Channel,
    path: web::Path<String>,
    TypedForm(typed, bad): TypedForm<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let ctx = match context(&state, &p, &session, (channel, true), path.into_inner()).await? {
        Entry::Ready(ctx) => ctx,
        Entry::SignIn(to) => return Ok(see_other(&to)),
    };
    if ctx.responded {
        return already(p, &state, &ctx);
    }
    if !bad.is_empty() {
        return form_page(p, &state, &ctx, cleaned(&ctx, &typed, &bad));
    }
    if typed.get("step").map(String::as_str) == Some("edit") {
        let kept = rows(&ctx, &typed);
        return form_page(p, &state, &ctx, kept);
    }
    match check(&ctx, &typed) {
        Err(with_errors) => form_page(p, &state, &ctx, with_errors),
        Ok(_) => render(&PreviewPage {
            period: period(&p, &ctx.review),
            p: ctx.channel.dress_form(p, &state, &ctx.village.code),
            base: ctx.channel.base(&ctx.village.code),
            rows: rows(&ctx, &typed),
        }),
    }
}

async fn confirm(
    p: Page,
    session: Session,
    state: web::Data<AppState>,
    channel: Channel,
    addr: ClientAddr,
    path: web::Path<String>,
    TypedForm(typed, bad): TypedForm<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let ctx = match context(&state, &p, &session, (channel, true), path.into_inner()).await? {
        Entry::Ready(ctx) => ctx,
        Entry::SignIn(to) => return Ok(see_other(&to)),
    };
    if ctx.responded {
        return already(p, &state, &ctx);
    }
    if !bad.is_empty() {
        return form_page(p, &state, &ctx, cleaned(&ctx, &typed, &bad));
    }
    let answers = match check(&ctx, &typed) {
        Ok(answers) => answers,
        Err(with_errors) => return form_page(p, &state, &ctx, with_errors),
    };
    let command = Respond {
        village_id: ctx.village.id,
        township_id: ctx.village.township_id,
        review_id: ctx.review.id,
        household_id: ctx.household_id,
        channel: match ctx.channel {
            Channel::Kiosk => ResponseChannel::Kiosk,
            Channel::Phone => ResponseChannel::Phone,
        },
        entered_by: None,
        answers,
        address: addr.0,
    };
    match state.db.tx(move |conn| respond(conn, &command)).await {
        Ok(()) => {}
        Err(AppError::Conflict("review.error.already")) => return already(p, &state, &ctx),
        Err(other) => return Err(other),
    }
    if ctx.channel == Channel::Kiosk {
        // The household is done with the kiosk: the next person starts from nothing.
        session::forget(&session);
    }
    Ok(see_other(&format!(
        "{}/review/done",
        ctx.channel.base(&ctx.village.code)
    )))
}

#[derive(Template)]
#[template(path = "reviews/done.html")]
struct DonePage {
    p: Page,
    start: String,
    home: Option<String>,
}

/// The thank-you page: names no household and shows no answer.
async fn done(
    p: Page,
    state: web::Data<AppState>,
    channel: Channel,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let village = village(&state, path.into_inner()).await?;
    let signed_in = channel.household(&p, village.id).is_some();
    let home = signed_in.then(|| channel.home(&village.code));
    let start = channel.start(&village.code);
    render(&DonePage {
        p: channel.dress(p, &state, &village.code),
        start,
        home,
    })
}
