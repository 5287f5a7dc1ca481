//! Serving and receiving attachments. `GET /v/{village}/attachments/{id}` sends a village's
//! file with the type stored for it, `nosniff`, a `Content-Disposition` (inline for images,
//! attachment for PDFs), `Content-Security-Policy: default-src 'none'` and cache headers (the
//! content never changes under its id). [`read_upload`] reads a multipart form without
//! JavaScript: the CSRF token must come first and is checked before the file is read, and the
//! file is read up to the limit only.

use actix_multipart::Multipart;
use actix_session::SessionExt;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;

use super::domain::MAX_BYTES;
use super::store;
use crate::error::{AppError, AppResult};
use crate::villages::store::find_village;
use crate::web::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/v/{village}/attachments/{id}", web::get().to(serve));
}

/// The public address of an attachment.
pub fn path(village_code: &str, id: i64) -> String {
    format!("/v/{village_code}/attachments/{id}")
}

async fn serve(
    state: web::Data<AppState>,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (code, id) = path.into_inner();
    let found = state
        .db
        .run(move |conn| {
            let village = find_village(conn, &code)?.ok_or(AppError::NotFound)?;
            // A ledger voucher (invoices, receipts: they may name people and accounts) is for
            // the village's staff and auditors, through the ledger's own route; never public.
            if crate::ledger::vouchers::is_voucher(conn, id)? {
                return Err(AppError::NotFound);
            }
            Ok::<_, AppError>(store::get(conn, village.id, id)?)
        })
        .await?
        .ok_or(AppError::NotFound)?;
    send(&state, found, "public, max-age=31536000, immutable").await
}

/// A stored file as its response: its type, `nosniff`, a disposition that keeps its name
/// (inline for images, a download for PDF), no active content, and `cache` as told.
pub async fn send(
    state: &AppState,
    found: store::Attachment,
    cache: &'static str,
) -> AppResult<HttpResponse> {
    let file = store::folder(&state.settings.data_dir).join(&found.sha256);
    let bytes = web::block(move || std::fs::read(file))
        .await
        .map_err(|_| AppError::NotFound)?
        .map_err(|_| AppError::NotFound)?;
    let disposition = if found.content_type.inline() {
        "inline"
    } else {
        "attachment"
    };
    let ascii: String = found
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, found.content_type.as_str()))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{}",
                crate::web::encode_query(&found.file_name)
            ),
        ))
        .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'"))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::ETAG, format!("\"{}\"", found.sha256)))
        .body(bytes))
}

/// A multipart upload as read: its text fields and the file (name, bytes), if one was sent.
#[derive(Debug, Default)]
pub struct Upload {
    pub fields: Vec<(String, String)>,
    pub file: Option<(String, Vec<u8>)>,
}

impl Upload {
    pub fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// Text fields are short.
const MAX_FIELD: usize = 4096;

/// Reads an upload form: `multipart/form-data` whose first field is `csrf` (checked before
/// anything else is read), then short text fields and one `file` of at most
/// [`MAX_BYTES`] (413 beyond). Any other body is checked for its CSRF token (403 without a good
/// one) and has no file.
pub async fn read_upload(req: &HttpRequest, payload: web::Payload) -> AppResult<Upload> {
    let session = req.get_session();
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !is_multipart {
        let body = payload
            .to_bytes_limited(64 * 1024)
            .await
            .map_err(|_| AppError::PayloadTooLarge)?
            .map_err(|_| AppError::BadRequest)?;
        let (fields, problems) = crate::web::text::clean_pairs(&body);
        let token = fields
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str());
        crate::web::csrf::verify(&session, token)?;
        return refuse_unsavable(&problems).map(|()| Upload { fields, file: None });
    }
    let mut form = Multipart::new(req.headers(), payload);
    let mut upload = Upload::default();
    let mut checked = false;
    let mut problems = Vec::new();
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|_| AppError::BadRequest)?;
        let name = field.name().unwrap_or_default().to_string();
        if !checked && name != "csrf" {
            return Err(AppError::CsrfRejected);
        }
        let is_file = name == "file";
        let limit = if is_file { MAX_BYTES } else { MAX_FIELD };
        let file_name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .unwrap_or_default()
            .to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| AppError::BadRequest)?;
            if bytes.len() + chunk.len() > limit {
                return Err(AppError::PayloadTooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        if is_file {
            if !bytes.is_empty() {
                upload.file = Some((file_name, bytes));
            }
            continue;
        }
        let (text, bad) = crate::web::text::clean_value(&bytes);
        if bad {
            problems.push(name.clone());
        }
        if !checked {
            crate::web::csrf::verify(&session, Some(&text))?;
            checked = true;
        }
        upload.fields.push((name, text));
    }
    if !checked {
        return Err(AppError::CsrfRejected);
    }
    if !problems.is_empty() {
        return Err(AppError::Unprocessable("error.invalid_text"));
    }
    Ok(upload)
}

/// An upload's text that had to be cleaned is refused with the sentence that says why: the
/// file is not kept by a browser either, so the person sends the whole form again.
fn refuse_unsavable(problems: &crate::web::text::TextProblems) -> AppResult<()> {
    match problems.message() {
        Some(_) => Err(AppError::Unprocessable("error.invalid_text")),
        None => Ok(()),
    }
}
