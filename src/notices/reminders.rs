//! Overdue objections: every objection still unanswered when its answer is due is listed for
//! the committee (the clerk's notice list) and, once, mailed to the village's clerks through the
//! outbox. Run periodically by the server.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::accounts::domain::Role;
use crate::audit::{self, Action, Actor, Event};
use crate::db::schema::{
    notices as n, objections as o, role_assignments as ra, staff as st, villages as v,
};
use crate::db::{DbConn, DbError};

/// Queues one reminder per overdue objection not yet reminded about; returns how many
/// objections were reminded. Call inside a transaction. Each objection is claimed by a
/// conditional update before its mail is queued: one answered (or reminded by another server)
/// since the list was read is skipped, and an answered objection is never written to.
pub fn enqueue_overdue(conn: &mut DbConn, now: NaiveDateTime) -> Result<usize, DbError> {
    let due: Vec<(i64, i64, String, i64, String, i64)> = o::table
        .inner_join(n::table.inner_join(v::table))
        .filter(
            o::answered_at
                .is_null()
                .and(o::reminded_at.is_null())
                .and(o::answer_due_at.le(now)),
        )
        .select((o::id, n::id, n::title, v::id, v::name, v::township_id))
        .load(conn)?;
    let mut reminded = 0;
    for (objection, notice, title, village, village_name, township) in &due {
        let claimed = diesel::update(
            o::table.filter(
                o::id
                    .eq(objection)
                    .and(o::answered_at.is_null())
                    .and(o::reminded_at.is_null()),
            ),
        )
        .set(o::reminded_at.eq(now))
        .execute(conn)?;
        if claimed == 0 {
            continue;
        }
        reminded += 1;
        let clerks: Vec<String> = ra::table
            .inner_join(st::table)
            .filter(
                ra::role
                    .eq(Role::Clerk.as_str())
                    .and(ra::village_id.eq(village))
                    .and(st::active.eq(true)),
            )
            .select(st::email)
            .load::<Option<String>>(conn)?
            .into_iter()
            .flatten()
            .collect();
        let subject = format!("【逾期未答复】{village_name}公示异议 #{objection}");
        let body = format!(
            "公示“{title}”（#{notice}）的异议 #{objection} 已超过答复期限，请尽快书面答复。\n\
             Objection #{objection} to notice \"{title}\" (#{notice}) is past its answer date; please answer it in writing.\n"
        );
        for address in &clerks {
            crate::mail::outbox::enqueue(conn, address, &subject, &body)?;
        }
        audit::record(
            conn,
            Event::ok(
                Actor::System,
                Action::ObjectionRemind,
                format!("objection:{objection}"),
            )
            .in_township(*township)
            .detail(format!("notice={notice} mails={}", clerks.len())),
        )?;
    }
    Ok(reminded)
}
