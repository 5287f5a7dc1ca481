//! Attachments: photos and PDFs stored once in the data directory under their SHA-256 and
//! described by a row of `attachments`. Shared infrastructure: the projects link them to
//! progress updates, inspections and acceptances; the ledger links vouchers the same way (its
//! own link table to `attachments.id`).
//!
//! - [`domain`]: the type told by the content's first bytes, never by name or declared type; the
//!   size limit.
//! - [`store::save`]: checks, writes the file (temp file, fsync, rename) and the row; returns the id.
//! - [`routes`]: `GET /v/{village}/attachments/{id}` serves a file with safe headers;
//!   [`routes::read_upload`] reads a multipart upload (CSRF token first, bounded size).

pub mod domain;
pub mod routes;
pub mod store;
