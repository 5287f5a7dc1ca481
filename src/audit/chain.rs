//! The audit log as a hash chain: each event stores the SHA-256 of the previous event
//! (`prev_hash`) and its own (`hash`, over its fields and `prev_hash`). Appends are serialized by
//! updating the one-row `audit_chain_head` first, inside the appending transaction (a row lock
//! on PostgreSQL, the write lock on SQLite), so two app servers never chain onto the same event.
//! `minyi verify` recomputes the chain and names the first event that does not match: an edited,
//! deleted or inserted row breaks it even where the database's triggers were removed.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::schema::audit_chain_head::dsl as head;
use crate::db::schema::audit_events::dsl as ae;
use crate::db::{DbConn, DbError};

/// The `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields an event's hash covers, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fields<'a> {
    pub occurred_at: NaiveDateTime,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub township_id: Option<i64>,
    pub address: Option<&'a str>,
    pub outcome: &'a str,
    pub detail: &'a str,
}

/// SHA-256 (hex) of `prev_hash` and the fields, each written with its length first so no two
/// different events encode alike.
pub fn event_hash(prev_hash: &str, f: &Fields<'_>) -> String {
    let time = f.occurred_at.format("%Y-%m-%d %H:%M:%S%.6f").to_string();
    let township = f.township_id.map(|t| t.to_string());
    let parts: [Option<&str>; 9] = [
        Some(prev_hash),
        Some(&time),
        Some(f.actor),
        Some(f.action),
        Some(f.subject),
        township.as_deref(),
        f.address,
        Some(f.outcome),
        Some(f.detail),
    ];
    let mut hasher = Sha256::new();
    for part in parts {
        match part {
            Some(text) => hasher.update(format!("{}:{text};", text.len())),
            None => hasher.update("-;"),
        }
    }
    hex::encode(hasher.finalize())
}

/// Takes the chain's head for this transaction and returns the hash of the newest event: the
/// UPDATE holds the head row until the transaction ends, so appends happen one at a time.
pub fn take_head(conn: &mut DbConn) -> Result<String, DbError> {
    Ok(
        diesel::update(head::audit_chain_head.filter(head::id.eq(1)))
            .set(head::appended.eq(head::appended + 1))
            .returning(head::last_hash)
            .get_result(conn)?,
    )
}

/// Moves the head to the event just appended.
pub fn advance_head(conn: &mut DbConn, hash: &str) -> Result<(), DbError> {
    diesel::update(head::audit_chain_head.filter(head::id.eq(1)))
        .set(head::last_hash.eq(hash))
        .execute(conn)?;
    Ok(())
}

/// What verifying the chain found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every chained event matches; `unchained` events were written before the chain existed.
    Intact { chained: u64, unchained: u64 },
    /// The first event that does not match, and why.
    Broken { id: i64, reason: &'static str },
    /// The head names a different last hash than the newest event (events removed at the end).
    HeadMismatch,
}

type ChainRow = (
    i64,
    NaiveDateTime,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
);

/// Recomputes the whole chain, oldest first, a thousand rows at a time.
pub fn verify(conn: &mut DbConn) -> Result<Verdict, DbError> {
    let (mut chained, mut unchained) = (0u64, 0u64);
    let mut expected_prev: Option<String> = None;
    let mut after = 0i64;
    loop {
        let rows: Vec<ChainRow> = ae::audit_events
            .filter(ae::id.gt(after))
            .order(ae::id)
            .limit(1000)
            .select((
                ae::id,
                ae::occurred_at,
                ae::actor,
                ae::action,
                ae::subject,
                ae::township_id,
                ae::address,
                ae::outcome,
                ae::detail,
                ae::prev_hash,
                ae::hash,
            ))
            .load(conn)?;
        let Some(last) = rows.last() else { break };
        after = last.0;
        for row in &rows {
            let (id, prev, hash) = (row.0, row.9.as_deref(), row.10.as_deref());
            let (Some(prev), Some(hash)) = (prev, hash) else {
                if expected_prev.is_some() {
                    return Ok(Verdict::Broken {
                        id,
                        reason: "no hash after the chain began",
                    });
                }
                unchained += 1;
                continue;
            };
            let wanted = expected_prev.as_deref().unwrap_or(GENESIS);
            if prev != wanted {
                return Ok(Verdict::Broken {
                    id,
                    reason: "prev_hash is not the hash of the event before",
                });
            }
            let fields = Fields {
                occurred_at: row.1,
                actor: &row.2,
                action: &row.3,
                subject: &row.4,
                township_id: row.5,
                address: row.6.as_deref(),
                outcome: &row.7,
                detail: &row.8,
            };
            if event_hash(prev, &fields) != hash {
                return Ok(Verdict::Broken {
                    id,
                    reason: "the event's content does not match its hash",
                });
            }
            expected_prev = Some(hash.to_string());
            chained += 1;
        }
    }
    let head: String = head::audit_chain_head
        .filter(head::id.eq(1))
        .select(head::last_hash)
        .first(conn)?;
    if head != expected_prev.as_deref().unwrap_or(GENESIS) {
        return Ok(Verdict::HeadMismatch);
    }
    Ok(Verdict::Intact { chained, unchained })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(detail: &str) -> Fields<'_> {
        Fields {
            occurred_at: chrono::DateTime::from_timestamp(1_800_000_000, 123_456_000)
                .expect("time")
                .naive_utc(),
            actor: "staff:1",
            action: "staff.login",
            subject: "staff:1",
            township_id: Some(1),
            address: Some("127.0.0.1"),
            outcome: "ok",
            detail,
        }
    }

    #[test]
    fn the_hash_covers_every_field_and_the_previous_hash() {
        let base = event_hash(GENESIS, &fields("a"));
        assert_eq!(base.len(), 64);
        assert_eq!(base, event_hash(GENESIS, &fields("a")), "deterministic");
        assert_ne!(base, event_hash(GENESIS, &fields("b")));
        assert_ne!(base, event_hash(&base, &fields("a")));
        let mut no_address = fields("a");
        no_address.address = None;
        assert_ne!(base, event_hash(GENESIS, &no_address));
    }

    #[test]
    fn lengths_keep_fields_apart() {
        let mut one = fields("");
        one.subject = "ab";
        one.detail = "c";
        let mut two = fields("");
        two.subject = "a";
        two.detail = "bc";
        assert_ne!(event_hash(GENESIS, &one), event_hash(GENESIS, &two));
    }
}
