//! Everything a project's public page tells, read in one go: the source suggestions with their
//! support (distinct households, computed, never typed), the candidate, the approval motion and
//! its outcome, every plan version with its vote, the plan notices with objections and answers,
//! progress, inspections and acceptance. Other parts add their rows through [`hooks`]: the
//! ledger (spending) and reviews (satisfaction, flags) return [`Entry`] lines there.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::plan_store::{self, Plan};
use super::scope::plan_notice_subject;
use super::store::Project;
use super::work_commands::acceptance_subject;
use super::work_store::{self, Acceptance, Inspection, Progress};
use crate::council::candidate_store::{self, Candidate};
use crate::db::schema::{candidate_suggestions as cs, motions as mo, notices as n};
use crate::db::{DbConn, DbError};
use crate::notices::states::NoticeState;
use crate::notices::store::{self as notices, Notice, Objection};

/// A line another part adds to a project's timeline: when, a heading (an i18n key), the text
/// (data, shown as written) and an optional link (a public page).
#[derive(Clone, Debug)]
pub struct Entry {
    pub at: NaiveDateTime,
    pub heading_key: &'static str,
    pub text: String,
    pub href: Option<String>,
}

/// THE HOOK for other parts: the ledger's spending and the reviews' ratings and flags of a
/// project, as timeline entries. Empty until those parts are wired in here (the lead adds one
/// line per part, e.g. `out.extend(crate::ledger::timeline::entries(conn, village_id, project_id)?)`).
pub fn hooks(
    _conn: &mut DbConn,
    _village_id: i64,
    _project_id: i64,
) -> Result<Vec<Entry>, DbError> {
    let out = Vec::new();
    Ok(out)
}

/// A source suggestion as the public sees it: no household.
#[derive(Clone, Debug)]
pub struct Source {
    pub title: String,
    pub place: String,
}

/// The motion that decided something; its outcome in words is [`Timeline::outcome`].
#[derive(Clone, Debug)]
pub struct Decision {
    pub id: i64,
    pub meeting_id: i64,
    pub text: String,
    pub passed: Option<bool>,
    pub closed_at: Option<NaiveDateTime>,
}

/// A published notice with its objections and answers.
pub struct NoticeLine {
    pub notice: Notice,
    pub objections: Vec<Objection>,
}

/// Everything on a project's public page.
pub struct Timeline {
    pub candidate: Option<Candidate>,
    pub sources: Vec<Source>,
    pub support: usize,
    pub approval: Option<Decision>,
    /// Plans with the motion that voted them.
    pub plans: Vec<(Plan, Option<Decision>)>,
    pub plan_notices: Vec<NoticeLine>,
    pub progress: Vec<Progress>,
    pub inspections: Vec<Inspection>,
    pub acceptances: Vec<Acceptance>,
    pub acceptance_notices: Vec<Notice>,
    /// Files linked to progress, inspections and acceptances.
    pub files: Vec<super::attach::Linked>,
    pub extra: Vec<Entry>,
    /// The deciding motions and their outcomes, rendered as the council's pages render them
    /// (from the snapshots, in the page's language).
    motions: Vec<crate::council::store::Motion>,
    outcomes: crate::council::outcome::Outcomes,
}

impl Timeline {
    /// The outcome of the deciding motion `id` in `locale`.
    pub fn outcome(&self, id: i64, locale: crate::i18n::Locale) -> String {
        self.motions
            .iter()
            .find(|m| m.id == id)
            .map(|m| self.outcomes.words(m, locale))
            .unwrap_or_default()
    }

    /// The files of one record: `kind` is "progress", "inspection" or "acceptance".
    pub fn files_of(&self, kind: &str, owner: &i64) -> Vec<(i64, String)> {
        self.files
            .iter()
            .filter(|f| f.0 == kind && f.1 == *owner)
            .map(|f| (f.2, f.3.clone()))
            .collect()
    }
}

fn decision(conn: &mut DbConn, id: i64) -> Result<Option<Decision>, DbError> {
    type Row = (i64, i64, String, Option<bool>, Option<NaiveDateTime>);
    let row: Option<Row> = mo::table
        .filter(mo::id.eq(id))
        .select((mo::id, mo::meeting_id, mo::text, mo::passed, mo::closed_at))
        .first(conn)
        .optional()?;
    Ok(row.map(|r| Decision {
        id: r.0,
        meeting_id: r.1,
        text: r.2,
        passed: r.3,
        closed_at: r.4,
    }))
}

fn published(conn: &mut DbConn, village_id: i64, subject: &str) -> Result<Vec<Notice>, DbError> {
    let ids: Vec<i64> = n::table
        .filter(
            n::village_id
                .eq(village_id)
                .and(n::subject.eq(subject))
                .and(n::state.eq(NoticeState::Published.as_str())),
        )
        .select(n::id)
        .order(n::id)
        .load(conn)?;
    let mut out = Vec::new();
    for id in ids {
        if let Some(found) = notices::get(conn, village_id, id)? {
            out.push(found);
        }
    }
    Ok(out)
}

/// Reads a project's whole story.
pub fn read(conn: &mut DbConn, p: &Project) -> Result<Timeline, DbError> {
    let candidate = candidate_store::get(conn, p.village_id, p.candidate_id)?;
    let linked: Vec<i64> = cs::table
        .filter(cs::candidate_id.eq(p.candidate_id))
        .select(cs::suggestion_id)
        .load(conn)?;
    let (sources, households) = match candidate.as_ref().and_then(|c| c.round_id) {
        Some(round) => {
            let found: Vec<_> = candidate_store::counted(conn, round)?
                .into_iter()
                .filter(|s| linked.contains(&s.id))
                .collect();
            let households: Vec<i64> = found.iter().map(|s| s.household_id).collect();
            let sources = found
                .into_iter()
                .map(|s| Source {
                    title: s.title,
                    place: s.place,
                })
                .collect();
            (sources, households)
        }
        None => (Vec::new(), Vec::new()),
    };
    let mut plans = Vec::new();
    for plan in plan_store::plans(conn, &[p.id])? {
        let vote = match plan.motion_id {
            Some(m) => decision(conn, m)?,
            None => None,
        };
        plans.push((plan, vote));
    }
    let mut plan_notices = Vec::new();
    for notice in published(conn, p.village_id, &plan_notice_subject(p.id))? {
        let objections = notices::objections_of(conn, notice.id)?;
        plan_notices.push(NoticeLine { notice, objections });
    }
    let mut extra = hooks(conn, p.village_id, p.id)?;
    extra.sort_by_key(|e| e.at);
    let approval = decision(conn, p.approved_by_motion)?;
    let mut motions = Vec::new();
    for d in approval
        .iter()
        .chain(plans.iter().filter_map(|(_, d)| d.as_ref()))
    {
        motions.extend(crate::council::motion_store::motion(
            conn,
            d.meeting_id,
            d.id,
        )?);
    }
    let outcomes = crate::council::outcome::load(conn, &motions)?;
    Ok(Timeline {
        support: crate::council::sorting::support(&households),
        candidate,
        sources,
        approval,
        plans,
        plan_notices,
        progress: work_store::progress(conn, p.id)?,
        inspections: work_store::inspections(conn, p.id)?,
        acceptances: work_store::acceptances(conn, p.id)?,
        acceptance_notices: published(conn, p.village_id, &acceptance_subject(p.id))?,
        files: super::attach::linked(conn, p.id)?,
        extra,
        motions,
        outcomes,
    })
}
