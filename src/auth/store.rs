//! Throttle counters in the database, shared by every app server. Every count is one
//! INSERT … ON CONFLICT DO UPDATE … RETURNING statement, so parallel attempts on one or several
//! app servers each get their own number and none is lost.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text, Timestamp};

use super::throttle::Policy;
use crate::db::schema::login_throttle::dsl as lt;
use crate::db::{DbConn, DbError};

/// The counting statement; `{n}` is the n-th bound value (`$n` on PostgreSQL, `?n` on SQLite).
/// In `DO UPDATE SET`, every `login_throttle.` column is the value before this statement, on
/// both backends. It mirrors `throttle::next_count`.
const COUNT: &str = "INSERT INTO login_throttle (throttle_key, failures, window_started_at, locked_until) \
VALUES ({1}, 1, {2}, NULL) \
ON CONFLICT (throttle_key) DO UPDATE SET \
failures = CASE WHEN login_throttle.window_started_at <= {3} THEN 1 \
    ELSE login_throttle.failures + 1 END, \
window_started_at = CASE WHEN login_throttle.window_started_at <= {3} THEN {2} \
    WHEN login_throttle.failures + 1 = {4} THEN {2} \
    ELSE login_throttle.window_started_at END, \
locked_until = CASE WHEN login_throttle.window_started_at <= {3} THEN NULL \
    WHEN login_throttle.failures + 1 = {4} THEN {5} \
    ELSE login_throttle.locked_until END \
RETURNING failures";

fn numbered(sql: &str, pg: bool) -> String {
    (1..=5).fold(sql.to_string(), |s, n| {
        let mark = if pg { format!("${n}") } else { format!("?{n}") };
        s.replace(&format!("{{{n}}}"), &mark)
    })
}

#[derive(QueryableByName)]
struct CountRow {
    #[diesel(sql_type = Integer)]
    failures: i32,
}

/// Counts one attempt (or one failure, for addresses) against `key` and returns its number in
/// the current window.
pub fn count(
    conn: &mut DbConn,
    key: &str,
    now: NaiveDateTime,
    policy: Policy,
) -> Result<i32, DbError> {
    let cutoff = policy.cutoff(now);
    let lock_until = now + policy.window;
    macro_rules! run {
        ($c:expr, $pg:expr) => {
            diesel::sql_query(numbered(COUNT, $pg))
                .bind::<Text, _>(key)
                .bind::<Timestamp, _>(now)
                .bind::<Timestamp, _>(cutoff)
                .bind::<Integer, _>(policy.max_failures)
                .bind::<Timestamp, _>(lock_until)
                .get_result::<CountRow>($c)?
        };
    }
    let row = match conn {
        DbConn::Pg(c) => run!(c, true),
        DbConn::Sqlite(c) => run!(c, false),
    };
    Ok(row.failures)
}

/// Failures counted against `key` in the current window (0 when none or the window is over).
pub fn failures(
    conn: &mut DbConn,
    key: &str,
    now: NaiveDateTime,
    policy: Policy,
) -> Result<i32, DbError> {
    Ok(lt::login_throttle
        .filter(lt::throttle_key.eq(key))
        .filter(lt::window_started_at.gt(policy.cutoff(now)))
        .select(lt::failures)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

pub fn clear(conn: &mut DbConn, key: &str) -> Result<usize, DbError> {
    Ok(diesel::delete(lt::login_throttle.filter(lt::throttle_key.eq(key))).execute(conn)?)
}

/// A key that may not sign in now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lock {
    pub key: String,
    pub failures: i32,
    pub locked_until: NaiveDateTime,
}

/// Current locks whose key starts with `prefix` (`staff:`, `household:12:`).
pub fn locks(conn: &mut DbConn, prefix: &str, now: NaiveDateTime) -> Result<Vec<Lock>, DbError> {
    let rows: Vec<(String, i32, Option<NaiveDateTime>)> = lt::login_throttle
        .filter(lt::locked_until.gt(now))
        .select((lt::throttle_key, lt::failures, lt::locked_until))
        .order(lt::throttle_key)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|(key, _, _)| key.starts_with(prefix))
        .filter_map(|(key, failures, until)| {
            until.map(|locked_until| Lock {
                key,
                failures,
                locked_until,
            })
        })
        .collect())
}
