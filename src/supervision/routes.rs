//! `GET /staff/v/{village}/supervision`: the supervisors' page, and the one form on it, a remark
//! on a round. The guard admits only staff holding the supervisor role over that village.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use super::store;
use crate::collection::paper::{self, SiteCounts, SiteMismatch};
use crate::collection::paper_store::Site;
use crate::collection::store::{self as rounds_store, Round};
use crate::error::{AppError, AppResult};
use crate::notices::store::{self as notices_store, Notice, Objection};
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::guards::Supervisor;
use crate::web::page::{Page, render_status, see_other};

use super::records::{self, RollChange, Typing};
use super::remarks::{self, Remark};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/v/{village}/supervision", web::get().to(overview))
        .route(
            "/staff/v/{village}/supervision/rounds/{round}/remarks",
            web::post().to(remark),
        );
}

/// A round as the board sees it.
struct RoundLine {
    round: Round,
    ballots: i64,
    voids: Vec<crate::collection::voids::Void>,
    changes: Vec<RollChange>,
    typings: Vec<Typing>,
    remarks: Vec<Remark>,
}

/// A site with the round it belongs to and the paper ballots counted from it.
struct SiteLine {
    round_title: String,
    site: Site,
    entered: i64,
}

impl SiteLine {
    /// What does not add up on a signed certificate; nothing before it is signed.
    fn mismatches(&self) -> Vec<SiteMismatch> {
        let (Some(issued), Some(returned), Some(spoiled)) = (
            self.site.papers_issued,
            self.site.papers_returned,
            self.site.papers_spoiled,
        ) else {
            return Vec::new();
        };
        paper::certificate_mismatches(SiteCounts {
            issued: issued.into(),
            returned: returned.into(),
            spoiled: spoiled.into(),
            entered: self.entered,
        })
    }
}

/// An overdue objection with the title of the notice it objects to.
struct OverdueLine {
    notice_title: String,
    objection: Objection,
}

#[derive(Template)]
#[template(path = "supervision/overview.html")]
struct OverviewPage {
    p: Page,
    village: VillageRef,
    rounds: Vec<RoundLine>,
    sites: Vec<SiteLine>,
    overdue: Vec<OverdueLine>,
    /// A refused remark: (round, the text as typed, why).
    kept: Option<(i64, String, &'static str)>,
    /// The remark forms' one-time token.
    once: String,
}

impl OverviewPage {
    fn typing_key(&self, t: &Typing) -> &'static str {
        use crate::collection::paper::EntryState;
        match t.state {
            EntryState::Waiting => "supervision.typing.waiting",
            EntryState::Mismatch => "supervision.typing.mismatch",
            EntryState::Resolved => "supervision.typing.resolved",
            EntryState::Posted => "supervision.typing.posted",
        }
    }
    /// The remark typed for `round` when it came back refused, and why.
    fn kept_for(&self, round: &i64) -> (&str, Option<&'static str>) {
        match &self.kept {
            Some((id, text, key)) if id == round => (text.as_str(), Some(*key)),
            _ => ("", None),
        }
    }
    fn when(&self, t: &NaiveDateTime) -> String {
        crate::i18n::format_time(self.p.locale, *t)
    }
    fn mismatch_text(&self, line: &SiteLine, m: &SiteMismatch) -> String {
        match m {
            SiteMismatch::EnteredDiffers { expected } => self.p.t2(
                m.message_key(),
                "expected",
                expected,
                "entered",
                line.entered,
            ),
            other => self.p.t(other.message_key()),
        }
    }
}

/// Everything the page shows, read in one go: one query per list.
struct Reads {
    rounds: Vec<Round>,
    ballots: Vec<(i64, i64)>,
    voids: Vec<(i64, crate::collection::voids::Void)>,
    sites: Vec<(i64, Site)>,
    entered: Vec<(Option<i64>, i64)>,
    notices: Vec<Notice>,
    overdue: Vec<(i64, Objection)>,
    changes: Vec<RollChange>,
    typings: Vec<Typing>,
    remarks: Vec<Remark>,
}

