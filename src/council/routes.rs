//! The clerk's (or chair's) meeting pages: convene a meeting, take attendance, show the quorum,
//! put motions with their rule, open and close them, record a show of hands on the meeting's
//! behalf, and write the minutes.

use std::collections::HashSet;

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::domain::MotionKind;
use super::store::{self, Meeting, Motion, NewMeeting};
use super::tally;
use crate::audit::{self, Action, Actor, Event};
use crate::error::{AppError, AppResult};
use crate::villages::store::{VillageRef, groups};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::Form;
use crate::web::guards::Clerk;
use crate::web::page::{Page, render, see_other};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/v/{village}/meetings", web::get().to(list))
        .route("/staff/v/{village}/meetings", web::post().to(create))
        .route("/staff/v/{village}/meetings/{meeting}", web::get().to(show))
        .route(
            "/staff/v/{village}/meetings/{meeting}/attendance",
            web::post().to(attendance),
        )
        .route(
            "/staff/v/{village}/meetings/{meeting}/state",
            web::post().to(state_change),
        );
    super::motion_routes::configure(cfg);
    super::minutes_routes::configure(cfg);
}

pub(super) fn base(village: &VillageRef, meeting: i64) -> String {
    format!("/staff/v/{}/meetings/{meeting}", village.code)
}

#[derive(Template)]
#[template(path = "council/meetings.html")]
struct ListPage {
    p: Page,
    /// The village's groups, each of which may have its own council.
    groups: Vec<crate::villages::store::Group>,
    village: VillageRef,
    meetings: Vec<Meeting>,
    members: usize,
    default_start: String,
}

impl ListPage {
    fn when(&self, t: &chrono::NaiveDateTime) -> String {
        crate::i18n::format_time(self.p.locale, *t)
    }
}

async fn list(p: Page, clerk: Clerk, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let village_id = clerk.village.id;
    let (meetings, members, groups) = state
        .db
        .run(move |conn| {
            Ok::<_, AppError>((
                store::meetings(conn, village_id)?,
                store::members(conn, village_id, None)?.len(),
                groups(conn, village_id)?,
            ))
        })
        .await?;
    let default_start = crate::time::to_local_input(crate::db::now() + chrono::TimeDelta::days(1));
    render(&ListPage {
        p,
        groups,
        village: clerk.village,
        meetings,
        members,
        default_start,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MeetingForm {
    title: String,
    place: String,
    starts_at: String,
    quorum: String,
    /// Empty: the village council; else a group id (that group's council).
    council: String,
}

async fn create(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    Form(form): Form<MeetingForm>,
) -> AppResult<HttpResponse> {
    let village_id = clerk.village.id;
    let defaults = state
        .db
        .run(move |conn| super::settings::defaults(conn, village_id))
        .await?;
    let quorum = match form.quorum.as_str() {
        "" => defaults.quorum,
        "1/2" => (1, 2),
        "2/3" => (2, 3),
        _ => return Err(AppError::Unprocessable("settings.error")),
    };
    let starts_at = crate::time::parse_local(&form.starts_at)
        .ok_or(AppError::Unprocessable("meeting.error.time"))?;
    let (title, place) = super::domain::meeting_names(&form.title, &form.place)
        .ok_or(AppError::Unprocessable("meeting.error.fields"))?;
    let (v, staff_id) = (clerk.village.clone(), clerk.staff.id);
    let id = state
        .db
        .tx(move |conn| {
            let group_id = match form.council.trim() {
                "" => None,
                g => Some(
                    g.parse::<i64>()
                        .ok()
                        .filter(|id| {
                            groups(conn, v.id).is_ok_and(|list| list.iter().any(|x| x.id == *id))
                        })
                        .ok_or(AppError::Unprocessable("meeting.error.council"))?,
                ),
            };
            let new = NewMeeting {
                group_id,
                village_id: v.id,
                title: &title,
                place: &place,
                starts_at,
                quorum,
                convened_by: staff_id,
            };
            let id = store::create_meeting(conn, &new)?;
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::MeetingCreate,
                    format!("meeting:{id}"),
                )
                .in_township(v.township_id)
                .from_address(&addr.0),
            )?;
            // Members hear of it through the outbox.
            let emails = super::member::member_emails(conn, v.id, group_id)?;
            let when = crate::i18n::format_time(crate::i18n::Locale::ZhCn, starts_at);
            for email in emails {
                crate::mail::outbox::enqueue(
                    conn,
                    &email,
                    &format!("【议事会】{title}"),
                    &format!("会议：{title}\n时间：{when}\n地点：{place}\n"),
                )?;
            }
            Ok::<_, AppError>(id)
        })
        .await?;
    Ok(see_other(&base(&clerk.village, id)))
}

/// Everything the meeting pages show.
pub(super) struct MeetingView {
    pub meeting: Meeting,
    pub members: Vec<(i64, String)>,
    pub attendance: std::collections::HashMap<i64, String>,
    pub present: HashSet<i64>,
    pub motions: Vec<(Motion, usize)>,
    pub minutes: Option<store::Minutes>,
    pub signed: HashSet<i64>,
    /// Open candidate projects of the village, for "approve candidate" motions.
    pub candidates: Vec<(i64, String)>,
    /// The village's defaults, preselected on the motion form.
    pub defaults: super::settings::Defaults,
}

impl MeetingView {
    pub fn quorum_needed(&self) -> u32 {
        tally::quorum_needed(
            self.members.len() as u32,
            self.meeting.quorum_numerator as u32,
            self.meeting.quorum_denominator as u32,
        )
    }
    pub fn quorate(&self) -> bool {
        tally::quorate(
            self.members.len() as u32,
            self.present.len() as u32,
            self.meeting.quorum_numerator as u32,
            self.meeting.quorum_denominator as u32,
        )
    }
    pub fn status_of(&self, id: &i64) -> &str {
        self.attendance.get(id).map_or("", String::as_str)
    }
}

pub(super) async fn view(
    state: &AppState,
    village: &VillageRef,
    meeting_id: i64,
) -> AppResult<MeetingView> {
    let village_id = village.id;
    state
        .db
        .run(move |conn| {
            let meeting =
                store::meeting(conn, village_id, meeting_id)?.ok_or(AppError::NotFound)?;
            let members = store::members(conn, village_id, meeting.group_id)?;
            let attendance = store::attendance(conn, meeting_id)?;
            let present = store::present(conn, meeting_id)?;
            let mut motions = Vec::new();
            for m in store::motions(conn, meeting_id)? {
                let n = store::votes(conn, m.id)?.len();
                motions.push((m, n));
            }
            let minutes = store::minutes(conn, meeting_id)?;
            let candidates = crate::council::candidate_store::open_candidates(conn, village_id)?
                .into_iter()
                .map(|c| (c.id, c.title))
                .collect();
            let signed = store::signatures(conn, meeting_id)?;
            Ok::<_, AppError>(MeetingView {
                meeting,
                members,
                attendance,
                present,
                motions,
                minutes,
                signed,
                candidates,
                defaults: super::settings::defaults(conn, village_id)?,
            })
        })
        .await
}

#[derive(Template)]
#[template(path = "council/meeting.html")]
struct ShowPage {
    p: Page,
    village: VillageRef,
    v: MeetingView,
}

impl ShowPage {
    fn base(&self) -> String {
        base(&self.village, self.v.meeting.id)
    }
    fn kinds(&self) -> [MotionKind; 5] {
        MotionKind::ALL
    }
    fn default_fraction(&self) -> String {
        format!(
            "{}/{}",
            self.v.defaults.rule.numerator, self.v.defaults.rule.denominator
        )
    }
    fn when(&self, t: &chrono::NaiveDateTime) -> String {
        crate::i18n::format_time(self.p.locale, *t)
    }
    fn outcome<'a>(&self, m: &'a Motion) -> &'a str {
        m.outcome(self.p.locale).unwrap_or("")
    }
    /// Minutes can still be (re)written: none yet, or not locked.
    fn minutes_open(&self) -> bool {
        self.v
            .minutes
            .as_ref()
            .is_none_or(|m| m.locked_at.is_none())
    }
}

