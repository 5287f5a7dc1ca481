//! Load generator for `scripts/bench.sh` (not a test): seeds a running Minyi's database with a
//! bench village and an open council meeting, then drives the real HTTP stack from another
//! process (pinned to another core by the script) the way people do: each household or member
//! its own cookie jar, every form fetched for its CSRF token, every POST answered by the server.
//!
//! - `seed <database url> <households> <motions>`: a village `bench` (PIN 104729, hashed at the
//!   test cost so signing thousands in takes no time; the login households `L…` are hashed at
//!   the real cost), its open round, and in the demo village `taoyuan` an open meeting with every
//!   member present and `2 × motions` open motions; members' passwords become `Bench-Passw0rd!`.
//!   Prints `meeting=<id> motions=<id,…>`.
//! - `ballots <base> <households> <concurrency>`: signs the households in (not timed), then each
//!   previews and confirms a ballot (timed): ballots/s and latency.
//! - `votes <base> <meeting> <members> <motions> <lanes>`: the members sign in, then cast one vote on
//!   every motion given, `lanes` votes in flight at once: votes/s.
//! - `logins <base> <per second> <seconds>`: sign-ins of the `L…` households at a fixed rate
//!   (a request starts every 1/rate s whatever the answers do), counted by status.
//!
//! - `paced <url> <per second> <seconds>`: GETs at a fixed rate; p50/p99 from each request's
//!   scheduled start (wrk2 is not packaged in Debian; plain wrk waits for answers).
//!
//! Run through `scripts/bench.sh`; `cargo bench --bench load` alone only prints this usage.

#[path = "load/seed.rs"]
mod seed;

use std::time::{Duration, Instant};

use reqwest::Client;

fn client() -> anyhow::Result<Client> {
    Ok(Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

/// The CSRF token of a page's first form.
async fn token(client: &Client, url: &str) -> anyhow::Result<String> {
    let html = client.get(url).send().await?.text().await?;
    let marker = "name=\"csrf\" value=\"";
    let start = html
        .find(marker)
        .ok_or_else(|| anyhow::anyhow!("no csrf field on {url}"))?
        + marker.len();
    let end = html[start..].find('"').map_or(html.len(), |e| start + e);
    Ok(html[start..end].to_string())
}

async fn household_login(base: &str, village: &str, number: &str) -> anyhow::Result<Client> {
    let c = client()?;
    let csrf = token(&c, &format!("{base}/v/{village}/login")).await?;
    let r = c
        .post(format!("{base}/v/{village}/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("number", number),
            ("pin", "104729"),
        ])
        .send()
        .await?;
    anyhow::ensure!(r.status() == 303, "login {number}: {}", r.status());
    Ok(c)
}

async fn staff_login(base: &str, username: &str) -> anyhow::Result<Client> {
    let c = client()?;
    let csrf = token(&c, &format!("{base}/login")).await?;
    let r = c
        .post(format!("{base}/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", username),
            ("password", seed::PASSWORD),
            ("next", ""),
        ])
        .send()
        .await?;
    anyhow::ensure!(r.status() == 303, "login {username}: {}", r.status());
    Ok(c)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p) as usize).min(sorted.len() - 1);
    sorted[i].as_secs_f64() * 1000.0
}

/// Runs `jobs` with at most `lanes` in flight; returns (elapsed, sorted latencies).
async fn run_lanes<F, Fut>(jobs: Vec<F>, lanes: usize) -> anyhow::Result<(Duration, Vec<Duration>)>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    use futures_util::StreamExt;
    let started = Instant::now();
    let mut latencies: Vec<Duration> =
        futures_util::stream::iter(jobs.into_iter().map(|job| async move {
            let t = Instant::now();
            job().await.map(|()| t.elapsed())
        }))
        .buffer_unordered(lanes.max(1))
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<anyhow::Result<_>>()?;
    let elapsed = started.elapsed();
    latencies.sort();
    Ok((elapsed, latencies))
}

async fn ballots(base: &str, households: usize, lanes: usize) -> anyhow::Result<()> {
    let mut signed = Vec::with_capacity(households);
    for n in 0..households {
        signed.push(household_login(base, seed::VILLAGE, &format!("{n:06}")).await?);
    }
    let jobs: Vec<_> = signed
        .into_iter()
        .map(|c| {
            let base = base.to_string();
            move || async move {
                let form = format!("{base}/v/{}/ballot", seed::VILLAGE);
                let csrf = token(&c, &form).await?;
                let fields = |step: &'static str| {
                    vec![
                        ("csrf", csrf.clone()),
                        ("expected_version", "0".into()),
                        ("category", "照明".into()),
                        ("title", "村口装路灯".into()),
                        ("details", "夜里太黑".into()),
                        ("place", "村口".into()),
                        ("cost", "3000".into()),
                        ("step", step.into()),
                    ]
                };
                let preview = c.post(&form).form(&fields("preview")).send().await?;
                anyhow::ensure!(preview.status() == 200, "preview: {}", preview.status());
                let confirm = c
                    .post(format!("{form}/confirm"))
                    .form(&fields("confirm"))
                    .send()
                    .await?;
                anyhow::ensure!(confirm.status() == 303, "confirm: {}", confirm.status());
                Ok(())
            }
        })
        .collect();
    let (elapsed, latencies) = run_lanes(jobs, lanes).await?;
    println!(
        "ballots={households} seconds={:.3} rate={:.1} p50_ms={:.1} p99_ms={:.1}",
        elapsed.as_secs_f64(),
        households as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99)
    );
    Ok(())
}

