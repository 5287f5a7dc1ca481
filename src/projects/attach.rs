//! Attachments of a project's records: a photo or PDF linked to a progress update (by a clerk),
//! an inspection (by a supervisor) or an acceptance (by a clerk). The link tables are
//! append-only; the file goes through the shared `attachments` facility.

use std::path::Path;

use diesel::prelude::*;

use super::commands::locked;
use crate::attachments::store as files;
use crate::audit::{self, Action};
use crate::council::commands::Who;
use crate::db::schema::{
    acceptance_attachments as aa, attachments as at, inspection_attachments as ia,
    progress_attachments as pa, project_acceptances as pac, project_inspections as pi,
    project_progress as pg,
};
use crate::db::{DbConn, DbError, in_transaction};
use crate::error::AppError;

/// What a file is attached to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Progress(i64),
    Inspection(i64),
    Acceptance(i64),
}

impl Target {
    /// Reads `progress:12`, `inspection:3`, `acceptance:1`.
    pub fn parse(text: &str) -> Option<Target> {
        let (kind, id) = text.split_once(':')?;
        let id: i64 = id.parse().ok()?;
        match kind {
            "progress" => Some(Target::Progress(id)),
            "inspection" => Some(Target::Inspection(id)),
            "acceptance" => Some(Target::Acceptance(id)),
            _ => None,
        }
    }

    /// Supervisors attach to inspections; clerks to progress and acceptance.
    pub fn allowed(self, clerk: bool, supervisor: bool) -> bool {
        match self {
            Target::Inspection(_) => supervisor,
            _ => clerk,
        }
    }
}

/// Stores `bytes` and links them to `target` of the project (once the file is checked: wrong
/// type 422, oversize 413). The project's row is locked first.
#[allow(clippy::too_many_arguments)]
pub fn attach(
    conn: &mut DbConn,
    who: &Who,
    data_dir: &Path,
    project_id: i64,
    target: Target,
    file_name: &str,
    bytes: &[u8],
) -> Result<i64, AppError> {
    in_transaction(conn, |conn| {
        let p = locked(conn, who, project_id)?;
        let owned = match target {
            Target::Progress(id) => pg::table
                .filter(pg::id.eq(id).and(pg::project_id.eq(p.id)))
                .count()
                .get_result::<i64>(conn)?,
            Target::Inspection(id) => pi::table
                .filter(pi::id.eq(id).and(pi::project_id.eq(p.id)))
                .count()
                .get_result::<i64>(conn)?,
            Target::Acceptance(id) => pac::table
                .filter(pac::id.eq(id).and(pac::project_id.eq(p.id)))
                .count()
                .get_result::<i64>(conn)?,
        };
        if owned == 0 {
            return Err(AppError::NotFound);
        }
        let id = files::save(conn, data_dir, p.village_id, who.staff, file_name, bytes)?;
        match target {
            Target::Progress(owner) => diesel::insert_into(pa::table)
                .values((pa::progress_id.eq(owner), pa::attachment_id.eq(id)))
                .execute(conn)?,
            Target::Inspection(owner) => diesel::insert_into(ia::table)
                .values((ia::inspection_id.eq(owner), ia::attachment_id.eq(id)))
                .execute(conn)?,
            Target::Acceptance(owner) => diesel::insert_into(aa::table)
                .values((aa::acceptance_id.eq(owner), aa::attachment_id.eq(id)))
                .execute(conn)?,
        };
        let e = who.event(Action::AttachmentUpload, format!("project:{}", p.id));
        audit::record(conn, e.detail(format!("attachment={id} to={target:?}")))?;
        Ok(id)
    })
}

/// A linked file as the timeline lists it: (owner kind, owner id, attachment id, file name).
pub type Linked = (&'static str, i64, i64, String);

/// Every file linked to the project's progress, inspections and acceptances.
pub fn linked(conn: &mut DbConn, project_id: i64) -> Result<Vec<Linked>, DbError> {
    let mut out = Vec::new();
    let rows: Vec<(i64, i64, String)> = pa::table
        .inner_join(pg::table)
        .inner_join(at::table)
        .filter(pg::project_id.eq(project_id))
        .select((pa::progress_id, at::id, at::file_name))
        .order(at::id)
        .load(conn)?;
    out.extend(rows.into_iter().map(|r| ("progress", r.0, r.1, r.2)));
    let rows: Vec<(i64, i64, String)> = ia::table
        .inner_join(pi::table)
        .inner_join(at::table)
        .filter(pi::project_id.eq(project_id))
        .select((ia::inspection_id, at::id, at::file_name))
        .order(at::id)
        .load(conn)?;
    out.extend(rows.into_iter().map(|r| ("inspection", r.0, r.1, r.2)));
    let rows: Vec<(i64, i64, String)> = aa::table
        .inner_join(pac::table)
        .inner_join(at::table)
        .filter(pac::project_id.eq(project_id))
        .select((aa::acceptance_id, at::id, at::file_name))
        .order(at::id)
        .load(conn)?;
    out.extend(rows.into_iter().map(|r| ("acceptance", r.0, r.1, r.2)));
    Ok(out)
}
