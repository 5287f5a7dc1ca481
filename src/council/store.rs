//! Meetings, attendance, recusals and votes in the database (motions in `motion_store`, the
//! snapshots in `snapshot`). The primary key (motion, member) on votes is what finally
//! guarantees one vote per member per motion; the commands check first under the meeting's lock.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::states::{AttendanceStatus, MeetingState};
use super::tally::Choice;
use crate::db::schema::{
    attendance as at, meetings as mt, recusals as rc, role_assignments as ra, staff as st,
    votes as vt,
};
use crate::db::{DbConn, DbError};

/// A council's members: active staff holding the council-member role for the village (the
/// village council) or for one group (that group's council, 小组议事会).
pub fn members(
    conn: &mut DbConn,
    village_id: i64,
    group_id: Option<i64>,
) -> Result<Vec<(i64, String)>, DbError> {
    let scoped = ra::table
        .inner_join(st::table)
        .filter(ra::role.eq("council_member").and(st::active.eq(true)))
        .filter(crate::accounts::store::in_term(crate::db::now()))
        .into_boxed();
    let scoped = match group_id {
        Some(group) => scoped.filter(ra::group_id.eq(group)),
        None => scoped.filter(ra::village_id.eq(village_id)),
    };
    let mut list: Vec<(i64, String)> = scoped.select((st::id, st::display_name)).load(conn)?;
    list.sort();
    list.dedup();
    Ok(list)
}

/// A meeting as stored, its state read at the store boundary.
#[derive(Clone, Debug)]
pub struct Meeting {
    pub id: i64,
    pub village_id: i64,
    pub group_id: Option<i64>,
    pub title: String,
    pub place: String,
    pub starts_at: NaiveDateTime,
    pub state: MeetingState,
    pub quorum_numerator: i32,
    pub quorum_denominator: i32,
    pub convened_by: i64,
    pub created_at: NaiveDateTime,
    /// The agenda fixed when the meeting was convened, one item per line.
    pub agenda: String,
}

impl Meeting {
    /// The agenda's items, in order, without blank lines.
    pub fn agenda_items(&self) -> Vec<&str> {
        super::domain::agenda_items(&self.agenda)
    }
}

#[derive(Queryable)]
struct MeetingRow {
    id: i64,
    village_id: i64,
    group_id: Option<i64>,
    title: String,
    place: String,
    starts_at: NaiveDateTime,
    state: String,
    quorum_numerator: i32,
    quorum_denominator: i32,
    convened_by: i64,
    created_at: NaiveDateTime,
    agenda: String,
}

impl TryFrom<MeetingRow> for Meeting {
    type Error = DbError;
    fn try_from(r: MeetingRow) -> Result<Meeting, DbError> {
        let state = MeetingState::parse(&r.state)
            .ok_or_else(|| DbError::unknown("meetings", r.id, "state", &r.state))?;
        Ok(Meeting {
            id: r.id,
            village_id: r.village_id,
            group_id: r.group_id,
            title: r.title,
            place: r.place,
            starts_at: r.starts_at,
            state,
            quorum_numerator: r.quorum_numerator,
            quorum_denominator: r.quorum_denominator,
            convened_by: r.convened_by,
            created_at: r.created_at,
            agenda: r.agenda,
        })
    }
}

impl Meeting {
    /// The i18n key of the meeting's state.
    pub fn state_key(&self) -> &'static str {
        self.state.label_key()
    }
    pub fn is_scheduled(&self) -> bool {
        self.state == MeetingState::Scheduled
    }
    pub fn is_open(&self) -> bool {
        self.state == MeetingState::Open
    }
    pub fn is_closed(&self) -> bool {
        self.state == MeetingState::Closed
    }
}

pub struct NewMeeting<'a> {
    pub village_id: i64,
    /// None: the village council; else the group's council.
    pub group_id: Option<i64>,
    pub title: &'a str,
    pub place: &'a str,
    pub starts_at: NaiveDateTime,
    pub quorum: (i32, i32),
    pub convened_by: i64,
    pub agenda: &'a str,
}

pub fn create_meeting(conn: &mut DbConn, m: &NewMeeting<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(mt::table)
        .values((
            mt::village_id.eq(m.village_id),
            mt::group_id.eq(m.group_id),
            mt::title.eq(m.title),
            mt::place.eq(m.place),
            mt::starts_at.eq(m.starts_at),
            mt::state.eq(MeetingState::Scheduled.as_str()),
            mt::quorum_numerator.eq(m.quorum.0),
            mt::quorum_denominator.eq(m.quorum.1),
            mt::convened_by.eq(m.convened_by),
            mt::created_at.eq(crate::db::now()),
            mt::agenda.eq(m.agenda),
        ))
        .returning(mt::id)
        .get_result(conn)?)
}

