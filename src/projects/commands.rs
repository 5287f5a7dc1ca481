//! The projects part's writes about a project and its plan, one command each: create a project
//! from an approved candidate (called by the council's close path), draft a plan version, put it
//! to the council's vote and take the council's decision (called by the council), publish the
//! approved plan as a notice, start work once the notices gate clears, suspend, resume and
//! cancel. Each runs inside the caller's one transaction: lock the project's row, decide with
//! the pure state machine on what it sees now, write, record the audit event.
//! Execution, inspections and acceptance are in `work_commands`.

use super::domain::lifecycle::{self, Event};
use super::domain::plan::ValidPlan;
use super::plan_store;
use super::scope::plan_notice_subject;
use super::states::{PlanState, ProjectStatus};
use super::store::{self, NewProject, Project};
use crate::audit::{self, Action};
use crate::council::commands::Who;
use crate::db::{DbConn, in_transaction};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::notices::domain::{Gate, Kind};
use crate::notices::store::{self as notices, Draft};
use crate::web::once::{self, Claim};

/// The staff page of a project.
pub fn staff_path(who: &Who, project: i64) -> String {
    format!("/staff/v/{}/projects/{project}", who.village.code)
}

/// Locks the village's project, or 404.
pub fn locked(conn: &mut DbConn, who: &Who, project: i64) -> Result<Project, AppError> {
    store::lock(conn, who.village.id, project)?.ok_or(AppError::NotFound)
}

/// The state machine's answer, or the refusal as a 409 with its message.
pub fn next(from: ProjectStatus, event: Event) -> Result<ProjectStatus, AppError> {
    lifecycle::transition(from, event).map_err(|r| AppError::Conflict(r.message_key()))
}

fn move_to(
    conn: &mut DbConn,
    who: &Who,
    p: &Project,
    to: ProjectStatus,
    action: Action,
    detail: String,
) -> Result<(), AppError> {
    store::set_status(conn, p.id, to, None, None)?;
    let event = who.event(action, format!("project:{}", p.id));
    audit::record(
        conn,
        event.detail(format!(
            "from={} to={} {detail}",
            p.status.as_str(),
            to.as_str()
        )),
    )?;
    Ok(())
}

/// An approved candidate becomes a project (status approved). The council calls this inside the
/// transaction that closes the approval motion, with the candidate's row locked.
pub fn create_from_candidate(
    conn: &mut DbConn,
    who: &Who,
    candidate: &crate::council::candidate_store::Candidate,
    motion: i64,
) -> Result<i64, AppError> {
    crate::council::candidate_store::mark_approved(conn, candidate.id)?;
    let id = store::insert_project(
        conn,
        &NewProject {
            village_id: candidate.village_id,
            candidate_id: candidate.id,
            title: &candidate.title,
            category: &candidate.category,
            motion,
        },
    )?;
    let event = who.event(Action::ProjectApprove, format!("project:{id}"));
    audit::record(
        conn,
        event.detail(format!("candidate={} motion={motion}", candidate.id)),
    )?;
    Ok(id)
}

/// Drafts a new plan version (once per form token). Allowed while the project waits for a plan
/// (approved, or drafted after a failed vote), and, in notice, only when the notices gate says
/// an objection was upheld: the approved plan is then superseded and the project goes back to
/// drafting. A plan being voted on cannot be replaced. Returns the project's page.
pub fn draft_plan(
    conn: &mut DbConn,
    who: &Who,
    project_id: i64,
    plan: &ValidPlan,
    token: &str,
) -> Result<String, AppError> {
    in_transaction(conn, |conn| {
        let page = staff_path(who, project_id);
        let p = locked(conn, who, project_id)?;
        if let Claim::Repeat(path) = once::claim(conn, "plan-draft", token)? {
            return Ok(if path.is_empty() { page } else { path });
        }
        let mut from = p.status;
        if matches!(from, ProjectStatus::InNotice | ProjectStatus::Cleared) {
            let gate = notices::gate(
                conn,
                p.village_id,
                &plan_notice_subject(p.id),
                crate::db::now(),
            )?;
            if gate != Gate::Upheld {
                return Err(AppError::Conflict("plan.error.not_upheld"));
            }
            from = next(from, Event::ObjectionUpheld)?;
            plan_store::move_plans(conn, p.id, &[PlanState::Approved], PlanState::Superseded)?;
        }
        let to = next(from, Event::PlanDrafted)?;
        if plan_store::plans(conn, &[p.id])?
            .iter()
            .any(|x| x.state == PlanState::Voting)
        {
            return Err(AppError::Conflict("plan.error.voting"));
        }
        plan_store::move_plans(conn, p.id, &[PlanState::Draft], PlanState::Superseded)?;
        let (plan_id, version) = plan_store::insert_plan(conn, p.id, plan, who.staff)?;
        store::set_status(conn, p.id, to, None, None)?;
        let event = who.event(Action::PlanDraft, format!("project:{}", p.id));
        audit::record(
            conn,
            event.detail(format!(
                "plan={plan_id} version={version} total_fen={} from={}",
                plan.total.fen(),
                p.status.as_str()
            )),
        )?;
        once::finish(conn, token, &page)?;
        Ok(page)
    })
}

