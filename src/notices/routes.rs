//! The clerk's notice pages: drafts, publishing, superseding, answering objections (also
//! recording an oral or written objection on a household's behalf) and the overdue list.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use serde::Deserialize;

use super::commands::{self, NoticeText};
use super::domain::{self, Kind, NoticeForm};
use super::states::{NoticeState, ObjectionChannel};
use super::store::{self, Notice, Objection};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::villages::store::VillageRef;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::{Form, TypedForm};
use crate::web::guards::Clerk;
use crate::web::kept::Kept;
use crate::web::once::new_token;
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

/// The clerk and village a command acts for.
pub(super) fn acting(clerk: &Clerk, addr: ClientAddr) -> commands::Clerk {
    commands::Clerk {
        staff_id: clerk.staff.id,
        village: clerk.village.clone(),
        address: addr.0,
    }
}

/// A checked notice form as the command takes it, or the form's errors.
fn checked(form: &NoticeForm) -> Result<NoticeText, FieldErrors> {
    let (kind, title, body, subject) = domain::check_notice(form)?;
    Ok(NoticeText {
        kind,
        title,
        body,
        subject,
    })
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
    /// The one-time token that makes the form create one draft, however often it is sent.
    once: String,
}

impl FormPage {
    fn kinds(&self) -> Vec<Kind> {
        Kind::ALL
            .into_iter()
            .filter(|k| k.written_by_hand())
            .collect()
    }
}

async fn new_form(p: Page, clerk: Clerk) -> AppResult<HttpResponse> {
    let form = NoticeForm {
        kind: Kind::General.as_str().into(),
        ..NoticeForm::default()
    };
    render(&FormPage {
        p,
        village: clerk.village,
        form,
        errors: FieldErrors::new(),
        once: new_token(),
    })
}

async fn create(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    TypedForm(form, bad): TypedForm<NoticeForm>,
) -> AppResult<HttpResponse> {
    let text = match bad.check(checked(&form)) {
        Ok(text) => text,
        Err(errors) => {
            // The same token goes back with the form: the draft is still to be created once.
            let once = form.once.clone();
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage {
                    p,
                    village: clerk.village,
                    form,
                    errors,
                    once,
                },
            );
        }
    };
    let by = acting(&clerk, addr);
    let to = state
        .db
        .tx(move |conn| commands::create(conn, &by, &text, &form.once))
        .await?;
    Ok(see_other(&to))
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
    /// The one-time token of the publish and the new-version forms.
    once: String,
    /// An objection or answer form sent back as typed.
    kept: Kept,
}

impl ManagePage {
    fn on_behalf_channels(&self) -> [ObjectionChannel; 2] {
        ObjectionChannel::ON_BEHALF
    }
    fn when(&self, t: &chrono::NaiveDateTime) -> String {
        crate::i18n::format_time(self.p.locale, *t)
    }
    fn kinds(&self) -> Vec<Kind> {
        Kind::ALL
            .into_iter()
            .filter(|k| k.written_by_hand())
            .collect()
    }
    fn in_period(&self) -> bool {
        self.notice.phase(crate::db::now()) == domain::Phase::InPeriod
    }
    fn answer_form(&self, o: &Objection) -> String {
        super::answers::answer_form(o.id)
    }
    fn overdue(&self, o: &Objection) -> bool {
        o.answered_at.is_none() && crate::db::now() >= o.answer_due_at
    }
}

/// The clerk's page of a notice; with a message, a form came back refused (422 when the form
/// was wrong, 409 when the notice no longer allows it). `edit` is the draft's form as typed
/// (else the stored draft is shown), `kept` an objection or answer form as typed.
pub(super) async fn manage_page(
    p: Page,
    state: &AppState,
    village: VillageRef,
    notice: Notice,
    edit: Option<(NoticeForm, FieldErrors)>,
    message: Option<(StatusCode, &'static str)>,
    kept: Kept,
) -> AppResult<HttpResponse> {
    let id = notice.id;
    let objections = state
        .db
        .run(move |conn| store::objections_of(conn, id))
        .await?;
    let (form, errors) = edit.unwrap_or_else(|| {
        let stored = NoticeForm {
            kind: notice.kind.as_str().to_string(),
            title: notice.title.clone(),
            body: notice.body.clone(),
            subject: notice.subject.clone().unwrap_or_default(),
            once: String::new(),
        };
        (stored, FieldErrors::new())
    });
    let status = match message {
        Some((status, _)) => status,
        None if errors.is_empty() && !kept.is_sent() => StatusCode::OK,
        None => StatusCode::UNPROCESSABLE_ENTITY,
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
            message: message.map(|(_, key)| key),
            once: new_token(),
            kept,
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
    manage_page(
        p,
        &state,
        clerk.village,
        notice,
        None,
        None,
        Kept::default(),
    )
    .await
}

async fn update(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    TypedForm(form, bad): TypedForm<NoticeForm>,
) -> AppResult<HttpResponse> {
    let id = path.1;
    let text = match bad.check(checked(&form)) {
        Ok(text) => text,
        Err(errors) => {
            let notice = load(&state, &clerk.village, id).await?;
            if notice.state == NoticeState::Published {
                return Err(AppError::Conflict("notice.error.published"));
            }
            // The draft as typed, not as stored: what was typed is checked again.
            let edit = Some((form, errors));
            let kept = Kept::default();
            return manage_page(p, &state, clerk.village, notice, edit, None, kept).await;
        }
    };
    let by = acting(&clerk, addr);
    state
        .db
        .tx(move |conn| commands::update(conn, &by, id, &text))
        .await?;
    Ok(see_other(&format!("{}/{id}", base(&clerk.village))))
}

/// The publish and new-version forms carry nothing but their one-time token.
#[derive(Deserialize, Default)]
#[serde(default)]
struct OnceForm {
    once: String,
}

async fn publish(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<OnceForm>,
) -> AppResult<HttpResponse> {
    let (by, id) = (acting(&clerk, addr), path.1);
    let to = state
        .db
        .tx(move |conn| commands::publish(conn, &by, id, &form.once))
        .await?;
    Ok(see_other(&to))
}

/// Starts a new version of a published notice: a draft with the same content that links the
/// old one; both stay public once the new one is published.
async fn supersede(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<OnceForm>,
) -> AppResult<HttpResponse> {
    let (by, id) = (acting(&clerk, addr), path.1);
    let to = state
        .db
        .tx(move |conn| commands::supersede(conn, &by, id, &form.once))
        .await?;
    Ok(see_other(&to))
}
