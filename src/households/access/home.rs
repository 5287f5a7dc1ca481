//! The household's own page (kiosk and phone): who is signed in, where it stands in the open
//! round, and the notices it may still object to.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::{Channel, village};
use crate::error::{AppError, AppResult};
use crate::households::domain::mask_name;
use crate::households::{HouseholdError, store};
use crate::notices::household::{OpenNotice, open_for_objection};
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::page::{Page, render, see_other};
use crate::web::session;

#[derive(Template)]
#[template(path = "households/home.html")]
struct HomePage {
    p: Page,
    village: VillageRef,
    number: String,
    masked_name: String,
    members: i32,
    logout: String,
    /// This channel's base path, for links to the ballot.
    base: String,
    /// The open round and where this household stands in it.
    round: Option<crate::collection::casting::RoundStatus>,
    /// Notices the household may still object to.
    open_notices: Vec<OpenNotice>,
    /// The village's open satisfaction review and whether this household took part.
    review: Option<crate::reviews::responding::ReviewStatus>,
}

impl HomePage {
    fn when(&self, t: &chrono::NaiveDateTime) -> String {
        crate::i18n::format_time(self.p.locale, *t)
    }
}

pub(super) async fn home(
    channel: Channel,
    p: Page,
    session: Session,
    state: web::Data<AppState>,
    code: String,
) -> AppResult<HttpResponse> {
    let village = village(&state, code).await?;
    let Some(id) = channel.household(&p, village.id) else {
        return Ok(see_other(&channel.start(&village.code)));
    };
    let village_id = village.id;
    let locale = p.locale;
    let (household, round, open_notices, review) = state
        .db
        .run(move |conn| {
            let household = store::get(conn, village_id, id)?.ok_or(HouseholdError::NotFound)?;
            let round = crate::collection::casting::status_for(conn, village_id, id)?;
            let notices = open_for_objection(conn, village_id, locale)?;
            let review = crate::reviews::responding::status_for(conn, village_id, id)?;
            Ok::<_, AppError>((household, round, notices, review))
        })
        .await?;
    // The kiosk session ends with anything the household wrote during it: a ballot or a review.
    let written_at = round
        .as_ref()
        .and_then(|r| r.written_at)
        .max(review.as_ref().and_then(|r| r.responded_at));
    if channel == Channel::Kiosk && crate::collection::handover::outlived(&session, written_at) {
        session::forget(&session);
        return Ok(see_other(&channel.start(&village.code)));
    }
    let p = channel.dress(p, &state, &village.code);
    let logout = channel.logout(&village.code);
    let base = channel.base(&village.code);
    render(&HomePage {
        p,
        number: household.number,
        masked_name: mask_name(&household.head_name),
        members: household.members,
        village,
        logout,
        base,
        round,
        open_notices,
        review,
    })
}