async fn show(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let v = view(&state, &clerk.village, path.1).await?;
    render(&ShowPage {
        p,
        village: clerk.village,
        v,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct PairsForm {
    member: Vec<String>,
    value: Vec<String>,
}

impl PairsForm {
    /// (member id, value) pairs for members of this council only.
    pub(super) fn pairs(&self, members: &[(i64, String)]) -> Vec<(i64, String)> {
        self.member
            .iter()
            .zip(&self.value)
            .filter_map(|(m, v)| Some((m.parse::<i64>().ok()?, v.clone())))
            .filter(|(m, _)| members.iter().any(|(id, _)| id == m))
            .collect()
    }
}

async fn attendance(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<PairsForm>,
) -> AppResult<HttpResponse> {
    let v = view(&state, &clerk.village, path.1).await?;
    if v.meeting.state == "closed" {
        return Err(AppError::Conflict("meeting.error.closed"));
    }
    let pairs: Vec<(i64, String)> = form
        .pairs(&v.members)
        .into_iter()
        .filter(|(_, s)| matches!(s.as_str(), "present" | "absent" | "leave"))
        .collect();
    let (village, staff_id, meeting_id) = (clerk.village.clone(), clerk.staff.id, v.meeting.id);
    state
        .db
        .tx(move |conn| {
            for (member, status) in &pairs {
                store::set_attendance(conn, meeting_id, *member, status, staff_id)?;
            }
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::MeetingAttendance,
                    format!("meeting:{meeting_id}"),
                )
                .in_township(village.township_id)
                .from_address(&addr.0)
                .detail(format!("entries={}", pairs.len())),
            )?;
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(see_other(&base(&clerk.village, path.1)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ActionForm {
    action: String,
}

async fn state_change(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<ActionForm>,
) -> AppResult<HttpResponse> {
    let v = view(&state, &clerk.village, path.1).await?;
    let (from, to) = match form.action.as_str() {
        "open" => ("scheduled", "open"),
        "close" => ("open", "closed"),
        _ => return Err(AppError::BadRequest),
    };
    if to == "closed" && v.motions.iter().any(|(m, _)| m.state == "open") {
        return Err(AppError::Conflict("meeting.error.open_motions"));
    }
    let (village, staff_id, meeting_id) = (clerk.village.clone(), clerk.staff.id, v.meeting.id);
    state
        .db
        .tx(move |conn| {
            if !store::set_meeting_state(conn, meeting_id, from, to)? {
                return Err(AppError::Conflict("meeting.error.state"));
            }
            audit::record(
                conn,
                Event::ok(
                    Actor::Staff(staff_id),
                    Action::MeetingState,
                    format!("meeting:{meeting_id}"),
                )
                .in_township(village.township_id)
                .from_address(&addr.0)
                .detail(format!("to={to}")),
            )?;
            Ok(())
        })
        .await?;
    Ok(see_other(&base(&clerk.village, path.1)))
}
