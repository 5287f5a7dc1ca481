//! Candidate projects, their source suggestions and approved projects in the database. The
//! primary key on `candidate_suggestions.suggestion_id` keeps a suggestion in one candidate.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::sorting::{ValidCandidate, support};
use super::states::CandidateState;
use crate::db::schema::{
    ballots as b, candidate_suggestions as cs, candidates as c, projects as pr, suggestions as sg,
};
use crate::db::{DbConn, DbError, is_unique_violation};

#[derive(Clone, Debug)]
pub struct Candidate {
    pub id: i64,
    pub village_id: i64,
    pub round_id: Option<i64>,
    pub title: String,
    pub description: String,
    pub category: String,
    pub group_id: Option<i64>,
    pub rough_cost_fen: Option<i64>,
    pub temporary: bool,
    pub state: CandidateState,
    pub merged_into: Option<i64>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

impl Candidate {
    pub fn is_open(&self) -> bool {
        self.state.is_open()
    }
    pub fn state_key(&self) -> &'static str {
        self.state.label_key()
    }
}

#[derive(Queryable)]
struct CandidateRow {
    id: i64,
    village_id: i64,
    round_id: Option<i64>,
    title: String,
    description: String,
    category: String,
    group_id: Option<i64>,
    rough_cost_fen: Option<i64>,
    temporary: bool,
    state: String,
    merged_into: Option<i64>,
    created_by: i64,
    created_at: NaiveDateTime,
}

impl TryFrom<CandidateRow> for Candidate {
    type Error = DbError;
    fn try_from(r: CandidateRow) -> Result<Candidate, DbError> {
        let state = CandidateState::parse(&r.state)
            .ok_or_else(|| DbError::unknown("candidates", r.id, "state", &r.state))?;
        Ok(Candidate {
            id: r.id,
            village_id: r.village_id,
            round_id: r.round_id,
            title: r.title,
            description: r.description,
            category: r.category,
            group_id: r.group_id,
            rough_cost_fen: r.rough_cost_fen,
            temporary: r.temporary,
            state,
            merged_into: r.merged_into,
            created_by: r.created_by,
            created_at: r.created_at,
        })
    }
}

fn typed(rows: Vec<CandidateRow>) -> Result<Vec<Candidate>, DbError> {
    rows.into_iter().map(Candidate::try_from).collect()
}

/// A counted suggestion of a round, with the household whose ballot holds it.
#[derive(Clone, Debug, Queryable)]
pub struct SourceSuggestion {
    pub id: i64,
    pub household_id: i64,
    pub category: String,
    pub title: String,
    pub place: String,
}

/// Every counted suggestion of a round (latest version of every ballot not voided).
pub fn counted(conn: &mut DbConn, round_id: i64) -> Result<Vec<SourceSuggestion>, DbError> {
    Ok(sg::table
        .inner_join(b::table)
        .filter(
            b::round_id
                .eq(round_id)
                .and(b::voided_at.is_null())
                .and(sg::version.eq(b::version)),
        )
        .select((sg::id, b::household_id, sg::category, sg::title, sg::place))
        .order((sg::category, sg::title, sg::id))
        .load(conn)?)
}

/// Why attaching failed.
#[derive(Debug)]
pub enum AttachError {
    /// A suggestion is not a counted suggestion of this round.
    NotInRound,
    /// A suggestion already sits in another candidate.
    Taken,
    Db(DbError),
}

impl From<DbError> for AttachError {
    fn from(e: DbError) -> Self {
        AttachError::Db(e)
    }
}

impl From<diesel::result::Error> for AttachError {
    fn from(e: diesel::result::Error) -> Self {
        AttachError::Db(e.into())
    }
}

