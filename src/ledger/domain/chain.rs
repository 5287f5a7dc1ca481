//! The hash chain of a fund's posted entries: the canonical form of an entry (documented byte
//! for byte in docs/ledger.md), `hash = H(prev_hash || canonical)` with SHA-256 or SM3, and the
//! recomputation that names the first entry that does not match.

use chrono::{NaiveDate, NaiveDateTime};
use sha2::Digest;

use super::states::{EntryKind, HashAlgorithm};
use crate::money::Money;

/// The `prev_hash` of a fund's first entry: 32 zero bytes.
pub const GENESIS: [u8; 32] = [0; 32];

/// Everything of a posted entry its hash covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Canonical<'a> {
    pub fund_id: i64,
    pub seq: i64,
    pub kind: EntryKind,
    pub voucher: &'a str,
    pub date: NaiveDate,
    pub payee: &'a str,
    pub description: &'a str,
    pub amount: Money,
    pub project_id: Option<i64>,
    /// The sequence number of the entry a reversal undoes.
    pub reverses_seq: Option<i64>,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
    pub verified_by: i64,
    pub verified_at: NaiveDateTime,
}

/// Text fields escaped so that no value can imitate a separator: `\` → `\\`, LF → `\n`,
/// CR → `\r`.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
fn escape(text: &str) -> String {
    let mut out = String::new();
    escape_into(&mut out, text);
    out
}

impl Canonical<'_> {
    /// The canonical form: `minyi-ledger-v1` and one `name:value` line per field, in this order,
    /// each ending in LF.
    pub fn text(&self) -> String {
        let mut out = String::with_capacity(512);
        self.write_into(&mut out);
        out
    }

    /// [`Canonical::text`] appended to `out` (a verifier reuses one buffer for a whole chain).
    pub fn write_into(&self, out: &mut String) {
        use std::fmt::Write;
        let time = "%Y-%m-%dT%H:%M:%S%.6fZ";
        let _ = write!(
            out,
            "minyi-ledger-v1\nfund:{}\nseq:{}\nkind:{}\nvoucher:",
            self.fund_id,
            self.seq,
            self.kind.as_str()
        );
        escape_into(out, self.voucher);
        let _ = write!(out, "\ndate:{}\npayee:", self.date.format("%Y-%m-%d"));
        escape_into(out, self.payee);
        out.push_str("\ndescription:");
        escape_into(out, self.description);
        let _ = write!(out, "\namount:{}\nproject:", self.amount.fen());
        match self.project_id {
            Some(id) => {
                let _ = write!(out, "{id}");
            }
            None => out.push('-'),
        }
        out.push_str("\nreverses:");
        match self.reverses_seq {
            Some(seq) => {
                let _ = write!(out, "{seq}");
            }
            None => out.push('-'),
        }
        let _ = write!(
            out,
            "\nrecorded-by:{}\nrecorded-at:{}\nverified-by:{}\nverified-at:{}\n",
            self.recorded_by,
            self.recorded_at.format(time),
            self.verified_by,
            self.verified_at.format(time),
        );
    }
}

/// `H(prev || canonical)`, 32 bytes for both algorithms.
pub fn link(algorithm: HashAlgorithm, prev: &[u8; 32], canonical: &[u8]) -> [u8; 32] {
    match algorithm {
        HashAlgorithm::Sha256 => {
            let mut h = sha2::Sha256::new();
            h.update(prev);
            h.update(canonical);
            h.finalize().into()
        }
        HashAlgorithm::Sm3 => {
            let mut h = sm3::Sm3::new();
            h.update(prev);
            h.update(canonical);
            h.finalize().into()
        }
    }
}

/// Lowercase hex, as stored.
pub fn to_hex(bytes: &[u8; 32]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The 32 bytes of a stored hash; `None` for anything else.
pub fn from_hex(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// A posted entry as stored: its canonical fields and the hashes kept beside them.
#[derive(Clone, Debug)]
pub struct Stored<'a> {
    pub canonical: Canonical<'a>,
    pub prev_hash: &'a str,
    pub hash: &'a str,
}

/// Why an entry does not match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Break {
    /// Sequence numbers are not 1, 2, 3, … (an entry removed or renumbered).
    Gap { expected: i64 },
    /// `prev_hash` is not the hash of the entry before.
    PrevHash,
    /// The stored hash is not the hash of the entry's fields.
    Hash,
}

