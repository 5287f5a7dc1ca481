//! Staff pages of projects under `/staff/v/{village}/projects`: clerks draft plans, publish the
//! plan notice, start work, post progress, respond to inspection problems, report completion,
//! record acceptance and suspend, resume or cancel; supervisors record inspections and close
//! problems. Handlers extract, call one command (`commands`, `work_commands`) and render.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::commands::{self, staff_path};
use super::domain::plan;
use super::forms::{LINE_ROWS, OnceForm, PEOPLE_ROWS, PlanForm};
use super::states::{ParticipantRole, PlanMethod, ProjectStatus};
use super::store::{self, Project};
use super::timeline::{self, Timeline};
use super::work_commands;
use crate::accounts::domain::{Place, Role};
use crate::council::commands::Who;
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::{Form, NoFields, TypedForm};
use crate::web::guards::{Clerk, ProjectStaff, VillageStaff};
use crate::web::kept::Kept;
use crate::web::page::{Page, render, render_status, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/v/{village}/projects", web::get().to(list))
        .route("/staff/v/{village}/projects/{project}", web::get().to(show))
        .route(
            "/staff/v/{village}/projects/{project}/plan",
            web::post().to(draft_plan),
        )
        .route(
            "/staff/v/{village}/projects/{project}/notice",
            web::post().to(publish_notice),
        )
        .route(
            "/staff/v/{village}/projects/{project}/start",
            web::post().to(start),
        )
        .route(
            "/staff/v/{village}/projects/{project}/progress",
            web::post().to(super::work_routes::progress),
        )
        .route(
            "/staff/v/{village}/projects/{project}/complete",
            web::post().to(complete),
        )
        .route(
            "/staff/v/{village}/projects/{project}/inspections",
            web::post().to(super::work_routes::inspect),
        )
        .route(
            "/staff/v/{village}/projects/{project}/inspections/{inspection}/respond",
            web::post().to(super::work_routes::respond),
        )
        .route(
            "/staff/v/{village}/projects/{project}/inspections/{inspection}/close",
            web::post().to(super::work_routes::close),
        )
        .route(
            "/staff/v/{village}/projects/{project}/acceptance",
            web::post().to(super::work_routes::accept),
        )
        .route(
            "/staff/v/{village}/projects/{project}/status",
            web::post().to(super::work_routes::status),
        )
        .route(
            "/staff/v/{village}/projects/{project}/attachments",
            web::post().to(super::work_routes::upload),
        );
}

pub(super) fn who_of<R>(g: &VillageStaff<R>, addr: &ClientAddr) -> Who {
    Who {
        staff: g.staff.id,
        village: g.village.clone(),
        addr: addr.0.clone(),
    }
}

#[derive(Template)]
#[template(path = "projects/staff_list.html")]
struct ListPage {
    p: Page,
    village: VillageRef,
    projects: Vec<Project>,
}

async fn list(p: Page, g: ProjectStaff, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let village_id = g.village.id;
    let projects = state
        .db
        .run(move |conn| store::list(conn, village_id))
        .await?;
    render(&ListPage {
        p,
        village: g.village,
        projects,
    })
}

#[derive(Template)]
#[template(path = "projects/staff_show.html")]
struct ShowPage {
    p: Page,
    village: VillageRef,
    project: Project,
    t: Timeline,
    clerk: bool,
    supervisor: bool,
    form: PlanForm,
    errors: FieldErrors,
    once: String,
    /// A work form (progress, inspection, response, acceptance, status) sent back as typed.
    kept: Kept,
}

