//! Collection benchmark (not a test): ballot submissions per second through the real HTTP stack,
//! and the time to open (freeze the roll of), recount, close and read the stored tally of a
//! round of 1,000,000 ballots on SQLite.
//!
//! Run: `cargo bench --bench collection` (release build). Options by environment:
//! `BENCH_HOUSEHOLDS` (default 2000; 0 skips it) and `BENCH_CONCURRENCY` (default 32) for the HTTP part,
//! `BENCH_TALLY_BALLOTS` (default 1000000) for the tally part.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use minyi::collection::domain::{RoundState, ValidRound};
use minyi::collection::{results, store as rounds, tally_store};
use minyi::config::{PasswordCost, Settings};
use minyi::db::DbConn;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn round_spec(categories: &[&str]) -> ValidRound {
    let now = minyi::db::now();
    ValidRound {
        title: "bench".into(),
        year: 2027,
        opens_at: now,
        closes_at: now + chrono::TimeDelta::days(30),
        min_suggestions: 1,
        max_suggestions: 5,
        categories: categories.iter().map(|c| c.to_string()).collect(),
        double_entry: false,
    }
}

/// A village with `households` active households (PIN "104729"), a clerk, and an open round.
fn seed(conn: &mut DbConn, households: usize) -> anyhow::Result<()> {
    use minyi::villages::store as places;
    let hash = minyi::auth::password::hash_now(PasswordCost::TEST, "104729")?;
    conn.transaction(|conn| {
        let township = places::create_township(conn, "bench", "基准镇")?;
        let village = places::create_village(conn, township, "bench", "基准村")?;
        let groups: Vec<i64> = (1..=4)
            .map(|g| places::create_group(conn, village, &format!("第{g}组")))
            .collect::<Result<_, _>>()?;
        for n in 0..households {
            let h = minyi::households::domain::ValidHousehold {
                number: format!("{n:06}"),
                head_name: "某".into(),
                members: 1,
                group_id: groups[n % 4],
                status: minyi::households::Status::Active,
            };
            minyi::households::store::create(conn, village, &h, &hash)?;
        }
        let staff = minyi::accounts::store::create(
            conn,
            &minyi::accounts::store::NewStaff {
                username: "bench",
                display_name: "bench",
                email: None,
                password_hash: &hash,
            },
        )?
        .unwrap_or(0);
        let id = rounds::create(
            conn,
            village,
            &round_spec(&["道路交通", "照明", "其他"]),
            staff,
        )?;
        let round = rounds::get(conn, village, id)?.ok_or_else(|| anyhow::anyhow!("round"))?;
        rounds::open(conn, &round, minyi::db::now())?;
        Ok::<_, anyhow::Error>(())
    })
}

async fn http_part(households: usize, concurrency: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut settings = Settings::for_data_dir(dir.path());
    settings.password_cost = PasswordCost::TEST;
    let prepared = minyi::app::prepare(settings)?;
    seed(&mut *prepared.state.db.pool().get()?, households)?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    actix_web::rt::spawn(minyi::app::start(prepared, listener, workers)?);

    // Sign every household in first (not timed): one cookie jar each, as on separate phones.
    let mut clients = Vec::with_capacity(households);
    for n in 0..households {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let form = client
            .get(format!("{base}/v/bench/login"))
            .send()
            .await?
            .text()
            .await?;
        let token = token_of(&form)?;
        let number = format!("{n:06}");
        let login = client
            .post(format!("{base}/v/bench/login"))
            .form(&[
                ("csrf", token.as_str()),
                ("number", &number),
                ("pin", "104729"),
            ])
            .send()
            .await?;
        anyhow::ensure!(
            login.status() == 303,
            "login of {number}: {}",
            login.status()
        );
        let token = token_of(
            &client
                .get(format!("{base}/v/bench/ballot"))
                .send()
                .await?
                .text()
                .await?,
        )?;
        clients.push((client, token));
        if n % 500 == 499 {
            eprintln!("bench: signed in {}/{households} households", n + 1);
        }
    }
    let started = Instant::now();
    let chunks: Vec<_> = clients.chunks(households.div_ceil(concurrency)).collect();
    let lanes = chunks.into_iter().map(|lane| {
        let base = base.clone();
        async move {
            let mut latencies = Vec::with_capacity(lane.len());
            for (client, token) in lane {
                let t = Instant::now();
                let response = client
                    .post(format!("{base}/v/bench/ballot/confirm"))
                    .form(&[
                        ("csrf", token.as_str()),
                        ("expected_version", "0"),
                        ("category", "照明"),
                        ("title", "村口装路灯"),
                        ("details", "夜里太黑"),
                        ("place", "村口"),
                        ("cost", "3000"),
                        ("step", "confirm"),
                    ])
                    .send()
                    .await?;
                anyhow::ensure!(response.status() == 303, "confirm: {}", response.status());
                latencies.push(t.elapsed());
            }
            Ok::<_, anyhow::Error>(latencies)
        }
    });
    let mut latencies: Vec<Duration> = Vec::new();
    for lane in futures_util::future::join_all(lanes).await {
        latencies.extend(lane?);
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "ballot submissions over HTTP (SQLite, {concurrency} concurrent): {households} in {:.2} s = {:.0} ballots/s; latency p50 {:.1} ms, p99 {:.1} ms",
        elapsed.as_secs_f64(),
        households as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0
    );
    Ok(())
}

fn token_of(html: &str) -> anyhow::Result<String> {
    let marker = "name=\"csrf\" value=\"";
    let start = html
        .find(marker)
        .ok_or_else(|| anyhow::anyhow!("no csrf field"))?
        + marker.len();
    Ok(html[start..start + 64].to_string())
}

