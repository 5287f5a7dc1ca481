//! The clerk's (or chair's) meeting pages: convene a meeting, take attendance, show the quorum,
//! put motions with their rule, open and close them, record a show of hands on the meeting's
//! behalf, and write the minutes.

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::{Deserialize, Serialize};

use super::commands::{self, Who};
use super::domain::MotionKind;
use super::member_commands::NotRecorded;
use super::states::MeetingState;
use super::store::{self, Meeting, Motion};
use super::tally;
use crate::error::{AppError, AppResult};
use crate::validation::FieldErrors;
use crate::villages::store::{VillageRef, groups};
use crate::web::AppState;
use crate::web::client::ClientAddr;
use crate::web::csrf::{Form, TypedForm};
use crate::web::guards::Clerk;
use crate::web::kept::Kept;
use crate::web::page::{Page, render_status, see_other};

pub(super) use super::meeting_view::{MeetingView, view};

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
    /// The convene form as sent, when it was refused.
    kept: Kept,
}

impl ListPage {
    fn when(&self, t: &chrono::NaiveDateTime) -> String {
        crate::i18n::format_time(self.p.locale, *t)
    }
}

async fn list(p: Page, clerk: Clerk, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    list_page(p, clerk, &state, Kept::default()).await
}

/// The meetings page, with the convene form as sent when `kept` holds it (then a 422).
async fn list_page(p: Page, clerk: Clerk, state: &AppState, kept: Kept) -> AppResult<HttpResponse> {
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
    let status = kept_status(&kept);
    render_status(
        status,
        &ListPage {
            p,
            groups,
            village: clerk.village,
            meetings,
            members,
            default_start,
            once: crate::web::once::new_token(),
            kept,
        },
    )
}

/// 422 when a form is sent back, else 200.
pub(super) fn kept_status(kept: &Kept) -> StatusCode {
    if kept.is_sent() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    }
}

#[derive(Deserialize, Serialize, Default)]
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

/// The meeting as typed, or the message beside each field that cannot be kept.
fn meeting_input(
    form: &MeetingForm,
    default_quorum: (i32, i32),
    public_base: String,
) -> Result<commands::MeetingInput, FieldErrors> {
    let mut errors = FieldErrors::new();
    let quorum = match form.quorum.as_str() {
        "" => Some(default_quorum),
        "1/2" => Some((1, 2)),
        "2/3" => Some((2, 3)),
        _ => None,
    };
    if quorum.is_none() {
        errors.add("quorum", "settings.error");
    }
    let starts_at = crate::time::parse_local(&form.starts_at);
    if starts_at.is_none() {
        errors.add("starts_at", "meeting.error.time");
    }
    let names = super::domain::meeting_names(&form.title, &form.place);
    if names.is_none() {
        errors.add("title", "meeting.error.fields");
    }
    let agenda = super::domain::agenda_text(&form.agenda);
    if agenda.is_none() {
        errors.add("agenda", "meeting.error.agenda");
    }
    match (quorum, starts_at, names, agenda) {
        (Some(quorum), Some(starts_at), Some((title, place)), Some(agenda)) => {
            Ok(commands::MeetingInput {
                title,
                place,
                starts_at,
                quorum,
                council: form.council.clone(),
                agenda,
                once: form.once.clone(),
                public_base,
            })
        }
        _ => Err(errors),
    }
}

async fn create(
    p: Page,
    clerk: Clerk,
    state: web::Data<AppState>,
    addr: ClientAddr,
    TypedForm(form, bad): TypedForm<MeetingForm>,
) -> AppResult<HttpResponse> {
    let village_id = clerk.village.id;
    let defaults = state
        .db
        .run(move |conn| super::settings::defaults(conn, village_id))
        .await?;
    let kept = match bad.check(meeting_input(
        &form,
        defaults.quorum,
        state.settings.public_base(),
    )) {
        Ok(input) => {
            let who = who_of(&clerk, &addr);
            match state
                .db
                .tx(move |conn| commands::create_meeting(conn, &who, input))
                .await
            {
                Ok(page) => return Ok(see_other(&page)),
                Err(err) => Kept::refused("meetings", &form, err)?,
            }
        }
        Err(errors) => Kept::new("meetings", &form, errors),
    };
    list_page(p, clerk, &state, kept).await
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
    /// The form sent, when it was refused.
    pub kept: Kept,
}

impl ShowPage {
    fn base(&self) -> String {
        base(&self.village, self.v.meeting.id)
    }
    fn kinds(&self) -> [MotionKind; 5] {
        MotionKind::ALL
    }
    fn bases(&self) -> [tally::Base; 4] {
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
    fn default_strict(&self) -> &'static str {
        if self.v.defaults.rule.strict {
            "on"
        } else {
            "off"
        }
    }
    fn default_min_yes(&self) -> String {
        self.v.defaults.rule.min_yes.to_string()
    }
    fn withdraw_form(&self, motion: &i64) -> String {
        super::motion_routes::withdraw_form(*motion)
    }
    /// The chair or recorder chosen: as sent when the minutes form came back, else as written.
    fn officer_chosen(&self, form: &str, field: &str, id: &i64) -> bool {
        if self.kept.is(form) {
            return self.kept.chose(form, field, &id.to_string());
        }
        let written = self.v.minutes.as_ref().and_then(|m| match field {
            "chair" => m.chair_id,
            _ => m.recorder_id,
        });
        written == Some(*id)
    }
    /// The clerk's notes: as sent when the minutes form came back, else as written.
    fn notes(&self) -> &str {
        match &self.v.minutes {
            _ if self.kept.is("minutes") => self.kept.get("minutes", "notes"),
            Some(m) => &m.clerk_notes,
            None => "",
        }
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
    show_page(p, clerk, &state, path.1, Kept::default(), Vec::new()).await
}

/// The meeting page; a 422 with the form as sent when `kept` holds one.
pub(super) async fn show_page(
    p: Page,
    clerk: Clerk,
    state: &AppState,
    meeting: i64,
    kept: Kept,
    not_recorded: Vec<NotRecorded>,
) -> AppResult<HttpResponse> {
    let v = view(state, &clerk.village, meeting).await?;
    render_status(
        kept_status(&kept),
        &ShowPage {
            p,
            village: clerk.village,
            v,
            once: crate::web::once::new_token(),
            not_recorded,
            kept,
        },
    )
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
        .tx(move |conn| commands::record_attendance(conn, &who, meeting, &lines))
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
        .tx(move |conn| commands::change_meeting_state(conn, &who, meeting, to))
        .await?;
    Ok(see_other(&base(&clerk.village, path.1)))
}
