//! Session generations: each signed-in party (a staff account, a household) has a number in
//! the database, and a session cookie carries the number it was issued under. Logout, a password
//! change, deactivation and a role removal move the number on, so every cookie issued before is
//! refused on every app server from its next request (one primary-key read per request).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::db::schema::session_epochs::dsl as se;
use crate::db::{DbConn, DbError};
use crate::web::session::Who;

/// The key of a party in `session_epochs`: `staff:3`, `household:12`.
pub fn principal(who: &Who) -> String {
    match who {
        Who::Staff { id, .. } => staff(*id),
        Who::Household { id, .. } => household(*id),
    }
}

pub fn staff(id: i64) -> String {
    format!("staff:{id}")
}

pub fn household(id: i64) -> String {
    format!("household:{id}")
}

/// The current generation of a party; a party never bumped is at 0.
pub fn current(conn: &mut DbConn, principal: &str) -> Result<i64, DbError> {
    Ok(se::session_epochs
        .filter(se::principal.eq(principal))
        .select(se::epoch)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

#[derive(QueryableByName)]
struct EpochRow {
    #[diesel(sql_type = BigInt)]
    epoch: i64,
}

/// Moves a party's generation on by one in a single statement (two app servers bumping at
/// once both count) and returns the new number: every session issued before is now stale.
pub fn bump(conn: &mut DbConn, principal: &str) -> Result<i64, DbError> {
    const UPSERT: &str = "INSERT INTO session_epochs (principal, epoch) VALUES ({p}, 1) \
        ON CONFLICT (principal) DO UPDATE SET epoch = session_epochs.epoch + 1 RETURNING epoch";
    let row: EpochRow = match conn {
        DbConn::Pg(c) => diesel::sql_query(UPSERT.replace("{p}", "$1"))
            .bind::<Text, _>(principal)
            .get_result(c)?,
        DbConn::Sqlite(c) => diesel::sql_query(UPSERT.replace("{p}", "?"))
            .bind::<Text, _>(principal)
            .get_result(c)?,
    };
    Ok(row.epoch)
}
