//! Integration tests: answers at the edges of what a request may carry.

use crate::helpers::spawn_app;

#[actix_web::test]
async fn an_oversize_form_is_refused_with_413_and_a_page() {
    let app = spawn_app().await;
    let browser = app.browser();
    let token = browser.csrf().await;
    // Three MiB of text in one field: above the 2 MiB form limit.
    let big = "字".repeat(1024 * 1024);
    let page = browser
        .post_raw(
            "/login",
            &[("csrf", token.as_str()), ("username", big.as_str())],
        )
        .await;
    assert_eq!(
        page.status,
        413,
        "{}",
        &page.body[..page.body.len().min(300)]
    );
    assert!(page.body.contains("提交的内容太大"), "a page that says why");
}

#[cfg(unix)]
#[actix_web::test]
async fn the_sqlite_database_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let app = spawn_app().await;
    if app.state.settings.database_url.is_some() {
        return; // PostgreSQL: no file of ours
    }
    for name in ["minyi.sqlite3", "minyi.sqlite3-wal"] {
        let path = app.dir.path().join(name);
        if name.ends_with("-wal") && !path.exists() {
            continue;
        }
        let mode = std::fs::metadata(&path)
            .expect("database file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name} has mode {:o}", mode & 0o777);
    }
}

#[cfg(unix)]
#[actix_web::test]
async fn a_new_data_folder_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut settings = crate::helpers::test_settings(&dir.path().join("new-data"));
    settings.data_dir = dir.path().join("new-data");
    let app = crate::helpers::spawn_with(settings, dir).await;
    let data = app.dir.path().join("new-data");
    let mode = std::fs::metadata(&data)
        .expect("data dir")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700, "data dir has mode {:o}", mode & 0o777);
}

/// Every pooled SQLite connection commits at `synchronous = FULL` (2): an acknowledged ballot,
/// vote or signature survives a power cut, not only a crash of the server.
#[actix_web::test]
async fn sqlite_commits_are_durable_when_acknowledged() {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Sync {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        synchronous: i32,
    }
    let app = spawn_app().await;
    if app.state.settings.database_url.is_some() {
        return; // PostgreSQL: fsync on commit is its default
    }
    let pool = app.state.db.pool();
    // Hold several connections at once so the check covers more than one of the pool's.
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut conn = pool.get().expect("connection");
        let Sync { synchronous } = diesel::sql_query("PRAGMA synchronous")
            .get_result::<Sync>(&mut *conn)
            .expect("pragma");
        assert_eq!(synchronous, 2, "FULL");
        held.push(conn);
    }
}