async fn votes(
    base: &str,
    meeting: i64,
    names: &[&str],
    motions: &[i64],
    lanes: usize,
) -> anyhow::Result<()> {
    let page = format!("{base}/staff/v/taoyuan/council/{meeting}");
    let mut members = Vec::new();
    for name in names {
        let c = staff_login(base, name).await?;
        let csrf = token(&c, &page).await?;
        members.push((c, csrf));
    }
    let mut jobs = Vec::new();
    for motion in motions {
        for (c, csrf) in &members {
            let url = format!("{page}/motions/{motion}/vote");
            jobs.push(move || async move {
                let r = c
                    .post(&url)
                    .form(&[("csrf", csrf.as_str()), ("choice", "yes")])
                    .send()
                    .await?;
                anyhow::ensure!(r.status() == 303, "vote: {}", r.status());
                Ok(())
            });
        }
    }
    let count = jobs.len();
    let (elapsed, latencies) = run_lanes(jobs, lanes).await?;
    println!(
        "votes={count} lanes={lanes} seconds={:.3} rate={:.1} p50_ms={:.1} p99_ms={:.1}",
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99)
    );
    Ok(())
}

async fn logins(base: &str, per_second: f64, seconds: f64) -> anyhow::Result<()> {
    let total = (per_second * seconds) as usize;
    let every = Duration::from_secs_f64(1.0 / per_second);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(total);
    for n in 0..total {
        // A fixed schedule: the n-th sign-in starts at n/rate whatever earlier ones did.
        tokio::time::sleep_until((started + every * n as u32).into()).await;
        let base = base.to_string();
        tasks.push(actix_web::rt::spawn(async move {
            let number = format!("L{:05}", n % seed::LOGIN_HOUSEHOLDS);
            match household_login(&base, seed::VILLAGE, &number).await {
                Ok(_) => "ok",
                Err(e) if e.to_string().contains("503") => "busy",
                Err(_) => "error",
            }
        }));
    }
    let mut counts = std::collections::BTreeMap::new();
    for t in tasks {
        *counts.entry(t.await.unwrap_or("error")).or_insert(0) += 1;
    }
    println!(
        "logins={total} seconds={:.1} {}",
        started.elapsed().as_secs_f64(),
        counts
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    Ok(())
}

/// GETs of one page at a fixed rate; each latency counts from the request's scheduled start,
/// so a stalled server shows in the figures instead of slowing the load down (as wrk2 does).
async fn paced(url: &str, per_second: f64, seconds: f64) -> anyhow::Result<()> {
    let c = Client::builder().build()?;
    let total = (per_second * seconds) as usize;
    let every = Duration::from_secs_f64(1.0 / per_second);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(total);
    for n in 0..total {
        let scheduled = started + every * n as u32;
        tokio::time::sleep_until(scheduled.into()).await;
        let (c, url) = (c.clone(), url.to_string());
        tasks.push(actix_web::rt::spawn(async move {
            let ok = match c.get(&url).send().await {
                Ok(r) => r.status() == 200 && r.bytes().await.is_ok(),
                Err(_) => false,
            };
            (scheduled.elapsed(), ok)
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    let mut failed = 0;
    for t in tasks {
        match t.await {
            Ok((latency, true)) => latencies.push(latency),
            _ => failed += 1,
        }
    }
    latencies.sort();
    println!(
        "requests={total} rate={per_second:.0} failed={failed} p50_ms={:.2} p99_ms={:.2} max_ms={:.2}",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let arg = |i: usize| args.get(i).cloned().unwrap_or_default();
    let number = |i: usize| arg(i).parse::<usize>().unwrap_or(0);
    let rt = actix_web::rt::System::new();
    match arg(0).as_str() {
        "seed" => seed::seed(&arg(1), number(2), number(3)),
        "ballots" => rt.block_on(ballots(&arg(1), number(2), number(3))),
        "votes" => {
            let names = arg(3);
            let names: Vec<&str> = names.split(',').collect();
            let motions: Vec<i64> = arg(4).split(',').filter_map(|m| m.parse().ok()).collect();
            rt.block_on(votes(&arg(1), arg(2).parse()?, &names, &motions, number(5)))
        }
        "logins" => rt.block_on(logins(&arg(1), arg(2).parse()?, arg(3).parse()?)),
        "paced" => rt.block_on(paced(&arg(1), arg(2).parse()?, arg(3).parse()?)),
        _ => {
            println!(
                "load: seed | ballots | votes | logins (see benches/load.rs; scripts/bench.sh runs it)"
            );
            Ok(())
        }
    }
}
