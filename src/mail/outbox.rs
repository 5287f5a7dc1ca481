//! The outbox table: enqueue, claim what is due, and record the result of each attempt.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::schema::outbox::dsl as ob;
use crate::db::{DbConn, DbError};

#[derive(Clone, Debug, Queryable)]
pub struct Message {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: i32,
}

/// Queues a message; call it inside the transaction of the change that causes it.
pub fn enqueue(
    conn: &mut DbConn,
    recipient: &str,
    subject: &str,
    body: &str,
) -> Result<i64, DbError> {
    let now = crate::db::now();
    Ok(diesel::insert_into(ob::outbox)
        .values((
            ob::recipient.eq(recipient),
            ob::subject.eq(subject),
            ob::body.eq(body),
            ob::created_at.eq(now),
            ob::attempts.eq(0),
            ob::next_attempt_at.eq(now),
        ))
        .returning(ob::id)
        .get_result(conn)?)
}

/// How long a claimed message is reserved for one sender before another may try it.
const LEASE: TimeDelta = TimeDelta::minutes(5);

/// Claims up to `limit` due messages. Each claim moves `next_attempt_at` forward only if it has
/// not changed since it was read, so two app servers never send the same message twice.
pub fn claim_due(
    conn: &mut DbConn,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<Message>, DbError> {
    let due: Vec<(i64, NaiveDateTime)> = ob::outbox
        .filter(ob::sent_at.is_null().and(ob::gave_up_at.is_null()))
        .filter(ob::next_attempt_at.le(now))
        .order(ob::next_attempt_at)
        .limit(limit)
        .select((ob::id, ob::next_attempt_at))
        .load(conn)?;
    let mut claimed = Vec::new();
    for (id, seen) in due {
        let won =
            diesel::update(ob::outbox.filter(ob::id.eq(id).and(ob::next_attempt_at.eq(seen))))
                .set(ob::next_attempt_at.eq(now + LEASE))
                .execute(conn)?;
        if won == 1 {
            claimed.push(
                ob::outbox
                    .filter(ob::id.eq(id))
                    .select((ob::id, ob::recipient, ob::subject, ob::body, ob::attempts))
                    .first(conn)?,
            );
        }
    }
    Ok(claimed)
}

pub fn mark_sent(conn: &mut DbConn, id: i64, attempts: i32) -> Result<(), DbError> {
    diesel::update(ob::outbox.filter(ob::id.eq(id)))
        .set((
            ob::sent_at.eq(crate::db::now()),
            ob::attempts.eq(attempts),
            ob::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failed attempt: retry later with back-off, or give up after the last attempt.
pub fn mark_failed(conn: &mut DbConn, id: i64, attempts: i32, error: &str) -> Result<(), DbError> {
    let now = crate::db::now();
    let target = ob::outbox.filter(ob::id.eq(id));
    if super::should_retry(attempts) {
        diesel::update(target)
            .set((
                ob::attempts.eq(attempts),
                ob::last_error.eq(error),
                ob::next_attempt_at.eq(now + super::backoff(attempts)),
            ))
            .execute(conn)?;
    } else {
        diesel::update(target)
            .set((
                ob::attempts.eq(attempts),
                ob::last_error.eq(error),
                ob::gave_up_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The state of one message, for tests and the administrator.
#[derive(Clone, Debug, PartialEq, Eq, Queryable)]
pub struct Status {
    pub attempts: i32,
    pub sent_at: Option<NaiveDateTime>,
    pub gave_up_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
}

pub fn status(conn: &mut DbConn, id: i64) -> Result<Option<Status>, DbError> {
    Ok(ob::outbox
        .filter(ob::id.eq(id))
        .select((ob::attempts, ob::sent_at, ob::gave_up_at, ob::last_error))
        .first(conn)
        .optional()?)
}