fn attach(
    conn: &mut DbConn,
    round_id: i64,
    candidate: i64,
    ids: &[i64],
) -> Result<(), AttachError> {
    let counted: Vec<i64> = counted(conn, round_id)?.into_iter().map(|s| s.id).collect();
    for id in ids {
        if !counted.contains(id) {
            return Err(AttachError::NotInRound);
        }
        match diesel::insert_into(cs::table)
            .values((cs::suggestion_id.eq(id), cs::candidate_id.eq(candidate)))
            .execute(conn)
        {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => return Err(AttachError::Taken),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Creates a candidate with its source suggestions. Call inside a transaction: a taken or
/// foreign suggestion undoes everything.
pub fn create(
    conn: &mut DbConn,
    village_id: i64,
    round_id: i64,
    v: &ValidCandidate,
    temporary: bool,
    staff: i64,
) -> Result<i64, AttachError> {
    let id: i64 = diesel::insert_into(c::table)
        .values((
            c::village_id.eq(village_id),
            c::round_id.eq(round_id),
            c::title.eq(&v.title),
            c::description.eq(&v.description),
            c::category.eq(&v.category),
            c::group_id.eq(v.group_id),
            c::rough_cost_fen.eq(v.rough_cost_fen),
            c::temporary.eq(temporary),
            c::state.eq(CandidateState::Candidate.as_str()),
            c::created_by.eq(staff),
            c::created_at.eq(crate::db::now()),
        ))
        .returning(c::id)
        .get_result(conn)?;
    attach(conn, round_id, id, &v.suggestions)?;
    Ok(id)
}

pub fn get(conn: &mut DbConn, village_id: i64, id: i64) -> Result<Option<Candidate>, DbError> {
    c::table
        .filter(c::id.eq(id).and(c::village_id.eq(village_id)))
        .first::<CandidateRow>(conn)
        .optional()?
        .map(Candidate::try_from)
        .transpose()
}

/// Reads a candidate and, on PostgreSQL, locks its row until the transaction ends: putting,
/// opening and closing an approval motion, splitting and merging all take this lock, so a
/// candidate is decided or sorted by one of them at a time, across meetings too.
pub fn lock(conn: &mut DbConn, village_id: i64, id: i64) -> Result<Option<Candidate>, DbError> {
    let query = c::table.filter(c::id.eq(id).and(c::village_id.eq(village_id)));
    let row: Option<CandidateRow> = match conn {
        DbConn::Pg(pg) => query.for_update().first(pg).optional()?,
        DbConn::Sqlite(sqlite) => query.first(sqlite).optional()?,
    };
    row.map(Candidate::try_from).transpose()
}

/// A candidate with its support and its source suggestions.
pub struct Sorted {
    pub candidate: Candidate,
    pub support: usize,
    pub sources: Vec<SourceSuggestion>,
}

/// The round's candidates (merged ones left out) and the suggestions not yet attached, in
/// three queries.
pub fn sorted(
    conn: &mut DbConn,
    round_id: i64,
) -> Result<(Vec<Sorted>, Vec<SourceSuggestion>), DbError> {
    let candidates = typed(
        c::table
            .filter(
                c::round_id
                    .eq(round_id)
                    .and(c::state.ne(CandidateState::Merged.as_str())),
            )
            .order(c::id)
            .load(conn)?,
    )?;
    let links: Vec<(i64, i64)> = cs::table
        .inner_join(c::table)
        .filter(c::round_id.eq(round_id))
        .select((cs::suggestion_id, cs::candidate_id))
        .load(conn)?;
    let all = counted(conn, round_id)?;
    let of = |candidate: i64| -> Vec<SourceSuggestion> {
        all.iter()
            .filter(|s| {
                links
                    .iter()
                    .any(|(sid, cid)| *sid == s.id && *cid == candidate)
            })
            .cloned()
            .collect()
    };
    let list = candidates
        .into_iter()
        .map(|candidate| {
            let sources = of(candidate.id);
            let households: Vec<i64> = sources.iter().map(|s| s.household_id).collect();
            Sorted {
                support: support(&households),
                sources,
                candidate,
            }
        })
        .collect();
    let unattached = all
        .iter()
        .filter(|s| !links.iter().any(|(sid, _)| *sid == s.id))
        .cloned()
        .collect();
    Ok((list, unattached))
}

/// Moves suggestions from one candidate to another (splitting off, or merging).
pub fn move_suggestions(
    conn: &mut DbConn,
    from: i64,
    to: i64,
    ids: &[i64],
) -> Result<usize, DbError> {
    Ok(diesel::update(
        cs::table.filter(
            cs::candidate_id
                .eq(from)
                .and(cs::suggestion_id.eq_any(ids.to_vec())),
        ),
    )
    .set(cs::candidate_id.eq(to))
    .execute(conn)?)
}

/// Merges `from` into `into`: every source suggestion moves, `from` is kept as "merged".
pub fn merge(conn: &mut DbConn, into: i64, from: i64) -> Result<(), DbError> {
    diesel::update(cs::table.filter(cs::candidate_id.eq(from)))
        .set(cs::candidate_id.eq(into))
        .execute(conn)?;
    diesel::update(c::table.filter(c::id.eq(from)))
        .set((
            c::state.eq(CandidateState::Merged.as_str()),
            c::merged_into.eq(into),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks a candidate approved; the projects part creates its project in the same transaction
/// (`projects::commands::create_from_candidate`).
pub fn mark_approved(conn: &mut DbConn, candidate: i64) -> Result<(), DbError> {
    diesel::update(c::table.filter(c::id.eq(candidate)))
        .set(c::state.eq(CandidateState::Approved.as_str()))
        .execute(conn)?;
    Ok(())
}

/// Open candidates of a village, for the motion form.
pub fn open_candidates(conn: &mut DbConn, village_id: i64) -> Result<Vec<Candidate>, DbError> {
    typed(
        c::table
            .filter(
                c::village_id
                    .eq(village_id)
                    .and(c::state.eq(CandidateState::Candidate.as_str())),
            )
            .order(c::id)
            .load(conn)?,
    )
}

pub fn projects(conn: &mut DbConn, village_id: i64) -> Result<Vec<(i64, String, i64)>, DbError> {
    Ok(pr::table
        .filter(pr::village_id.eq(village_id))
        .select((pr::id, pr::title, pr::candidate_id))
        .order(pr::id)
        .load(conn)?)
}
