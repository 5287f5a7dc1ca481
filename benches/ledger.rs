//! Ledger benchmark (not a test): recomputing a hash chain of 1,000,000 entries (SHA-256 and
//! SM3; canonical form and hashing, as `minyi verify` does once the rows are read), reading
//! and verifying a 10,000-entry fund from SQLite, and the public disclosure page of that fund
//! (first page and a page in the middle) through the real HTTP stack.
//!
//! Run: `cargo bench --bench ledger` (release build). `BENCH_CHAIN` (default 1000000) sets the
//! in-memory chain's length, `BENCH_FUND_ENTRIES` (default 10000) the fund's, `BENCH_PAGES`
//! (default 200) how many page requests are timed.

use std::net::TcpListener;
use std::time::Instant;

use chrono::{NaiveDate, TimeDelta};
use minyi::config::{PasswordCost, Settings};
use minyi::db::DbConn;
use minyi::ledger::domain::chain::{Canonical, GENESIS, Stored, Verdict, Verifier, link, to_hex};
use minyi::ledger::domain::{EntryKind, HashAlgorithm};
use minyi::ledger::store::{self, NewEntry, NewFund};
use minyi::money::Money;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn canonical(seq: i64, voucher: &str) -> Canonical<'_> {
    let at = NaiveDate::from_ymd_opt(2026, 3, 1)
        .and_then(|d| d.and_hms_micro_opt(8, 0, 0, 123_456))
        .unwrap_or_default();
    Canonical {
        fund_id: 1,
        seq,
        kind: EntryKind::Expense,
        voucher,
        date: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default(),
        payee: "某某建材供应站",
        description: "水泥 20 袋、砂石 3 方，用于村道硬化二组段",
        amount: Money::from_fen(123_456 + seq),
        project_id: Some(3),
        reverses_seq: None,
        recorded_by: 11,
        recorded_at: at,
        verified_by: 12,
        verified_at: at + TimeDelta::hours(2),
    }
}

fn chain_part(n: usize) {
    for algorithm in [HashAlgorithm::Sha256, HashAlgorithm::Sm3] {
        // Build the stored hashes (not timed).
        let mut hashes: Vec<String> = Vec::with_capacity(n);
        let mut prev = GENESIS;
        for i in 0..n {
            let seq = i as i64 + 1;
            let voucher = format!("付-{seq:07}");
            prev = link(algorithm, &prev, canonical(seq, &voucher).text().as_bytes());
            hashes.push(to_hex(&prev));
        }
        let genesis = to_hex(&GENESIS);
        let started = Instant::now();
        let mut verifier = Verifier::new(algorithm);
        // As `minyi verify` reads them: pages of 5,000, each checked with its hashing spread
        // over the cores (`Verifier::push_page`).
        let vouchers: Vec<String> = (1..=n).map(|seq| format!("付-{seq:07}")).collect();
        for start in (0..n).step_by(5_000) {
            let page: Vec<Stored<'_>> = (start..(start + 5_000).min(n))
                .map(|i| Stored {
                    canonical: canonical(i as i64 + 1, &vouchers[i]),
                    prev_hash: if i == 0 { &genesis } else { &hashes[i - 1] },
                    hash: &hashes[i],
                })
                .collect();
            verifier.push_page(&page);
        }
        let took = started.elapsed();
        assert!(matches!(verifier.verdict(), Verdict::Intact { .. }));
        println!(
            "ledger bench: verify {n} entries in memory, {}: {:.2} s ({:.0} entries/s)",
            algorithm.as_str(),
            took.as_secs_f64(),
            n as f64 / took.as_secs_f64()
        );
    }
}

