//! Execution and supervision, one command each: the committee posts dated progress updates and
//! reports the work complete; a supervisor records an inspection; the committee responds to a
//! problem and a supervisor closes it; the committee records the acceptance (验收), refused while
//! an inspection problem is open or before completion, and a passed acceptance is published as
//! a notice of kind "acceptance" under `acceptance:{project}` (never the plan's subject, so it
//! never blocks spending). Each locks the project's row first, inside the caller's transaction.

use chrono::NaiveDate;

use super::commands::{locked, next, staff_path};
use super::domain::lifecycle::Event;
use super::domain::work::{self, AcceptanceResult, InspectionResult};
use super::states::{ParticipantRole, ProjectStatus};
use super::store;
use super::work_store::{self, NewInspection};
use crate::audit::{self, Action};
use crate::council::commands::Who;
use crate::db::{DbConn, in_transaction};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::notices::domain::Kind;
use crate::notices::store::{self as notices, Draft};
use crate::web::once::{self, Claim};

/// Longest free text (findings, progress, responses, reasons).
pub const MAX_TEXT: usize = 4000;

/// The subject of a project's acceptance notices.
pub fn acceptance_subject(project_id: i64) -> String {
    format!("acceptance:{project_id}")
}

fn text(t: &str, max: usize, key: &'static str) -> Result<String, AppError> {
    if work::valid_text(t, max) {
        Ok(t.trim().to_string())
    } else {
        Err(AppError::Unprocessable(key))
    }
}

fn repeat(path: String, page: String) -> String {
    if path.is_empty() { page } else { path }
}

/// Posts a dated progress update (once per form token) on a project in progress.
pub fn post_progress(
    conn: &mut DbConn,
    who: &Who,
    project_id: i64,
    on: NaiveDate,
    percent: i32,
    body: &str,
    token: &str,
) -> Result<String, AppError> {
    if !work::valid_percent(percent) {
        return Err(AppError::Unprocessable("progress.error.percent"));
    }
    let body = text(body, MAX_TEXT, "progress.error.text")?;
    in_transaction(conn, |conn| {
        let page = staff_path(who, project_id);
        let p = locked(conn, who, project_id)?;
        if let Claim::Repeat(path) = once::claim(conn, "progress-post", token)? {
            return Ok(repeat(path, page));
        }
        if p.status != ProjectStatus::InProgress {
            return Err(AppError::Conflict("progress.error.not_in_progress"));
        }
        let id = work_store::insert_progress(conn, p.id, on, percent, &body, who.staff)?;
        let e = who.event(Action::ProjectProgress, format!("project:{}", p.id));
        audit::record(conn, e.detail(format!("progress={id} percent={percent}")))?;
        once::finish(conn, token, &page)?;
        Ok(page)
    })
}

/// The committee reports the work complete.
pub fn complete(conn: &mut DbConn, who: &Who, project_id: i64) -> Result<(), AppError> {
    in_transaction(conn, |conn| {
        let p = locked(conn, who, project_id)?;
        if p.status == ProjectStatus::Completed {
            return Ok(());
        }
        let to = next(p.status, Event::Complete)?;
        store::set_status(conn, p.id, to, None, None)?;
        let e = who.event(Action::ProjectComplete, format!("project:{}", p.id));
        audit::record(conn, e.detail(format!("from={}", p.status.as_str())))?;
        Ok(())
    })
}

/// What a supervisor typed on the inspection form.
pub struct InspectionInput {
    pub on: NaiveDate,
    pub place: String,
    pub findings: String,
    pub result: InspectionResult,
    pub follow_up: String,
}

/// A supervisor records an inspection (once per form token) while work is in progress or
/// completed and not yet accepted. A problem needs the follow-up it requires.
pub fn record_inspection(
    conn: &mut DbConn,
    who: &Who,
    project_id: i64,
    i: &InspectionInput,
    token: &str,
) -> Result<String, AppError> {
    let place = text(&i.place, 200, "inspection.error.place")?;
    let findings = text(&i.findings, MAX_TEXT, "inspection.error.findings")?;
    let follow_up = i.follow_up.trim().to_string();
    if follow_up.chars().count() > MAX_TEXT
        || (i.result == InspectionResult::Problem && follow_up.is_empty())
    {
        return Err(AppError::Unprocessable("inspection.error.follow_up"));
    }
    in_transaction(conn, |conn| {
        let page = staff_path(who, project_id);
        let p = locked(conn, who, project_id)?;
        if let Claim::Repeat(path) = once::claim(conn, "inspection-record", token)? {
            return Ok(repeat(path, page));
        }
        if !matches!(
            p.status,
            ProjectStatus::InProgress | ProjectStatus::Completed
        ) {
            return Err(AppError::Conflict("inspection.error.not_in_progress"));
        }
        let new = NewInspection {
            on: i.on,
            place: &place,
            findings: &findings,
            result: i.result,
            follow_up: &follow_up,
        };
        let id = work_store::insert_inspection(conn, p.id, &new, who.staff)?;
        let e = who.event(Action::InspectionRecord, format!("project:{}", p.id));
        audit::record(
            conn,
            e.detail(format!("inspection={id} result={}", i.result.as_str())),
        )?;
        once::finish(conn, token, &page)?;
        Ok(page)
    })
}

