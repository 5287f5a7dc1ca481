//! Changes an administrator makes to one account: roles added and removed, deactivation and
//! reactivation, and password resets, each written with its audit event in one transaction.
//! Separation of duties: an administrator cannot give roles to its own account; a reset
//! password must be replaced by the holder at the next sign-in (so the administrator who knows
//! it cannot act through the account unnoticed); every change mails the holder when an address
//! is known; removing a role, deactivating and resetting end the account's sessions.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::admin::{PasswordShown, ShowPage, load_one, one_time_password};
use super::domain::{self, Role};
use super::notify::{self, Change as Notice};
use super::store::{self, SetBy};
use crate::audit::{self, Action, Actor, Event};
use crate::auth::sessions;
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::{Form, NoFields, TypedForm};
use crate::web::guards::Admin;
use crate::web::page::{Page, render, render_status, see_other};

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
pub(super) struct RoleForm {
    role: String,
    scope: String,
    term: String,
}

pub(super) async fn add_role(
    p: Page,
    admin: Admin,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<i64>,
    TypedForm(form, bad): TypedForm<RoleForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    if id == admin.staff.id {
        return Err(AppError::Conflict("account.error.own_roles"));
    }
    let (index, account) = load_one(&state, &admin, id).await?;
    let mut errors = bad.errors();
    let term = domain::validate_term(&form.term, crate::db::now(), &mut errors);
    let checked = domain::validate_role(&form.role, &form.scope, &index.scopes(), &mut errors);
    let (Some((role, scope)), true) = (checked, errors.is_empty()) else {
        let is_self = account.id == admin.staff.id;
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ShowPage {
                p,
                index,
                account,
                is_self,
                errors,
                reason: String::new(),
            },
        );
    };
    let township = index.place(scope).map(|pl| pl.township);
    let detail = format!(
        "role={role} scope={} term_ends={}",
        scope.to_form(),
        term.map_or("-".to_string(), |t| t.to_string())
    );
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
            store::assign_until(conn, id, role, scope, term)?;
            notify::holder(conn, id, Notice::RoleAdded, role.as_str())?;
            Ok(())
        },
    )
    .await?;
    Ok(see_other(&format!("/staff/accounts/{id}")))
}

pub(super) async fn remove_role(
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
            // Sessions signed in with the role end: the next request loads the account anew.
            sessions::bump(conn, &sessions::staff(id))?;
            notify::holder(conn, id, Notice::RoleRemoved, role.as_str())?;
            Ok(())
        },
    )
    .await?;
    Ok(see_other(&format!("/staff/accounts/{id}")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ActiveForm {
    active: String,
}

pub(super) async fn set_active(
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
            if active {
                notify::holder(conn, id, Notice::Activated, "")?;
            } else {
                sessions::bump(conn, &sessions::staff(id))?;
                notify::holder(conn, id, Notice::Deactivated, "")?;
            }
            Ok(())
        },
    )
    .await?;
    Ok(see_other(&format!("/staff/accounts/{id}")))
}

pub(super) async fn reset_password(
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
            store::set_password(conn, id, &hash, SetBy::Someone)?;
            sessions::bump(conn, &sessions::staff(id))?;
            notify::holder(conn, id, Notice::PasswordReset, "")?;
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
