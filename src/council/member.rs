//! A council member's own page for a meeting (on their phone): declare a recusal, vote yes / no /
//! abstain on open motions while present, and sign the minutes by confirming their password.
//! When every member present has signed, the minutes lock with their SHA-256 and are published
//! as a notice of kind "council result".

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use super::commands::Who;
use super::domain;
use super::member_commands;
use super::routes::{MeetingView, view};
use super::store::Motion;
use super::tally::Choice;
use crate::db::{DbConn, DbError};
use crate::error::{AppError, AppResult};
use crate::villages::store::VillageRef;
use crate::villages::store::find_village;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::Form;
use crate::web::guards::StaffUser;
use crate::web::kept::Kept;
use crate::web::page::{Page, render_status, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/v/{village}/council/{meeting}", web::get().to(show))
        .route(
            "/staff/v/{village}/council/{meeting}/motions/{motion}/vote",
            web::post().to(vote),
        );
    super::member_forms::configure(cfg);
}

/// Email addresses of a council's members (for meeting invitations).
pub fn member_emails(
    conn: &mut DbConn,
    village_id: i64,
    group_id: Option<i64>,
) -> Result<Vec<String>, DbError> {
    Ok(member_contacts(conn, village_id, group_id)?
        .into_iter()
        .filter_map(|(_, email)| email)
        .collect())
}

/// Ids of a council's members who have no e-mail address: the invitation cannot reach them,
/// and the clerk's page lists them to be told by phone.
pub fn members_without_email(
    conn: &mut DbConn,
    village_id: i64,
    group_id: Option<i64>,
) -> Result<Vec<i64>, DbError> {
    Ok(member_contacts(conn, village_id, group_id)?
        .into_iter()
        .filter(|(_, email)| email.is_none())
        .map(|(id, _)| id)
        .collect())
}

/// (staff id, e-mail address) of each member of a council in term; a blank address is none.
fn member_contacts(
    conn: &mut DbConn,
    village_id: i64,
    group_id: Option<i64>,
) -> Result<Vec<(i64, Option<String>)>, DbError> {
    use crate::db::schema::{role_assignments as ra, staff as st};
    let scoped = ra::table
        .inner_join(st::table)
        .filter(ra::role.eq("council_member").and(st::active.eq(true)))
        .filter(crate::accounts::store::in_term(crate::db::now()))
        .into_boxed();
    let scoped = match group_id {
        Some(group) => scoped.filter(ra::group_id.eq(group)),
        None => scoped.filter(ra::village_id.eq(village_id)),
    };
    Ok(scoped
        .select((st::id, st::email))
        .load::<(i64, Option<String>)>(conn)?
        .into_iter()
        .map(|(id, email)| (id, email.filter(|e| !e.trim().is_empty())))
        .collect())
}

/// A member of the council that holds this meeting: the village council, or for a group
/// council's meeting that group's council. Unknown villages and meetings are 404; anyone else
/// signed in is refused with 403.
pub(super) struct MeetingMember {
    pub(super) staff: StaffUser,
    pub(super) village: VillageRef,
    view: MeetingView,
}

pub(super) async fn meeting_member(
    state: &AppState,
    staff: StaffUser,
    code: String,
    meeting: i64,
) -> AppResult<MeetingMember> {
    let village = state
        .db
        .run(move |conn| find_village(conn, &code))
        .await?
        .ok_or(AppError::NotFound)?;
    let view = view(state, &village, meeting).await?;
    // Membership is the council's own list: the village council's members for a village
    // meeting, the group's council members for a group meeting (a village-wide role does not
    // make someone a member of a group's council).
    if !view.members.iter().any(|(id, _)| *id == staff.id) {
        return Err(AppError::Forbidden);
    }
    Ok(MeetingMember {
        staff,
        village,
        view,
    })
}

pub(super) fn base(village: &VillageRef, meeting: i64) -> String {
    format!("/staff/v/{}/council/{meeting}", village.code)
}

#[derive(Template)]
#[template(path = "council/member.html")]
struct MemberPage {
    p: Page,
    village: VillageRef,
    v: MeetingView,
    me: i64,
    /// My part in each motion.
    mine: Vec<member_commands::MyStanding>,
    /// Why the last action was refused, shown above the current minutes.
    message: Option<&'static str>,
    /// The form sent, when it was refused.
    kept: Kept,
}

