//! Minutes commands (the clerk's side): write the minutes of a closed meeting from its
//! snapshots, and correct signed minutes by a new linked notice. Each locks the meeting's row
//! first (see `commands`). Once any member has signed, the text is never regenerated: a
//! signature always stands on the text the member was shown.

use std::collections::HashSet;

use super::commands::{Who, locked_meeting};
use super::minutes::Officers;
use super::officers::{OfficerRefusal, check_officers};
use super::snapshot;
use super::store::{self, Meeting};
use crate::audit::{self, Action};
use crate::db::{DbConn, in_transaction};
use crate::error::AppError;
use crate::web::once::{self, Claim};

/// The chair and recorder named on the minutes form: staff ids; no recorder means the person
/// writing the minutes.
#[derive(Clone, Copy, Debug)]
pub struct Named {
    pub chair: i64,
    pub recorder: Option<i64>,
}

/// Writes (or, while nobody has signed, rewrites) the minutes of a closed meeting, naming its
/// chair and recorder with the names they bear now (kept with the minutes from then on).
pub fn write_minutes(
    conn: &mut DbConn,
    who: &Who,
    meeting_id: i64,
    named: Named,
    notes: &str,
) -> Result<(), AppError> {
    in_transaction(conn, |conn| {
        let meeting = locked_meeting(conn, who, meeting_id)?;
        if !meeting.is_closed() {
            return Err(AppError::Conflict("minutes.error.meeting_open"));
        }
        if let Some(existing) = store::minutes(conn, meeting.id)? {
            if existing.locked_at.is_some() {
                return Err(AppError::Conflict("minutes.error.locked"));
            }
            if !store::signatures(conn, meeting.id)?.is_empty()
                || !store::refusals(conn, meeting.id)?.is_empty()
            {
                return Err(AppError::Conflict("minutes.error.signed_regenerate"));
            }
        }
        let officers = officers(conn, who, meeting.id, named)?;
        let body = super::minutes::generate(conn, &meeting, &officers, notes)?;
        if !store::save_minutes(conn, meeting.id, &body, &officers, notes)? {
            return Err(AppError::Conflict("minutes.error.signed_regenerate"));
        }
        let event = who.event(Action::MinutesWrite, format!("meeting:{}", meeting.id));
        let hash = super::domain::minutes_hash(&body);
        audit::record(conn, event.detail(format!("sha256={hash}")))?;
        Ok(())
    })
}

/// Checks the named chair and recorder against who attended (the meeting's roll and its
/// attendance changes) and takes their names: members' from the meeting's roll as it closed,
/// the writer's from the staff register.
fn officers(
    conn: &mut DbConn,
    who: &Who,
    meeting: i64,
    named: Named,
) -> Result<Officers, AppError> {
    let roll = snapshot::meeting_roll(conn, meeting)?;
    let attended = store::arrived(&store::attendance_changes(conn, meeting)?);
    check_officers(&attended, named.chair, named.recorder).map_err(|refusal| {
        AppError::Unprocessable(match refusal {
            OfficerRefusal::ChairNotPresent => "minutes.error.chair",
            OfficerRefusal::RecorderNotPresent => "minutes.error.recorder",
        })
    })?;
    // The name on the meeting's roll as it closed; the register's for a meeting closed before
    // rolls were kept, and for the writer, who is on no roll.
    let mut name_of = |id: i64| -> Result<(i64, String), AppError> {
        if let Some((_, name, _)) = roll.iter().find(|(member, _, _)| *member == id) {
            return Ok((id, name.clone()));
        }
        let name = super::minutes::staff_name(conn, id)?;
        Ok((id, name.ok_or(AppError::NotFound)?))
    };
    let chair = name_of(named.chair)?;
    let recorder = name_of(named.recorder.unwrap_or(who.staff))?;
    Ok(Officers { chair, recorder })
}

/// The clerk records that a member present refused to sign the minutes (拒签), with the
/// member's reason. Only a member who must sign and has not signed can refuse; once every
/// member present has signed or refused, the minutes lock and are published.
pub fn record_refusal(
    conn: &mut DbConn,
    who: &Who,
    meeting_id: i64,
    member: i64,
    reason: &str,
) -> Result<(), AppError> {
    in_transaction(conn, |conn| {
        let meeting = locked_meeting(conn, who, meeting_id)?;
        let minutes =
            store::minutes(conn, meeting.id)?.ok_or(AppError::Conflict("minutes.error.none"))?;
        if minutes.locked_at.is_some() {
            return Err(AppError::Conflict("minutes.error.locked"));
        }
        let present = super::member_commands::signers(conn, meeting.id)?;
        if !present.contains(&member) {
            return Err(AppError::Conflict("minutes.error.refusal_not_present"));
        }
        if store::signatures(conn, meeting.id)?.contains(&member) {
            return Err(AppError::Conflict("minutes.error.refusal_signed"));
        }
        if !store::refuse(conn, meeting.id, member, reason, who.staff)? {
            return Err(AppError::Conflict("minutes.error.refusal_already"));
        }
        let event = who.event(Action::MinutesRefusal, format!("meeting:{}", meeting.id));
        audit::record(conn, event.detail(format!("member={member}")))?;
        lock_when_answered(conn, who, &meeting, &minutes.body, &present)
    })
}

