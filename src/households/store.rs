//! Households in the database. Multi-row writes (imports) happen in one transaction, and the
//! unique (village, 户号) constraint is what finally refuses a duplicate.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::{Status, ValidHousehold};
use crate::db::schema::households::dsl as h;
use crate::db::{DbConn, DbError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Household {
    pub id: i64,
    pub village_id: i64,
    pub group_id: i64,
    pub number: String,
    pub head_name: String,
    pub members: i32,
    pub status: Status,
    pub updated_at: NaiveDateTime,
}

/// A household as stored: its status is still text until [`HouseholdRow::typed`] reads it.
#[derive(Queryable)]
struct HouseholdRow {
    id: i64,
    village_id: i64,
    group_id: i64,
    number: String,
    head_name: String,
    members: i32,
    status: String,
    updated_at: NaiveDateTime,
}

impl HouseholdRow {
    /// The household with its status as an enum; a status no variant names is an error naming
    /// the row, never read as some default.
    fn typed(self) -> Result<Household, DbError> {
        let status = Status::parse(&self.status)
            .ok_or_else(|| DbError::unknown("households", self.id, "status", &self.status))?;
        Ok(Household {
            id: self.id,
            village_id: self.village_id,
            group_id: self.group_id,
            number: self.number,
            head_name: self.head_name,
            members: self.members,
            status,
            updated_at: self.updated_at,
        })
    }
}

const COLUMNS: (
    h::id,
    h::village_id,
    h::group_id,
    h::number,
    h::head_name,
    h::members,
    h::status,
    h::updated_at,
) = (
    h::id,
    h::village_id,
    h::group_id,
    h::number,
    h::head_name,
    h::members,
    h::status,
    h::updated_at,
);

/// Filters of the clerk's household list.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    pub number_prefix: Option<String>,
    pub group_id: Option<i64>,
    pub status: Option<Status>,
}

pub const PAGE_SIZE: i64 = 50;

/// One page of a village's households, ordered by 户号, and the total matching the filter.
pub fn list(
    conn: &mut DbConn,
    village_id: i64,
    filter: &ListFilter,
    page: i64,
) -> Result<(Vec<Household>, i64), DbError> {
    let build = || {
        let mut q = h::households
            .filter(h::village_id.eq(village_id))
            .into_boxed();
        if let Some(prefix) = &filter.number_prefix {
            // 户号 holds only [0-9A-Za-z-], so no LIKE wildcard can sneak in.
            q = q.filter(h::number.like(format!("{prefix}%")));
        }
        if let Some(group) = filter.group_id {
            q = q.filter(h::group_id.eq(group));
        }
        if let Some(status) = filter.status {
            q = q.filter(h::status.eq(status.as_str()));
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let rows: Vec<HouseholdRow> = build()
        .select(COLUMNS)
        .order(h::number)
        .limit(PAGE_SIZE)
        .offset(page.max(0) * PAGE_SIZE)
        .load(conn)?;
    let households = rows
        .into_iter()
        .map(HouseholdRow::typed)
        .collect::<Result<_, _>>()?;
    Ok((households, total))
}

pub fn get(conn: &mut DbConn, village_id: i64, id: i64) -> Result<Option<Household>, DbError> {
    h::households
        .filter(h::id.eq(id).and(h::village_id.eq(village_id)))
        .select(COLUMNS)
        .first::<HouseholdRow>(conn)
        .optional()?
        .map(HouseholdRow::typed)
        .transpose()
}

/// What a PIN login needs: the household and its hash, only while the household is active.
pub fn find_for_login(
    conn: &mut DbConn,
    village_id: i64,
    number: &str,
) -> Result<Option<(i64, String)>, DbError> {
    Ok(h::households
        .filter(h::village_id.eq(village_id))
        .filter(h::number.eq(number))
        .filter(h::status.eq(Status::Active.as_str()))
        .select((h::id, h::pin_hash))
        .first(conn)
        .optional()?)
}

pub fn numbers(conn: &mut DbConn, village_id: i64) -> Result<HashSet<String>, DbError> {
    Ok(h::households
        .filter(h::village_id.eq(village_id))
        .select(h::number)
        .load::<String>(conn)?
        .into_iter()
        .collect())
}

/// Inserts a household; `Ok(None)` when its 户号 is already taken in the village.
pub fn create(
    conn: &mut DbConn,
    village_id: i64,
    household: &ValidHousehold,
    pin_hash: &str,
) -> Result<Option<i64>, DbError> {
    let now = crate::db::now();
    let inserted = diesel::insert_into(h::households)
        .values((
            h::village_id.eq(village_id),
            h::group_id.eq(household.group_id),
            h::number.eq(&household.number),
            h::head_name.eq(&household.head_name),
            h::members.eq(household.members),
            h::status.eq(household.status.as_str()),
            h::pin_hash.eq(pin_hash),
            h::created_at.eq(now),
            h::updated_at.eq(now),
        ))
        .returning(h::id)
        .get_result::<i64>(conn);
    match inserted {
        Ok(id) => Ok(Some(id)),
        Err(e) if crate::db::is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Updates a household; `Ok(false)` when the new 户号 is taken by another household.
pub fn update(
    conn: &mut DbConn,
    village_id: i64,
    id: i64,
    household: &ValidHousehold,
) -> Result<bool, DbError> {
    let updated =
        diesel::update(h::households.filter(h::id.eq(id).and(h::village_id.eq(village_id))))
            .set((
                h::group_id.eq(household.group_id),
                h::number.eq(&household.number),
                h::head_name.eq(&household.head_name),
                h::members.eq(household.members),
                h::status.eq(household.status.as_str()),
                h::updated_at.eq(crate::db::now()),
            ))
            .execute(conn);
    match updated {
        Ok(_) => Ok(true),
        Err(e) if crate::db::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

pub fn set_pin(conn: &mut DbConn, village_id: i64, id: i64, pin_hash: &str) -> Result<(), DbError> {
    diesel::update(h::households.filter(h::id.eq(id).and(h::village_id.eq(village_id))))
        .set((h::pin_hash.eq(pin_hash), h::updated_at.eq(crate::db::now())))
        .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(status: &str) -> HouseholdRow {
        HouseholdRow {
            id: 9,
            village_id: 1,
            group_id: 2,
            number: "0107".to_string(),
            head_name: "张三丰".to_string(),
            members: 3,
            status: status.to_string(),
            updated_at: NaiveDateTime::default(),
        }
    }

    #[test]
    fn every_stored_status_reads_back_as_its_enum() {
        for status in Status::ALL {
            assert_eq!(row(status.as_str()).typed().expect("known").status, status);
        }
    }

    #[test]
    fn an_unknown_stored_status_is_an_error_naming_the_row() {
        for stored in ["dead", "Active", ""] {
            match row(stored).typed() {
                Err(DbError::UnknownValue {
                    table,
                    id,
                    column,
                    value,
                }) => {
                    assert_eq!((table, id.as_str(), column), ("households", "9", "status"));
                    assert_eq!(value, stored);
                }
                other => panic!("{stored:?}: expected an unknown-value error, got {other:?}"),
            }
        }
    }
}
