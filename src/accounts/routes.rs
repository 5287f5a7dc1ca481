//! Staff signing in and the staff dashboard. Signing out and ending sessions are in
//! `accounts::sessions`, changing one's own password in `accounts::password`.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::domain::{self, Place, Role};
use super::store;
use super::two_factor::SECOND_FACTOR_PAGE;
use crate::audit::{self, Action, Actor, Event};
use crate::auth::{self, Check, sessions, two_factor};
use crate::error::{AppError, AppResult};
use crate::villages::store::{VillageRef, directory};
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::guards::{PASSWORD_PAGE, StaffUser};
use crate::web::page::{Page, render, render_status, see_other};
use crate::web::session::{self, Who};
use crate::web::{AppState, safe_next};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(login_form))
        .route("/login", web::post().to(login))
        .route("/staff", web::get().to(dashboard));
    super::sessions::configure(cfg);
    super::password::configure(cfg);
    super::locks::configure(cfg);
    super::two_factor::configure(cfg);
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NextQuery {
    next: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginForm {
    username: String,
    password: String,
    next: String,
}

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    p: Page,
    username: String,
    next: String,
    message: Option<&'static str>,
}

async fn login_form(p: Page, query: web::Query<NextQuery>) -> AppResult<HttpResponse> {
    let next = safe_next(Some(&query.next), "/staff");
    render(&LoginPage {
        p,
        username: String::new(),
        next,
        message: None,
    })
}

async fn login(
    p: Page,
    session: Session,
    state: web::Data<AppState>,
    addr: ClientAddr,
    TypedForm(form, bad): TypedForm<LoginForm>,
) -> AppResult<HttpResponse> {
    let username = form.username.trim().to_lowercase();
    let next = safe_next(Some(&form.next), "/staff");
    if let Some(message) = bad.message() {
        // Not what was typed: the password is not tried (no attempt counted) nor shown again.
        let page = LoginPage {
            p,
            username: form.username.trim().to_string(),
            next,
            message: Some(message),
        };
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let name = username.clone();
    let record = state
        .db
        .run(move |conn| store::find_for_login(conn, &name))
        .await?
        .filter(|r| r.active);
    let check = auth::check_secret(
        &state,
        format!("staff:{username}"),
        &addr.0,
        record.as_ref().map(|r| r.password_hash.clone()),
        form.password,
    )
    .await?;
    let staff_id = record.as_ref().map(|r| r.id);
    let address = addr.0.clone();
    let (epoch, second_factor) = state
        .db
        .tx(move |conn| {
            let township = match staff_id {
                Some(id) => store::home_township(conn, id)?,
                None => None,
            };
            let subject = staff_id.map_or("staff:?".to_string(), |id| format!("staff:{id}"));
            let actor = match (check, staff_id) {
                (Check::Accepted, Some(id)) => Actor::Staff(id),
                _ => Actor::Anonymous,
            };
            let mut event = Event::ok(actor, Action::StaffLogin, subject)
                .from_address(&address)
                .detail(format!("result={check:?}"));
            if let Some(t) = township {
                event = event.in_township(t);
            }
            if check != Check::Accepted {
                event = event.denied();
            }
            audit::record(conn, event)?;
            match (check, staff_id) {
                (Check::Accepted, Some(id)) => Ok::<_, AppError>((
                    sessions::current(conn, &sessions::staff(id))?,
                    two_factor::is_enrolled(conn, id)?,
                )),
                _ => Ok((0, false)),
            }
        })
        .await?;
    match (check, record) {
        (Check::Accepted, Some(record)) => {
            let who = Who::Staff {
                id: record.id,
                label: record.display_name,
            };
            // A password someone else set (one-time or reset) is replaced before anything else.
            let next = if record.must_change_password {
                PASSWORD_PAGE.to_string()
            } else {
                next
            };
            let started = if second_factor {
                session::await_second_factor(&session, &who, &next)
            } else {
                session::sign_in(&session, &who, epoch)
            };
            started.map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
            Ok(see_other(if second_factor {
                SECOND_FACTOR_PAGE
            } else {
                &next
            }))
        }
        (outcome, _) => {
            let (status, message) = match outcome {
                Check::Locked => (StatusCode::TOO_MANY_REQUESTS, "login.locked"),
                _ => (StatusCode::UNPROCESSABLE_ENTITY, "login.staff_wrong"),
            };
            render_status(
                status,
                &LoginPage {
                    p,
                    username,
                    next,
                    message: Some(message),
                },
            )
        }
    }
}

/// A village and the roles the signed-in staff member holds over it.
struct Workspace {
    village: VillageRef,
    roles: Vec<Role>,
    /// Review items flagged and not yet re-consulted (shown to the village's clerks).
    review_flags: usize,
}

#[derive(Template)]
#[template(path = "accounts/dashboard.html")]
struct Dashboard {
    p: Page,
    staff: StaffUser,
    workspaces: Vec<Workspace>,
    reads_audit: bool,
    administers: bool,
}

impl Dashboard {
    fn is_clerk(&self, roles: &[Role]) -> bool {
        roles.contains(&Role::Clerk)
    }
    fn is_council(&self, roles: &[Role]) -> bool {
        roles.contains(&Role::CouncilMember)
    }
}

async fn dashboard(
    p: Page,
    staff: StaffUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let towns = state.db.run(directory).await?;
    let mut workspaces: Vec<Workspace> = towns
        .into_iter()
        .flat_map(|t| t.villages)
        .filter_map(|village| {
            let place = Place::village(village.township_id, village.id);
            let roles: Vec<Role> = Role::ALL
                .into_iter()
                .filter(|r| staff.holds(&[*r], place))
                .collect();
            (!roles.is_empty()).then_some(Workspace {
                village,
                roles,
                review_flags: 0,
            })
        })
        .collect();
    let clerk_villages: Vec<i64> = workspaces
        .iter()
        .filter(|w| w.roles.contains(&Role::Clerk))
        .map(|w| w.village.id)
        .collect();
    let flags = state
        .db
        .run(move |conn| crate::reviews::flag_store::open_flag_counts(conn, &clerk_villages))
        .await?;
    for w in &mut workspaces {
        w.review_flags = flags
            .iter()
            .find(|(v, _)| *v == w.village.id)
            .map_or(0, |(_, n)| *n);
    }
    let reads_audit =
        !domain::townships_with(&staff.assignments, &[Role::Auditor, Role::Admin]).is_empty();
    let administers = !domain::townships_with(&staff.assignments, &[Role::Admin]).is_empty();
    render(&Dashboard {
        p,
        staff,
        workspaces,
        reads_audit,
        administers,
    })
}
