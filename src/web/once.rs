//! Forms that act once. A create or publish form carries a random one-time token in the hidden
//! field `once` (made when the form is shown). The command that handles it calls [`claim`] first,
//! inside its own transaction: the first submission of a token goes ahead and records, with
//! [`finish`], the page of what it created; a replay, a double click or a back-button resubmission
//! finds the token taken and is sent to that page instead of creating a second one.
//!
//! The claim is an `INSERT … ON CONFLICT DO NOTHING` on the token's primary key, so two racing
//! submissions serialize on the database: on SQLite through `BEGIN IMMEDIATE`, on PostgreSQL
//! because the second insert waits for the first transaction and then inserts nothing.
//!
//! A form posted without a token (a script, an old page) is not deduplicated: every page Minyi
//! renders carries one, and the CSRF check still applies.

use diesel::prelude::*;
use rand::RngCore;

use crate::db::schema::form_submissions as fs;
use crate::db::{DbConn, DbError};

/// A fresh token for a form being shown.
pub fn new_token() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A token as submitted: only 32 lowercase hex digits count; anything else is ignored.
pub fn parse(submitted: &str) -> Option<&str> {
    let t = submitted.trim();
    (t.len() == 32 && t.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))).then_some(t)
}

/// What a submission of a token may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The first submission: go ahead, then call [`finish`] in the same transaction.
    Fresh,
    /// Already acted on: send the person to this page (empty only while a first submission
    /// of another form is still being written, which cannot be seen from another transaction).
    Repeat(String),
    /// No usable token was submitted: act, without deduplication.
    Untracked,
}

/// Claims `token` for `form` (a short name such as `"meeting:create"`), inside the caller's
/// transaction. A token is only ever good for the form it was made for: one submitted to another
/// form counts as a repeat of nothing and is refused by the caller as a conflict.
pub fn claim(conn: &mut DbConn, form: &str, submitted: &str) -> Result<Claim, DbError> {
    let Some(token) = parse(submitted) else {
        return Ok(Claim::Untracked);
    };
    let row = (
        fs::token.eq(token),
        fs::form.eq(form),
        fs::result_path.eq(""),
        fs::created_at.eq(crate::db::now()),
    );
    // ON CONFLICT needs a branch per backend under MultiConnection.
    let inserted = match conn {
        DbConn::Sqlite(c) => diesel::insert_into(fs::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(c)?,
        DbConn::Pg(c) => diesel::insert_into(fs::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(c)?,
    };
    if inserted == 1 {
        return Ok(Claim::Fresh);
    }
    let (for_form, path): (String, String) = fs::table
        .find(token)
        .select((fs::form, fs::result_path))
        .first(conn)?;
    if for_form != form {
        return Ok(Claim::Repeat(String::new()));
    }
    Ok(Claim::Repeat(path))
}

/// Records the page of what the first submission of `token` created.
pub fn finish(conn: &mut DbConn, submitted: &str, result_path: &str) -> Result<(), DbError> {
    let Some(token) = parse(submitted) else {
        return Ok(());
    };
    diesel::update(fs::table.find(token))
        .set(fs::result_path.eq(result_path))
        .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_tokens_are_tracked() {
        let t = new_token();
        assert_eq!(parse(&t), Some(t.as_str()));
        assert_eq!(parse(""), None);
        assert_eq!(parse("xyz"), None);
        assert_eq!(parse(&t.to_uppercase()), None);
        assert_eq!(parse(&format!("{t}0")), None);
    }

    #[test]
    fn tokens_differ() {
        assert_ne!(new_token(), new_token());
    }
}
