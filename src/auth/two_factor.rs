//! Two-factor sign-in for staff, in the database: enrolment (a secret waiting for its first
//! code, then confirmed with ten recovery codes), and the single-statement checks that accept
//! a code's time step or a recovery code at most once, on any number of app servers.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::accounts::domain::{Assignment, Role};
use crate::db::schema::staff_recovery_codes::dsl as rc;
use crate::db::schema::staff_totp::dsl as tt;
use crate::db::{DbConn, DbError};

/// Administrators and auditors must use a second factor; other staff may.
pub fn required(assignments: &[Assignment]) -> bool {
    assignments
        .iter()
        .any(|a| matches!(a.role, Role::Admin | Role::Auditor))
}

/// A staff account's TOTP state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrolment {
    pub secret: String,
    pub confirmed: bool,
    pub last_step: i64,
}

pub fn enrolment(conn: &mut DbConn, staff_id: i64) -> Result<Option<Enrolment>, DbError> {
    let row: Option<(String, Option<NaiveDateTime>, i64)> = tt::staff_totp
        .filter(tt::staff_id.eq(staff_id))
        .select((tt::secret, tt::confirmed_at, tt::last_step))
        .first(conn)
        .optional()?;
    Ok(row.map(|(secret, confirmed_at, last_step)| Enrolment {
        secret,
        confirmed: confirmed_at.is_some(),
        last_step,
    }))
}

pub fn is_enrolled(conn: &mut DbConn, staff_id: i64) -> Result<bool, DbError> {
    Ok(enrolment(conn, staff_id)?.is_some_and(|e| e.confirmed))
}

/// The secret waiting for its first code: the one already waiting, or `fresh` stored now.
/// None when the account is already enrolled.
pub fn pending_secret(
    conn: &mut DbConn,
    staff_id: i64,
    fresh: &str,
) -> Result<Option<String>, DbError> {
    match enrolment(conn, staff_id)? {
        Some(e) if e.confirmed => Ok(None),
        Some(e) => Ok(Some(e.secret)),
        None => {
            let inserted = diesel::insert_into(tt::staff_totp)
                .values((
                    tt::staff_id.eq(staff_id),
                    tt::secret.eq(fresh),
                    tt::last_step.eq(0i64),
                ))
                .execute(conn);
            match inserted {
                Ok(_) => Ok(Some(fresh.to_string())),
                // Two tabs at once: the other one's secret is the one waiting.
                Err(e) if crate::db::is_unique_violation(&e) => {
                    Ok(enrolment(conn, staff_id)?.map(|e| e.secret))
                }
                Err(e) => Err(e.into()),
            }
        }
    }
}

/// Confirms the waiting secret with the step its first code matched and stores the recovery
/// codes' hashes; false when there was nothing waiting (enrolled meanwhile).
pub fn confirm(
    conn: &mut DbConn,
    staff_id: i64,
    step: i64,
    recovery_hashes: &[String],
) -> Result<bool, DbError> {
    let now = crate::db::now();
    let updated = diesel::update(
        tt::staff_totp.filter(tt::staff_id.eq(staff_id).and(tt::confirmed_at.is_null())),
    )
    .set((tt::confirmed_at.eq(now), tt::last_step.eq(step)))
    .execute(conn)?;
    if updated != 1 {
        return Ok(false);
    }
    // Enrolled again after a reset: nothing more to ask at sign-in than its roles ask.
    diesel::update(crate::db::schema::staff::table.find(staff_id))
        .set(crate::db::schema::staff::must_enrol_second_factor.eq(false))
        .execute(conn)?;
    diesel::delete(rc::staff_recovery_codes.filter(rc::staff_id.eq(staff_id))).execute(conn)?;
    for hash in recovery_hashes {
        diesel::insert_into(rc::staff_recovery_codes)
            .values((rc::staff_id.eq(staff_id), rc::code_hash.eq(hash)))
            .execute(conn)?;
    }
    Ok(true)
}

/// Accepts a code's time step once: one UPDATE that only moves `last_step` forward, so the
/// same code sent twice (or to two app servers) is accepted once.
pub fn use_step(conn: &mut DbConn, staff_id: i64, step: i64) -> Result<bool, DbError> {
    let updated = diesel::update(
        tt::staff_totp.filter(
            tt::staff_id
                .eq(staff_id)
                .and(tt::confirmed_at.is_not_null())
                .and(tt::last_step.lt(step)),
        ),
    )
    .set(tt::last_step.eq(step))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Deletes the account's secret and recovery codes and marks it to enrol again at its next
/// sign-in, whatever its roles; false when there is no such account.
pub fn reset(conn: &mut DbConn, staff_id: i64) -> Result<bool, DbError> {
    use crate::db::schema::staff::dsl as st;
    let marked = diesel::update(st::staff.filter(st::id.eq(staff_id)))
        .set(st::must_enrol_second_factor.eq(true))
        .execute(conn)?;
    if marked != 1 {
        return Ok(false);
    }
    diesel::delete(rc::staff_recovery_codes.filter(rc::staff_id.eq(staff_id))).execute(conn)?;
    diesel::delete(tt::staff_totp.filter(tt::staff_id.eq(staff_id))).execute(conn)?;
    Ok(true)
}

/// Uses a recovery code once.
pub fn use_recovery(conn: &mut DbConn, staff_id: i64, hash: &str) -> Result<bool, DbError> {
    let updated = diesel::update(
        rc::staff_recovery_codes.filter(
            rc::staff_id
                .eq(staff_id)
                .and(rc::code_hash.eq(hash))
                .and(rc::used_at.is_null()),
        ),
    )
    .set(rc::used_at.eq(crate::db::now()))
    .execute(conn)?;
    Ok(updated >= 1)
}
