//! The clerk's notice pages: drafts, publishing, superseding, answering objections (also
//! recording an oral or written objection on a household's behalf) and the overdue list.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::domain::{self, Kind, NoticeForm};
use super::store::{self, Draft, Notice, Objection};
use crate::audit::{self, Action, Actor, Event};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::{Form, NoFields};
use crate::web::guards::Clerk;
use crate::web::page::{Page, render, render_status, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    super::periods::configure(cfg);
    cfg.route("/staff/v/{village}/notices", web::get().to(list))
        .route("/staff/v/{village}/notices/new", web::get().to(new_form))
        .route("/staff/v/{village}/notices/new", web::post().to(create))
        .route("/staff/v/{village}/notices/{notice}", web::get().to(show))
        .route(
            "/staff/v/{village}/notices/{notice}",
            web::post().to(update),
        )
        .route(
            "/staff/v/{village}/notices/{notice}/publish",
            web::post().to(publish),
        )
        .route(
            "/staff/v/{village}/notices/{notice}/supersede",
            web::post().to(supersede),
        );
    super::answers::configure(cfg);
}

pub(super) fn base(village: &VillageRef) -> String {
    format!("/staff/v/{}/notices", village.code)
}

#[derive(Template)]
#[template(path = "notices/list.html")]
struct ListPage {
    p: Page,
    village: VillageRef,
    notices: Vec<Notice>,
    overdue: Vec<(i64, store::Objection)>,
}

impl ListPage {
    fn when(&self, t: &chrono::NaiveDateTime) -> String {
        crate::i18n::format_time(self.p.locale, *t)
    }
}

async fn list(p: Page, clerk: Clerk, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let village_id = clerk.village.id;
    let (notices, overdue) = state
        .db
        .run(move |conn| {
            Ok::<_, AppError>((
                store::all(conn, village_id)?,
                store::overdue(conn, village_id, crate::db::now())?,
            ))
        })
        .await?;
    render(&ListPage {
        p,
        village: clerk.village,
        notices,
        overdue,
    })
}

#[derive(Template)]
#[template(path = "notices/form.html")]
struct FormPage {
    p: Page,
    village: VillageRef,
    form: NoticeForm,
    errors: FieldErrors,
}

impl FormPage {
    fn kinds(&self) -> [Kind; 7] {
        Kind::ALL
    }
}

async fn new_form(p: Page, clerk: Clerk) -> AppResult<HttpResponse> {
    let form = NoticeForm {
        kind: "general".into(),
        ..NoticeForm::default()
    };
    render(&FormPage {
        p,
        village: clerk.village,
        form,
        errors: FieldErrors::new(),
    })
}

async fn create(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    Form(form): Form<NoticeForm>,
) -> AppResult<HttpResponse> {
    let (kind, title, body, subject) = match domain::check_notice(&form) {
        Ok(valid) => valid,
        Err(errors) => {
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage {
                    p,
                    village: clerk.village,
                    form,
                    errors,
                },
            );
        }
    };
    let (v, staff_id) = (clerk.village.clone(), clerk.staff.id);
    let id = state
        .db
        .tx(move |conn| {
            let draft = Draft {
                village_id: v.id,
                kind,
                title: &title,
                body: &body,
                subject: subject.as_deref(),
                supersedes: None,
                created_by: staff_id,
            };
            let id = store::create_draft(conn, &draft)?;
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::NoticeDraft,
                    format!("notice:{id}"),
                )
                .in_township(v.township_id)
                .from_address(&addr.0),
            )?;
            Ok::<_, AppError>(id)
        })
        .await?;
    Ok(see_other(&format!("{}/{id}", base(&clerk.village))))
}

pub(super) async fn load(state: &AppState, village: &VillageRef, id: i64) -> AppResult<Notice> {
    let village_id = village.id;
    state
        .db
        .run(move |conn| store::get(conn, village_id, id))
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "notices/manage.html")]
struct ManagePage {
    p: Page,
    village: VillageRef,
    notice: Notice,
    objections: Vec<Objection>,
    form: NoticeForm,
    errors: FieldErrors,
    message: Option<&'static str>,
}

