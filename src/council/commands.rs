//! The council's writes about a meeting as a whole: convene it, take attendance, open and close
//! it. Every command here (and in `motion_commands`, `member_commands`, `minutes_commands`,
//! `sorting_commands`) follows the one write pattern: it opens the transaction, locks the
//! meeting's row (`store::lock_meeting`: FOR UPDATE on PostgreSQL, the write lock on SQLite),
//! re-reads and re-checks the state it depends on, applies the rule, writes and records the
//! audit event, all in that transaction. Handlers only extract, call and render.

use super::states::{AttendanceStatus, MeetingState};
use super::store::{self, Meeting, NewMeeting};
use crate::audit::{self, Action, Event};
use crate::db::{DbConn, in_transaction};
use crate::error::AppError;
use crate::villages::store::{VillageRef, groups};
use crate::web::once::{self, Claim};

/// Who acts, for which village, from where: what every command audits.
#[derive(Clone, Debug)]
pub struct Who {
    pub staff: i64,
    pub village: VillageRef,
    pub addr: String,
}

impl Who {
    pub fn event(&self, action: Action, subject: String) -> Event<'_> {
        Event::ok(audit::Actor::Staff(self.staff), action, subject)
            .in_township(self.village.township_id)
            .from_address(&self.addr)
    }
    /// The clerk's page of a meeting.
    pub fn meeting_page(&self, meeting: i64) -> String {
        format!("/staff/v/{}/meetings/{meeting}", self.village.code)
    }
}

/// Locks and reads the meeting, or 404.
pub fn locked_meeting(conn: &mut DbConn, who: &Who, meeting: i64) -> Result<Meeting, AppError> {
    store::lock_meeting(conn, who.village.id, meeting)?.ok_or(AppError::NotFound)
}

/// Where a repeated submission of a one-time form lands: the page the first one created, or
/// `fallback` when none is known.
pub fn repeat_target(path: String, fallback: String) -> String {
    if path.is_empty() { fallback } else { path }
}

/// A meeting as typed and checked on the form.
pub struct MeetingInput {
    pub title: String,
    pub place: String,
    pub starts_at: chrono::NaiveDateTime,
    pub quorum: (i32, i32),
    /// Empty: the village council; else a group id.
    pub council: String,
    /// Checked by `domain::agenda_text`: items joined by newlines.
    pub agenda: String,
    pub once: String,
    /// The configured public address (`Settings::public_base`): the invitation's link.
    pub public_base: String,
}

/// Convenes a meeting (once per form token) and invites its members through the outbox.
/// Returns the page to go to: the new meeting's, or the first one's on a repeat.
pub fn create_meeting(conn: &mut DbConn, who: &Who, m: MeetingInput) -> Result<String, AppError> {
    in_transaction(conn, |conn| {
        if let Claim::Repeat(path) = once::claim(conn, "meeting-create", &m.once)? {
            let list = format!("/staff/v/{}/meetings", who.village.code);
            return Ok(repeat_target(path, list));
        }
        let group_id = match m.council.trim() {
            "" => None,
            g => {
                let known = groups(conn, who.village.id)?;
                let id = g
                    .parse::<i64>()
                    .ok()
                    .filter(|id| known.iter().any(|x| x.id == *id));
                Some(id.ok_or(AppError::Unprocessable("meeting.error.council"))?)
            }
        };
        let new = NewMeeting {
            group_id,
            village_id: who.village.id,
            title: &m.title,
            place: &m.place,
            starts_at: m.starts_at,
            quorum: m.quorum,
            convened_by: who.staff,
            agenda: &m.agenda,
        };
        let id = store::create_meeting(conn, &new)?;
        audit::record(
            conn,
            who.event(Action::MeetingCreate, format!("meeting:{id}")),
        )?;
        // Members with an e-mail address hear of it through the outbox; the clerk's page lists
        // the others as not mailed.
        let emails = super::member::member_emails(conn, who.village.id, group_id)?;
        let page_path = format!(
            "{}{}",
            m.public_base,
            super::invitation::member_page(&who.village.code, id)
        );
        let (subject, body) = super::invitation::compose(&super::invitation::Invitation {
            title: &m.title,
            place: &m.place,
            starts_at: m.starts_at,
            agenda: &super::domain::agenda_items(&m.agenda),
            member_page: &page_path,
        });
        for email in emails {
            crate::mail::outbox::enqueue(conn, &email, &subject, &body)?;
        }
        let page = who.meeting_page(id);
        once::finish(conn, &m.once, &page)?;
        Ok(page)
    })
}

/// Opens a scheduled meeting, or closes an open one. Closing refuses while a motion is open
/// (it can be closed or withdrawn first) and takes the meeting's roll: the attendance and
/// names the minutes are written from.
pub fn change_meeting_state(
    conn: &mut DbConn,
    who: &Who,
    meeting_id: i64,
    to: MeetingState,
) -> Result<(), AppError> {
    in_transaction(conn, |conn| {
        let meeting = locked_meeting(conn, who, meeting_id)?;
        let from = match to {
            MeetingState::Open => MeetingState::Scheduled,
            MeetingState::Closed => MeetingState::Open,
            MeetingState::Scheduled => return Err(AppError::BadRequest),
        };
        if meeting.state != from {
            return Err(AppError::Conflict("meeting.error.state"));
        }
        if to == MeetingState::Closed {
            if store::motions(conn, meeting.id)?
                .iter()
                .any(|m| m.is_open())
            {
                return Err(AppError::Conflict("meeting.error.open_motions"));
            }
            let members = store::members(conn, meeting.village_id, meeting.group_id)?;
            let attendance = store::attendance(conn, meeting.id)?;
            super::snapshot::take_meeting_roll(conn, meeting.id, &members, &attendance)?;
        }
        store::set_meeting_state(conn, meeting.id, from, to)?;
        let event = who.event(Action::MeetingState, format!("meeting:{meeting_id}"));
        audit::record(conn, event.detail(format!("to={}", to.as_str())))?;
        Ok(())
    })
}

/// Records attendance lines (member id, status as typed). Every line must name a member of
/// this council and a known status, or nothing is recorded.
pub fn record_attendance(
    conn: &mut DbConn,
    who: &Who,
    meeting_id: i64,
    lines: &[(String, String)],
) -> Result<(), AppError> {
    in_transaction(conn, |conn| {
        let meeting = locked_meeting(conn, who, meeting_id)?;
        if meeting.is_closed() {
            return Err(AppError::Conflict("meeting.error.closed"));
        }
        let members = store::members(conn, meeting.village_id, meeting.group_id)?;
        let mut parsed = Vec::new();
        for (member, status) in lines {
            let id = member
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|id| members.iter().any(|(m, _)| m == id));
            match (id, AttendanceStatus::parse(status.trim())) {
                (Some(id), Some(status)) => parsed.push((id, status)),
                _ => return Err(AppError::Unprocessable("attendance.error.line")),
            }
        }
        for (member, status) in &parsed {
            store::set_attendance(conn, meeting.id, *member, *status, who.staff)?;
        }
        let event = who.event(Action::MeetingAttendance, format!("meeting:{meeting_id}"));
        audit::record(conn, event.detail(format!("entries={}", parsed.len())))?;
        Ok(())
    })
}
