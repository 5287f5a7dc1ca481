//! Minutes commands (the clerk's side): write the minutes of a closed meeting from its
//! snapshots, and correct signed minutes by a new linked notice. Each locks the meeting's row
//! first (see `commands`). Once any member has signed, the text is never regenerated: a
//! signature always stands on the text the member was shown.

use super::commands::{Who, locked_meeting};
use super::store;
use crate::audit::{self, Action};
use crate::db::{DbConn, in_transaction};
use crate::error::AppError;
use crate::web::once::{self, Claim};

/// Writes (or, while nobody has signed, rewrites) the minutes of a closed meeting.
pub fn write_minutes(
    conn: &mut DbConn,
    who: &Who,
    meeting_id: i64,
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
            if !store::signatures(conn, meeting.id)?.is_empty() {
                return Err(AppError::Conflict("minutes.error.signed_regenerate"));
            }
        }
        let body = super::minutes::generate(conn, &meeting, notes)?;
        if !store::save_minutes(conn, meeting.id, &body, notes)? {
            return Err(AppError::Conflict("minutes.error.signed_regenerate"));
        }
        let event = who.event(Action::MinutesWrite, format!("meeting:{}", meeting.id));
        let hash = super::domain::minutes_hash(&body);
        audit::record(conn, event.detail(format!("sha256={hash}")))?;
        Ok(())
    })
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