impl ManagePage {
    fn when(&self, t: &chrono::NaiveDateTime) -> String {
        crate::i18n::format_time(self.p.locale, *t)
    }
    fn kinds(&self) -> [Kind; 7] {
        Kind::ALL
    }
    fn in_period(&self) -> bool {
        self.notice.phase(crate::db::now()) == domain::Phase::InPeriod
    }
    fn overdue(&self, o: &Objection) -> bool {
        o.answered_at.is_none() && crate::db::now() >= o.answer_due_at
    }
}

pub(super) async fn manage_page(
    p: Page,
    state: &AppState,
    village: VillageRef,
    notice: Notice,
    errors: FieldErrors,
    message: Option<&'static str>,
) -> AppResult<HttpResponse> {
    let id = notice.id;
    let objections = state
        .db
        .run(move |conn| store::objections_of(conn, id))
        .await?;
    let form = NoticeForm {
        kind: notice.kind_text.clone(),
        title: notice.title.clone(),
        body: notice.body.clone(),
        subject: notice.subject.clone().unwrap_or_default(),
    };
    let status = if errors.is_empty() && message.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_status(
        status,
        &ManagePage {
            p,
            village,
            notice,
            objections,
            form,
            errors,
            message,
        },
    )
}

async fn show(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let notice = load(&state, &clerk.village, path.1).await?;
    manage_page(p, &state, clerk.village, notice, FieldErrors::new(), None).await
}

async fn update(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<NoticeForm>,
) -> AppResult<HttpResponse> {
    let notice = load(&state, &clerk.village, path.1).await?;
    if notice.is_published() {
        return Err(AppError::Conflict("notice.error.published"));
    }
    let (kind, title, body, subject) = match domain::check_notice(&form) {
        Ok(valid) => valid,
        Err(errors) => return manage_page(p, &state, clerk.village, notice, errors, None).await,
    };
    let (v, staff_id, id) = (clerk.village.clone(), clerk.staff.id, notice.id);
    state
        .db
        .tx(move |conn| {
            if !store::update_draft(conn, id, kind, &title, &body, subject.as_deref())? {
                return Err(AppError::Conflict("notice.error.published"));
            }
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::NoticeEdit,
                    format!("notice:{id}"),
                )
                .in_township(v.township_id)
                .from_address(&addr.0),
            )?;
            Ok(())
        })
        .await?;
    Ok(see_other(&format!("{}/{id}", base(&clerk.village))))
}

async fn publish(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    _f: Form<NoFields>,
) -> AppResult<HttpResponse> {
    let notice = load(&state, &clerk.village, path.1).await?;
    let (v, staff_id, id) = (clerk.village.clone(), clerk.staff.id, notice.id);
    state
        .db
        .tx(move |conn| {
            let published = store::publish(conn, id, crate::db::now())?
                .ok_or(AppError::Conflict("notice.error.published"))?;
            let hash = published.content_hash.unwrap_or_default();
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::NoticePublish,
                    format!("notice:{id}"),
                )
                .in_township(v.township_id)
                .from_address(&addr.0)
                .detail(format!("sha256={hash}")),
            )?;
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(see_other(&format!("{}/{id}", base(&clerk.village))))
}

/// Starts a new version of a published notice: a draft with the same content that links the
/// old one; both stay public once the new one is published.
async fn supersede(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    _f: Form<NoFields>,
) -> AppResult<HttpResponse> {
    let old = load(&state, &clerk.village, path.1).await?;
    if !old.is_published() {
        return Err(AppError::Conflict("notice.error.not_published"));
    }
    let (v, staff_id) = (clerk.village.clone(), clerk.staff.id);
    let id = state
        .db
        .tx(move |conn| {
            let draft = Draft {
                village_id: v.id,
                kind: old.kind(),
                title: &old.title,
                body: &old.body,
                subject: old.subject.as_deref(),
                supersedes: Some(old.id),
                created_by: staff_id,
            };
            let id = match store::create_draft(conn, &draft) {
                Ok(id) => id,
                Err(crate::db::DbError::Query(e)) if crate::db::is_unique_violation(&e) => {
                    return Err(AppError::Conflict("notice.error.superseded"));
                }
                Err(e) => return Err(e.into()),
            };
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::NoticeDraft,
                    format!("notice:{id}"),
                )
                .in_township(v.township_id)
                .from_address(&addr.0)
                .detail(format!("supersedes={}", old.id)),
            )?;
            Ok(id)
        })
        .await?;
    Ok(see_other(&format!("{}/{id}", base(&clerk.village))))
}
