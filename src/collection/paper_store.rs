//! Paper entries (each clerk's typing of a paper ballot) and collection sites in the database.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::paper::{EntryState, SiteState};
use crate::db::schema::{ballots as b, collection_sites as cs, paper_entries as pe};
use crate::db::{DbConn, DbError, is_unique_violation};

#[derive(Clone, Debug)]
pub struct PaperEntry {
    pub id: i64,
    pub household_id: i64,
    pub paper_serial: String,
    pub site_id: Option<i64>,
    pub entered_by: i64,
    pub content: String,
    pub state: EntryState,
}

type EntryRow = (i64, i64, String, Option<i64>, i64, String, String);

/// Typed at the boundary: a stored state no variant names is an error naming the typing.
fn entries(rows: Vec<EntryRow>) -> Result<Vec<PaperEntry>, DbError> {
    rows.into_iter()
        .map(
            |(id, household_id, paper_serial, site_id, entered_by, content, state)| {
                let state = EntryState::parse(&state)
                    .ok_or_else(|| DbError::unknown("paper_entries", id, "state", &state))?;
                Ok(PaperEntry {
                    id,
                    household_id,
                    paper_serial,
                    site_id,
                    entered_by,
                    content,
                    state,
                })
            },
        )
        .collect()
}

const ENTRY_COLUMNS: (
    pe::id,
    pe::household_id,
    pe::paper_serial,
    pe::site_id,
    pe::entered_by,
    pe::content,
    pe::state,
) = (
    pe::id,
    pe::household_id,
    pe::paper_serial,
    pe::site_id,
    pe::entered_by,
    pe::content,
    pe::state,
);

pub fn entries_for_serial(
    conn: &mut DbConn,
    round_id: i64,
    serial: &str,
) -> Result<Vec<PaperEntry>, DbError> {
    entries(
        pe::table
            .filter(pe::round_id.eq(round_id).and(pe::paper_serial.eq(serial)))
            .order(pe::id)
            .select(ENTRY_COLUMNS)
            .load(conn)?,
    )
}

pub fn entries_in_state(
    conn: &mut DbConn,
    round_id: i64,
    state: EntryState,
) -> Result<Vec<PaperEntry>, DbError> {
    entries(
        pe::table
            .filter(pe::round_id.eq(round_id).and(pe::state.eq(state.as_str())))
            .order((pe::paper_serial, pe::id))
            .select(ENTRY_COLUMNS)
            .load(conn)?,
    )
}

