//! Townships, villages and groups in the database.

use diesel::prelude::*;

use crate::db::schema::{households, townships, village_groups, villages};
use crate::db::{DbConn, DbError};
use crate::households::domain::Status;

/// A village as the rest of the app refers to it.
#[derive(Clone, Debug, PartialEq, Eq, Queryable)]
pub struct VillageRef {
    pub id: i64,
    pub township_id: i64,
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Queryable)]
pub struct Group {
    pub id: i64,
    pub name: String,
}

/// A group with how many active households it has, for the public village page.
#[derive(Clone, Debug)]
pub struct GroupCount {
    pub name: String,
    pub households: i64,
}

#[derive(Clone, Debug)]
pub struct TownshipWithVillages {
    pub name: String,
    pub villages: Vec<VillageRef>,
}

const VILLAGE_COLUMNS: (
    villages::id,
    villages::township_id,
    villages::code,
    villages::name,
) = (
    villages::id,
    villages::township_id,
    villages::code,
    villages::name,
);

pub fn find_village(conn: &mut DbConn, code: &str) -> Result<Option<VillageRef>, DbError> {
    Ok(villages::table
        .filter(villages::code.eq(code))
        .select(VILLAGE_COLUMNS)
        .first(conn)
        .optional()?)
}

/// The village's supervision phone; empty until a clerk sets it.
pub fn supervision_phone(conn: &mut DbConn, village_id: i64) -> Result<String, DbError> {
    Ok(villages::table
        .filter(villages::id.eq(village_id))
        .select(villages::supervision_phone)
        .first(conn)?)
}

/// Stores a phone already checked by `phone::valid_phone`.
pub fn set_supervision_phone(
    conn: &mut DbConn,
    village_id: i64,
    phone: &str,
) -> Result<(), DbError> {
    diesel::update(villages::table.filter(villages::id.eq(village_id)))
        .set(villages::supervision_phone.eq(phone))
        .execute(conn)?;
    Ok(())
}

pub fn township_name(conn: &mut DbConn, id: i64) -> Result<String, DbError> {
    Ok(townships::table
        .filter(townships::id.eq(id))
        .select(townships::name)
        .first(conn)?)
}

/// Every township with its villages, in two queries.
pub fn directory(conn: &mut DbConn) -> Result<Vec<TownshipWithVillages>, DbError> {
    let towns: Vec<(i64, String)> = townships::table
        .select((townships::id, townships::name))
        .order(townships::id)
        .load(conn)?;
    let all: Vec<VillageRef> = villages::table
        .select(VILLAGE_COLUMNS)
        .order(villages::id)
        .load(conn)?;
    Ok(towns
        .into_iter()
        .map(|(id, name)| TownshipWithVillages {
            name,
            villages: all
                .iter()
                .filter(|v| v.township_id == id)
                .cloned()
                .collect(),
        })
        .collect())
}

pub fn groups(conn: &mut DbConn, village_id: i64) -> Result<Vec<Group>, DbError> {
    Ok(village_groups::table
        .filter(village_groups::village_id.eq(village_id))
        .select((village_groups::id, village_groups::name))
        .order(village_groups::id)
        .load(conn)?)
}

