//! Changing one's own password. The new password must pass the rule (including the list of
//! common passwords and words an attacker knows), the current one must be right, and the change
//! ends every other session of the account (the one that asked stays signed in) and tells the
//! holder by mail when an address is known.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::domain::{self, Place, Role};
use super::notify::{self, Change};
use super::store::{self, SetBy};
use crate::audit::{self, Action, Actor, Event};
use crate::auth::{self, Check, sessions};
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::villages::store::directory;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::TypedForm;
use crate::web::guards::StaffUser;
use crate::web::page::{Page, render, render_status};
use crate::web::session;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Written out (not PASSWORD_PAGE) so the authorization walk's route scanner reads it.
    cfg.route("/staff/password", web::get().to(password_form))
        .route("/staff/password", web::post().to(change_password));
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordForm {
    current: String,
    new: String,
    repeat: String,
}

#[derive(Template)]
#[template(path = "accounts/password.html")]
struct PasswordPage {
    p: Page,
    errors: FieldErrors,
    done: bool,
    /// The password was set by someone else: say why this page comes first.
    forced: bool,
}

async fn password_form(p: Page, staff: StaffUser) -> AppResult<HttpResponse> {
    render(&PasswordPage {
        p,
        errors: FieldErrors::new(),
        done: false,
        forced: staff.must_change_password,
    })
}

/// Words an attacker knows about this account: its display name and the names and codes of
/// the villages it works in.
async fn known_words(state: &AppState, staff: &StaffUser) -> AppResult<Vec<String>> {
    let towns = state.db.run(directory).await?;
    let mut words = vec![staff.display_name.clone()];
    for village in towns.into_iter().flat_map(|t| t.villages) {
        let place = Place::village(village.township_id, village.id);
        if staff.holds(&Role::ALL, place) {
            words.push(village.code);
            words.push(village.name.trim_end_matches('村').to_string());
        }
    }
    Ok(words)
}

async fn change_password(
    p: Page,
    session: Session,
    staff: StaffUser,
    state: web::Data<AppState>,
    addr: ClientAddr,
    TypedForm(form, bad): TypedForm<PasswordForm>,
) -> AppResult<HttpResponse> {
    let mut errors = bad.errors();
    let words = known_words(&state, &staff).await?;
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    if let Err(problem) = domain::check_password_knowing(&form.new, &staff.username, &words) {
        errors.add("new", problem.message_key());
    } else if form.new != form.repeat {
        errors.add("repeat", "password.mismatch");
    }
    let name = staff.username.clone();
    let record = state
        .db
        .run(move |conn| store::find_for_login(conn, &name))
        .await?;
    let check = auth::check_secret(
        &state,
        format!("staff:{}", staff.username),
        &addr.0,
        record.map(|r| r.password_hash),
        form.current,
    )
    .await?;
    match check {
        Check::Accepted => {}
        Check::Rejected => errors.add("current", "password.current_wrong"),
        Check::Locked => return Err(AppError::TooManyRequests),
    }
    if !errors.is_empty() {
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PasswordPage {
                p,
                errors,
                done: false,
                forced: staff.must_change_password,
            },
        );
    }
    let hash = state.passwords.hash(form.new).await?;
    let staff_id = staff.id;
    let epoch = state
        .db
        .tx(move |conn| {
            store::set_password(conn, staff_id, &hash, SetBy::Holder)?;
            let epoch = sessions::bump(conn, &sessions::staff(staff_id))?;
            notify::holder(conn, staff_id, Change::PasswordChanged, "")?;
            let mut event = Event::ok(
                Actor::Staff(staff_id),
                Action::StaffPassword,
                format!("staff:{staff_id}"),
            )
            .from_address(&addr.0)
            .detail("other_sessions=ended");
            if let Some(t) = store::home_township(conn, staff_id)? {
                event = event.in_township(t);
            }
            audit::record(conn, event)?;
            Ok::<_, AppError>(epoch)
        })
        .await?;
    session::keep_under(&session, epoch).map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    render(&PasswordPage {
        p,
        errors,
        done: true,
        forced: false,
    })
}