pub fn meetings(conn: &mut DbConn, village_id: i64) -> Result<Vec<Meeting>, DbError> {
    mt::table
        .filter(mt::village_id.eq(village_id))
        .order(mt::starts_at.desc())
        .load::<MeetingRow>(conn)?
        .into_iter()
        .map(Meeting::try_from)
        .collect()
}

pub fn meeting(conn: &mut DbConn, village_id: i64, id: i64) -> Result<Option<Meeting>, DbError> {
    mt::table
        .filter(mt::id.eq(id).and(mt::village_id.eq(village_id)))
        .first::<MeetingRow>(conn)
        .optional()?
        .map(Meeting::try_from)
        .transpose()
}

/// Reads a meeting and, on PostgreSQL, locks its row until the transaction ends: every write
/// about a meeting (attendance, motions, votes, recusals, minutes) takes this lock first, so
/// they happen one after another and each sees what the previous one wrote. On SQLite the
/// write transaction (`BEGIN IMMEDIATE`) already runs alone.
pub fn lock_meeting(
    conn: &mut DbConn,
    village_id: i64,
    id: i64,
) -> Result<Option<Meeting>, DbError> {
    let query = mt::table.filter(mt::id.eq(id).and(mt::village_id.eq(village_id)));
    let row: Option<MeetingRow> = match conn {
        DbConn::Pg(c) => query.for_update().first(c).optional()?,
        DbConn::Sqlite(c) => query.first(c).optional()?,
    };
    row.map(Meeting::try_from).transpose()
}

/// Moves a meeting from one state to another; false when it was not in `from`.
pub fn set_meeting_state(
    conn: &mut DbConn,
    id: i64,
    from: MeetingState,
    to: MeetingState,
) -> Result<bool, DbError> {
    Ok(
        diesel::update(mt::table.filter(mt::id.eq(id).and(mt::state.eq(from.as_str()))))
            .set(mt::state.eq(to.as_str()))
            .execute(conn)?
            == 1,
    )
}

