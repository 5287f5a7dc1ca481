//! Notices and objections in the database. `publish` is the one way any part of Minyi makes a
//! notice public, so every kind follows the same rules (period, hash, immutability).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::{self, DEFAULT_PERIOD_DAYS, Gate, Kind, NoticeFacts, ObjectionFacts};
use super::states::NoticeState;
use crate::db::schema::{notice_periods as np, notices as n, objections as o, villages};
use crate::db::{DbConn, DbError};

pub use super::objection_store::{
    Filing, Objection, answer, file, filed_since, objections_of, overdue,
};

/// A notice as stored, kind and state still text: read only through [`Notice::try_from`].
#[derive(Clone, Debug, Queryable)]
struct NoticeRow {
    id: i64,
    village_id: i64,
    kind: String,
    title: String,
    body: String,
    subject: Option<String>,
    period_days: i32,
    state: String,
    published_at: Option<NaiveDateTime>,
    period_ends_at: Option<NaiveDateTime>,
    content_hash: Option<String>,
    supersedes_id: Option<i64>,
    created_by: i64,
    created_at: NaiveDateTime,
}

#[derive(Clone, Debug)]
pub struct Notice {
    pub id: i64,
    pub village_id: i64,
    pub kind: Kind,
    pub title: String,
    pub body: String,
    pub subject: Option<String>,
    pub period_days: i32,
    pub state: NoticeState,
    pub published_at: Option<NaiveDateTime>,
    pub period_ends_at: Option<NaiveDateTime>,
    pub content_hash: Option<String>,
    pub supersedes_id: Option<i64>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

impl TryFrom<NoticeRow> for Notice {
    type Error = DbError;

    fn try_from(r: NoticeRow) -> Result<Notice, DbError> {
        let kind = Kind::parse(&r.kind)
            .ok_or_else(|| DbError::unknown("notices", r.id, "kind", &r.kind))?;
        let state = NoticeState::parse(&r.state)
            .ok_or_else(|| DbError::unknown("notices", r.id, "state", &r.state))?;
        Ok(Notice {
            id: r.id,
            village_id: r.village_id,
            kind,
            title: r.title,
            body: r.body,
            subject: r.subject,
            period_days: r.period_days,
            state,
            published_at: r.published_at,
            period_ends_at: r.period_ends_at,
            content_hash: r.content_hash,
            supersedes_id: r.supersedes_id,
            created_by: r.created_by,
            created_at: r.created_at,
        })
    }
}

impl Notice {
    pub fn kind(&self) -> Kind {
        self.kind
    }
    pub fn is_published(&self) -> bool {
        self.state == NoticeState::Published
    }
    pub fn phase(&self, now: NaiveDateTime) -> domain::Phase {
        domain::phase(self.is_published(), self.period_ends_at, now)
    }
    /// The first and the last day of the period, both included (published notices only).
    pub fn period_days_shown(&self) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
        Some(domain::period_days_shown(
            self.published_at?,
            self.period_ends_at?,
        ))
    }
    /// The lines the hash covers before the body, as the public page shows them (published
    /// notices only); `village` is the village's name.
    pub fn canonical_head(&self, village: &str) -> Option<String> {
        Some(domain::canonical_head(
            village,
            self.kind,
            &self.title,
            self.published_at?,
            self.period_ends_at?,
            self.supersedes_id,
        ))
    }
}

fn notices(rows: Vec<NoticeRow>) -> Result<Vec<Notice>, DbError> {
    rows.into_iter().map(Notice::try_from).collect()
}

fn notice(row: Option<NoticeRow>) -> Result<Option<Notice>, DbError> {
    row.map(Notice::try_from).transpose()
}

/// Reads a notice of the village and locks it until the caller's transaction ends: every write
/// about a notice (editing, publishing, superseding, objections and answers) takes this lock
/// first and decides on what it sees. PostgreSQL: `SELECT … FOR UPDATE`; SQLite: the write
/// lock of `BEGIN IMMEDIATE` already serializes writers.
pub fn lock(conn: &mut DbConn, village_id: i64, id: i64) -> Result<Option<Notice>, DbError> {
    let query = n::table.filter(n::id.eq(id).and(n::village_id.eq(village_id)));
    let row = match conn {
        DbConn::Pg(c) => query.for_update().first::<NoticeRow>(c).optional()?,
        DbConn::Sqlite(c) => query.first::<NoticeRow>(c).optional()?,
    };
    notice(row)
}