/// Where recomputing a chain stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every entry matches; the head is the last hash (GENESIS for an empty chain).
    Intact { entries: i64, head: String },
    /// The first entry (by seq) that does not match.
    Broken { seq: i64, why: Break },
}

/// Incremental recomputation, fed the posted entries in seq order (so a long chain can be
/// streamed a page at a time with progress).
#[derive(Clone, Debug)]
pub struct Verifier {
    algorithm: HashAlgorithm,
    buf: String,
    prev: [u8; 32],
    next_seq: i64,
    broken: Option<(i64, Break)>,
}

impl Verifier {
    pub fn new(algorithm: HashAlgorithm) -> Verifier {
        Verifier {
            algorithm,
            buf: String::with_capacity(1024),
            prev: GENESIS,
            next_seq: 1,
            broken: None,
        }
    }

    /// Checks the next entry; false once the chain is broken.
    pub fn push(&mut self, entry: &Stored<'_>) -> bool {
        if self.broken.is_some() {
            return false;
        }
        let seq = entry.canonical.seq;
        let why = if seq != self.next_seq {
            Some(Break::Gap {
                expected: self.next_seq,
            })
        } else if from_hex(entry.prev_hash) != Some(self.prev) {
            Some(Break::PrevHash)
        } else {
            self.buf.clear();
            entry.canonical.write_into(&mut self.buf);
            let computed = link(self.algorithm, &self.prev, self.buf.as_bytes());
            if from_hex(entry.hash) == Some(computed) {
                self.prev = computed;
                None
            } else {
                Some(Break::Hash)
            }
        };
        match why {
            Some(why) => {
                self.broken = Some((seq, why));
                false
            }
            None => {
                self.next_seq += 1;
                true
            }
        }
    }

    /// Checks a page of entries in seq order, as [`push`](Self::push) one by one would, with
    /// the hashing (the costly part) spread over the machine's cores: each entry's hash is
    /// recomputed from its own stored `prev_hash`, and the walk in order then checks the seqs
    /// and that each `prev_hash` is the hash accepted just before, so the first entry that does
    /// not match is named exactly as the sequential walk names it. False once broken.
    pub fn push_page(&mut self, entries: &[Stored<'_>]) -> bool {
        if self.broken.is_some() {
            return false;
        }
        let algorithm = self.algorithm;
        let hashed = |part: &[Stored<'_>]| -> Vec<bool> {
            let mut buf = String::with_capacity(1024);
            part.iter()
                .map(|e| {
                    let Some(prev) = from_hex(e.prev_hash) else {
                        return false;
                    };
                    buf.clear();
                    e.canonical.write_into(&mut buf);
                    from_hex(e.hash) == Some(link(algorithm, &prev, buf.as_bytes()))
                })
                .collect()
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = entries.len().div_ceil(threads.max(1)).max(1);
        let matches: Vec<bool> = if threads < 2 || entries.len() < 64 {
            hashed(entries)
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = entries
                    .chunks(chunk)
                    .map(|part| scope.spawn(move || hashed(part)))
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_default())
                    .collect()
            })
        };
        for (entry, hash_ok) in entries
            .iter()
            .zip(matches.iter().chain(std::iter::repeat(&false)))
        {
            let seq = entry.canonical.seq;
            let why = if seq != self.next_seq {
                Some(Break::Gap {
                    expected: self.next_seq,
                })
            } else if from_hex(entry.prev_hash) != Some(self.prev) {
                Some(Break::PrevHash)
            } else if !hash_ok {
                Some(Break::Hash)
            } else {
                None
            };
            if let Some(why) = why {
                self.broken = Some((seq, why));
                return false;
            }
            self.prev = from_hex(entry.hash).unwrap_or(self.prev);
            self.next_seq += 1;
        }
        true
    }

    pub fn verdict(&self) -> Verdict {
        match self.broken {
            Some((seq, why)) => Verdict::Broken { seq, why },
            None => Verdict::Intact {
                entries: self.next_seq - 1,
                head: to_hex(&self.prev),
            },
        }
    }
}

#[cfg(test)]
mod tests;
