//! Integration test: an acknowledged ballot survives the server being killed. The real binary
//! serves households on the test's database while the test keeps its own connection; 32
//! households confirm and keep changing their ballots at once and the server gets SIGKILL after
//! 100 receipts, while batches are being group-committed. Every version a household got a
//! receipt (303) for is in the database afterwards (or a later one), and the server starts again
//! on the same files.

use std::cell::RefCell;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures_util::stream::{FuturesUnordered, StreamExt};
use minyi::accounts::domain::{Role, Scope};

use crate::helpers::{Browser, TestApp, spawn_app};

/// 32 at once: on SQLite they share the writer's commits (group commit), so the kill lands while
/// batches are being written and answered; a receipt sent before its batch's commit would show.
const HOUSEHOLDS: usize = 32;
const KILL_AFTER: usize = 100;
/// Versions a household writes at most (the kill comes long before).
const MAX_VERSION: i32 = 1000;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The release-independent binary cargo built for these tests, on the test's data and database.
fn start_server(app: &TestApp, port: u16) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_minyi"));
    command
        .arg("serve")
        .env("MINYI_DATA_DIR", app.dir.path())
        .env("MINYI_BIND", format!("127.0.0.1:{port}"))
        .env("MINYI_NO_DEMO", "true")
        .env_remove("MINYI_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(url) = &app.state.settings.database_url {
        command.env("MINYI_DATABASE_URL", url);
    }
    command.spawn().expect("start the minyi binary")
}

async fn wait_until_up(base: &str) {
    for _ in 0..200 {
        if reqwest::get(format!("{base}/")).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server at {base} did not come up");
}

#[actix_web::test]
async fn every_acknowledged_ballot_survives_the_server_being_killed() {
    let app = spawn_app().await;
    let code = "dur";
    let v = app.village(code);
    let numbers: Vec<String> = (1..=HOUSEHOLDS)
        .map(|n| format!("{:04}", 100 + n))
        .collect();
    for n in &numbers {
        app.household(&v, n, "104729");
    }
    app.staff("clerk.dur", Role::Clerk, Scope::Village(v.id));
    let clerk = app.browser();
    clerk.login_staff("clerk.dur").await;
    let created = clerk
        .post(
            &format!("/staff/v/{code}/rounds/new"),
            &[
                ("title", "2027年度征集"),
                ("year", "2027"),
                ("opens_at", "2026-11-01T08:00"),
                ("closes_at", "2099-12-31T18:00"),
                ("min_suggestions", "1"),
                ("max_suggestions", "3"),
                ("categories", "道路交通\n照明\n其他"),
            ],
        )
        .await;
    let round = created.location.expect("round");
    let opened = clerk
        .post(&format!("{round}/state"), &[("action", "open")])
        .await;
    assert_eq!(opened.status, 303, "{}", opened.body);

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let server = start_server(&app, port);
    wait_until_up(&base).await;
    // Every household signs in to the real server and holds its form's token.
    let mut ready = Vec::new();
    for n in &numbers {
        let b = Browser::new(&base);
        let login = b
            .post(
                &format!("/v/{code}/login"),
                &[("number", n.as_str()), ("pin", "104729")],
            )
            .await;
        assert_eq!(login.status, 303, "login of {n}: {}", login.body);
        let token = b.csrf().await;
        ready.push((n.clone(), b, token));
    }
    // Each household keeps changing its ballot (version 1, 2, 3, …) until the server is gone;
    // the server is killed once KILL_AFTER receipts in all have come back, so the kill lands
    // while batches are being written and answered.
    let acknowledged: RefCell<Vec<(String, i32)>> = RefCell::new(Vec::new());
    let server = RefCell::new(server);
    let mut pending: FuturesUnordered<_> = ready
        .iter()
        .map(|(n, b, token)| {
            let (acknowledged, server) = (&acknowledged, &server);
            async move {
                for version in 1..=MAX_VERSION {
                    let expected = (version - 1).to_string();
                    let title = format!("村口装路灯（第{version}稿）");
                    let fields = [
                        ("csrf", token.as_str()),
                        ("expected_version", expected.as_str()),
                        ("category", "照明"),
                        ("title", title.as_str()),
                        ("details", ""),
                        ("place", "村口"),
                        ("cost", ""),
                        ("step", "confirm"),
                    ];
                    let answer = b
                        .try_post_raw(&format!("/v/{code}/ballot/confirm"), &fields)
                        .await;
                    if answer.map(|p| p.status) != Some(303) {
                        return;
                    }
                    let mut acks = acknowledged.borrow_mut();
                    acks.push((n.clone(), version));
                    if acks.len() == KILL_AFTER {
                        server.borrow_mut().kill().expect("SIGKILL the server");
                    }
                }
            }
        })
        .collect();
    while pending.next().await.is_some() {}
    drop(pending);
    let _ = server.borrow_mut().wait();
    let acknowledged = acknowledged.into_inner();
    assert!(
        acknowledged.len() >= KILL_AFTER,
        "ballots were acknowledged before the kill: {acknowledged:?}"
    );
    let stored: Vec<(String, i32)> = app.with_conn(|c| {
        use diesel::prelude::*;
        use minyi::db::schema::{ballots as b, households as h};
        b::table
            .inner_join(h::table.on(h::id.eq(b::household_id)))
            .filter(b::voided_at.is_null())
            .select((h::number, b::version))
            .load(c)
            .expect("ballots")
    });
    for (number, version) in &acknowledged {
        assert!(
            stored.iter().any(|(n, v)| n == number && v >= version),
            "{number} got its receipt for version {version} but it is gone; stored: {stored:?}"
        );
    }
    println!(
        "DURABILITY acknowledged={} receipts from {HOUSEHOLDS} households; stored ballots={} (max version {})",
        acknowledged.len(),
        stored.len(),
        stored.iter().map(|(_, v)| *v).max().unwrap_or(0)
    );
    // The server starts again on the same files and shows the household its receipt.
    let mut again = start_server(&app, port);
    wait_until_up(&base).await;
    let b = Browser::new(&base);
    let number = acknowledged[0].0.as_str();
    b.post(
        &format!("/v/{code}/login"),
        &[("number", number), ("pin", "104729")],
    )
    .await;
    let home = b.get(&format!("/v/{code}/me")).await;
    let _ = again.kill();
    let _ = again.wait();
    assert!(home.body.contains("receipt-inline"), "{}", home.body);
}