/// A NUL byte (or another control character) or bytes that are not UTF-8 in a text field: a 422
/// with the form again, what was typed kept (cleaned) and the message beside the field, on both
/// backends (PostgreSQL refuses NUL in text and answered 500), and nothing is written.
#[actix_web::test]
async fn a_nul_byte_in_a_field_is_refused_with_422_and_nothing_is_written() {
    let app = spawn_app().await;
    let v = app.village("nul");
    let clerk = crate::notices::clerk(&app, &v).await;
    let before = app.audit_actions().len();
    for title in ["村道\0硬化", "村道\u{1}硬化"] {
        let page = clerk
            .post(
                "/staff/v/nul/notices/new",
                &[
                    ("kind", "plan"),
                    ("title", title),
                    ("body", "草稿"),
                    ("subject", "project:1"),
                ],
            )
            .await;
        assert_eq!(page.status, 422, "{title:?}: {}", page.body);
        assert!(page.body.contains("控制字符"), "a sentence that says why");
        assert!(
            page.body.contains("id=\"title-error\""),
            "beside the title: {}",
            page.body
        );
        assert!(page.body.contains("村道硬化"), "the title kept, cleaned");
        assert!(page.body.contains("草稿"), "the other fields kept");
    }
    // Bytes that are not UTF-8, sent as they are: the same form, U+FFFD where they were.
    let token = clerk.csrf().await;
    let raw = clerk
        .client
        .post(format!("{}/staff/v/nul/notices/new", clerk.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={token}&kind=plan&title=%E6%9D%91%FF%E9%81%93&body=%E8%8D%89%E7%A8%BF&subject=project%3A1").into_bytes())
        .send()
        .await
        .expect("post");
    assert_eq!(raw.status().as_u16(), 422);
    let body = raw.text().await.expect("body");
    assert!(body.contains("村\u{fffd}道"), "{body}");
    assert!(body.contains("id=\"title-error\"") && body.contains("草稿"));
    let after = app.audit_actions();
    assert!(
        after[before..]
            .iter()
            .all(|(action, _, _)| action == "request.refused"),
        "nothing written but the record of the refusals: {:?}",
        &after[before..]
    );
    assert_eq!(
        crate::forms_once::count_rows(&app, "notices"),
        0,
        "no notice"
    );
    let fine = clerk
        .post(
            "/staff/v/nul/notices/new",
            &[
                ("kind", "plan"),
                ("title", "村道硬化"),
                ("body", "第一行\r\n第二行\t缩进"),
                ("subject", "project:1"),
            ],
        )
        .await;
    assert_eq!(fine.status, 303, "line breaks and tabs are text");
}

/// A refused change is recorded (等保: failed operations too): who, the route's pattern and the
/// status, never what was typed; an accepted one is recorded by its own command as before.
#[actix_web::test]
async fn a_refused_post_is_audited_without_what_was_typed() {
    let app = spawn_app().await;
    let v = app.village("rf1");
    let clerk = crate::notices::clerk(&app, &v).await;
    let before = app.audit_actions().len();
    let refused = clerk
        .post(
            "/staff/v/rf1/notices/new",
            &[("kind", "secret"), ("title", "机密标题"), ("body", "")],
        )
        .await;
    assert_eq!(refused.status, 422);
    let forged = clerk
        .post_raw("/staff/v/rf1/notices/new", &[("csrf", "forged")])
        .await;
    assert_eq!(forged.status, 403);
    let rows = app.audit_actions();
    let new: Vec<_> = rows[before..].to_vec();
    assert_eq!(new.len(), 2, "{new:?}");
    for (action, subject, outcome) in &new {
        assert_eq!(action, "request.refused");
        assert_eq!(
            subject, "/staff/v/{village}/notices/new",
            "the route, not the path"
        );
        assert_eq!(outcome, "denied");
    }
    let details: Vec<String> = app.with_conn(|c| {
        use diesel::prelude::*;
        use minyi::db::schema::audit_events::dsl as ae;
        ae::audit_events
            .filter(ae::action.eq("request.refused"))
            .order(ae::id)
            .select(ae::detail)
            .load(c)
            .expect("details")
    });
    assert_eq!(details, ["status=422", "status=403"]);
    assert!(
        !details.iter().any(|d| d.contains("机密")),
        "nothing typed is recorded"
    );
}

/// Absolute links (the feed, the QR code of a printed notice) come from the configured public
/// address, never from the Host header a client chooses.
#[actix_web::test]
async fn absolute_links_use_the_configured_address_not_the_host_header() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut settings = crate::helpers::test_settings(dir.path());
    settings.public_url = Some("https://minyi.example.gov.cn/".to_string());
    let app = crate::helpers::spawn_with(settings, dir).await;
    let v = app.village("pu1");
    let id = crate::notices::published(&app, &v, "村道硬化方案", Some("project:1"), 0);
    let forged = reqwest::Client::new()
        .get(format!("{}/v/pu1/notices.atom", app.base))
        .header("host", "evil.example")
        .header("x-forwarded-host", "evil.example")
        .send()
        .await
        .expect("feed")
        .text()
        .await
        .expect("body");
    assert!(
        forged.contains(&format!("https://minyi.example.gov.cn/v/pu1/notices/{id}")),
        "{forged}"
    );
    assert!(
        !forged.contains("evil.example"),
        "the Host header is not used"
    );
}

/// An over-long Host header (a probe, or a broken client) is a 400 with the error page; a
/// normal one and the longest name DNS allows, with a port, are served.
#[actix_web::test]
async fn an_overlong_host_header_is_a_400_page() {
    let app = crate::helpers::spawn_app().await;
    let get = |host: String| {
        let url = format!("{}/", app.base);
        async move {
            reqwest::Client::new()
                .get(url)
                .header("host", host)
                .send()
                .await
                .expect("response")
        }
    };
    let long = get("a".repeat(3000)).await;
    assert_eq!(long.status(), 400);
    let page = long.text().await.expect("body");
    assert!(
        page.contains("<html") && page.contains("400"),
        "an error page: {page}"
    );
    let longest = format!("{}.example:65535", "a".repeat(247));
    assert_eq!(longest.len(), 261);
    assert_eq!(get(longest).await.status(), 200);
    assert_eq!(get("village.example.gov.cn".into()).await.status(), 200);
}

/// Without `--public-url` the server says at start that absolute links use the bind address;
/// with it, it does not.
#[test]
fn the_server_warns_at_start_when_no_public_address_is_set() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    for public_url in [None, Some("https://minyi.example.gov.cn")] {
        let dir = tempfile::tempdir().expect("tempdir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_minyi"));
        command
            .arg("serve")
            .env("MINYI_DATA_DIR", dir.path())
            .env("MINYI_BIND", format!("127.0.0.1:{port}"))
            .env("MINYI_NO_DEMO", "true")
            .env_remove("MINYI_DATABASE_URL")
            .env_remove("MINYI_PUBLIC_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(url) = public_url {
            command.env("MINYI_PUBLIC_URL", url);
        }
        let mut child = command.spawn().expect("start the minyi binary");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("a line");
            let serving = line.contains("minyi: serving");
            lines.push(line);
            if serving {
                break;
            }
        }
        // The warning, when given, comes before the serving line.
        let _ = child.kill();
        let rest = child
            .wait_with_output()
            .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
            .unwrap_or_default();
        let all = format!("{}\n{rest}", lines.join("\n"));
        let warned = all.contains("--public-url (MINYI_PUBLIC_URL) is not set");
        assert_eq!(warned, public_url.is_none(), "{public_url:?}: {all}");
    }
}
