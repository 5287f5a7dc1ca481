//! What a project's public page shows of reviews: its flags (open until the committee records a
//! re-consultation) and its ratings in published reviews. Used by the projects part; the
//! partial `templates/reviews/project_flag.html` renders a `ProjectFlag`.

use diesel::prelude::*;

use super::domain::{Counts, Half, ReviewState};
use super::flag_store;
use crate::db::schema::{review_items as ri, reviews as rv};
use crate::db::{DbConn, DbError};

/// A flag on a project's review item.
#[derive(Clone, Debug)]
pub struct ProjectFlag {
    pub project_id: i64,
    pub review_id: i64,
    /// "2026年上半年" style period: year and half.
    pub year: i32,
    pub half: Half,
    /// e.g. "25.0%"; favourable / valid kept for those who recompute.
    pub rate_text: String,
    pub favourable: i32,
    pub valid: i32,
    /// Still waiting for the committee's re-consultation.
    pub open: bool,
    /// When re-consulted: the date, how, what was heard, what will change.
    pub reconsulted_on: Option<chrono::NaiveDate>,
    pub method: Option<String>,
    pub heard: Option<String>,
    pub changes: Option<String>,
}

/// The flags of these projects' review items, newest first.
pub fn project_flags(conn: &mut DbConn, project_ids: &[i64]) -> Result<Vec<ProjectFlag>, DbError> {
    Ok(flag_store::flags_of_projects(conn, project_ids)?
        .into_iter()
        .filter_map(|f| {
            let project_id = f.project_id?;
            let rec = f.reconsultation.clone();
            Some(ProjectFlag {
                project_id,
                review_id: f.review_id,
                year: f.year,
                half: f.half,
                rate_text: f.rate_text(),
                favourable: f.favourable,
                valid: f.valid,
                open: f.open(),
                reconsulted_on: rec.as_ref().map(|r| r.held_on),
                method: rec.as_ref().map(|r| r.method.clone()),
                heard: rec.as_ref().map(|r| r.heard.clone()),
                changes: rec.map(|r| r.changes),
            })
        })
        .collect())
}

/// A project's rating in one published review.
#[derive(Clone, Debug)]
pub struct ProjectRating {
    pub project_id: i64,
    pub review_id: i64,
    pub year: i32,
    pub half: Half,
    pub counts: Counts,
    pub rate_text: String,
    pub flagged: bool,
}

/// The ratings of these projects in published reviews (results of open or closed but not yet
/// published reviews are never shown here), newest first.
pub fn project_ratings(
    conn: &mut DbConn,
    project_ids: &[i64],
) -> Result<Vec<ProjectRating>, DbError> {
    let rows: Vec<(i64, i64, i64)> = ri::table
        .inner_join(rv::table)
        .filter(
            ri::project_id
                .eq_any(project_ids)
                .and(rv::state.eq(ReviewState::Published.as_str())),
        )
        .order(rv::id.desc())
        .select((ri::review_id, rv::village_id, ri::id))
        .load(conn)?;
    let mut out = Vec::new();
    for (review_id, village_id, item_id) in rows {
        let Some(review) = super::store::get(conn, village_id, review_id)? else {
            continue;
        };
        let results = super::results::compute(conn, &review)?;
        if let Some(r) = results.items.into_iter().find(|r| r.item.id == item_id) {
            out.push(ProjectRating {
                project_id: r.item.project_id.unwrap_or_default(),
                review_id,
                year: review.year,
                half: review.half,
                counts: r.counts,
                rate_text: r.rate_text(),
                flagged: r.flagged(),
            });
        }
    }
    Ok(out)
}
