//! `GET /staff/v/{village}/supervision`: the supervisors' read-only page. The guard admits only
//! staff holding the supervisor role over that village.

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;

use super::store;
use crate::collection::paper::{self, SiteCounts, SiteMismatch};
use crate::collection::paper_store::Site;
use crate::collection::store::{self as rounds_store, Round};
use crate::error::{AppError, AppResult};
use crate::notices::store::{self as notices_store, Notice, Objection};
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::guards::Supervisor;
use crate::web::page::{Page, render};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/v/{village}/supervision", web::get().to(overview));
}

/// A round as the board sees it.
struct RoundLine {
    round: Round,
    ballots: i64,
    voids: Vec<crate::collection::voids::Void>,
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
}

impl OverviewPage {
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
}

async fn overview(
    p: Page,
    supervisor: Supervisor,
    state: web::Data<AppState>,
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
            voids: r
                .voids
                .iter()
                .filter(|(id, _)| *id == round.id)
                .map(|(_, v)| v.clone())
                .collect(),
            round,
        })
        .collect();
    render(&OverviewPage {
        p,
        village: supervisor.village,
        rounds,
        sites,
        overdue,
    })
}
