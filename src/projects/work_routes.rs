//! Staff handlers of supervision and acceptance: a supervisor records an inspection and closes
//! a problem, a clerk responds to it and records the acceptance, and either attaches files to
//! the records of their role. Registered with the other project routes in `routes`.

use actix_web::{HttpResponse, web};

use super::commands::staff_path;
use super::forms::{AcceptanceForm, InspectionForm, TextForm};
use super::routes::{roles_of, who_of};
use super::work_commands;
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::{Form, NoFields};
use crate::web::guards::{Clerk, ProjectStaff, Supervisor};
use crate::web::page::see_other;

pub(super) async fn inspect(
    g: Supervisor,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<InspectionForm>,
) -> AppResult<HttpResponse> {
    let input = form
        .read()
        .ok_or(AppError::Unprocessable("inspection.error.form"))?;
    let who = who_of(&g, &addr);
    let project = path.1;
    let to = state
        .db
        .tx(move |conn| work_commands::record_inspection(conn, &who, project, &input, &form.once))
        .await?;
    Ok(see_other(&to))
}

pub(super) async fn respond(
    g: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    Form(form): Form<TextForm>,
) -> AppResult<HttpResponse> {
    let who = who_of(&g, &addr);
    let (project, inspection, to) = (path.1, path.2, staff_path(&who, path.1));
    state
        .db
        .tx(move |conn| work_commands::respond(conn, &who, project, inspection, &form.text))
        .await?;
    Ok(see_other(&to))
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
    g: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<AcceptanceForm>,
) -> AppResult<HttpResponse> {
    let input = form
        .read()
        .ok_or(AppError::Unprocessable("acceptance.error.form"))?;
    let who = who_of(&g, &addr);
    let project = path.1;
    let to = state
        .db
        .tx(move |conn| work_commands::record_acceptance(conn, &who, project, &input, &form.once))
        .await?;
    Ok(see_other(&to))
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
