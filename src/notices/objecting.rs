//! A household objecting (提出异议) to a notice during its period, from the kiosk or its phone.
//! The text is public with its answer; who objected is never shown.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::commands::{self, NotFiled, ObjectionText};
use super::domain::{self, Phase};
use super::public::{published, village};
use super::states::ObjectionChannel;
use super::store::Notice;
use crate::error::AppResult;
use crate::households::access::{Channel, lost};
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::page::{Page, render_status, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    super::household::configure(cfg);
    cfg.route(
        "/kiosk/{village}/notices/{notice}/object",
        web::get().to(form),
    )
    .route(
        "/kiosk/{village}/notices/{notice}/object",
        web::post().to(file),
    )
    .route("/v/{village}/notices/{notice}/object", web::get().to(form))
    .route("/v/{village}/notices/{notice}/object", web::post().to(file));
}

#[derive(Template)]
#[template(path = "notices/object.html")]
struct ObjectPage {
    p: Page,
    notice: Notice,
    action: String,
    text: String,
    message: Option<&'static str>,
    /// Set once filed: when the answer is due.
    filed_due: Option<String>,
    /// The household's own page in this channel (at the kiosk: with its sign-out button).
    home: String,
}

enum Ready {
    Go(Box<(VillageRef, Notice, i64)>),
    SignIn(String),
}

/// `submitted`: the session of an objection sent; sent at the kiosk after its limit, it goes to
/// a start screen that says it was not filed.
async fn ready(
    state: &AppState,
    p: &Page,
    (channel, submitted): (Channel, Option<&Session>),
    code: String,
    id: i64,
) -> AppResult<Ready> {
    let village = village(state, code).await?;
    let Some(household) = channel.household(p, village.id) else {
        if let (Channel::Kiosk, Some(session)) = (channel, submitted) {
            lost::note_lost(p, session, village.id, lost::Lost::Objection);
        }
        return Ok(Ready::SignIn(channel.start(&village.code)));
    };
    let notice = published(state, &village, id).await?;
    Ok(Ready::Go(Box::new((village, notice, household))))
}

/// What the objection page shows besides the notice.
struct Shown {
    text: String,
    message: Option<&'static str>,
    filed_due: Option<String>,
}

fn page(
    p: Page,
    state: &AppState,
    channel: Channel,
    village: VillageRef,
    notice: Notice,
    shown: Shown,
) -> AppResult<HttpResponse> {
    let Shown {
        text,
        message,
        filed_due,
    } = shown;
    let action = format!(
        "{}/notices/{}/object",
        channel.base(&village.code),
        notice.id
    );
    let home = channel.home(&village.code);
    let p = channel.dress_form(p, state, &village.code);
    let status = match message {
        Some(m) if m == NotFiled::TooMany.message_key() => StatusCode::TOO_MANY_REQUESTS,
        Some(m) if m == NotFiled::OutOfPeriod.message_key() => StatusCode::CONFLICT,
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    render_status(
        status,
        &ObjectPage {
            p,
            notice,
            action,
            text,
            message,
            filed_due,
            home,
        },
    )
}

async fn form(
    p: Page,
    state: web::Data<AppState>,
    channel: Channel,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (code, id) = path.into_inner();
    match ready(&state, &p, (channel, None), code, id).await? {
        Ready::SignIn(to) => Ok(see_other(&to)),
        Ready::Go(found) => {
            let (village, notice, _) = *found;
            let message = (notice.phase(crate::db::now()) != Phase::InPeriod)
                .then_some(NotFiled::OutOfPeriod.message_key());
            page(
                p,
                &state,
                channel,
                village,
                notice,
                Shown {
                    text: String::new(),
                    message,
                    filed_due: None,
                },
            )
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ObjectionForm {
    body: String,
}

async fn file(
    p: Page,
    session: Session,
    state: web::Data<AppState>,
    channel: Channel,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<ObjectionForm>,
) -> AppResult<HttpResponse> {
    let (code, id) = path.into_inner();
    let (village, notice, household_id) =
        match ready(&state, &p, (channel, Some(&session)), code, id).await? {
            Ready::SignIn(to) => return Ok(see_other(&to)),
            Ready::Go(found) => *found,
        };
    // Checked first only to keep what was typed on the page; the command decides on the
    // period again under the notice's lock.
    let refused = bad.message().or_else(|| {
        (!domain::valid_text(&form.body, domain::OBJECTION_MAX)).then_some("objection.error.text")
    });
    if let Some(message) = refused {
        return page(
            p,
            &state,
            channel,
            village,
            notice,
            Shown {
                text: form.body,
                message: Some(message),
                filed_due: None,
            },
        );
    }
    let text = ObjectionText {
        notice_id: notice.id,
        channel: ObjectionChannel::Online,
        body: form.body.trim().to_string(),
    };
    let place = village.clone();
    let filed = state
        .db
        .tx(move |conn| commands::file_online(conn, &place, household_id, &text, &addr.0))
        .await?;
    let shown = match filed {
        Ok(due) => Shown {
            text: String::new(),
            message: None,
            filed_due: Some(crate::i18n::format_time(p.locale, due)),
        },
        Err(not_filed) => Shown {
            text: form.body,
            message: Some(not_filed.message_key()),
            filed_due: None,
        },
    };
    page(p, &state, channel, village, notice, shown)
}
