//! The administrator's account pages: list the township's staff, create an account with a role
//! over a place, add and remove roles, deactivate and reactivate, and reset a password (shown
//! once). An administrator manages only accounts holding a role inside their townships, and
//! can neither deactivate nor strip their own account, so nobody locks the township out.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use rand::SeedableRng;

use super::admin_changes as changes;
use super::domain::{self, NewStaffForm, Role};
use super::store::{self, NewStaff, StaffSummary};
use crate::audit::{self, Action, Actor, Event};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::villages::store::PlaceIndex;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::guards::Admin;
use crate::web::page::{Page, render, render_status};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/staff/accounts")
            .route("", web::get().to(list))
            .route("/new", web::get().to(new_form))
            .route("/new", web::post().to(create))
            .route("/{id}", web::get().to(show))
            .route("/{id}/roles", web::post().to(changes::add_role))
            .route(
                "/{id}/roles/{assignment}/remove",
                web::post().to(changes::remove_role),
            )
            .route("/{id}/active", web::post().to(changes::set_active))
            .route("/{id}/password", web::post().to(changes::reset_password))
            .route(
                "/{id}/2fa/reset",
                web::post().to(super::second_factor_reset::reset_page),
            ),
    );
}

/// The admin's townships' places and the accounts with a role in them.
async fn load(state: &AppState, admin: &Admin) -> AppResult<(PlaceIndex, Vec<StaffSummary>)> {
    let townships = admin.townships.clone();
    state
        .db
        .run(move |conn| {
            let index = PlaceIndex::load(conn, &townships)?;
            let staff = store::all_with_roles(conn)?
                .into_iter()
                .filter(|s| {
                    s.roles
                        .iter()
                        .any(|(_, _, scope)| index.place(*scope).is_some())
                })
                .collect();
            Ok::<_, AppError>((index, staff))
        })
        .await
}

/// Usernames of the accounts this administrator manages.
pub(super) async fn staff_of(state: &AppState, admin: &Admin) -> AppResult<Vec<String>> {
    let (_, staff) = load(state, admin).await?;
    Ok(staff.into_iter().map(|s| s.username).collect())
}

pub(super) async fn load_one(
    state: &AppState,
    admin: &Admin,
    id: i64,
) -> AppResult<(PlaceIndex, StaffSummary)> {
    let (index, staff) = load(state, admin).await?;
    let one = staff
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(AppError::NotFound)?;
    Ok((index, one))
}

#[derive(Template)]
#[template(path = "accounts/admin_list.html")]
struct ListPage {
    p: Page,
    index: PlaceIndex,
    staff: Vec<StaffSummary>,
}

async fn list(p: Page, admin: Admin, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let (index, staff) = load(&state, &admin).await?;
    render(&ListPage { p, index, staff })
}

#[derive(Template)]
#[template(path = "accounts/admin_new.html")]
struct NewPage {
    p: Page,
    index: PlaceIndex,
    form: NewStaffForm,
    errors: FieldErrors,
}

impl NewPage {
    fn roles(&self) -> [Role; 5] {
        Role::ALL
    }
}

async fn new_form(p: Page, admin: Admin, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let (index, _) = load(&state, &admin).await?;
    render(&NewPage {
        p,
        index,
        form: NewStaffForm::default(),
        errors: FieldErrors::new(),
    })
}

#[derive(Template)]
#[template(path = "accounts/one_time_password.html")]
pub(super) struct PasswordShown {
    pub(super) p: Page,
    pub(super) username: String,
    pub(super) password: String,
}

pub(super) fn one_time_password() -> String {
    crate::demo::random_password(&mut rand::rngs::StdRng::from_os_rng())
}

async fn create(
    p: Page,
    admin: Admin,
    state: web::Data<AppState>,
    addr: ClientAddr,
    TypedForm(form, bad): TypedForm<NewStaffForm>,
) -> AppResult<HttpResponse> {
    let (index, _) = load(&state, &admin).await?;
    let mut term_errors = bad.errors();
    let term = domain::validate_term(&form.term, crate::db::now(), &mut term_errors);
    let valid = match bad.check(domain::validate_new_staff(&form, &index.scopes())) {
        Ok(valid) if term_errors.is_empty() => valid,
        Ok(_) => {
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &NewPage {
                    p,
                    index,
                    form,
                    errors: term_errors,
                },
            );
        }
        Err(errors) => {
            return render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &NewPage {
                    p,
                    index,
                    form,
                    errors,
                },
            );
        }
    };
    let password = one_time_password();
    let hash = state.passwords.hash(password.clone()).await?;
    let (admin_id, v) = (admin.staff.id, valid.clone());
    let township = index.place(valid.scope).map(|pl| pl.township);
    let created = state
        .db
        .tx(move |conn| {
            let new = NewStaff {
                username: &v.username,
                display_name: &v.display_name,
                email: v.email.as_deref(),
                password_hash: &hash,
            };
            let Some(id) = store::create(conn, &new)? else {
                return Ok::<_, AppError>(None);
            };
            store::assign_until(conn, id, v.role, v.scope, term)?;
            // A one-time password: the holder replaces it at the first sign-in.
            require_password_change(conn, id)?;
            let mut event = Event::ok(
                Actor::Staff(admin_id),
                Action::StaffCreate,
                format!("staff:{id}"),
            )
            .from_address(&addr.0)
            .detail(format!("role={} scope={}", v.role, v.scope.to_form()));
            if let Some(t) = township {
                event = event.in_township(t);
            }
            audit::record(conn, event)?;
            Ok(Some(id))
        })
        .await?;
    match created {
        Some(_) => render(&PasswordShown {
            p,
            username: valid.username,
            password,
        }),
        None => {
            let mut errors = FieldErrors::new();
            errors.add("username", "account.error.username_taken");
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &NewPage {
                    p,
                    index,
                    form,
                    errors,
                },
            )
        }
    }
}

#[derive(Template)]
#[template(path = "accounts/admin_show.html")]
pub(super) struct ShowPage {
    pub(super) p: Page,
    pub(super) index: PlaceIndex,
    pub(super) account: StaffSummary,
    pub(super) is_self: bool,
    pub(super) errors: FieldErrors,
    /// The reason typed for a second-factor reset, shown again with its message.
    pub(super) reason: String,
}

impl ShowPage {
    fn roles(&self) -> [Role; 5] {
        Role::ALL
    }
    /// The last day of a term, in Beijing (the stored instant is the midnight after it).
    fn day(&self, end: &chrono::NaiveDateTime) -> String {
        let last = *end - chrono::TimeDelta::seconds(1);
        crate::i18n::format_time(self.p.locale, last)
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

async fn show(
    p: Page,
    admin: Admin,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (index, account) = load_one(&state, &admin, path.into_inner()).await?;
    let is_self = account.id == admin.staff.id;
    render(&ShowPage {
        p,
        index,
        account,
        is_self,
        errors: FieldErrors::new(),
        reason: String::new(),
    })
}

/// Marks the password of a new account (a one-time password) as set by someone else.
pub fn require_password_change(
    conn: &mut crate::db::DbConn,
    staff_id: i64,
) -> Result<(), crate::db::DbError> {
    use crate::db::schema::staff::dsl as st;
    use diesel::prelude::*;
    diesel::update(st::staff.filter(st::id.eq(staff_id)))
        .set(st::must_change_password.eq(true))
        .execute(conn)?;
    Ok(())
}
