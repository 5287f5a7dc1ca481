//! Recomputing a fund's chain from the database, a page of entries at a time, for `minyi
//! verify` and the auditor's page; names the first entry that does not match.

use std::collections::HashMap;

use super::domain::chain::{Stored, Verdict, Verifier};
use super::store::{self, Fund};
use crate::db::{DbConn, DbError};

/// Entries read per query.
const PAGE: i64 = 5_000;

/// Recomputes the fund's chain; `progress` is told how many entries are checked so far.
pub fn verify_fund(
    conn: &mut DbConn,
    fund: &Fund,
    mut progress: impl FnMut(i64),
) -> Result<Verdict, DbError> {
    let mut verifier = Verifier::new(fund.algorithm);
    // Sequence numbers of the posted entries by id, for the reversals that name them.
    let mut seqs: HashMap<i64, i64> = HashMap::new();
    let mut after = 0;
    let mut checked = 0;
    loop {
        let page = store::posted_after(conn, fund.id, after, PAGE)?;
        let Some(last) = page.last() else { break };
        after = last.seq.unwrap_or(after);
        // Canonical forms in order (a reversal names the seq of the entry it undoes, known
        // from earlier in the walk), then the page checked with its hashing spread over cores.
        let mut stored = Vec::with_capacity(page.len());
        for entry in &page {
            let reverses_seq = entry.reverses_id.and_then(|id| seqs.get(&id).copied());
            let Some(canonical) = entry.canonical(reverses_seq) else {
                // The rows before it must be checked first: a break earlier is the first.
                if !verifier.push_page(&stored) {
                    return Ok(verifier.verdict());
                }
                return Ok(Verdict::Broken {
                    seq: entry.seq.unwrap_or_default(),
                    why: super::domain::chain::Break::Hash,
                });
            };
            stored.push(Stored {
                canonical,
                prev_hash: entry.prev_hash.as_deref().unwrap_or_default(),
                hash: entry.hash.as_deref().unwrap_or_default(),
            });
            if let Some(seq) = entry.seq {
                seqs.insert(entry.id, seq);
            }
        }
        if !verifier.push_page(&stored) {
            return Ok(verifier.verdict());
        }
        checked += i64::try_from(page.len()).unwrap_or(i64::MAX);
        progress(checked);
    }
    Ok(verifier.verdict())
}

/// How a verdict reads in `minyi verify`'s output.
pub fn describe(fund: &Fund, verdict: &Verdict) -> String {
    match verdict {
        Verdict::Intact { entries, head } => format!(
            "fund {} ({}, {}): chain intact, {entries} entries, head {head}",
            fund.id,
            fund.year,
            fund.algorithm.as_str()
        ),
        Verdict::Broken { seq, why } => format!(
            "fund {} ({}, {}): chain BROKEN at entry seq {seq} ({why:?})",
            fund.id,
            fund.year,
            fund.algorithm.as_str()
        ),
    }
}

/// Verifies every fund's chain, writing one line per fund and progress on long chains to
/// `out`; true when every chain is intact.
pub fn verify_all(conn: &mut DbConn, out: &mut dyn std::io::Write) -> anyhow::Result<bool> {
    let mut all_intact = true;
    for fund in store::all_funds(conn)? {
        let verdict = verify_fund(conn, &fund, |checked| {
            if checked % 100_000 == 0 {
                let _ = writeln!(out, "minyi: fund {}: {checked} entries checked…", fund.id);
            }
        })?;
        all_intact &= matches!(verdict, Verdict::Intact { .. });
        writeln!(out, "minyi: {}", describe(&fund, &verdict))?;
    }
    Ok(all_intact)
}
