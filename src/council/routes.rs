//! The clerk's (or chair's) meeting pages: convene a meeting, take attendance, show the quorum,
//! put motions with their rule, open and close them, record a show of hands on the meeting's
//! behalf, and write the minutes.

use std::collections::HashSet;

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::commands::{self, Who};
use super::domain::MotionKind;
use super::member_commands::NotRecorded;
use super::states::{AttendanceStatus, MeetingState};
use super::store::{self, Meeting, Motion};
use super::tally;
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
    /// The one-time token of the "convene" form.
    once: String,
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
        once: crate::web::once::new_token(),
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
    /// One item per line.
    agenda: String,
    once: String,
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
    let agenda = super::domain::agenda_text(&form.agenda)
        .ok_or(AppError::Unprocessable("meeting.error.agenda"))?;
    let input = commands::MeetingInput {
        title,
        place,
        starts_at,
        quorum,
        council: form.council,
        agenda,
        once: form.once,
        public_base: state.settings.public_base(),
    };
    let who = who_of(&clerk, &addr);
    let page = state
        .db
        .run(move |conn| commands::create_meeting(conn, &who, input))
        .await?;
    Ok(see_other(&page))
}

/// Everything the meeting pages show.
pub(super) struct MeetingView {
    pub meeting: Meeting,
    pub members: Vec<(i64, String)>,
    pub attendance: std::collections::HashMap<i64, AttendanceStatus>,
    pub present: HashSet<i64>,
    pub motions: Vec<(Motion, usize)>,
    /// The ended motions' outcomes, rendered in the page's language from their snapshots.
    pub outcomes: super::outcome::Outcomes,
    pub minutes: Option<store::Minutes>,
    pub signed: HashSet<i64>,
    /// Open candidate projects of the village, for "approve candidate" motions.
    pub candidates: Vec<(i64, String)>,
    /// Draft plans waiting for a vote, for "approve plan" motions: (plan, project title, version).
    pub plans: Vec<(i64, String, i32)>,
    /// The village's defaults, preselected on the motion form.
    pub defaults: super::settings::Defaults,
    /// Names of members without an e-mail address: the invitation did not reach them.
    pub not_mailed: Vec<String>,
    /// Refusals to sign the minutes: (member, name, reason).
    pub refused: Vec<(i64, String, String)>,
    /// Members present who have neither signed nor refused yet: (id, name).
    pub to_answer: Vec<(i64, String)>,
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
    /// Whether member `id` is recorded with `status` (no record reads as absent).
    pub fn has_status(&self, id: &i64, status: &AttendanceStatus) -> bool {
        self.attendance
            .get(id)
            .copied()
            .unwrap_or(AttendanceStatus::Absent)
            == *status
    }
    /// The statuses in the order the attendance form offers them.
    pub fn statuses(&self) -> [AttendanceStatus; 3] {
        [
            AttendanceStatus::Absent,
            AttendanceStatus::Present,
            AttendanceStatus::Leave,
        ]
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
            let outcomes = {
                let list: Vec<Motion> = motions.iter().map(|(m, _)| m.clone()).collect();
                super::outcome::load(conn, &list)?
            };
            let minutes = store::minutes(conn, meeting_id)?;
            let candidates = crate::council::candidate_store::open_candidates(conn, village_id)?
                .into_iter()
                .map(|c| (c.id, c.title))
                .collect();
            let signed = store::signatures(conn, meeting_id)?;
            let unmailed =
                super::member::members_without_email(conn, village_id, meeting.group_id)?;
            let not_mailed = members
                .iter()
                .filter(|(id, _)| unmailed.contains(id))
                .map(|(_, name)| name.clone())
                .collect();
            let name_of = |id: i64| {
                members
                    .iter()
                    .find(|(m, _)| *m == id)
                    .map_or_else(|| id.to_string(), |(_, n)| n.clone())
            };
            let mut refused: Vec<(i64, String, String)> = store::refusals(conn, meeting_id)?
                .into_iter()
                .map(|(id, reason)| (id, name_of(id), reason))
                .collect();
            refused.sort();
            let to_answer = if minutes.is_some() {
                let must_sign = super::member_commands::signers(conn, meeting_id)?;
                members
                    .iter()
                    .filter(|(id, _)| must_sign.contains(id) && !signed.contains(id))
                    .filter(|(id, _)| !refused.iter().any(|r| r.0 == *id))
                    .cloned()
                    .collect()
            } else {
                Vec::new()
            };
            Ok::<_, AppError>(MeetingView {
                meeting,
                members,
                attendance,
                present,
                motions,
                outcomes,
                minutes,
                signed,
                candidates,
                plans: crate::projects::plan_store::drafts_of_village(conn, village_id)?,
                defaults: super::settings::defaults(conn, village_id)?,
                not_mailed,
                refused,
                to_answer,
            })
        })
        .await
}

#[derive(Template)]
#[template(path = "council/meeting.html")]
pub(super) struct ShowPage {
    pub p: Page,
    pub village: VillageRef,
    pub v: MeetingView,
    /// The one-time token of the "put a motion" form.
    pub once: String,
    /// Lines of a show of hands that were not recorded, with why.
    pub not_recorded: Vec<NotRecorded>,
}

impl ShowPage {
    fn base(&self) -> String {
        base(&self.village, self.v.meeting.id)
    }
    fn kinds(&self) -> [MotionKind; 5] {
        MotionKind::ALL
    }
    fn bases(&self) -> [tally::Base; 3] {
        tally::Base::ALL
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
    fn outcome(&self, m: &Motion) -> String {
        self.v.outcomes.words(m, self.p.locale)
    }
    /// Minutes can still be (re)written: none yet, or nobody has signed or refused.
    fn minutes_open(&self) -> bool {
        self.v.minutes.is_none() || (self.v.signed.is_empty() && self.v.refused.is_empty())
    }
    /// A one-line account of a show-of-hands line not recorded.
    fn refusal(&self, n: &NotRecorded) -> String {
        format!("{}：{}", n.member, self.p.t(n.reason))
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
        once: crate::web::once::new_token(),
        not_recorded: Vec::new(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct PairsForm {
    member: Vec<String>,
    value: Vec<String>,
}

impl PairsForm {
    /// (member, value) pairs as typed: the commands check every line.
    pub(super) fn lines(&self) -> Vec<(String, String)> {
        self.member
            .iter()
            .cloned()
            .zip(self.value.iter().cloned())
            .collect()
    }
}

pub(super) fn who_of(clerk: &Clerk, addr: &ClientAddr) -> Who {
    Who {
        staff: clerk.staff.id,
        village: clerk.village.clone(),
        addr: addr.0.clone(),
    }
}

async fn attendance(
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    path: web::Path<(String, i64)>,
    Form(form): Form<PairsForm>,
) -> AppResult<HttpResponse> {
    let (who, meeting, lines) = (who_of(&clerk, &addr), path.1, form.lines());
    state
        .db
        .run(move |conn| commands::record_attendance(conn, &who, meeting, &lines))
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
    let to = match form.action.as_str() {
        "open" => MeetingState::Open,
        "close" => MeetingState::Closed,
        _ => return Err(AppError::BadRequest),
    };
    let (who, meeting) = (who_of(&clerk, &addr), path.1);
    state
        .db
        .run(move |conn| commands::change_meeting_state(conn, &who, meeting, to))
        .await?;
    Ok(see_other(&base(&clerk.village, path.1)))
}
