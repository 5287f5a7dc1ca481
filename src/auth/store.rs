//! Throttle counters in the database, shared by every app server.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::throttle::{self, Counter, Policy};
use crate::db::schema::login_throttle::dsl as lt;
use crate::db::{DbConn, DbError};

fn load(conn: &mut DbConn, key: &str) -> Result<Option<Counter>, DbError> {
    let row: Option<(i32, NaiveDateTime, Option<NaiveDateTime>)> = lt::login_throttle
        .filter(lt::throttle_key.eq(key))
        .select((lt::failures, lt::window_started_at, lt::locked_until))
        .first(conn)
        .optional()?;
    Ok(
        row.map(|(failures, window_started_at, locked_until)| Counter {
            failures,
            window_started_at,
            locked_until,
        }),
    )
}

pub fn any_locked(conn: &mut DbConn, keys: &[String], now: NaiveDateTime) -> Result<bool, DbError> {
    for key in keys {
        if throttle::is_locked(load(conn, key)?.as_ref(), now) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Counts one failure. Two servers failing the same key at the same instant may lose one count;
/// that is harmless for throttling and avoids a backend-specific upsert.
pub fn record_failure(
    conn: &mut DbConn,
    key: &str,
    now: NaiveDateTime,
    policy: Policy,
) -> Result<(), DbError> {
    let current = load(conn, key)?;
    let next = throttle::after_failure(current.as_ref(), now, policy);
    if current.is_some() {
        diesel::update(lt::login_throttle.filter(lt::throttle_key.eq(key)))
            .set((
                lt::failures.eq(next.failures),
                lt::window_started_at.eq(next.window_started_at),
                lt::locked_until.eq(next.locked_until),
            ))
            .execute(conn)?;
    } else {
        let inserted = diesel::insert_into(lt::login_throttle)
            .values((
                lt::throttle_key.eq(key),
                lt::failures.eq(next.failures),
                lt::window_started_at.eq(next.window_started_at),
                lt::locked_until.eq(next.locked_until),
            ))
            .execute(conn);
        match inserted {
            Err(e) if crate::db::is_unique_violation(&e) => {}
            other => {
                other?;
            }
        }
    }
    Ok(())
}

pub fn clear(conn: &mut DbConn, key: &str) -> Result<(), DbError> {
    diesel::delete(lt::login_throttle.filter(lt::throttle_key.eq(key))).execute(conn)?;
    Ok(())
}
