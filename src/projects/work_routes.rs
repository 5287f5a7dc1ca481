//! Staff handlers of the work on a project: a clerk posts progress, responds to a problem,
//! records the acceptance and suspends, resumes or cancels; a supervisor records an inspection
//! and closes a problem; either attaches files to the records of their role. A form refused
//! comes back on the project page as typed, with the message beside the field. Registered with
//! the other project routes in `routes`.

use actix_web::{HttpResponse, web};

use super::commands::{self, staff_path};
use super::domain::lifecycle::Event;
use super::forms::{AcceptanceForm, InspectionForm, PlanForm, ProgressForm, StatusForm, TextForm};
use super::routes::{page, roles_of, who_of};
use super::work_commands;
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::{Form, NoFields, TypedForm};
use crate::web::guards::{Clerk, ProjectStaff, Supervisor, VillageStaff};
use crate::web::kept::{self, Kept};
use crate::web::page::{Page, see_other};

/// The name of an inspection's response form on the project page (one per open problem).
pub(super) fn respond_form(inspection: i64) -> String {
    format!("respond-{inspection}")
}

/// Where a form's command leads: to the project page when it was written, else that page with
/// the form as typed.
async fn answer<R>(
    p: Page,
    state: &AppState,
    g: VillageStaff<R>,
    project: i64,
    written: Result<String, Kept>,
) -> AppResult<HttpResponse> {
    match written {
        Ok(to) => Ok(see_other(&to)),
        Err(kept) => {
            let roles = roles_of(&g);
            let plan = (PlanForm::default(), FieldErrors::new());
            page(p, state, g.village, roles, project, plan, kept).await
        }
    }
}

pub(super) async fn progress(
    p: Page,
    g: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<ProgressForm>,
) -> AppResult<HttpResponse> {
    let mut errors = FieldErrors::new();
    let on = super::forms::date(&form.reported_on);
    if on.is_none() {
        errors.add("reported_on", "progress.error.date");
    }
    let percent = form.percent.trim().parse::<i32>().ok();
    if percent.is_none() {
        errors.add("percent", "progress.error.percent");
    }
    let checked = bad.check(match (on, percent) {
        (Some(on), Some(percent)) => Ok((on, percent)),
        _ => Err(errors),
    });
    let (who, project) = (who_of(&g, &addr), path.1);
    let (body, once) = (form.body.clone(), form.once.clone());
    let written = kept::write(
        &state.db,
        "progress",
        &form,
        checked,
        move |conn, (on, percent)| {
            work_commands::post_progress(conn, &who, project, on, percent, &body, &once)
        },
    )
    .await?;
    answer(p, &state, g, project, written).await
}

pub(super) async fn inspect(
    p: Page,
    g: Supervisor,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<InspectionForm>,
) -> AppResult<HttpResponse> {
    let mut errors = FieldErrors::new();
    if super::forms::date(&form.inspected_on).is_none() {
        errors.add("inspected_on", "inspection.error.form");
    }
    let input = form.read();
    if input.is_none() && errors.is_empty() {
        errors.add("result", "inspection.error.form");
    }
    let checked = bad.check(input.ok_or(errors));
    let (who, project, once) = (who_of(&g, &addr), path.1, form.once.clone());
    let written = kept::write(
        &state.db,
        "inspections",
        &form,
        checked,
        move |conn, input| work_commands::record_inspection(conn, &who, project, &input, &once),
    )
    .await?;
    answer(p, &state, g, project, written).await
}

pub(super) async fn respond(
    p: Page,
    g: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    TypedForm(form, bad): TypedForm<TextForm>,
) -> AppResult<HttpResponse> {
    let who = who_of(&g, &addr);
    let (project, inspection, to) = (path.1, path.2, staff_path(&who, path.1));
    let checked = bad.check(Ok(form.text.clone()));
    let name = respond_form(inspection);
    let written = kept::write(&state.db, name, &form, checked, move |conn, text| {
        work_commands::respond(conn, &who, project, inspection, &text).map(|()| to)
    })
    .await?;
    answer(p, &state, g, project, written).await
}

pub(super) async fn close(
    g: Supervisor,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    _f: Form<NoFields>,
) -> AppResult<HttpResponse> {
    let who = who_of(&g, &addr);
    let (project, inspection, to) = (path.1, path.2, staff_path(&who, path.1));
    state
        .db
        .tx(move |conn| work_commands::close(conn, &who, project, inspection))
        .await?;
    Ok(see_other(&to))
}

pub(super) async fn accept(
    p: Page,
    g: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<AcceptanceForm>,
) -> AppResult<HttpResponse> {
    let mut errors = FieldErrors::new();
    if super::forms::date(&form.accepted_on).is_none() {
        errors.add("accepted_on", "acceptance.error.form");
    }
    let input = form.read();
    if input.is_none() && errors.is_empty() {
        errors.add(kept::WHOLE, "acceptance.error.form");
    }
    let checked = bad.check(input.ok_or(errors));
    let (who, project, once) = (who_of(&g, &addr), path.1, form.once.clone());
    let written = kept::write(
        &state.db,
        "acceptance",
        &form,
        checked,
        move |conn, input| work_commands::record_acceptance(conn, &who, project, &input, &once),
    )
    .await?;
    answer(p, &state, g, project, written).await
}

pub(super) async fn status(
    p: Page,
    g: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<StatusForm>,
) -> AppResult<HttpResponse> {
    let event = match form.action.as_str() {
        "suspend" => Some(Event::Suspend),
        "cancel" => Some(Event::Cancel),
        "resume" => Some(Event::Resume {
            suspended_from: None,
        }),
        _ => None,
    };
    let mut errors = FieldErrors::new();
    if event.is_none() {
        errors.add("action", "project.error.transition");
    }
    let checked = bad.check(event.ok_or(errors));
    let who = who_of(&g, &addr);
    let (project, to) = (path.1, staff_path(&who, path.1));
    let reason = form.reason.clone();
    let written = kept::write(&state.db, "status", &form, checked, move |conn, event| {
        commands::change_status(conn, &who, project, event, &reason).map(|_| to)
    })
    .await?;
    answer(p, &state, g, project, written).await
}

/// Attaches a photo or PDF to a progress update, inspection or acceptance (a multipart form:
/// the CSRF token first, then `target` and `file`).
pub(super) async fn upload(
    req: actix_web::HttpRequest,
    g: ProjectStaff,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let up = crate::attachments::routes::read_upload(&req, payload).await?;
    let target = super::attach::Target::parse(up.field("target"))
        .ok_or(AppError::Unprocessable("attachment.error.target"))?;
    let (clerk, supervisor) = roles_of(&g);
    if !target.allowed(clerk, supervisor) {
        return Err(AppError::Forbidden);
    }
    let (name, bytes) = up
        .file
        .ok_or(AppError::Unprocessable("attachment.error.empty"))?;
    let who = who_of(&g, &addr);
    let (project, to) = (path.1, staff_path(&who, path.1));
    let data_dir = state.settings.data_dir.clone();
    state
        .db
        .run(move |conn| {
            super::attach::attach(conn, &who, &data_dir, project, target, &name, &bytes)
        })
        .await?;
    Ok(see_other(&to))
}
