//! Stored files: the bytes in `<data dir>/attachments/<sha256>` (written once through a temp
//! file, fsync and rename, so a reader never sees half a file), the description in
//! `attachments`. Identical content is stored once on disk; each upload gets its own row.

use std::io::Write;
use std::path::{Path, PathBuf};

use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::domain::{self, FileType, Refused};
use crate::db::schema::attachments as at;
use crate::db::{DbConn, DbError};

/// Why a file was not saved.
#[derive(Debug)]
pub enum AttachmentError {
    Refused(Refused),
    Io(std::io::Error),
    Db(DbError),
}

impl From<DbError> for AttachmentError {
    fn from(e: DbError) -> Self {
        AttachmentError::Db(e)
    }
}

impl From<AttachmentError> for crate::error::AppError {
    fn from(e: AttachmentError) -> Self {
        use crate::error::AppError;
        match e {
            AttachmentError::Refused(Refused::TooLarge) => AppError::PayloadTooLarge,
            AttachmentError::Refused(Refused::WrongType) => {
                AppError::Unprocessable("attachment.error.type")
            }
            AttachmentError::Refused(Refused::Empty) => {
                AppError::Unprocessable("attachment.error.empty")
            }
            AttachmentError::Io(e) => AppError::Internal(e.into()),
            AttachmentError::Db(e) => e.into(),
        }
    }
}

/// The folder of stored files.
pub fn folder(data_dir: &Path) -> PathBuf {
    data_dir.join("attachments")
}

fn write_once(data_dir: &Path, sha: &str, bytes: &[u8]) -> std::io::Result<()> {
    let dir = folder(data_dir);
    std::fs::create_dir_all(&dir)?;
    let target = dir.join(sha);
    if target.exists() {
        return Ok(());
    }
    let mut salt = [0u8; 8];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut salt);
    let tmp = dir.join(format!(".{sha}.{}.tmp", hex::encode(salt)));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, &target)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Checks and stores a file for `village_id` uploaded by `staff_id`; returns the attachment's id.
/// Call inside the transaction that links it, so a refused link leaves no row.
pub fn save(
    conn: &mut DbConn,
    data_dir: &Path,
    village_id: i64,
    staff_id: i64,
    file_name: &str,
    bytes: &[u8],
) -> Result<i64, AttachmentError> {
    let kind = domain::check(bytes).map_err(AttachmentError::Refused)?;
    let sha = hex::encode(Sha256::digest(bytes));
    write_once(data_dir, &sha, bytes).map_err(AttachmentError::Io)?;
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    let id = diesel::insert_into(at::table)
        .values((
            at::village_id.eq(village_id),
            at::sha256.eq(&sha),
            at::content_type.eq(kind.as_str()),
            at::size_bytes.eq(size),
            at::file_name.eq(domain::clean_name(file_name)),
            at::uploaded_by.eq(staff_id),
            at::created_at.eq(crate::db::now()),
        ))
        .returning(at::id)
        .get_result(conn)
        .map_err(DbError::from)?;
    Ok(id)
}

/// A stored file's description.
#[derive(Clone, Debug)]
pub struct Attachment {
    pub id: i64,
    pub sha256: String,
    pub content_type: FileType,
    pub size_bytes: i64,
    pub file_name: String,
}

/// A village's attachment, or `None` (unknown id or another village's).
pub fn get(conn: &mut DbConn, village_id: i64, id: i64) -> Result<Option<Attachment>, DbError> {
    let row: Option<(i64, String, String, i64, String)> = at::table
        .filter(at::id.eq(id).and(at::village_id.eq(village_id)))
        .select((
            at::id,
            at::sha256,
            at::content_type,
            at::size_bytes,
            at::file_name,
        ))
        .first(conn)
        .optional()?;
    row.map(|r| {
        let kind = FileType::parse(&r.2)
            .ok_or_else(|| DbError::unknown("attachments", r.0, "content_type", &r.2))?;
        Ok(Attachment {
            id: r.0,
            sha256: r.1,
            content_type: kind,
            size_bytes: r.3,
            file_name: r.4,
        })
    })
    .transpose()
}
