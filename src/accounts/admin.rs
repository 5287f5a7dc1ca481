//! The administrator's account pages: list the township's staff, create an account with a role
//! over a place, add and remove roles, deactivate and reactivate, and reset a password (shown
//! once). An administrator manages only accounts holding a role inside their townships, and
//! can neither deactivate nor strip their own account, so nobody locks the township out.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use rand::SeedableRng;
use serde::Deserialize;

use super::domain::{self, NewStaffForm, Role};
use super::store::{self, NewStaff, StaffSummary};
use crate::audit::{self, Action, Actor, Event};
use crate::error::{AppError, AppResult};
use crate::villages::store::PlaceIndex;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::{Form, NoFields};
use crate::web::forms::FieldErrors;
use crate::web::guards::Admin;
use crate::web::page::{Page, render, render_status, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/staff/accounts")
            .route("", web::get().to(list))
            .route("/new", web::get().to(new_form))
            .route("/new", web::post().to(create))
            .route("/{id}", web::get().to(show))
            .route("/{id}/roles", web::post().to(add_role))
            .route(
                "/{id}/roles/{assignment}/remove",
                web::post().to(remove_role),
            )
            .route("/{id}/active", web::post().to(set_active))
            .route("/{id}/password", web::post().to(reset_password)),
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

async fn load_one(
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
struct PasswordShown {
    p: Page,
    username: String,
    password: String,
}

fn one_time_password() -> String {
    crate::demo::random_password(&mut rand::rngs::StdRng::from_os_rng())
}

async fn create(
    p: Page,
    admin: Admin,
    state: web::Data<AppState>,
    addr: ClientAddr,
    Form(form): Form<NewStaffForm>,
) -> AppResult<HttpResponse> {
    let (index, _) = load(&state, &admin).await?;
    let valid = match domain::validate_new_staff(&form, &index.scopes()) {
        Ok(valid) => valid,
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
            store::assign(conn, id, v.role, v.scope)?;
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
struct ShowPage {
    p: Page,
    index: PlaceIndex,
    account: StaffSummary,
    is_self: bool,
    errors: FieldErrors,
}

impl ShowPage {
    fn roles(&self) -> [Role; 5] {
        Role::ALL
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
    })
}

/// One change to an account, as the audit log records it.
struct Change {
    action: Action,
    id: i64,
    township: Option<i64>,
    detail: String,
}

/// Writes one change to an account with its audit event, in one transaction.
async fn change(
    state: &AppState,
    admin: &Admin,
    addr: ClientAddr,
    Change {
        action,
        id,
        township,
        detail,
    }: Change,
    write: impl FnOnce(&mut crate::db::DbConn) -> Result<(), AppError> + Send + 'static,
) -> AppResult<()> {
    let (admin_id, address) = (admin.staff.id, addr.0);
    state
        .db
        .tx(move |conn| {
            write(conn)?;
            let mut event = Event::ok(Actor::Staff(admin_id), action, format!("staff:{id}"))
                .from_address(&address)
                .detail(detail);
            if let Some(t) = township {
                event = event.in_township(t);
            }
            audit::record(conn, event)?;
            Ok(())
        })
        .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RoleForm {
    role: String,
    scope: String,
}

async fn add_role(
    p: Page,
    admin: Admin,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<i64>,
    Form(form): Form<RoleForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (index, account) = load_one(&state, &admin, id).await?;
    let mut errors = FieldErrors::new();
    let Some((role, scope)) =
        domain::validate_role(&form.role, &form.scope, &index.scopes(), &mut errors)
    else {
        let is_self = account.id == admin.staff.id;
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ShowPage {
                p,
                index,
                account,
                is_self,
                errors,
            },
        );
    };
    let township = index.place(scope).map(|pl| pl.township);
    let detail = format!("role={role} scope={}", scope.to_form());
    change(
        &state,
        &admin,
        addr,
        Change {
            action: Action::StaffAddRole,
            id,
            township,
            detail,
        },
        move |conn| {
            store::assign(conn, id, role, scope)?;
            Ok(())
        },
    )
    .await?;
    Ok(see_other(&format!("/staff/accounts/{id}")))
}

async fn remove_role(
    admin: Admin,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(i64, i64)>,
    _form: Form<NoFields>,
) -> AppResult<HttpResponse> {
    let (id, assignment) = path.into_inner();
    let (index, account) = load_one(&state, &admin, id).await?;
    let Some((_, role, scope)) = account.roles.iter().find(|r| r.0 == assignment).copied() else {
        return Err(AppError::NotFound);
    };
    let Some(place) = index.place(scope) else {
        return Err(AppError::Forbidden); // a role in another township is that township's business
    };
    if account.roles.len() == 1 {
        return Err(AppError::Conflict("account.error.last_role"));
    }
    if id == admin.staff.id && role == Role::Admin {
        return Err(AppError::Conflict("account.error.own_admin"));
    }
    let detail = format!("role={role} scope={}", scope.to_form());
    change(
        &state,
        &admin,
        addr,
        Change {
            action: Action::StaffRemoveRole,
            id,
            township: Some(place.township),
            detail,
        },
        move |conn| {
            store::remove_assignment(conn, id, assignment)?;
            Ok(())
        },
    )
    .await?;
    Ok(see_other(&format!("/staff/accounts/{id}")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ActiveForm {
    active: String,
}

async fn set_active(
    admin: Admin,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<i64>,
    Form(form): Form<ActiveForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (index, account) = load_one(&state, &admin, id).await?;
    let active = form.active == "true";
    if id == admin.staff.id && !active {
        return Err(AppError::Conflict("account.error.own_deactivate"));
    }
    let township = account
        .roles
        .iter()
        .find_map(|r| index.place(r.2))
        .map(|pl| pl.township);
    let action = if active {
        Action::StaffActivate
    } else {
        Action::StaffDeactivate
    };
    change(
        &state,
        &admin,
        addr,
        Change {
            action,
            id,
            township,
            detail: String::new(),
        },
        move |conn| {
            store::set_active(conn, id, active)?;
            Ok(())
        },
    )
    .await?;
    Ok(see_other(&format!("/staff/accounts/{id}")))
}

async fn reset_password(
    p: Page,
    admin: Admin,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<i64>,
    _form: Form<NoFields>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (index, account) = load_one(&state, &admin, id).await?;
    let password = one_time_password();
    let hash = state.passwords.hash(password.clone()).await?;
    let township = account
        .roles
        .iter()
        .find_map(|r| index.place(r.2))
        .map(|pl| pl.township);
    change(
        &state,
        &admin,
        addr,
        Change {
            action: Action::StaffResetPassword,
            id,
            township,
            detail: String::new(),
        },
        move |conn| {
            store::set_password(conn, id, &hash)?;
            Ok(())
        },
    )
    .await?;
    render(&PasswordShown {
        p,
        username: account.username,
        password,
    })
}