/// The notice period for a kind in a village: its own setting, else the default.
pub fn period_days(conn: &mut DbConn, village_id: i64, kind: Kind) -> Result<i32, DbError> {
    Ok(np::table
        .filter(
            np::village_id
                .eq(village_id)
                .and(np::kind.eq(kind.as_str())),
        )
        .select(np::days)
        .first(conn)
        .optional()?
        .unwrap_or(DEFAULT_PERIOD_DAYS))
}

/// What a new notice says.
#[derive(Clone, Debug)]
pub struct Draft<'a> {
    pub village_id: i64,
    pub kind: Kind,
    pub title: &'a str,
    pub body: &'a str,
    pub subject: Option<&'a str>,
    pub supersedes: Option<i64>,
    pub created_by: i64,
}

/// Saves a draft with the village's period for its kind. A superseding draft never gets a
/// shorter period than the notice it replaces.
pub fn create_draft(conn: &mut DbConn, draft: &Draft<'_>) -> Result<i64, DbError> {
    let mut days = period_days(conn, draft.village_id, draft.kind)?;
    if let Some(old) = draft.supersedes {
        let old_days: i32 = n::table
            .filter(n::id.eq(old))
            .select(n::period_days)
            .first(conn)?;
        days = days.max(old_days);
    }
    Ok(diesel::insert_into(n::table)
        .values((
            n::village_id.eq(draft.village_id),
            n::kind.eq(draft.kind.as_str()),
            n::title.eq(draft.title),
            n::body.eq(draft.body),
            n::subject.eq(draft.subject),
            n::period_days.eq(days),
            n::state.eq(NoticeState::Draft.as_str()),
            n::supersedes_id.eq(draft.supersedes),
            n::created_by.eq(draft.created_by),
            n::created_at.eq(crate::db::now()),
        ))
        .returning(n::id)
        .get_result(conn)?)
}

/// Changes a draft's kind and text; false when it is not a draft (published notices never
/// change). A new kind brings the village's period for it, never shorter than a replaced one's.
pub fn update_draft(
    conn: &mut DbConn,
    id: i64,
    kind: Kind,
    title: &str,
    body: &str,
    subject: Option<&str>,
) -> Result<bool, DbError> {
    let Some(draft) = notice(
        n::table
            .filter(n::id.eq(id).and(n::state.eq(NoticeState::Draft.as_str())))
            .first::<NoticeRow>(conn)
            .optional()?,
    )?
    else {
        return Ok(false);
    };
    let mut days = period_days(conn, draft.village_id, kind)?;
    if let Some(old) = draft.supersedes_id {
        let old_days: i32 = n::table
            .filter(n::id.eq(old))
            .select(n::period_days)
            .first(conn)?;
        days = days.max(old_days);
    }
    let changed =
        diesel::update(n::table.filter(n::id.eq(id).and(n::state.eq(NoticeState::Draft.as_str()))))
            .set((
                n::kind.eq(kind.as_str()),
                n::title.eq(title),
                n::body.eq(body),
                n::subject.eq(subject),
                n::period_days.eq(days),
            ))
            .execute(conn)?;
    Ok(changed == 1)
}

