//! Publishing a round's shortlist (候选项目公示): every open candidate with its support, as a
//! notice about the round, through the one way notices are published (the command is
//! `sorting_commands::publish_shortlist`).

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::commands::Who;
use super::sorting_commands;
use crate::error::AppResult;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::Form;
use crate::web::guards::Sorter;
use crate::web::page::see_other;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/staff/v/{village}/rounds/{round}/candidates/shortlist",
        web::post().to(shortlist),
    );
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShortlistForm {
    once: String,
}

/// Publishes the shortlist (every open candidate with its support) as a notice about the round;
/// a repeated submission of the same form lands on the notice the first one published.
async fn shortlist(
    sorter: Sorter,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<ShortlistForm>,
) -> AppResult<HttpResponse> {
    let who = Who {
        staff: sorter.staff.id,
        village: sorter.village.clone(),
        addr: addr.0.clone(),
    };
    let round = path.1;
    let page = state
        .db
        .tx(move |conn| sorting_commands::publish_shortlist(conn, &who, round, &form.once))
        .await?;
    Ok(see_other(&page))
}
