//! A council member's own page for a meeting (on their phone): declare a recusal, vote yes / no /
//! abstain on open motions while present, and sign the minutes by confirming their password.
//! When every member present has signed, the minutes lock with their SHA-256 and are published
//! as a notice of kind "council result".

use std::collections::HashSet;

use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use super::domain::{self, Eligibility};
use super::routes::{MeetingView, view};
use super::store::{self, Motion};
use super::tally::Choice;
use crate::audit::{self, Action, Actor, Event};
use crate::auth::{self, Check};
use crate::db::{DbConn, DbError};
use crate::error::{AppError, AppResult};
use crate::notices::domain::Kind;
use crate::villages::store::VillageRef;
use crate::villages::store::find_village;
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::Form;
use crate::web::guards::StaffUser;
use crate::web::page::{Page, render, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/v/{village}/council/{meeting}", web::get().to(show))
        .route(
            "/staff/v/{village}/council/{meeting}/motions/{motion}/vote",
            web::post().to(vote),
        )
        .route(
            "/staff/v/{village}/council/{meeting}/motions/{motion}/recuse",
            web::post().to(recuse),
        )
        .route(
            "/staff/v/{village}/council/{meeting}/sign",
            web::post().to(sign),
        );
}

/// Email addresses of a council's members (for meeting invitations).
pub fn member_emails(
    conn: &mut DbConn,
    village_id: i64,
    group_id: Option<i64>,
) -> Result<Vec<String>, DbError> {
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
        .select(st::email)
        .load::<Option<String>>(conn)?
        .into_iter()
        .flatten()
        .collect())
}

/// A member of the council that holds this meeting: the village council, or for a group
/// council's meeting that group's council. Unknown villages and meetings are 404; anyone else
/// signed in is refused with 403.
pub(super) struct MeetingMember {
    staff: StaffUser,
    village: VillageRef,
    view: MeetingView,
}

async fn meeting_member(
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

fn base(village: &VillageRef, meeting: i64) -> String {
    format!("/staff/v/{}/council/{meeting}", village.code)
}

#[derive(Template)]
#[template(path = "council/member.html")]
struct MemberPage {
    p: Page,
    village: VillageRef,
    v: MeetingView,
    me: i64,
    /// Motion → (my vote, I recused).
    mine: Vec<(i64, Option<Choice>, bool)>,
}

impl MemberPage {
    fn base(&self) -> String {
        base(&self.village, self.v.meeting.id)
    }
    fn my_vote(&self, motion: &i64) -> Option<Choice> {
        self.mine.iter().find(|m| m.0 == *motion).and_then(|m| m.1)
    }
    fn recused(&self, motion: &i64) -> bool {
        self.mine.iter().any(|m| m.0 == *motion && m.2)
    }
    fn present(&self) -> bool {
        self.v.present.contains(&self.me)
    }
    fn signed(&self) -> bool {
        self.v.signed.contains(&self.me)
    }
    fn outcome<'a>(&self, m: &'a Motion) -> &'a str {
        m.outcome(self.p.locale).unwrap_or("")
    }
}