/// Publishes a draft: fixes the period's end and the content hash. The one way anything becomes
/// public. Returns the notice as published, or None when it was not a draft any more.
pub fn publish(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<Option<Notice>, DbError> {
    let Some(draft) = notice(
        n::table
            .filter(n::id.eq(id).and(n::state.eq(NoticeState::Draft.as_str())))
            .first::<NoticeRow>(conn)
            .optional()?,
    )?
    else {
        return Ok(None);
    };
    let village: String = villages::table
        .filter(villages::id.eq(draft.village_id))
        .select(villages::name)
        .first(conn)?;
    let ends = domain::period_end(now, draft.period_days);
    let text = domain::canonical_text(
        &village,
        draft.kind(),
        &draft.title,
        &draft.body,
        now,
        ends,
        draft.supersedes_id,
    );
    let hash = domain::content_hash(&text);
    let moved =
        diesel::update(n::table.filter(n::id.eq(id).and(n::state.eq(NoticeState::Draft.as_str()))))
            .set((
                n::state.eq(NoticeState::Published.as_str()),
                n::published_at.eq(now),
                n::period_ends_at.eq(ends),
                n::content_hash.eq(&hash),
            ))
            .execute(conn)?;
    if moved == 0 {
        return Ok(None);
    }
    Ok(Some(
        n::table
            .filter(n::id.eq(id))
            .first::<NoticeRow>(conn)?
            .try_into()?,
    ))
}

/// Creates and publishes a notice in one step, for parts that publish what they produce.
pub fn create_published(
    conn: &mut DbConn,
    draft: &Draft<'_>,
    now: NaiveDateTime,
) -> Result<Notice, DbError> {
    let id = create_draft(conn, draft)?;
    publish(conn, id, now)?.ok_or(DbError::Query(diesel::result::Error::NotFound))
}

pub fn get(conn: &mut DbConn, village_id: i64, id: i64) -> Result<Option<Notice>, DbError> {
    notice(
        n::table
            .filter(n::id.eq(id).and(n::village_id.eq(village_id)))
            .first(conn)
            .optional()?,
    )
}

/// The published notice that supersedes this one, if any.
pub fn successor(conn: &mut DbConn, id: i64) -> Result<Option<Notice>, DbError> {
    notice(
        n::table
            .filter(
                n::supersedes_id
                    .eq(id)
                    .and(n::state.eq(NoticeState::Published.as_str())),
            )
            .first(conn)
            .optional()?,
    )
}

/// The new version of this notice, draft or published: a notice is superseded at most once.
pub fn any_successor(conn: &mut DbConn, id: i64) -> Result<Option<Notice>, DbError> {
    notice(
        n::table
            .filter(n::supersedes_id.eq(id))
            .first(conn)
            .optional()?,
    )
}

/// Published notices of a village, newest first, optionally of one kind.
pub fn board(
    conn: &mut DbConn,
    village_id: i64,
    kind: Option<Kind>,
    limit: i64,
) -> Result<Vec<Notice>, DbError> {
    let mut q = n::table
        .filter(
            n::village_id
                .eq(village_id)
                .and(n::state.eq(NoticeState::Published.as_str())),
        )
        .into_boxed();
    if let Some(kind) = kind {
        q = q.filter(n::kind.eq(kind.as_str()));
    }
    notices(q.order(n::published_at.desc()).limit(limit).load(conn)?)
}

/// Every notice of a village for the clerk: drafts first, then published, newest first.
pub fn all(conn: &mut DbConn, village_id: i64) -> Result<Vec<Notice>, DbError> {
    notices(
        n::table
            .filter(n::village_id.eq(village_id))
            .order((n::state.asc(), n::id.desc()))
            .load(conn)?,
    )
}

/// Gathers a subject's published notices and their objections (two queries) and asks the gate.
pub fn gate(
    conn: &mut DbConn,
    village_id: i64,
    subject: &str,
    now: NaiveDateTime,
) -> Result<Gate, DbError> {
    let notices: Vec<(i64, Option<NaiveDateTime>, Option<NaiveDateTime>)> = n::table
        .filter(
            n::village_id
                .eq(village_id)
                .and(n::subject.eq(subject))
                .and(n::state.eq(NoticeState::Published.as_str())),
        )
        .select((n::id, n::published_at, n::period_ends_at))
        .load(conn)?;
    let ids: Vec<i64> = notices.iter().map(|x| x.0).collect();
    let objections: Vec<(i64, Option<bool>, Option<NaiveDateTime>)> = o::table
        .filter(o::notice_id.eq_any(ids))
        .select((o::notice_id, o::upheld, o::answered_at))
        .load(conn)?;
    let facts: Vec<NoticeFacts> = notices
        .into_iter()
        .filter_map(|(id, published_at, ends)| {
            Some(NoticeFacts {
                published_at: published_at?,
                period_ends_at: ends?,
                objections: objections
                    .iter()
                    .filter(|x| x.0 == id)
                    .map(|x| ObjectionFacts {
                        answered: x.2.is_some(),
                        upheld: x.1 == Some(true),
                        answered_at: x.2,
                    })
                    .collect(),
            })
        })
        .collect();
    Ok(domain::gate(&facts, now))
}

#[cfg(test)]
mod tests;
