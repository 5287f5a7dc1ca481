//! Tests of the chain: SM3 and SHA-256 vectors, the canonical form byte for byte, fixed first
//! links, and verification naming the first tampered entry, entry by entry and page by page.

use super::*;

fn hex_of(algorithm: HashAlgorithm, data: &[u8]) -> String {
    let out: [u8; 32] = match algorithm {
        HashAlgorithm::Sha256 => sha2::Sha256::digest(data).into(),
        HashAlgorithm::Sm3 => sm3::Sm3::digest(data).into(),
    };
    to_hex(&out)
}

#[test]
fn sm3_gives_the_standard_vectors_of_gb_t_32905() {
    assert_eq!(
        hex_of(HashAlgorithm::Sm3, b"abc"),
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    );
    assert_eq!(
        hex_of(HashAlgorithm::Sm3, &b"abcd".repeat(16)),
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    );
    assert_eq!(
        hex_of(HashAlgorithm::Sha256, b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").unwrap()
}

pub(crate) fn sample(seq: i64) -> Canonical<'static> {
    Canonical {
        fund_id: 7,
        seq,
        kind: EntryKind::Expense,
        voucher: "记-001",
        date: NaiveDate::from_ymd_opt(2026, 3, 15).unwrap(),
        payee: "某某建材店",
        description: "水泥 20 袋\n运费",
        amount: Money::from_fen(123_456),
        project_id: Some(3),
        reverses_seq: None,
        recorded_by: 11,
        recorded_at: at("2026-03-15 02:03:04.5"),
        verified_by: 12,
        verified_at: at("2026-03-16 08:00:00"),
    }
}

#[test]
fn the_canonical_form_is_fixed_byte_for_byte() {
    assert_eq!(
        sample(1).text(),
        "minyi-ledger-v1\nfund:7\nseq:1\nkind:expense\nvoucher:记-001\ndate:2026-03-15\npayee:某某建材店\ndescription:水泥 20 袋\\n运费\namount:123456\nproject:3\nreverses:-\nrecorded-by:11\nrecorded-at:2026-03-15T02:03:04.500000Z\nverified-by:12\nverified-at:2026-03-16T08:00:00.000000Z\n"
    );
    assert_eq!(escape("a\\b\r\n"), "a\\\\b\\r\\n");
}

#[test]
fn fixed_vectors_of_the_first_link() {
    let text = sample(1).text();
    let sha = link(HashAlgorithm::Sha256, &GENESIS, text.as_bytes());
    let sm3 = link(HashAlgorithm::Sm3, &GENESIS, text.as_bytes());
    let mut input = GENESIS.to_vec();
    input.extend_from_slice(text.as_bytes());
    assert_eq!(to_hex(&sha), hex_of(HashAlgorithm::Sha256, &input));
    assert_eq!(to_hex(&sm3), hex_of(HashAlgorithm::Sm3, &input));
    assert_ne!(sha, sm3);
    assert_eq!(from_hex(&to_hex(&sha)), Some(sha));
    assert_eq!(from_hex("zz"), None);
}

fn chain(algorithm: HashAlgorithm, n: i64) -> Vec<(Canonical<'static>, String, String)> {
    let mut prev = GENESIS;
    (1..=n)
        .map(|seq| {
            let c = sample(seq);
            let h = link(algorithm, &prev, c.text().as_bytes());
            let row = (c, to_hex(&prev), to_hex(&h));
            prev = h;
            row
        })
        .collect()
}

fn verify(algorithm: HashAlgorithm, rows: &[(Canonical<'static>, String, String)]) -> Verdict {
    let mut v = Verifier::new(algorithm);
    for (c, p, h) in rows {
        v.push(&Stored {
            canonical: c.clone(),
            prev_hash: p,
            hash: h,
        });
    }
    v.verdict()
}

#[test]
fn the_page_walk_names_the_same_first_break_as_the_entry_walk() {
    for algorithm in [HashAlgorithm::Sha256, HashAlgorithm::Sm3] {
        let rows = chain(algorithm, 300);
        let whole = |rows: &[(Canonical<'static>, String, String)]| {
            let stored: Vec<Stored<'_>> = rows
                .iter()
                .map(|(c, p, h)| Stored {
                    canonical: c.clone(),
                    prev_hash: p,
                    hash: h,
                })
                .collect();
            let mut v = Verifier::new(algorithm);
            for page in stored.chunks(128) {
                if !v.push_page(page) {
                    break;
                }
            }
            v.verdict()
        };
        assert_eq!(whole(&rows), verify(algorithm, &rows));
        assert!(matches!(whole(&rows), Verdict::Intact { entries: 300, .. }));
        let mut tampered = rows.clone();
        tampered[200].0.amount = Money::from_fen(1);
        assert_eq!(whole(&tampered), verify(algorithm, &tampered));
        assert_eq!(
            whole(&tampered),
            Verdict::Broken {
                seq: 201,
                why: Break::Hash
            }
        );
        let mut relinked = rows.clone();
        relinked[150].1 = relinked[10].2.clone();
        assert_eq!(whole(&relinked), verify(algorithm, &relinked));
    }
}

#[test]
fn an_intact_chain_verifies_and_the_first_tampered_entry_is_named() {
    for algorithm in [HashAlgorithm::Sha256, HashAlgorithm::Sm3] {
        let mut rows = chain(algorithm, 5);
        let head = rows[4].2.clone();
        assert_eq!(
            verify(algorithm, &rows),
            Verdict::Intact { entries: 5, head }
        );
        rows[2].0.amount = Money::from_fen(1);
        assert_eq!(
            verify(algorithm, &rows),
            Verdict::Broken {
                seq: 3,
                why: Break::Hash
            }
        );
        let mut gap = chain(algorithm, 5);
        gap.remove(1);
        assert_eq!(
            verify(algorithm, &gap),
            Verdict::Broken {
                seq: 3,
                why: Break::Gap { expected: 2 }
            }
        );
        let mut relinked = chain(algorithm, 3);
        relinked[1].1 = "00".repeat(32);
        assert_eq!(
            verify(algorithm, &relinked),
            Verdict::Broken {
                seq: 2,
                why: Break::PrevHash
            }
        );
    }
    assert_eq!(
        verify(HashAlgorithm::Sm3, &chain(HashAlgorithm::Sha256, 1)),
        Verdict::Broken {
            seq: 1,
            why: Break::Hash
        }
    );
    assert_eq!(
        verify(HashAlgorithm::Sha256, &[]),
        Verdict::Intact {
            entries: 0,
            head: "00".repeat(32)
        }
    );
}