async fn overview(
    p: Page,
    supervisor: Supervisor,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    page(p, supervisor, &state, None).await
}

async fn page(
    p: Page,
    supervisor: Supervisor,
    state: &AppState,
    kept: Option<(i64, String, &'static str)>,
) -> AppResult<HttpResponse> {
    let village_id = supervisor.village.id;
    let r = state
        .db
        .run(move |conn| {
            Ok::<_, AppError>(Reads {
                rounds: rounds_store::list(conn, village_id)?,
                ballots: store::counted_ballots_by_round(conn, village_id)?,
                voids: crate::collection::voids::list_in_village(conn, village_id)?,
                sites: store::sites_of_village(conn, village_id)?,
                entered: store::entered_by_site(conn, village_id)?,
                notices: notices_store::all(conn, village_id)?,
                overdue: notices_store::overdue(conn, village_id, crate::db::now())?,
                changes: records::roll_changes(conn, village_id)?,
                typings: records::typings(conn, village_id)?,
                remarks: remarks::of_village(conn, village_id)?,
            })
        })
        .await?;
    let count_of =
        |list: &[(i64, i64)], id: i64| list.iter().find(|(k, _)| *k == id).map_or(0, |(_, n)| *n);
    let title_of_round = |id: i64| {
        r.rounds
            .iter()
            .find(|round| round.id == id)
            .map(|round| round.title.clone())
            .unwrap_or_default()
    };
    let sites = r
        .sites
        .into_iter()
        .map(|(round_id, site)| SiteLine {
            round_title: title_of_round(round_id),
            entered: r
                .entered
                .iter()
                .find(|(id, _)| *id == Some(site.id))
                .map_or(0, |(_, n)| *n),
            site,
        })
        .collect();
    let overdue = r
        .overdue
        .into_iter()
        .map(|(notice_id, objection)| OverdueLine {
            notice_title: r
                .notices
                .iter()
                .find(|n| n.id == notice_id)
                .map(|n| n.title.clone())
                .unwrap_or_default(),
            objection,
        })
        .collect();
    let rounds = r
        .rounds
        .into_iter()
        .map(|round| RoundLine {
            ballots: count_of(&r.ballots, round.id),
            changes: of_round(&r.changes, round.id, |c| c.round_id),
            typings: of_round(&r.typings, round.id, |t| t.round_id),
            remarks: of_round(&r.remarks, round.id, |m| m.round_id),
            voids: r
                .voids
                .iter()
                .filter(|(id, _)| *id == round.id)
                .map(|(_, v)| v.clone())
                .collect(),
            round,
        })
        .collect();
    let status = if kept.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_status(
        status,
        &OverviewPage {
            p,
            village: supervisor.village,
            rounds,
            sites,
            overdue,
            kept,
            once: crate::web::once::new_token(),
        },
    )
}

/// The rows of one round.
fn of_round<T: Clone>(all: &[T], round: i64, round_of: impl Fn(&T) -> i64) -> Vec<T> {
    all.iter()
        .filter(|x| round_of(x) == round)
        .cloned()
        .collect()
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RemarkForm {
    body: String,
    once: String,
}

/// Records a remark on a round; an empty or over-long one comes back as typed with why.
async fn remark(
    p: Page,
    supervisor: Supervisor,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<RemarkForm>,
) -> AppResult<HttpResponse> {
    let round_id = path.1;
    let checked = if bad.is_empty() {
        remarks::valid_remark(&form.body).ok_or("supervision.remark_error")
    } else {
        Err(crate::web::text::FIELD_MESSAGE)
    };
    let body = match checked {
        Ok(body) => body,
        Err(key) => return page(p, supervisor, &state, Some((round_id, form.body, key))).await,
    };
    let by = remarks::Supervisor {
        staff_id: supervisor.staff.id,
        village: supervisor.village.clone(),
        address: addr.0,
    };
    let to = state
        .db
        .tx(move |conn| remarks::record(conn, &by, round_id, &body, &form.once))
        .await?;
    Ok(see_other(&to))
}