/// Puts a draft plan to the council's vote: the council calls this inside the transaction that
/// puts the approve-plan motion. The plan must be the latest draft of a project waiting for its
/// vote; it becomes `voting` and names the motion.
pub fn put_plan_to_vote(
    conn: &mut DbConn,
    who: &Who,
    plan_id: i64,
    motion: i64,
) -> Result<(), AppError> {
    let found = plan_store::plan_village(conn, plan_id)?
        .filter(|(_, village)| *village == who.village.id)
        .ok_or(AppError::Unprocessable("motion.error.plan"))?;
    let p = locked(conn, who, found.0)?;
    if p.status != ProjectStatus::PlanDrafted {
        return Err(AppError::Conflict("plan.error.not_draft"));
    }
    if !plan_store::mark_voting(conn, plan_id, motion)? {
        return Err(AppError::Conflict("plan.error.not_draft"));
    }
    let event = who.event(Action::PlanVote, format!("project:{}", p.id));
    audit::record(
        conn,
        event.detail(format!("plan={plan_id} motion={motion}")),
    )?;
    Ok(())
}

/// Takes the council's decision on a plan motion, inside the transaction that closes or
/// withdraws it: passed → the plan is approved and the project's plan approved; failed, lapsed
/// or withdrawn → the plan is rejected and the project waits for a new draft. A motion that
/// names no plan is left alone.
pub fn plan_vote_closed(
    conn: &mut DbConn,
    who: &Who,
    motion: i64,
    passed: bool,
) -> Result<(), AppError> {
    let Some((plan_id, project_id, _)) = plan_store::plan_of_motion(conn, motion)? else {
        return Ok(());
    };
    let p = locked(conn, who, project_id)?;
    let (state, event) = if passed {
        (PlanState::Approved, Event::PlanPassed)
    } else {
        (PlanState::Rejected, Event::PlanFailed)
    };
    if !plan_store::decide_plan(conn, plan_id, state)? {
        return Ok(());
    }
    // A project suspended or cancelled meanwhile keeps its status; the plan still records
    // the council's decision.
    let to = lifecycle::transition(p.status, event).unwrap_or(p.status);
    store::set_status(conn, p.id, to, p.suspended_from, p.status_reason.as_deref())?;
    let audit_event = who.event(Action::PlanDecide, format!("project:{}", p.id));
    audit::record(
        conn,
        audit_event.detail(format!(
            "plan={plan_id} motion={motion} result={} status={}",
            state.as_str(),
            to.as_str()
        )),
    )?;
    Ok(())
}

/// The text of a plan notice (written in Chinese, the village's language of record).
fn plan_notice_text(p: &Project, plan: &plan_store::Plan) -> (String, String) {
    let l = Locale::ZhCn;
    let title = format!("{}：{}", l.t("notice.kind.plan"), p.title);
    let mut body = format!(
        "{}：{}\n{}：{} — {}\n",
        l.t("plan.method"),
        l.t(plan.method.label_key()),
        l.t("plan.period"),
        plan.starts_on,
        plan.ends_on
    );
    for line in &plan.lines {
        body.push_str(&format!(
            "· {} {} {} × {} = {}\n",
            line.item,
            crate::projects::domain::plan::quantity_text(line.quantity_hundredths),
            line.unit,
            line.unit_price,
            line.amount
        ));
    }
    body.push_str(&format!(
        "{}：{}（{}）\n",
        l.t("plan.total"),
        plan.total,
        plan.total.capital()
    ));
    for (source, amount) in &plan.funding {
        body.push_str(&format!("{}：{}\n", l.t(source.label_key()), amount));
    }
    if let Some(c) = &plan.contractor_selection {
        body.push_str(&format!("{}：{}\n", l.t("plan.contractor_selection"), c));
    }
    for (role, name) in &plan.participants {
        body.push_str(&format!("{}：{}\n", l.t(role.label_key()), name));
    }
    (title, body)
}