async fn show(
    p: Page,
    staff: StaffUser,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let member = meeting_member(&state, staff, path.0.clone(), path.1).await?;
    let v = member.view;
    let me = member.staff.id;
    let ids: Vec<i64> = v.motions.iter().map(|(m, _)| m.id).collect();
    let mine = state
        .db
        .run(move |conn| {
            ids.into_iter()
                .map(|id| {
                    Ok::<_, AppError>((
                        id,
                        store::votes(conn, id)?.get(&me).map(|v| v.0),
                        store::recusals(conn, id)?.contains_key(&me),
                    ))
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    render(&MemberPage {
        p,
        village: member.village,
        v,
        me,
        mine,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct VoteForm {
    choice: String,
}

async fn vote(
    staff: StaffUser,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    Form(form): Form<VoteForm>,
) -> AppResult<HttpResponse> {
    let member = meeting_member(&state, staff, path.0.clone(), path.1).await?;
    let v = member.view;
    let motion = v
        .motions
        .iter()
        .map(|(m, _)| m)
        .find(|m| m.id == path.2)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let choice = Choice::parse(&form.choice).ok_or(AppError::BadRequest)?;
    let me = member.staff.id;
    let is_member = v.members.iter().any(|(id, _)| *id == me);
    let present = v.present.contains(&me);
    let (village, motion_id) = (member.village.clone(), motion.id);
    state
        .db
        .tx(move |conn| {
            let recused = store::recusals(conn, motion_id)?.contains_key(&me);
            let voted = store::votes(conn, motion_id)?.contains_key(&me);
            let eligibility = Eligibility {
                member: is_member,
                motion_open: motion.state == "open",
                present,
                recused,
                voted,
            };
            domain::may_vote(eligibility)
                .map_err(|refusal| AppError::Conflict(refusal.message_key()))?;
            // The primary key decides a race between two of this member's requests.
            if !store::cast(conn, motion_id, me, choice, None)? {
                return Err(AppError::Conflict(
                    domain::VoteRefusal::AlreadyVoted.message_key(),
                ));
            }
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(me),
                    Action::VoteCast,
                    format!("motion:{motion_id}"),
                )
                .in_township(village.township_id)
                .from_address(&addr.0),
            )?;
            Ok(())
        })
        .await?;
    Ok(see_other(&base(&member.village, path.1)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RecuseForm {
    reason: String,
}

async fn recuse(
    staff: StaffUser,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64, i64)>,
    Form(form): Form<RecuseForm>,
) -> AppResult<HttpResponse> {
    let member = meeting_member(&state, staff, path.0.clone(), path.1).await?;
    let v = member.view;
    let motion = v
        .motions
        .iter()
        .map(|(m, _)| m)
        .find(|m| m.id == path.2)
        .cloned()
        .ok_or(AppError::NotFound)?;
    if motion.state == "closed" {
        return Err(AppError::Conflict("motion.error.state"));
    }
    if !crate::collection::domain::valid_reason(&form.reason) {
        return Err(AppError::Unprocessable("recusal.error.reason"));
    }
    let me = member.staff.id;
    let (village, motion_id, reason) = (
        member.village.clone(),
        motion.id,
        form.reason.trim().to_string(),
    );
    state
        .db
        .tx(move |conn| {
            if store::votes(conn, motion_id)?.contains_key(&me) {
                return Err(AppError::Conflict("recusal.error.voted"));
            }
            if !store::recuse(conn, motion_id, me, &reason)? {
                return Err(AppError::Conflict("recusal.error.already"));
            }
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(me),
                    Action::MotionRecuse,
                    format!("motion:{motion_id}"),
                )
                .in_township(village.township_id)
                .from_address(&addr.0),
            )?;
            Ok(())
        })
        .await?;
    Ok(see_other(&base(&member.village, path.1)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SignForm {
    password: String,
}

async fn sign(
    staff: StaffUser,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<SignForm>,
) -> AppResult<HttpResponse> {
    let member = meeting_member(&state, staff, path.0.clone(), path.1).await?;
    let v = member.view;
    let me = member.staff.id;
    let Some(minutes) = v.minutes.clone() else {
        return Err(AppError::Conflict("minutes.error.none"));
    };
    if minutes.locked_at.is_some() {
        return Err(AppError::Conflict("minutes.error.locked"));
    }
    if !v.present.contains(&me) {
        return Err(AppError::Conflict("minutes.error.not_present"));
    }
    let name = member.staff.username.clone();
    let record = state
        .db
        .run(move |conn| crate::accounts::store::find_for_login(conn, &name))
        .await?;
    match auth::check_secret(
        &state,
        format!("staff:{}", member.staff.username),
        &addr.0,
        record.map(|r| r.password_hash),
        form.password,
    )
    .await?
    {
        Check::Accepted => {}
        Check::Rejected => return Err(AppError::Unprocessable("minutes.error.password")),
        Check::Locked => return Err(AppError::TooManyRequests),
    }
    let (village, meeting, present) =
        (member.village.clone(), v.meeting.clone(), v.present.clone());
    state
        .db
        .tx(move |conn| {
            if !store::sign(conn, meeting.id, me)? {
                return Err(AppError::Conflict("minutes.error.signed"));
            }
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(me),
                    Action::MinutesSign,
                    format!("meeting:{}", meeting.id),
                )
                .in_township(village.township_id)
                .from_address(&addr.0),
            )?;
            let signed: HashSet<i64> = store::signatures(conn, meeting.id)?;
            if domain::all_signed(&present, &signed) {
                let hash = domain::minutes_hash(&minutes.body);
                if store::lock(conn, meeting.id, &hash)? {
                    let body = format!("{}\n\n会议记录 SHA-256：{hash}", minutes.body);
                    let draft = crate::notices::store::Draft {
                        village_id: village.id,
                        kind: Kind::CouncilResult,
                        title: &format!("议事会决议：{}", meeting.title),
                        body: &body,
                        subject: Some(&format!("meeting:{}", meeting.id)),
                        supersedes: None,
                        created_by: me,
                    };
                    let notice =
                        crate::notices::store::create_published(conn, &draft, crate::db::now())?;
                    audit::record(
                        conn,
                        Event::ok(
                            Actor::Staff(me),
                            Action::MinutesLock,
                            format!("meeting:{}", meeting.id),
                        )
                        .in_township(village.township_id)
                        .detail(format!("sha256={hash} notice={}", notice.id)),
                    )?;
                }
            }
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(see_other(&base(&member.village, path.1)))
}
