//! Test harness: `spawn_app` starts the real server on 127.0.0.1 with its own database, and
//! `Browser` is a cookie-keeping HTTP client that fills in CSRF tokens like a page would.

#![allow(dead_code)]

use std::net::TcpListener;

use diesel::prelude::*;
use minyi::accounts::domain::{Role, Scope};
use minyi::app;
use minyi::config::{PasswordCost, Settings};
use minyi::db::DbConn;
use minyi::households::domain::{Status, ValidHousehold};
use minyi::web::AppState;

pub const STAFF_PASSWORD: &str = "Test-pass-2026";

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub dir: tempfile::TempDir,
}

/// A village made for a test, with two groups.
#[derive(Clone, Debug)]
pub struct Village {
    pub township_id: i64,
    pub id: i64,
    pub code: String,
    pub groups: Vec<i64>,
}

/// A fresh database URL: a new SQLite file, or a new database on the test PostgreSQL server.
pub fn fresh_database(dir: &std::path::Path) -> Option<String> {
    let admin_url = std::env::var("MINYI_TEST_DATABASE_URL").ok()?;
    let name = format!("minyi_t_{}_{}", std::process::id(), rand_suffix());
    let mut admin =
        diesel::PgConnection::establish(&admin_url).expect("connect to MINYI_TEST_DATABASE_URL");
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .expect("create test database");
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url.as_str(), |(b, _)| b);
    let _ = dir;
    Some(format!("{base}/{name}"))
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{}_{nanos}", N.fetch_add(1, Ordering::Relaxed))
}

pub fn test_settings(dir: &std::path::Path) -> Settings {
    let mut settings = Settings::for_data_dir(dir);
    settings.database_url = fresh_database(dir);
    settings.password_cost = PasswordCost::TEST;
    // Tests of the other parts sign administrators and auditors in with a password only; the
    // requirement to enrol a second factor is tested in `security::two_factor`.
    settings.require_two_factor = false;
    settings
}

/// Starts the app with `settings` on a free port.
pub async fn spawn_with(settings: Settings, dir: tempfile::TempDir) -> TestApp {
    let prepared = app::prepare(settings).expect("prepare app");
    let state = prepared.state.clone();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let server = app::start(prepared, listener, 1).expect("start server");
    actix_web::rt::spawn(server);
    TestApp {
        base: format!("http://127.0.0.1:{port}"),
        state,
        dir,
    }
}

pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("tempdir");
    let settings = test_settings(dir.path());
    spawn_with(settings, dir).await
}

impl TestApp {
    pub fn conn(&self) -> minyi::db::PooledConn {
        self.state.db.pool().get().expect("pooled connection")
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    /// A township with one village `code` and two groups.
    pub fn village(&self, code: &str) -> Village {
        use minyi::villages::store as places;
        let mut conn = self.conn();
        let township_id = match places::find_township(&mut conn, "t").expect("query") {
            Some(id) => id,
            None => places::create_township(&mut conn, "t", "测试镇").expect("township"),
        };
        let id = places::create_village(&mut conn, township_id, code, &format!("{code}村"))
            .expect("village");
        let groups = ["一组", "二组"]
            .iter()
            .map(|g| places::create_group(&mut conn, id, g).expect("group"))
            .collect();
        Village {
            township_id,
            id,
            code: code.to_string(),
            groups,
        }
    }

    /// A staff account holding `role` over `scope`, with password [`STAFF_PASSWORD`].
    pub fn staff(&self, username: &str, role: Role, scope: Scope) -> i64 {
        use minyi::accounts::store::{self, NewStaff};
        let hash =
            minyi::auth::password::hash_now(PasswordCost::TEST, STAFF_PASSWORD).expect("hash");
        let mut conn = self.conn();
        let new = NewStaff {
            username,
            display_name: username,
            email: None,
            password_hash: &hash,
        };
        let id = store::create(&mut conn, &new)
            .expect("insert")
            .expect("username free");
        store::assign(&mut conn, id, role, scope).expect("assign");
        id
    }

    /// An active household in the village's first group with the given PIN.
    pub fn household(&self, village: &Village, number: &str, pin: &str) -> i64 {
        let hash = minyi::auth::password::hash_now(PasswordCost::TEST, pin).expect("hash");
        let household = ValidHousehold {
            number: number.to_string(),
            head_name: "张三丰".to_string(),
            members: 3,
            group_id: village.groups[0],
            status: Status::Active,
        };
        let mut conn = self.conn();
        minyi::households::store::create(&mut conn, village.id, &household, &hash)
            .expect("insert")
            .expect("number free")
    }

    /// Runs a query on the app's database.
    pub fn with_conn<T>(&self, f: impl FnOnce(&mut DbConn) -> T) -> T {
        let mut conn = self.conn();
        f(&mut conn)
    }

    pub fn audit_actions(&self) -> Vec<(String, String, String)> {
        use minyi::db::schema::audit_events::dsl as ae;
        self.with_conn(|c| {
            ae::audit_events
                .order(ae::id)
                .select((ae::action, ae::subject, ae::outcome))
                .load(c)
                .expect("audit rows")
        })
    }
}

/// A browser-like client: keeps cookies, does not follow redirects (tests assert them).
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Page {
    pub fn csrf(&self) -> Option<String> {
        self.field("csrf")
    }

    /// The value of the first input named `name` written as `name="…" value="…"` (hidden fields
    /// such as `csrf` and the one-time token `once`).
    pub fn field(&self, name: &str) -> Option<String> {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self.body.find(&marker)? + marker.len();
        let end = self.body[start..].find('"')? + start;
        Some(self.body[start..end].to_string())
    }
}

/// How many times each race test repeats its race: 3 in `cargo test`, more through
/// `MINYI_RACE_RUNS` (scripts/races.sh sets 100). Race tests print one line
/// `RACE <name>: runs=N <what>=K …` that the script collects.
pub fn race_runs() -> usize {
    std::env::var("MINYI_RACE_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Browser {
            client,
            base: base.to_string(),
        }
    }

    async fn page(response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let location = headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = response.text().await.expect("body");
        Page {
            status,
            location,
            body,
            headers,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("GET");
        Self::page(response).await
    }

    /// The CSRF token of this browser's session (from the staff login form, which every
    /// session can load).
    pub async fn csrf(&self) -> String {
        self.get("/login")
            .await
            .csrf()
            .expect("a csrf field on /login")
    }

    /// Posts a form with this session's CSRF token added.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Posts exactly these fields; `None` when the server did not answer (it was killed).
    pub async fn try_post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Option<Page> {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .form(fields)
            .send()
            .await
            .ok()?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let location = headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = response.text().await.ok()?;
        Some(Page {
            status,
            location,
            body,
            headers,
        })
    }

    /// Posts exactly these fields (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .form(fields)
            .send()
            .await
            .expect("POST");
        Self::page(response).await
    }

    pub async fn login_staff(&self, username: &str) {
        let page = self
            .post(
                "/login",
                &[
                    ("username", username),
                    ("password", STAFF_PASSWORD),
                    ("next", "/staff"),
                ],
            )
            .await;
        assert_eq!(
            page.status, 303,
            "staff login of {username} failed: {}",
            page.body
        );
    }
}