/// A village, two staff, a cleared project and a fund with `n` posted entries (a real chain).
fn seed(conn: &mut DbConn, n: usize) -> anyhow::Result<i64> {
    use minyi::villages::store as places;
    let township = places::create_township(conn, "bench", "基准镇")?;
    let village = places::create_village(conn, township, "bench", "基准村")?;
    let staff = |conn: &mut DbConn, name: &str| -> anyhow::Result<i64> {
        minyi::accounts::store::create(
            conn,
            &minyi::accounts::store::NewStaff {
                username: name,
                display_name: name,
                email: None,
                password_hash: "x",
            },
        )?
        .ok_or_else(|| anyhow::anyhow!("taken"))
    };
    let clerk = staff(conn, "clerk.bench")?;
    let sup = staff(conn, "sup.bench")?;
    let started = Instant::now();
    let fund = minyi::db::in_transaction(conn, |conn| -> anyhow::Result<i64> {
        let project = minyi::ledger::fixture::cleared_project(
            conn,
            &minyi::ledger::fixture::ClearedProject {
                village_id: village,
                staff_id: clerk,
                title: "村道硬化",
                earmarked: Money::from_fen(i64::MAX / 4),
                starts_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
                ends_on: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default(),
                status: "in_progress",
                notice_days_ago: Some(30),
            },
        )?;
        let fund = store::insert_fund(
            conn,
            &NewFund {
                village_id: village,
                year: 2026,
                name: "2026年村级公共服务和社会管理专项资金",
                source: "县财政",
                allocation: Money::from_fen(100_000_000_000),
                algorithm: HashAlgorithm::Sha256,
                created_by: clerk,
            },
        )?;
        let mut prev = GENESIS;
        let now = minyi::db::now();
        for i in 0..n {
            let seq = i as i64 + 1;
            let voucher = format!("付-{seq:06}");
            let kind = if i == 0 {
                EntryKind::Allocation
            } else {
                EntryKind::Expense
            };
            let month = 1 + (i % 12) as u32;
            let new = NewEntry {
                fund_id: fund,
                kind,
                voucher: &voucher,
                date: NaiveDate::from_ymd_opt(2026, month, 15).unwrap_or_default(),
                payee: "某某建材供应站",
                description: "水泥、砂石",
                amount: Money::from_fen(if i == 0 { 90_000_000_000 } else { 10_000 + seq }),
                project_id: (kind == EntryKind::Expense).then_some(project),
                reverses_id: None,
                recorded_by: clerk,
                recorded_at: now,
            };
            let id = store::insert_entry(conn, &new)?;
            let entry = store::get_entry(conn, fund, id)?.ok_or_else(|| anyhow::anyhow!("gone"))?;
            let mut posted = entry.clone();
            posted.seq = Some(seq);
            posted.decided_by = Some(sup);
            posted.decided_at = Some(now);
            let text = posted.canonical(None).map(|c| c.text()).unwrap_or_default();
            let hash = link(HashAlgorithm::Sha256, &prev, text.as_bytes());
            store::post(conn, id, seq, &to_hex(&prev), &to_hex(&hash), sup, now)?;
            prev = hash;
        }
        Ok(fund)
    })?;
    println!(
        "ledger bench: seeded a fund of {n} posted entries on SQLite in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let fund_row = store::all_funds(conn)?.remove(0);
    let started = Instant::now();
    let verdict = minyi::ledger::verify::verify_fund(conn, &fund_row, |_| {})?;
    assert!(matches!(verdict, Verdict::Intact { .. }), "{verdict:?}");
    println!(
        "ledger bench: read and verify the {n}-entry fund from SQLite: {:.3} s",
        started.elapsed().as_secs_f64()
    );
    Ok(fund)
}

async fn page_part(n: usize, requests: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut settings = Settings::for_data_dir(dir.path());
    settings.password_cost = PasswordCost::TEST;
    let prepared = minyi::app::prepare(settings)?;
    let fund = seed(&mut *prepared.state.db.pool().get()?, n)?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    actix_web::rt::spawn(minyi::app::start(prepared, listener, workers)?);
    let client = reqwest::Client::new();
    let middle = n / 100 / 2;
    for (label, query) in [
        ("first page", String::new()),
        ("middle page", format!("?page={middle}")),
    ] {
        let url = format!("{base}/v/bench/funds/{fund}{query}");
        let warm = client.get(&url).send().await?;
        anyhow::ensure!(warm.status() == 200, "GET {url}: {}", warm.status());
        let bytes = warm.bytes().await?.len();
        let mut times = Vec::with_capacity(requests);
        for _ in 0..requests {
            let started = Instant::now();
            let r = client.get(&url).send().await?;
            r.bytes().await?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "ledger bench: disclosure {label} of a {n}-entry fund ({bytes} bytes): median {:.1} ms, p95 {:.1} ms over {requests} requests",
            times[times.len() / 2],
            times[times.len() * 95 / 100]
        );
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    chain_part(env_number("BENCH_CHAIN", 1_000_000));
    let entries = env_number("BENCH_FUND_ENTRIES", 10_000).max(1);
    let pages = env_number("BENCH_PAGES", 200).max(1);
    actix_web::rt::System::new().block_on(page_part(entries, pages))
}
