//! Publishing a round's shortlist (候选项目公示): every open candidate with its support, as a
//! notice about the round, through the one way notices are published.

use actix_web::{HttpResponse, web};

use super::candidate_store::{self as store, Sorted};
use super::sorting_routes::closed_round;
use crate::audit::{self, Action, Actor, Event};
use crate::error::{AppError, AppResult};
use crate::notices::domain::Kind;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::{Form, NoFields};
use crate::web::guards::Sorter;
use crate::web::page::see_other;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/staff/v/{village}/rounds/{round}/candidates/shortlist",
        web::post().to(shortlist),
    );
}

/// Publishes the shortlist (every open candidate with its support) as a notice about the round.
async fn shortlist(
    sorter: Sorter,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    _f: Form<NoFields>,
) -> AppResult<HttpResponse> {
    let round = closed_round(&state, &sorter.village, path.1).await?;
    let (v, staff, round_id, title) = (
        sorter.village.clone(),
        sorter.staff.id,
        round.id,
        round.title.clone(),
    );
    let notice = state
        .db
        .tx(move |conn| {
            let (list, _) = store::sorted(conn, round_id)?;
            let open: Vec<&Sorted> = list
                .iter()
                .filter(|s| s.candidate.state == "candidate")
                .collect();
            if open.is_empty() {
                return Err(AppError::Conflict("candidate.error.none"));
            }
            let mut body = format!("{title}：候选项目\n\n");
            for (n, s) in open.iter().enumerate() {
                let mark = if s.candidate.temporary {
                    "（临时新增）"
                } else {
                    ""
                };
                body.push_str(&format!(
                    "{}. {}{mark}（{}）— 支持户数 {}\n",
                    n + 1,
                    s.candidate.title,
                    s.candidate.category,
                    s.support
                ));
            }
            let draft = crate::notices::store::Draft {
                village_id: v.id,
                kind: Kind::Shortlist,
                title: &format!("{title} 候选项目公示"),
                body: &body,
                subject: Some(&format!("round:{round_id}")),
                supersedes: None,
                created_by: staff,
            };
            let notice = crate::notices::store::create_published(conn, &draft, crate::db::now())?;
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff),
                    Action::ShortlistPublish,
                    format!("notice:{}", notice.id),
                )
                .in_township(v.township_id)
                .from_address(&addr.0)
                .detail(format!("round={round_id} candidates={}", open.len())),
            )?;
            Ok(notice.id)
        })
        .await?;
    Ok(see_other(&format!(
        "/v/{}/notices/{notice}",
        sorter.village.code
    )))
}