/// Records one typing, waiting for its pair. Call under the round's lock, after
/// [`super::paper::next_step`] said this clerk has not typed this serial (the unique constraint
/// on (round, serial, clerk) is the last guard; `Ok(None)` when it refused).
pub fn add_entry(
    conn: &mut DbConn,
    round_id: i64,
    household_id: i64,
    serial: &str,
    site_id: Option<i64>,
    clerk: i64,
    content: &str,
) -> Result<Option<i64>, DbError> {
    let inserted = diesel::insert_into(pe::table)
        .values((
            pe::round_id.eq(round_id),
            pe::household_id.eq(household_id),
            pe::paper_serial.eq(serial),
            pe::site_id.eq(site_id),
            pe::entered_by.eq(clerk),
            pe::content.eq(content),
            pe::state.eq(EntryState::Waiting.as_str()),
            pe::created_at.eq(crate::db::now()),
        ))
        .returning(pe::id)
        .get_result::<i64>(conn);
    match inserted {
        Ok(id) => Ok(Some(id)),
        Err(e) if is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Moves typings of a serial from one state to another; returns how many moved.
pub fn set_entries_state(
    conn: &mut DbConn,
    round_id: i64,
    serial: &str,
    from: EntryState,
    to: EntryState,
) -> Result<usize, DbError> {
    Ok(diesel::update(
        pe::table.filter(
            pe::round_id
                .eq(round_id)
                .and(pe::paper_serial.eq(serial))
                .and(pe::state.eq(from.as_str())),
        ),
    )
    .set(pe::state.eq(to.as_str()))
    .execute(conn)?)
}

#[derive(Clone, Debug, Queryable)]
pub struct Site {
    pub id: i64,
    pub name: String,
    pub papers_issued: Option<i32>,
    pub papers_returned: Option<i32>,
    pub papers_spoiled: Option<i32>,
    /// The two residents who kept the box.
    pub custodian_one: Option<String>,
    pub custodian_two: Option<String>,
    pub certified_at: Option<NaiveDateTime>,
    /// The two staff who kept it (certificates signed before 000037 name none).
    pub staff_custodian_one: Option<String>,
    pub staff_custodian_two: Option<String>,
}

/// The columns a [`Site`] is read from, for every query that lists sites.
#[allow(clippy::type_complexity)]
pub const SITE_COLUMNS: (
    cs::id,
    cs::name,
    cs::papers_issued,
    cs::papers_returned,
    cs::papers_spoiled,
    cs::custodian_one,
    cs::custodian_two,
    cs::certified_at,
    cs::staff_custodian_one,
    cs::staff_custodian_two,
) = (
    cs::id,
    cs::name,
    cs::papers_issued,
    cs::papers_returned,
    cs::papers_spoiled,
    cs::custodian_one,
    cs::custodian_two,
    cs::certified_at,
    cs::staff_custodian_one,
    cs::staff_custodian_two,
);

impl Site {
    pub fn state(&self) -> SiteState {
        SiteState::of(self.certified_at)
    }
    /// The residents who kept the box, as the certificate names them.
    pub fn residents(&self) -> String {
        join_names(&self.custodian_one, &self.custodian_two)
    }
    /// The staff who kept the box; empty on certificates signed before staff were named.
    pub fn staff_custodians(&self) -> String {
        join_names(&self.staff_custodian_one, &self.staff_custodian_two)
    }
}

pub fn sites(conn: &mut DbConn, round_id: i64) -> Result<Vec<(Site, i64)>, DbError> {
    let list: Vec<Site> = cs::table
        .filter(cs::round_id.eq(round_id))
        .order(cs::id)
        .select(SITE_COLUMNS)
        .load(conn)?;
    let entered: Vec<(Option<i64>, i64)> = b::table
        .filter(
            b::round_id
                .eq(round_id)
                .and(b::voided_at.is_null())
                .and(b::site_id.is_not_null()),
        )
        .group_by(b::site_id)
        .select((b::site_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(list
        .into_iter()
        .map(|site| {
            let n = entered
                .iter()
                .find(|(id, _)| *id == Some(site.id))
                .map_or(0, |(_, n)| *n);
            (site, n)
        })
        .collect())
}

/// Creates a site; `None` when the round has a site of that name already. Call under the
/// round's lock: the name is looked up first, so the unique constraint never has to refuse
/// (which would abort a PostgreSQL transaction).
pub fn create_site(conn: &mut DbConn, round_id: i64, name: &str) -> Result<Option<i64>, DbError> {
    let taken: i64 = cs::table
        .filter(cs::round_id.eq(round_id).and(cs::name.eq(name)))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Ok(None);
    }
    Ok(Some(
        diesel::insert_into(cs::table)
            .values((
                cs::round_id.eq(round_id),
                cs::name.eq(name),
                cs::created_at.eq(crate::db::now()),
            ))
            .returning(cs::id)
            .get_result(conn)?,
    ))
}

/// The counts and custodians of a site's closure certificate: two residents and two staff.
pub struct Certificate<'a> {
    pub issued: i32,
    pub returned: i32,
    pub spoiled: i32,
    pub custodian_one: &'a str,
    pub custodian_two: &'a str,
    pub staff_custodian_one: &'a str,
    pub staff_custodian_two: &'a str,
}

/// Signs a site's certificate once; false when it was signed already or is of another round.
pub fn certify(
    conn: &mut DbConn,
    round_id: i64,
    site_id: i64,
    c: &Certificate<'_>,
    staff_id: i64,
) -> Result<bool, DbError> {
    let n = diesel::update(
        cs::table.filter(
            cs::id
                .eq(site_id)
                .and(cs::round_id.eq(round_id))
                .and(cs::certified_at.is_null()),
        ),
    )
    .set((
        cs::papers_issued.eq(c.issued),
        cs::papers_returned.eq(c.returned),
        cs::papers_spoiled.eq(c.spoiled),
        cs::custodian_one.eq(c.custodian_one),
        cs::custodian_two.eq(c.custodian_two),
        cs::staff_custodian_one.eq(c.staff_custodian_one),
        cs::staff_custodian_two.eq(c.staff_custodian_two),
        cs::certified_by.eq(staff_id),
        cs::certified_at.eq(crate::db::now()),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Display names of the clerks who typed, for the reconcile page: (staff id, name).
pub fn staff_names(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<(i64, String)>, DbError> {
    use crate::db::schema::staff::dsl as st;
    Ok(st::staff
        .filter(st::id.eq_any(ids))
        .select((st::id, st::display_name))
        .load(conn)?)
}

fn join_names(one: &Option<String>, two: &Option<String>) -> String {
    [one, two]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("、")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(state: &str) -> EntryRow {
        (9, 1, "P1".into(), None, 2, "{}".into(), state.into())
    }

    #[test]
    fn stored_typing_states_read_as_enums_and_unknown_ones_are_errors() {
        let read = entries(vec![row("mismatch")]).expect("known state");
        assert_eq!(read[0].state, EntryState::Mismatch);
        let text = entries(vec![row("posted"), row("typed")])
            .expect_err("unknown state")
            .to_string();
        assert!(
            text.contains("paper_entries row 9") && text.contains("typed"),
            "{text}"
        );
    }
}