fn tally_part(ballots: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let pool = minyi::db::connect(&format!("sqlite://{}/tally.sqlite3", dir.path().display()))?;
    let mut conn = pool.get()?;
    minyi::db::migrations::run_pending(&mut conn)?;
    let categories = [
        "道路交通",
        "饮水水利",
        "环境卫生",
        "照明",
        "文化体育",
        "养老服务",
        "治安",
        "其他",
    ];
    let t = Instant::now();
    let village_round = conn.transaction(|conn| {
        use minyi::villages::store as places;
        let township = places::create_township(conn, "t", "镇")?;
        let village = places::create_village(conn, township, "v", "村")?;
        for g in 1..=4 {
            places::create_group(conn, village, &format!("第{g}组"))?;
        }
        let staff = minyi::accounts::store::create(conn, &minyi::accounts::store::NewStaff { username: "bench", display_name: "bench", email: None, password_hash: "x" })?.unwrap_or(0);
        // Generated in SQL: a million rows through diesel one by one would measure the loop.
        diesel::sql_query(format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {ballots}) \
             INSERT INTO households (village_id, group_id, number, head_name, members, status, pin_hash, created_at, updated_at) \
             SELECT {village}, (i % 4) + 1, printf('%07d', i), '某', 1, 'active', 'x', '2026-11-23 00:00:00', '2026-11-23 00:00:00' FROM n"
        ))
        .execute(conn)?;
        let id = rounds::create(conn, village, &round_spec(&categories), staff)?;
        Ok::<_, anyhow::Error>((village, id))
    })?;
    let (village, round_id) = village_round;
    eprintln!(
        "bench: generated {ballots} households in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let round =
        rounds::get(&mut conn, village, round_id)?.ok_or_else(|| anyhow::anyhow!("round"))?;
    let t = Instant::now();
    conn.transaction(|conn| {
        rounds::open(conn, &round, minyi::db::now()).map_err(anyhow::Error::from)
    })?;
    let opened = t.elapsed();

    let t = Instant::now();
    diesel::sql_query(format!(
        "INSERT INTO ballots (round_id, household_id, group_id, channel, receipt, version, created_at, updated_at) \
         SELECT {round_id}, household_id, group_id, 'phone', printf('R%08d', household_id), 1, '2026-11-23 00:00:00', '2026-11-23 00:00:00' FROM round_roll WHERE round_id = {round_id}"
    ))
    .execute(&mut conn)?;
    let cases: String = categories
        .iter()
        .enumerate()
        .map(|(i, c)| format!("WHEN {i} THEN '{c}' "))
        .collect();
    diesel::sql_query(format!(
        "INSERT INTO suggestions (ballot_id, version, position, category, title, details, place, cost_fen, created_at) \
         SELECT id, 1, 0, CASE id % 8 {cases}END, '村口装路灯', '', '村口', 300000, '2026-11-23 00:00:00' FROM ballots WHERE round_id = {round_id}"
    ))
    .execute(&mut conn)?;
    eprintln!(
        "bench: generated {ballots} ballots in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    // The straightforward recount: the calls the page makes for an open round (the rows, then
    // the domain tally).
    let t = Instant::now();
    let roll = rounds::roll_by_group(&mut conn, round_id)?;
    let groups = rounds::counted_ballot_groups(&mut conn, round_id)?;
    let suggestions = rounds::counted_suggestions(&mut conn, round_id)?;
    let names: Vec<String> = categories.iter().map(|c| c.to_string()).collect();
    let recount = results::tally(
        &roll,
        groups,
        suggestions.iter().map(|s| s.category.as_str()),
        &names,
    );
    let recounted = t.elapsed();
    drop(suggestions);
    anyhow::ensure!(
        recount.total.ballots as usize == ballots,
        "tally counted {}",
        recount.total.ballots
    );

    // Closing counts once (GROUP BY in the database) and stores the counts with the round.
    let t = Instant::now();
    conn.transaction(|conn| {
        rounds::advance(
            conn,
            round_id,
            RoundState::Open,
            RoundState::Closed,
            minyi::db::now(),
        )
        .map_err(anyhow::Error::from)
    })?;
    let closed = t.elapsed();

    // What the results page of the closed round does for its tally: read the stored counts.
    let t = Instant::now();
    let stored = tally_store::stored(&mut conn, round_id)?;
    let tally = results::from_counts(&stored.groups, &stored.categories, &names);
    let read = t.elapsed();
    anyhow::ensure!(
        tally == recount,
        "the stored tally differs from the recount"
    );
    println!(
        "open a round of {ballots} households (freeze roll, hash it): {:.2} s",
        opened.as_secs_f64()
    );
    println!(
        "straightforward recount of {ballots} ballots (rows + domain tally): {:.3} s",
        recounted.as_secs_f64()
    );
    println!(
        "close the round (count in the database once, store the counts): {:.3} s",
        closed.as_secs_f64()
    );
    println!(
        "tally of the closed round of {ballots} ballots (the results page's read): {:.4} s; turnout {}",
        read.as_secs_f64(),
        tally.total.percent()
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench`; nothing else is expected.
    let households = env_number("BENCH_HOUSEHOLDS", 2000);
    let concurrency = env_number("BENCH_CONCURRENCY", 32).max(1);
    let tally_ballots = env_number("BENCH_TALLY_BALLOTS", 1_000_000);
    // BENCH_HOUSEHOLDS=0 measures the tally alone (scripts/bench.sh drives HTTP from outside).
    if households > 0 {
        actix_web::rt::System::new().block_on(http_part(households, concurrency))?;
    }
    tally_part(tally_ballots)
}