/// Groups with their active household counts, in one grouped query.
pub fn group_counts(conn: &mut DbConn, village_id: i64) -> Result<Vec<GroupCount>, DbError> {
    let counts: Vec<(i64, i64)> = households::table
        .filter(households::village_id.eq(village_id))
        .filter(households::status.eq(Status::Active.as_str()))
        .group_by(households::group_id)
        .select((households::group_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(groups(conn, village_id)?
        .into_iter()
        .map(|g| GroupCount {
            households: counts
                .iter()
                .find(|(id, _)| *id == g.id)
                .map_or(0, |(_, n)| *n),
            name: g.name,
        })
        .collect())
}

pub fn any_township(conn: &mut DbConn) -> Result<bool, DbError> {
    let n: i64 = townships::table.count().get_result(conn)?;
    Ok(n > 0)
}

pub fn find_township(conn: &mut DbConn, code: &str) -> Result<Option<i64>, DbError> {
    Ok(townships::table
        .filter(townships::code.eq(code))
        .select(townships::id)
        .first(conn)
        .optional()?)
}

pub fn create_township(conn: &mut DbConn, code: &str, name: &str) -> Result<i64, DbError> {
    Ok(diesel::insert_into(townships::table)
        .values((
            townships::code.eq(code),
            townships::name.eq(name),
            townships::created_at.eq(crate::db::now()),
        ))
        .returning(townships::id)
        .get_result(conn)?)
}

pub fn create_village(
    conn: &mut DbConn,
    township_id: i64,
    code: &str,
    name: &str,
) -> Result<i64, DbError> {
    Ok(diesel::insert_into(villages::table)
        .values((
            villages::township_id.eq(township_id),
            villages::code.eq(code),
            villages::name.eq(name),
            villages::created_at.eq(crate::db::now()),
        ))
        .returning(villages::id)
        .get_result(conn)?)
}

pub fn create_group(conn: &mut DbConn, village_id: i64, name: &str) -> Result<i64, DbError> {
    Ok(diesel::insert_into(village_groups::table)
        .values((
            village_groups::village_id.eq(village_id),
            village_groups::name.eq(name),
            village_groups::created_at.eq(crate::db::now()),
        ))
        .returning(village_groups::id)
        .get_result(conn)?)
}

/// Every township, village and group of some townships, loaded once (three queries), to name
/// scopes and offer them in forms without a query per row.
#[derive(Clone, Debug, Default)]
pub struct PlaceIndex {
    pub townships: Vec<(i64, String)>,
    /// (id, township id, name)
    pub villages: Vec<(i64, i64, String)>,
    /// (id, village id, name)
    pub groups: Vec<(i64, i64, String)>,
}

impl PlaceIndex {
    pub fn load(conn: &mut DbConn, township_ids: &[i64]) -> Result<PlaceIndex, DbError> {
        let townships = townships::table
            .filter(townships::id.eq_any(township_ids.to_vec()))
            .select((townships::id, townships::name))
            .order(townships::id)
            .load(conn)?;
        let villages: Vec<(i64, i64, String)> = villages::table
            .filter(villages::township_id.eq_any(township_ids.to_vec()))
            .select((villages::id, villages::township_id, villages::name))
            .order(villages::id)
            .load(conn)?;
        let village_ids: Vec<i64> = villages.iter().map(|v| v.0).collect();
        let groups = village_groups::table
            .filter(village_groups::village_id.eq_any(village_ids))
            .select((
                village_groups::id,
                village_groups::village_id,
                village_groups::name,
            ))
            .order(village_groups::id)
            .load(conn)?;
        Ok(PlaceIndex {
            townships,
            villages,
            groups,
        })
    }

    /// The place a scope names, with its ancestors; `None` outside these townships.
    pub fn place(
        &self,
        scope: crate::accounts::domain::Scope,
    ) -> Option<crate::accounts::domain::Place> {
        use crate::accounts::domain::{Place, Scope};
        match scope {
            Scope::Township(t) => self
                .townships
                .iter()
                .any(|x| x.0 == t)
                .then_some(Place::township(t)),
            Scope::Village(v) => self
                .villages
                .iter()
                .find(|x| x.0 == v)
                .map(|x| Place::village(x.1, v)),
            Scope::Group(g) => {
                let (_, v, _) = self.groups.iter().find(|x| x.0 == g)?;
                let (_, t, _) = self.villages.iter().find(|x| x.0 == *v)?;
                Some(Place::group(*t, *v, g))
            }
        }
    }

    /// A readable name: 示范镇, 桃源村, 桃源村 · 第一村民小组.
    pub fn label(&self, scope: &crate::accounts::domain::Scope) -> String {
        use crate::accounts::domain::Scope;
        let village = |v: i64| self.villages.iter().find(|x| x.0 == v).map(|x| x.2.clone());
        match *scope {
            Scope::Township(t) => self
                .townships
                .iter()
                .find(|x| x.0 == t)
                .map(|x| x.1.clone()),
            Scope::Village(v) => village(v),
            Scope::Group(g) => self
                .groups
                .iter()
                .find(|x| x.0 == g)
                .map(|x| format!("{} · {}", village(x.1).unwrap_or_default(), x.2)),
        }
        .unwrap_or_else(|| "?".to_string())
    }

    /// Every scope in these townships, for a select list.
    pub fn scopes(&self) -> Vec<crate::accounts::domain::Scope> {
        use crate::accounts::domain::Scope;
        let mut all: Vec<Scope> = self
            .townships
            .iter()
            .map(|t| Scope::Township(t.0))
            .collect();
        for v in &self.villages {
            all.push(Scope::Village(v.0));
            all.extend(
                self.groups
                    .iter()
                    .filter(|g| g.1 == v.0)
                    .map(|g| Scope::Group(g.0)),
            );
        }
        all
    }
}
