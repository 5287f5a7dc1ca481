//! What the meeting pages (the clerk's and the members') show, read in one go: the meeting, its
//! members and attendance, motions with their vote counts and outcomes rendered from their
//! snapshots, the minutes with signatures and refusals, and who could not be mailed.

use std::collections::HashSet;

use super::states::AttendanceStatus;
use super::store::{self, Meeting, Motion};
use super::tally;
use crate::error::{AppError, AppResult};
use crate::villages::store::VillageRef;
use crate::web::AppState;

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
    /// Members who attended at some time (id, name): who may be named chair or recorder.
    pub attended: Vec<(i64, String)>,
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
            let arrived = store::arrived(&store::attendance_changes(conn, meeting_id)?);
            let attended = members
                .iter()
                .filter(|(id, _)| arrived.contains(id))
                .cloned()
                .collect();
            Ok::<_, AppError>(MeetingView {
                attended,
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
