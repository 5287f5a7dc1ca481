//! Staff accounts and role assignments in the database.

use diesel::prelude::*;

use super::domain::{Assignment, Role, Scope};
use crate::db::schema::role_assignments::dsl as ra;
use crate::db::schema::staff::dsl as st;
use crate::db::{DbConn, DbError};
use crate::web::guards::StaffUser;

/// What a login needs to know about an account.
#[derive(Clone, Debug)]
pub struct LoginRecord {
    pub id: i64,
    pub display_name: String,
    pub password_hash: String,
    pub active: bool,
    pub must_change_password: bool,
}

pub fn find_for_login(conn: &mut DbConn, username: &str) -> Result<Option<LoginRecord>, DbError> {
    let row: Option<(i64, String, String, bool, bool)> = st::staff
        .filter(st::username.eq(username))
        .select((
            st::id,
            st::display_name,
            st::password_hash,
            st::active,
            st::must_change_password,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(
        |(id, display_name, password_hash, active, must_change_password)| LoginRecord {
            id,
            display_name,
            password_hash,
            active,
            must_change_password,
        },
    ))
}

/// Assignments without a term, or whose term has not ended at `now`.
pub fn in_term(
    now: chrono::NaiveDateTime,
) -> diesel::dsl::Or<
    diesel::dsl::IsNull<ra::term_ends_at>,
    diesel::dsl::Gt<ra::term_ends_at, chrono::NaiveDateTime>,
> {
    ra::term_ends_at.is_null().or(ra::term_ends_at.gt(now))
}

/// A role assignment row: role, then exactly one of township, village, group.
type AssignmentRow = (String, Option<i64>, Option<i64>, Option<i64>);

/// Reads a stored assignment (row `id`): a role no [`Role`] names, or a scope that is not exactly
/// one place (the CHECK constraint forbids it), is an error naming the row, never skipped.
fn typed_assignment(id: i64, row: &AssignmentRow) -> Result<(Role, Scope), DbError> {
    let (role, township, village, group) = row;
    let role =
        Role::parse(role).ok_or_else(|| DbError::unknown("role_assignments", id, "role", role))?;
    let scope = scope_of(*township, *village, *group).ok_or_else(|| {
        let places = format!("township={township:?} village={village:?} group={group:?}");
        DbError::unknown("role_assignments", id, "scope", &places)
    })?;
    Ok((role, scope))
}

/// The roles a staff member holds now: an assignment whose term has ended no longer counts.
pub fn assignments(conn: &mut DbConn, staff_id: i64) -> Result<Vec<Assignment>, DbError> {
    let rows: Vec<(i64, AssignmentRow)> = ra::role_assignments
        .filter(ra::staff_id.eq(staff_id))
        .filter(in_term(crate::db::now()))
        .select((
            ra::id,
            (ra::role, ra::township_id, ra::village_id, ra::group_id),
        ))
        .order(ra::id)
        .load(conn)?;
    rows.iter()
        .map(|(id, row)| typed_assignment(*id, row).map(|(role, scope)| Assignment { role, scope }))
        .collect()
}

pub fn load_active_staff(conn: &mut DbConn, id: i64) -> Result<Option<StaffUser>, DbError> {
    let row: Option<(String, String, bool, bool)> = st::staff
        .filter(st::id.eq(id).and(st::active.eq(true)))
        .select((
            st::username,
            st::display_name,
            st::must_change_password,
            st::must_enrol_second_factor,
        ))
        .first(conn)
        .optional()?;
    let Some((username, display_name, must_change_password, reset)) = row else {
        return Ok(None);
    };
    let assignments = assignments(conn, id)?;
    // Only accounts that must use a second factor (by role, or since an administrator reset
    // theirs) pay for the lookup.
    let must_enrol_second_factor = (reset || crate::auth::two_factor::required(&assignments))
        && !crate::auth::two_factor::is_enrolled(conn, id)?;
    Ok(Some(StaffUser {
        id,
        username,
        display_name,
        assignments,
        must_change_password,
        must_enrol_second_factor,
    }))
}

pub struct NewStaff<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub email: Option<&'a str>,
    pub password_hash: &'a str,
}