/// Publishes the approved plan as a notice of kind "plan" under the project's subject (once per
/// form token); the project is then in notice. Returns the project's page.
pub fn publish_plan_notice(
    conn: &mut DbConn,
    who: &Who,
    project_id: i64,
    token: &str,
) -> Result<String, AppError> {
    publish_plan_notice_at(conn, who, project_id, token, crate::db::now())
}

/// [`publish_plan_notice`] with the publication time given: the demo seeds notices published
/// in the past, and tests reach a notice whose period has ended.
pub fn publish_plan_notice_at(
    conn: &mut DbConn,
    who: &Who,
    project_id: i64,
    token: &str,
    at: chrono::NaiveDateTime,
) -> Result<String, AppError> {
    in_transaction(conn, |conn| {
        let page = staff_path(who, project_id);
        let p = locked(conn, who, project_id)?;
        if let Claim::Repeat(path) = once::claim(conn, "plan-notice", token)? {
            return Ok(if path.is_empty() { page } else { path });
        }
        let to = next(p.status, Event::NoticePublished)?;
        let plan = plan_store::plans(conn, &[p.id])?
            .into_iter()
            .rfind(|x| x.state == PlanState::Approved)
            .ok_or(AppError::Conflict("project.error.transition"))?;
        let (title, body) = plan_notice_text(&p, &plan);
        let subject = plan_notice_subject(p.id);
        let draft = Draft {
            village_id: p.village_id,
            kind: Kind::Plan,
            title: &title,
            body: &body,
            subject: Some(&subject),
            supersedes: None,
            created_by: who.staff,
        };
        let notice = notices::create_published(conn, &draft, at)?;
        plan_store::set_plan_notice(conn, plan.id, notice.id)?;
        move_to(
            conn,
            who,
            &p,
            to,
            Action::PlanNotice,
            format!("plan={} notice={}", plan.id, notice.id),
        )?;
        once::finish(conn, token, &page)?;
        Ok(page)
    })
}

/// Starts work: the notices gate is asked here, with the project locked, at this moment.
pub fn start_work(conn: &mut DbConn, who: &Who, project_id: i64) -> Result<(), AppError> {
    in_transaction(conn, |conn| {
        let p = locked(conn, who, project_id)?;
        if p.status == ProjectStatus::InProgress {
            // A double submit: the first one started it.
            return Ok(());
        }
        let gate = notices::gate(
            conn,
            p.village_id,
            &plan_notice_subject(p.id),
            crate::db::now(),
        )?;
        let to = next(
            p.status,
            Event::Start {
                cleared: gate == Gate::Cleared,
            },
        )?;
        move_to(
            conn,
            who,
            &p,
            to,
            Action::ProjectStart,
            "gate=cleared".into(),
        )
    })
}

/// Suspends, resumes or cancels a project; suspending and cancelling need a written reason.
pub fn change_status(
    conn: &mut DbConn,
    who: &Who,
    project_id: i64,
    event: Event,
    reason: &str,
) -> Result<(), AppError> {
    let reason = reason.trim();
    let needs_reason = matches!(event, Event::Suspend | Event::Cancel);
    if needs_reason && !lifecycle::valid_reason(reason) {
        return Err(AppError::Unprocessable("project.error.reason"));
    }
    in_transaction(conn, |conn| {
        let p = locked(conn, who, project_id)?;
        let (event, action) = match event {
            Event::Suspend => (Event::Suspend, Action::ProjectSuspend),
            Event::Cancel => (Event::Cancel, Action::ProjectCancel),
            _ => (
                Event::Resume {
                    suspended_from: p.suspended_from,
                },
                Action::ProjectResume,
            ),
        };
        let to = next(p.status, event)?;
        let from = (to == ProjectStatus::Suspended).then_some(p.status);
        let stored_reason = needs_reason.then_some(reason);
        store::set_status(conn, p.id, to, from, stored_reason)?;
        let e = who.event(action, format!("project:{}", p.id));
        audit::record(
            conn,
            e.detail(format!(
                "from={} to={} reason={reason}",
                p.status.as_str(),
                to.as_str()
            )),
        )?;
        Ok(())
    })
}