impl ShowPage {
    fn base(&self) -> String {
        format!(
            "/staff/v/{}/projects/{}",
            self.village.code, self.project.id
        )
    }
    fn when(&self, t: &chrono::NaiveDateTime) -> String {
        crate::i18n::format_time(self.p.locale, *t)
    }
    fn methods(&self) -> &'static [PlanMethod] {
        PlanMethod::ALL
    }
    fn roles(&self) -> &'static [ParticipantRole] {
        ParticipantRole::ALL
    }
    fn line_rows(&self) -> std::ops::Range<usize> {
        0..self.form.item.len().max(LINE_ROWS)
    }
    fn people_rows(&self) -> std::ops::Range<usize> {
        0..self.form.person.len().max(PEOPLE_ROWS)
    }
    /// Rows of the acceptance's participants: as many as were sent back, at least the usual.
    fn acceptance_rows(&self) -> std::ops::Range<usize> {
        0..self.kept.count("acceptance", "person").max(PEOPLE_ROWS)
    }
    fn respond_form(&self, inspection: &i64) -> String {
        super::work_routes::respond_form(*inspection)
    }
    fn at<'a>(&self, list: &'a [String], i: &usize) -> &'a str {
        PlanForm::at(list, *i)
    }
    fn quantity(&self, q: &i64) -> String {
        plan::quantity_text(*q)
    }
    fn outcome(&self, id: &i64) -> String {
        self.t.outcome(*id, self.p.locale)
    }
    fn error(&self, field: &str) -> String {
        self.errors
            .get(field)
            .map(|k| self.p.t(k))
            .unwrap_or_default()
    }
    fn can(&self, s: ProjectStatus) -> bool {
        self.project.status == s
    }
    fn awaits_plan(&self) -> bool {
        matches!(
            self.project.status,
            ProjectStatus::Approved
                | ProjectStatus::PlanDrafted
                | ProjectStatus::InNotice
                | ProjectStatus::Cleared
        )
    }
    fn working(&self) -> bool {
        matches!(
            self.project.status,
            ProjectStatus::InProgress | ProjectStatus::Completed
        )
    }
}

/// The project page; a 422 when the plan form (`errors`) or a work form (`kept`) came back.
pub(super) async fn page(
    p: Page,
    state: &AppState,
    g_village: VillageRef,
    roles: (bool, bool),
    project_id: i64,
    (form, errors): (PlanForm, FieldErrors),
    kept: Kept,
) -> AppResult<HttpResponse> {
    let village_id = g_village.id;
    let (project, t) = state
        .db
        .run(move |conn| {
            let project = store::get(conn, village_id, project_id)?.ok_or(AppError::NotFound)?;
            let t = timeline::read(conn, &project)?;
            Ok::<_, AppError>((project, t))
        })
        .await?;
    let status = if errors.is_empty() && !kept.is_sent() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_status(
        status,
        &ShowPage {
            p,
            village: g_village,
            project,
            t,
            clerk: roles.0,
            supervisor: roles.1,
            form,
            errors,
            once: crate::web::once::new_token(),
            kept,
        },
    )
}

pub(super) fn roles_of<R>(g: &VillageStaff<R>) -> (bool, bool) {
    let place = Place::village(g.village.township_id, g.village.id);
    (
        g.staff.holds(&[Role::Clerk], place),
        g.staff.holds(&[Role::Supervisor], place),
    )
}

async fn show(
    p: Page,
    g: ProjectStaff,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let roles = roles_of(&g);
    page(
        p,
        &state,
        g.village,
        roles,
        path.1,
        (PlanForm::default(), FieldErrors::new()),
        Kept::default(),
    )
    .await
}

async fn draft_plan(
    p: Page,
    g: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<PlanForm>,
) -> AppResult<HttpResponse> {
    let checked = bad.check(form.read().and_then(plan::check));
    let valid = match checked {
        Ok(v) => v,
        Err(errors) => {
            let roles = roles_of(&g);
            let (project, plan) = (path.1, (form, errors));
            return page(p, &state, g.village, roles, project, plan, Kept::default()).await;
        }
    };
    let who = who_of(&g, &addr);
    let (project, token) = (path.1, form.once.clone());
    let to = state
        .db
        .tx(move |conn| commands::draft_plan(conn, &who, project, &valid, &token))
        .await?;
    Ok(see_other(&to))
}

async fn publish_notice(
    g: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<OnceForm>,
) -> AppResult<HttpResponse> {
    let who = who_of(&g, &addr);
    let project = path.1;
    let to = state
        .db
        .tx(move |conn| commands::publish_plan_notice(conn, &who, project, &form.once))
        .await?;
    Ok(see_other(&to))
}

async fn start(
    g: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    _f: Form<NoFields>,
) -> AppResult<HttpResponse> {
    let who = who_of(&g, &addr);
    let (project, to) = (path.1, staff_path(&who, path.1));
    state
        .db
        .tx(move |conn| commands::start_work(conn, &who, project))
        .await?;
    Ok(see_other(&to))
}

async fn complete(
    g: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    _f: Form<NoFields>,
) -> AppResult<HttpResponse> {
    let who = who_of(&g, &addr);
    let (project, to) = (path.1, staff_path(&who, path.1));
    state
        .db
        .tx(move |conn| work_commands::complete(conn, &who, project))
        .await?;
    Ok(see_other(&to))
}
