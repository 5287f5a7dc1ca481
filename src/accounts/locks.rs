//! Sign-in locks, seen and lifted by the people who answer for the accounts: a village's clerk
//! for its households (`/staff/v/{village}/locks`), an administrator for the staff accounts of
//! its townships (`/staff/locks`). Lifting is audited.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::admin::staff_of;
use crate::audit::{self, Action, Actor, Event};
use crate::auth::store::{self as throttle_store, Lock};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::Form;
use crate::web::guards::{Admin, Clerk};
use crate::web::page::{Page, render, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/locks", web::get().to(staff_locks))
        .route("/staff/locks/lift", web::post().to(lift_staff_lock))
        .route("/staff/v/{village}/locks", web::get().to(household_locks))
        .route(
            "/staff/v/{village}/locks/lift",
            web::post().to(lift_household_lock),
        );
}

/// One lock as shown: the account's name (username or 户号) and until when.
pub struct ShownLock {
    pub name: String,
    pub failures: i32,
    pub until: String,
}

#[derive(Template)]
#[template(path = "accounts/locks.html")]
struct LocksPage {
    p: Page,
    /// Where the lift form posts.
    action: String,
    locks: Vec<ShownLock>,
}

fn shown(p: &Page, prefix: &str, locks: Vec<Lock>) -> Vec<ShownLock> {
    locks
        .into_iter()
        .map(|l| ShownLock {
            name: l.key.trim_start_matches(prefix).to_string(),
            failures: l.failures,
            until: crate::i18n::format_time(p.locale, l.locked_until),
        })
        .collect()
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LiftForm {
    name: String,
}

/// Deletes the lock of `key` and records who lifted it, in one transaction; false when there
/// was no lock.
async fn lift(
    state: &AppState,
    actor: Actor,
    key: String,
    township: i64,
    address: String,
) -> AppResult<bool> {
    state
        .db
        .tx(move |conn| {
            let now = crate::db::now();
            let locked = throttle_store::locks(conn, &key, now)?
                .iter()
                .any(|l| l.key == key);
            if !locked {
                return Ok::<_, AppError>(false);
            }
            throttle_store::clear(conn, &key)?;
            let event = Event::ok(actor, Action::LoginLockLift, key.clone())
                .in_township(township)
                .from_address(&address);
            audit::record(conn, event)?;
            Ok(true)
        })
        .await
}

async fn staff_locks(p: Page, admin: Admin, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let names = staff_of(&state, &admin).await?;
    let locks = state
        .db
        .run(move |conn| throttle_store::locks(conn, "staff:", crate::db::now()))
        .await?
        .into_iter()
        .filter(|l| names.iter().any(|n| l.key == format!("staff:{n}")))
        .collect();
    let locks = shown(&p, "staff:", locks);
    render(&LocksPage {
        p,
        action: "/staff/locks/lift".into(),
        locks,
    })
}

async fn lift_staff_lock(
    admin: Admin,
    state: web::Data<AppState>,
    addr: ClientAddr,
    Form(form): Form<LiftForm>,
) -> AppResult<HttpResponse> {
    let name = form.name.trim().to_lowercase();
    if !staff_of(&state, &admin).await?.contains(&name) {
        return Err(AppError::NotFound);
    }
    let township = admin
        .townships
        .first()
        .copied()
        .ok_or(AppError::Forbidden)?;
    let actor = Actor::Staff(admin.staff.id);
    if !lift(&state, actor, format!("staff:{name}"), township, addr.0).await? {
        return Err(AppError::NotFound);
    }
    Ok(see_other("/staff/locks"))
}

fn household_prefix(clerk: &Clerk) -> String {
    format!("household:{}:", clerk.village.id)
}

async fn household_locks(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let prefix = household_prefix(&clerk);
    let scan = prefix.clone();
    let locks = state
        .db
        .run(move |conn| throttle_store::locks(conn, &scan, crate::db::now()))
        .await?;
    let locks = shown(&p, &prefix, locks);
    render(&LocksPage {
        p,
        action: format!("/staff/v/{}/locks/lift", clerk.village.code),
        locks,
    })
}

async fn lift_household_lock(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    Form(form): Form<LiftForm>,
) -> AppResult<HttpResponse> {
    let key = format!("{}{}", household_prefix(&clerk), form.name.trim());
    let actor = Actor::Staff(clerk.staff.id);
    if !lift(&state, actor, key, clerk.village.township_id, addr.0).await? {
        return Err(AppError::NotFound);
    }
    Ok(see_other(&format!("/staff/v/{}/locks", clerk.village.code)))
}