impl MemberPage {
    fn base(&self) -> String {
        base(&self.village, self.v.meeting.id)
    }
    fn my_vote(&self, motion: &i64) -> Option<Choice> {
        self.mine
            .iter()
            .find(|m| m.motion == *motion)
            .and_then(|m| m.vote)
            .map(|v| v.0)
    }
    /// My vote on `motion` was recorded by the clerk from a show of hands.
    fn by_clerk(&self, motion: &i64) -> bool {
        self.mine
            .iter()
            .any(|m| m.motion == *motion && m.vote.is_some_and(|v| v.1))
    }
    fn recused(&self, motion: &i64) -> bool {
        self.mine.iter().any(|m| m.motion == *motion && m.recused)
    }
    fn present(&self) -> bool {
        self.v.present.contains(&self.me)
    }
    fn signed(&self) -> bool {
        self.v.signed.contains(&self.me)
    }
    /// My refusal to sign, as the clerk recorded it.
    fn my_refusal(&self) -> Option<&str> {
        self.v
            .refused
            .iter()
            .find(|r| r.0 == self.me)
            .map(|r| r.2.as_str())
    }
    fn outcome(&self, m: &Motion) -> String {
        self.v.outcomes.words(m, self.p.locale)
    }
    /// The SHA-256 of the minutes shown: the signature form carries it, and signing refuses
    /// a text changed since.
    fn recuse_form(&self, motion: &i64) -> String {
        super::member_forms::recuse_form(*motion)
    }
    fn minutes_hash(&self) -> String {
        self.v
            .minutes
            .as_ref()
            .map(|m| domain::minutes_hash(&m.body))
            .unwrap_or_default()
    }
}

/// The member's page; `kept` holds a form sent back (then the status is a 422).
pub(super) async fn member_page(
    p: Page,
    state: &AppState,
    member: MeetingMember,
    status: StatusCode,
    message: Option<&'static str>,
    kept: Kept,
) -> AppResult<HttpResponse> {
    let v = member.view;
    let me = member.staff.id;
    let ids: Vec<i64> = v.motions.iter().map(|(m, _)| m.id).collect();
    let mine = state
        .db
        .run(move |conn| member_commands::my_standing(conn, &ids, me))
        .await?;
    render_status(
        status,
        &MemberPage {
            p,
            village: member.village,
            v,
            me,
            mine,
            message,
            kept,
        },
    )
}

async fn show(
    p: Page,
    staff: StaffUser,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let member = meeting_member(&state, staff, path.0.clone(), path.1).await?;
    member_page(p, &state, member, StatusCode::OK, None, Kept::default()).await
}

pub(super) fn who_of(member: &MeetingMember, addr: &ClientAddr) -> Who {
    Who {
        staff: member.staff.id,
        village: member.village.clone(),
        addr: addr.0.clone(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct VoteForm {
    choice: String,
}

async fn vote(
    p: Page,
    staff: StaffUser,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    Form(form): Form<VoteForm>,
) -> AppResult<HttpResponse> {
    let member = meeting_member(&state, staff, path.0.clone(), path.1).await?;
    let choice = Choice::parse(&form.choice).ok_or(AppError::BadRequest)?;
    let (who, meeting, motion) = (who_of(&member, &addr), path.1, path.2);
    let cast = state
        .db
        .tx(move |conn| member_commands::cast_vote(conn, &who, meeting, motion, choice))
        .await;
    match cast {
        Ok(()) => Ok(see_other(&base(&member.village, path.1))),
        // The clerk recorded this member's hand first: say so beside the vote that stands.
        Err(AppError::Conflict(key)) if key == "vote.error.recorded_by_clerk" => {
            let fresh = meeting_member(&state, member.staff, path.0.clone(), path.1).await?;
            member_page(
                p,
                &state,
                fresh,
                StatusCode::CONFLICT,
                Some(key),
                Kept::default(),
            )
            .await
        }
        Err(other) => Err(other),
    }
}