pub fn set_attendance(
    conn: &mut DbConn,
    meeting: i64,
    staff: i64,
    status: AttendanceStatus,
    recorder: i64,
) -> Result<(), DbError> {
    let now = crate::db::now();
    // An arrival or a departure (a status other than the last one) is kept with its time.
    let last: Option<String> = at::table
        .filter(at::meeting_id.eq(meeting).and(at::staff_id.eq(staff)))
        .select(at::status)
        .first(conn)
        .optional()?;
    if last.as_deref() != Some(status.as_str()) {
        use crate::db::schema::attendance_changes as ac;
        diesel::insert_into(ac::table)
            .values((
                ac::meeting_id.eq(meeting),
                ac::staff_id.eq(staff),
                ac::status.eq(status.as_str()),
                ac::recorded_by.eq(recorder),
                ac::recorded_at.eq(now),
            ))
            .execute(conn)?;
    }
    let updated =
        diesel::update(at::table.filter(at::meeting_id.eq(meeting).and(at::staff_id.eq(staff))))
            .set((
                at::status.eq(status.as_str()),
                at::recorded_by.eq(recorder),
                at::recorded_at.eq(now),
            ))
            .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(at::table)
            .values((
                at::meeting_id.eq(meeting),
                at::staff_id.eq(staff),
                at::status.eq(status.as_str()),
                at::recorded_by.eq(recorder),
                at::recorded_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Members who were present at some time, from a meeting's attendance changes: the minutes
/// list them as having come (never as absent), and only they may be named chair or recorder.
pub fn arrived(changes: &[(i64, AttendanceStatus, NaiveDateTime)]) -> HashSet<i64> {
    changes
        .iter()
        .filter(|(_, status, _)| *status == AttendanceStatus::Present)
        .map(|(id, _, _)| *id)
        .collect()
}

/// A meeting's arrivals and departures in the order recorded: (member, status, time).
pub fn attendance_changes(
    conn: &mut DbConn,
    meeting: i64,
) -> Result<Vec<(i64, AttendanceStatus, NaiveDateTime)>, DbError> {
    use crate::db::schema::attendance_changes as ac;
    ac::table
        .filter(ac::meeting_id.eq(meeting))
        .order((ac::recorded_at, ac::id))
        .select((ac::id, ac::staff_id, ac::status, ac::recorded_at))
        .load::<(i64, i64, String, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(id, staff, text, at)| {
            let status = AttendanceStatus::parse(&text)
                .ok_or_else(|| DbError::unknown("attendance_changes", id, "status", &text))?;
            Ok((staff, status, at))
        })
        .collect()
}

/// Members recorded present at a meeting, now.
pub fn present(conn: &mut DbConn, meeting: i64) -> Result<HashSet<i64>, DbError> {
    Ok(attendance(conn, meeting)?
        .into_iter()
        .filter(|(_, s)| *s == AttendanceStatus::Present)
        .map(|(id, _)| id)
        .collect())
}

pub fn attendance(
    conn: &mut DbConn,
    meeting: i64,
) -> Result<HashMap<i64, AttendanceStatus>, DbError> {
    at::table
        .filter(at::meeting_id.eq(meeting))
        .select((at::staff_id, at::status))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .map(|(id, text)| {
            let status = AttendanceStatus::parse(&text).ok_or_else(|| {
                DbError::unknown("attendance", format!("{meeting}/{id}"), "status", &text)
            })?;
            Ok((id, status))
        })
        .collect()
}

/// Votes on a motion: member → (choice, recorded by the clerk for a show of hands).
pub fn votes(conn: &mut DbConn, motion: i64) -> Result<HashMap<i64, (Choice, bool)>, DbError> {
    let rows: Vec<(i64, String, Option<i64>)> = vt::table
        .filter(vt::motion_id.eq(motion))
        .select((vt::staff_id, vt::choice, vt::recorded_by))
        .load(conn)?;
    rows.into_iter()
        .map(|(s, c, by)| {
            let choice = Choice::parse(&c)
                .ok_or_else(|| DbError::unknown("votes", format!("{motion}/{s}"), "choice", &c))?;
            Ok((s, (choice, by.is_some())))
        })
        .collect()
}

/// A vote as the public record shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CastVote {
    pub choice: Choice,
    /// Recorded by the clerk from a show of hands.
    pub by_clerk: bool,
    pub cast_at: NaiveDateTime,
}

/// The votes on a motion with who recorded them and when, by member.
pub fn votes_with_times(conn: &mut DbConn, motion: i64) -> Result<HashMap<i64, CastVote>, DbError> {
    let rows: Vec<(i64, String, Option<i64>, NaiveDateTime)> = vt::table
        .filter(vt::motion_id.eq(motion))
        .select((vt::staff_id, vt::choice, vt::recorded_by, vt::cast_at))
        .load(conn)?;
    rows.into_iter()
        .map(|(s, c, by, cast_at)| {
            let choice = Choice::parse(&c)
                .ok_or_else(|| DbError::unknown("votes", format!("{motion}/{s}"), "choice", &c))?;
            Ok((
                s,
                CastVote {
                    choice,
                    by_clerk: by.is_some(),
                    cast_at,
                },
            ))
        })
        .collect()
}

/// Records a vote; false when this member's vote on this motion exists already. The caller
/// holds the meeting's lock and has checked there is none, so the primary key only guards.
pub fn cast(
    conn: &mut DbConn,
    motion: i64,
    staff: i64,
    choice: Choice,
    recorded_by: Option<i64>,
) -> Result<(), DbError> {
    diesel::insert_into(vt::table)
        .values((
            vt::motion_id.eq(motion),
            vt::staff_id.eq(staff),
            vt::choice.eq(choice.as_str()),
            vt::recorded_by.eq(recorded_by),
            vt::cast_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Declares a recusal. The caller holds the meeting's lock and checked there is none yet.
pub fn recuse(conn: &mut DbConn, motion: i64, staff: i64, reason: &str) -> Result<(), DbError> {
    diesel::insert_into(rc::table)
        .values((
            rc::motion_id.eq(motion),
            rc::staff_id.eq(staff),
            rc::reason.eq(reason),
            rc::declared_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn recusals(conn: &mut DbConn, motion: i64) -> Result<HashMap<i64, String>, DbError> {
    Ok(rc::table
        .filter(rc::motion_id.eq(motion))
        .select((rc::staff_id, rc::reason))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

// Motions and the minutes' own queries live in their modules; re-exported here for callers.
pub use super::minutes::{
    Minutes, lock, minutes, refusals, refuse, save_minutes, sign, signatures,
};
pub use super::motion_store::{Motion, create_motion, motion, motions};