/// Locks the minutes with their SHA-256 and publishes them as a council-result notice when
/// every member present (`present`) has signed or refused. The notice names who refused and
/// why: the signed text cannot carry it, since it was fixed before anyone signed. Runs inside
/// the caller's transaction, under the meeting's lock.
pub(super) fn lock_when_answered(
    conn: &mut DbConn,
    who: &Who,
    meeting: &Meeting,
    body: &str,
    present: &HashSet<i64>,
) -> Result<(), AppError> {
    let signed = store::signatures(conn, meeting.id)?;
    let refusals = store::refusals(conn, meeting.id)?;
    let refused: HashSet<i64> = refusals.keys().copied().collect();
    let hash = super::domain::minutes_hash(body);
    if !super::domain::all_answered(present, &signed, &refused)
        || !store::lock(conn, meeting.id, &hash)?
    {
        return Ok(());
    }
    let names: std::collections::HashMap<i64, String> =
        store::members(conn, meeting.village_id, meeting.group_id)?
            .into_iter()
            .chain(
                super::snapshot::meeting_roll(conn, meeting.id)?
                    .into_iter()
                    .map(|(id, name, _)| (id, name)),
            )
            .collect();
    let mut text = format!("{body}\n\n会议记录 SHA-256：{hash}");
    let mut refused_lines: Vec<String> = refusals
        .iter()
        .map(|(id, reason)| {
            let name = names.get(id).cloned().unwrap_or_else(|| id.to_string());
            format!("拒签：{name}（理由：{reason}）")
        })
        .collect();
    refused_lines.sort();
    for line in refused_lines {
        text.push('\n');
        text.push_str(&line);
    }
    let subject = format!("meeting:{}", meeting.id);
    let draft = crate::notices::store::Draft {
        village_id: who.village.id,
        kind: crate::notices::domain::Kind::CouncilResult,
        title: &format!("议事会决议：{}", meeting.title),
        body: &text,
        subject: Some(&subject),
        supersedes: None,
        created_by: who.staff,
    };
    let notice = crate::notices::store::create_published(conn, &draft, crate::db::now())?;
    let event = who.event(Action::MinutesLock, subject);
    audit::record(
        conn,
        event.detail(format!("sha256={hash} notice={}", notice.id)),
    )?;
    Ok(())
}

/// Signed minutes never change; a correction is a new record that links them: a council-result
/// notice superseding the one the minutes were published with, carrying the correction and the
/// original minutes' hash. Returns the page to go to: the new notice, or, for a replayed or
/// double-clicked form (its one-time token), the notice the first submission published.
pub fn correct_minutes(
    conn: &mut DbConn,
    who: &Who,
    meeting_id: i64,
    text: &str,
    once_token: &str,
) -> Result<String, AppError> {
    in_transaction(conn, |conn| {
        let meeting = locked_meeting(conn, who, meeting_id)?;
        if let Claim::Repeat(path) = once::claim(conn, "minutes-correct", once_token)? {
            return Ok(super::commands::repeat_target(
                path,
                who.meeting_page(meeting.id),
            ));
        }
        let hash = store::minutes(conn, meeting.id)?
            .and_then(|m| m.content_hash)
            .ok_or(AppError::Conflict("minutes.error.not_locked"))?;
        let subject = format!("meeting:{}", meeting.id);
        // The newest council-result notice about this meeting is the one to supersede.
        let latest = crate::notices::store::board(
            conn,
            who.village.id,
            Some(crate::notices::domain::Kind::CouncilResult),
            1000,
        )?
        .into_iter()
        .filter(|n| n.subject.as_deref() == Some(subject.as_str()))
        .max_by_key(|n| n.published_at);
        let body = format!("会议记录更正\n原会议记录 SHA-256：{hash}\n\n{text}");
        let draft = crate::notices::store::Draft {
            village_id: who.village.id,
            kind: crate::notices::domain::Kind::CouncilResult,
            title: &format!("议事会决议更正：{}", meeting.title),
            body: &body,
            subject: Some(&subject),
            supersedes: latest.map(|n| n.id),
            created_by: who.staff,
        };
        let notice = crate::notices::store::create_published(conn, &draft, crate::db::now())?;
        let event = who.event(Action::MinutesCorrect, subject);
        audit::record(conn, event.detail(format!("notice={}", notice.id)))?;
        let page = format!("/v/{}/notices/{}", who.village.code, notice.id);
        once::finish(conn, once_token, &page)?;
        Ok(page)
    })
}