/// Creates an account; `Ok(None)` when the username is taken (the unique constraint decides).
pub fn create(conn: &mut DbConn, new: &NewStaff<'_>) -> Result<Option<i64>, DbError> {
    let inserted = diesel::insert_into(st::staff)
        .values((
            st::username.eq(new.username),
            st::display_name.eq(new.display_name),
            st::email.eq(new.email),
            st::password_hash.eq(new.password_hash),
            st::active.eq(true),
            st::created_at.eq(crate::db::now()),
        ))
        .returning(st::id)
        .get_result::<i64>(conn);
    match inserted {
        Ok(id) => Ok(Some(id)),
        Err(e) if crate::db::is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Gives a role without a term.
pub fn assign(conn: &mut DbConn, staff_id: i64, role: Role, scope: Scope) -> Result<(), DbError> {
    assign_until(conn, staff_id, role, scope, None)
}

/// Gives a role, until the end of a term when one is given.
pub fn assign_until(
    conn: &mut DbConn,
    staff_id: i64,
    role: Role,
    scope: Scope,
    term_ends_at: Option<chrono::NaiveDateTime>,
) -> Result<(), DbError> {
    let (township, village, group) = match scope {
        Scope::Township(t) => (Some(t), None, None),
        Scope::Village(v) => (None, Some(v), None),
        Scope::Group(g) => (None, None, Some(g)),
    };
    diesel::insert_into(ra::role_assignments)
        .values((
            ra::staff_id.eq(staff_id),
            ra::role.eq(role.as_str()),
            ra::township_id.eq(township),
            ra::village_id.eq(village),
            ra::group_id.eq(group),
            ra::created_at.eq(crate::db::now()),
            ra::term_ends_at.eq(term_ends_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Who set a password: the account holder, or someone else (an administrator's one-time or
/// reset password, which must be replaced at the next sign-in).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetBy {
    Holder,
    Someone,
}

pub fn set_password(
    conn: &mut DbConn,
    staff_id: i64,
    hash: &str,
    by: SetBy,
) -> Result<(), DbError> {
    diesel::update(st::staff.filter(st::id.eq(staff_id)))
        .set((
            st::password_hash.eq(hash),
            st::must_change_password.eq(by == SetBy::Someone),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn username_of(conn: &mut DbConn, staff_id: i64) -> Result<Option<String>, DbError> {
    Ok(st::staff
        .filter(st::id.eq(staff_id))
        .select(st::username)
        .first(conn)
        .optional()?)
}

/// The address of an account, where known, for notices about changes to it.
pub fn email_of(conn: &mut DbConn, staff_id: i64) -> Result<Option<String>, DbError> {
    Ok(st::staff
        .filter(st::id.eq(staff_id))
        .select(st::email)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// The township an account belongs to, for the audit log: that of its first assignment.
pub fn home_township(conn: &mut DbConn, staff_id: i64) -> Result<Option<i64>, DbError> {
    use crate::db::schema::{village_groups, villages};
    let Some(first) = assignments(conn, staff_id)?.into_iter().next() else {
        return Ok(None);
    };
    let township = match first.scope {
        Scope::Township(t) => Some(t),
        Scope::Village(v) => villages::table
            .filter(villages::id.eq(v))
            .select(villages::township_id)
            .first(conn)
            .optional()?,
        Scope::Group(g) => village_groups::table
            .inner_join(villages::table)
            .filter(village_groups::id.eq(g))
            .select(villages::township_id)
            .first(conn)
            .optional()?,
    };
    Ok(township)
}

/// A staff account as the administrator sees it.
#[derive(Clone, Debug)]
pub struct StaffSummary {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub active: bool,
    /// (assignment id, role, scope)
    pub roles: Vec<(i64, Role, Scope)>,
    /// Assignment id → end of its term, for the assignments that have one.
    pub terms: Vec<(i64, chrono::NaiveDateTime)>,
}

impl StaffSummary {
    /// The end of an assignment's term, if it has one.
    pub fn term_of(&self, assignment: &i64) -> Option<chrono::NaiveDateTime> {
        self.terms
            .iter()
            .find(|(id, _)| id == assignment)
            .map(|(_, t)| *t)
    }

    /// Whether an assignment's term has ended (it then no longer counts).
    pub fn expired(&self, assignment: &i64) -> bool {
        self.term_of(assignment)
            .is_some_and(|t| t <= crate::db::now())
    }
}

fn scope_of(township: Option<i64>, village: Option<i64>, group: Option<i64>) -> Option<Scope> {
    match (township, village, group) {
        (Some(t), None, None) => Some(Scope::Township(t)),
        (None, Some(v), None) => Some(Scope::Village(v)),
        (None, None, Some(g)) => Some(Scope::Group(g)),
        _ => None,
    }
}

/// Every account with its roles, in two queries; the caller keeps those of its townships.
pub fn all_with_roles(conn: &mut DbConn) -> Result<Vec<StaffSummary>, DbError> {
    let accounts: Vec<(i64, String, String, Option<String>, bool)> = st::staff
        .select((
            st::id,
            st::username,
            st::display_name,
            st::email,
            st::active,
        ))
        .order(st::username)
        .load(conn)?;
    let roles: Vec<(i64, i64, AssignmentRow)> = ra::role_assignments
        .select((
            ra::id,
            ra::staff_id,
            (ra::role, ra::township_id, ra::village_id, ra::group_id),
        ))
        .order(ra::id)
        .load(conn)?;
    let terms: Vec<(i64, Option<chrono::NaiveDateTime>)> = ra::role_assignments
        .select((ra::id, ra::term_ends_at))
        .load(conn)?;
    let roles: Vec<(i64, i64, Role, Scope)> = roles
        .iter()
        .map(|(aid, staff, row)| {
            typed_assignment(*aid, row).map(|(role, scope)| (*aid, *staff, role, scope))
        })
        .collect::<Result<_, _>>()?;
    Ok(accounts
        .into_iter()
        .map(|(id, username, display_name, email, active)| StaffSummary {
            terms: roles
                .iter()
                .filter(|r| r.1 == id)
                .filter_map(|r| {
                    terms
                        .iter()
                        .find(|t| t.0 == r.0)
                        .and_then(|t| t.1)
                        .map(|end| (r.0, end))
                })
                .collect(),
            roles: roles
                .iter()
                .filter(|r| r.1 == id)
                .map(|(aid, _, role, scope)| (*aid, *role, *scope))
                .collect(),
            id,
            username,
            display_name,
            email,
            active,
        })
        .collect())
}

pub fn set_active(conn: &mut DbConn, staff_id: i64, active: bool) -> Result<(), DbError> {
    diesel::update(st::staff.filter(st::id.eq(staff_id)))
        .set(st::active.eq(active))
        .execute(conn)?;
    Ok(())
}

pub fn remove_assignment(
    conn: &mut DbConn,
    staff_id: i64,
    assignment_id: i64,
) -> Result<usize, DbError> {
    Ok(diesel::delete(
        ra::role_assignments.filter(ra::id.eq(assignment_id).and(ra::staff_id.eq(staff_id))),
    )
    .execute(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown(result: Result<(Role, Scope), DbError>) -> (String, &'static str, String) {
        match result {
            Err(DbError::UnknownValue {
                table: "role_assignments",
                id,
                column,
                value,
            }) => (id, column, value),
            other => panic!("expected an unknown-value error, got {other:?}"),
        }
    }

    #[test]
    fn a_stored_assignment_reads_back_typed() {
        let row = ("council_member".to_string(), None, None, Some(100));
        assert_eq!(
            typed_assignment(5, &row).expect("known"),
            (Role::CouncilMember, Scope::Group(100))
        );
    }

    #[test]
    fn an_unknown_role_is_an_error_naming_the_row_never_skipped() {
        let row = ("mayor".to_string(), Some(1), None, None);
        let (id, column, value) = unknown(typed_assignment(5, &row));
        assert_eq!(
            (id.as_str(), column, value.as_str()),
            ("5", "role", "mayor")
        );
    }

    #[test]
    fn a_scope_that_is_not_exactly_one_place_is_an_error() {
        for places in [(None, None, None), (Some(1), Some(10), None)] {
            let row = ("clerk".to_string(), places.0, places.1, places.2);
            let (id, column, _) = unknown(typed_assignment(6, &row));
            assert_eq!((id.as_str(), column), ("6", "scope"));
        }
    }
}
