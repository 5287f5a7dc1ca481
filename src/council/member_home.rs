//! Where a council member finds their meetings: the dashboard's "my council" link lands on the
//! village's council page, which, for a signed-in member, lists the meetings that still need
//! them (upcoming, in session, minutes waiting for their signature), each linked to the
//! member page where they vote, recuse and sign.

use chrono::NaiveDateTime;

use super::invitation::member_page;
use super::store::{self, Meeting};
use crate::db::DbConn;
use crate::error::AppError;

/// One meeting that still needs the member.
pub struct MyMeeting {
    pub title: String,
    pub starts_at: NaiveDateTime,
    /// The i18n key of why it is listed: the meeting's state, or "minutes to sign".
    pub key: &'static str,
    pub link: String,
}

/// The meetings of `village` that still need `staff`, in the order of the village's list.
pub fn my_meetings(
    conn: &mut DbConn,
    village_code: &str,
    meetings: &[Meeting],
    staff: i64,
) -> Result<Vec<MyMeeting>, AppError> {
    let mut mine = Vec::new();
    for m in meetings {
        let members = store::members(conn, m.village_id, m.group_id)?;
        if !members.iter().any(|(id, _)| *id == staff) {
            continue;
        }
        let key = if m.is_closed() {
            if !awaits_signature(conn, m.id, staff)? {
                continue;
            }
            "council.to_sign"
        } else {
            m.state_key()
        };
        mine.push(MyMeeting {
            title: m.title.clone(),
            starts_at: m.starts_at,
            key,
            link: member_page(village_code, m.id),
        });
    }
    Ok(mine)
}

/// Minutes exist, are not locked, and `staff` must sign them but has not.
fn awaits_signature(conn: &mut DbConn, meeting: i64, staff: i64) -> Result<bool, AppError> {
    let Some(minutes) = store::minutes(conn, meeting)? else {
        return Ok(false);
    };
    if minutes.locked_at.is_some() {
        return Ok(false);
    }
    let must_sign = super::member_commands::signers(conn, meeting)?.contains(&staff);
    Ok(must_sign && !store::signatures(conn, meeting)?.contains(&staff))
}
