//! Reads for the supervision page. Each list is one query over the whole village (no query per
//! round or per site), so the page costs the same however many rounds a village has run.

use diesel::prelude::*;

use crate::collection::paper_store::Site;
use crate::db::schema::{ballots as b, collection_rounds as cr, collection_sites as cs};
use crate::db::{DbConn, DbError};

/// Ballots that count (not voided) per round of the village: (round id, count).
pub fn counted_ballots_by_round(
    conn: &mut DbConn,
    village_id: i64,
) -> Result<Vec<(i64, i64)>, DbError> {
    Ok(b::table
        .inner_join(cr::table.on(cr::id.eq(b::round_id)))
        .filter(cr::village_id.eq(village_id).and(b::voided_at.is_null()))
        .group_by(b::round_id)
        .select((b::round_id, diesel::dsl::count_star()))
        .load(conn)?)
}

/// Every collection site of the village's rounds, in order: (round id, site).
pub fn sites_of_village(conn: &mut DbConn, village_id: i64) -> Result<Vec<(i64, Site)>, DbError> {
    Ok(cs::table
        .inner_join(cr::table.on(cr::id.eq(cs::round_id)))
        .filter(cr::village_id.eq(village_id))
        .order((cs::round_id.desc(), cs::id))
        .select((cs::round_id, crate::collection::paper_store::SITE_COLUMNS))
        .load(conn)?)
}

/// Paper ballots that count per site of the village: (site id, count).
pub fn entered_by_site(
    conn: &mut DbConn,
    village_id: i64,
) -> Result<Vec<(Option<i64>, i64)>, DbError> {
    Ok(b::table
        .inner_join(cr::table.on(cr::id.eq(b::round_id)))
        .filter(
            cr::village_id
                .eq(village_id)
                .and(b::voided_at.is_null())
                .and(b::site_id.is_not_null()),
        )
        .group_by(b::site_id)
        .select((b::site_id, diesel::dsl::count_star()))
        .load(conn)?)
}