/// The committee's written response to an inspection problem (once: a second one is refused).
pub fn respond(
    conn: &mut DbConn,
    who: &Who,
    project_id: i64,
    inspection: i64,
    response: &str,
) -> Result<(), AppError> {
    let response = text(response, MAX_TEXT, "inspection.error.response")?;
    in_transaction(conn, |conn| {
        let p = locked(conn, who, project_id)?;
        if !work_store::respond(conn, p.id, inspection, &response, who.staff)? {
            return Err(AppError::Conflict("inspection.error.not_respondable"));
        }
        let e = who.event(Action::InspectionRespond, format!("project:{}", p.id));
        audit::record(conn, e.detail(format!("inspection={inspection}")))?;
        Ok(())
    })
}

/// A supervisor closes a problem the committee has responded to.
pub fn close(
    conn: &mut DbConn,
    who: &Who,
    project_id: i64,
    inspection: i64,
) -> Result<(), AppError> {
    in_transaction(conn, |conn| {
        let p = locked(conn, who, project_id)?;
        if !work_store::close(conn, p.id, inspection, who.staff)? {
            return Err(AppError::Conflict("inspection.error.not_closable"));
        }
        let e = who.event(Action::InspectionClose, format!("project:{}", p.id));
        audit::record(conn, e.detail(format!("inspection={inspection}")))?;
        Ok(())
    })
}

/// What the committee typed on the acceptance form.
pub struct AcceptanceInput {
    pub on: NaiveDate,
    pub result: AcceptanceResult,
    pub reasons: String,
    pub participants: Vec<(ParticipantRole, String)>,
}

/// Records the acceptance (once per form token) of a completed project with no open inspection
/// problem. Passed: the project is accepted and the acceptance published as a notice; failed:
/// the project goes back to work.
pub fn record_acceptance(
    conn: &mut DbConn,
    who: &Who,
    project_id: i64,
    a: &AcceptanceInput,
    token: &str,
) -> Result<String, AppError> {
    let reasons = text(&a.reasons, MAX_TEXT, "acceptance.error.reasons")?;
    let participants: Vec<(ParticipantRole, String)> = a
        .participants
        .iter()
        .filter(|(_, n)| !n.trim().is_empty())
        .map(|(r, n)| (*r, n.trim().to_string()))
        .collect();
    if !work::acceptance_participants_ok(&participants)
        || participants.iter().any(|(_, n)| n.chars().count() > 200)
    {
        return Err(AppError::Unprocessable("acceptance.error.participants"));
    }
    in_transaction(conn, |conn| {
        let page = staff_path(who, project_id);
        let p = locked(conn, who, project_id)?;
        if let Claim::Repeat(path) = once::claim(conn, "acceptance-record", token)? {
            return Ok(repeat(path, page));
        }
        if p.status != ProjectStatus::Completed {
            return Err(AppError::Conflict("acceptance.error.not_completed"));
        }
        if work_store::inspections(conn, p.id)?
            .iter()
            .any(|i| i.is_open_problem())
        {
            return Err(AppError::Conflict("acceptance.error.open_problems"));
        }
        let event = match a.result {
            AcceptanceResult::Passed => Event::AcceptancePassed,
            AcceptanceResult::Failed => Event::AcceptanceFailed,
        };
        let to = next(p.status, event)?;
        let id = work_store::insert_acceptance(
            conn,
            p.id,
            a.on,
            a.result,
            &reasons,
            &participants,
            who.staff,
        )?;
        let mut detail = format!("acceptance={id} result={}", a.result.as_str());
        if a.result == AcceptanceResult::Passed {
            let l = Locale::ZhCn;
            let title = format!("{}：{}", l.t("notice.kind.acceptance"), p.title);
            let mut body = format!("{}：{}\n", l.t("acceptance.date"), a.on);
            body.push_str(&format!(
                "{}：{}\n",
                l.t("acceptance.result"),
                l.t(a.result.label_key())
            ));
            body.push_str(&format!("{}：{}\n", l.t("acceptance.reasons"), reasons));
            for (role, name) in &participants {
                body.push_str(&format!("{}：{}\n", l.t(role.label_key()), name));
            }
            let subject = acceptance_subject(p.id);
            let draft = Draft {
                village_id: p.village_id,
                kind: Kind::Acceptance,
                title: &title,
                body: &body,
                subject: Some(&subject),
                supersedes: None,
                created_by: who.staff,
            };
            let notice = notices::create_published(conn, &draft, crate::db::now())?;
            work_store::set_acceptance_notice(conn, id, notice.id)?;
            detail.push_str(&format!(" notice={}", notice.id));
        }
        store::set_status(conn, p.id, to, None, None)?;
        let e = who.event(Action::AcceptanceRecord, format!("project:{}", p.id));
        audit::record(conn, e.detail(detail))?;
        once::finish(conn, token, &page)?;
        Ok(page)
    })
}
