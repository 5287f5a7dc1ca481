//! The floor (not a test, not part of Minyi): the least a web page over the same SQLite can
//! cost on this machine, so Minyi's figures can be read as ratios. A bare actix-web server with
//! no middleware, one SQLite connection per worker thread, plain prepared statements and
//! hand-escaped HTML:
//!
//! - `GET /fortunes`: a Fortunes-style page (TechEmpower's rules: 12 stored rows including a
//!   `<script>` row and a Japanese row, one row added at request time, sorted by message,
//!   every message escaped);
//! - `GET /plaintext`: `Hello, World!`;
//! - `POST /insert/full` and `POST /insert/normal`: one-row INSERT committed at
//!   `synchronous = FULL` and `NORMAL` (WAL both), the floor for a durable ballot.
//!
//! Run: `cargo bench --bench floor -- <data dir> <address>` (release build), e.g.
//! `cargo bench --bench floor -- /tmp/floor 127.0.0.1:8090`; `scripts/bench.sh` starts it.

use std::cell::RefCell;

use actix_web::{App, HttpResponse, HttpServer, web};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

const FORTUNES: [&str; 12] = [
    "fortune: No such file or directory",
    "A computer scientist is someone who fixes things that aren't broken.",
    "After enough decimal places, nobody gives a damn.",
    "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
    "A computer program does what you tell it to do, not what you want it to do.",
    "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen",
    "Any program that runs right is obsolete.",
    "A list is only as strong as its weakest link. — Donald Knuth",
    "Feature: A bug with seniority.",
    "Computers make very fast, very accurate mistakes.",
    "<script>alert(\"This should not be displayed in a browser alert box.\");</script>",
    "フレームワークのベンチマーク",
];

#[derive(QueryableByName)]
struct Fortune {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    message: String,
}

thread_local! {
    static READ: RefCell<Option<SqliteConnection>> = const { RefCell::new(None) };
    static FULL: RefCell<Option<SqliteConnection>> = const { RefCell::new(None) };
    static NORMAL: RefCell<Option<SqliteConnection>> = const { RefCell::new(None) };
}

fn database() -> String {
    std::env::var("FLOOR_DATABASE").unwrap_or_else(|_| "floor.sqlite3".into())
}

fn open(synchronous: &str) -> SqliteConnection {
    let mut conn = SqliteConnection::establish(&database()).expect("open the floor database");
    conn.batch_execute(&format!(
        "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous};"
    ))
    .expect("pragmas");
    conn
}

fn with<T>(
    slot: &'static std::thread::LocalKey<RefCell<Option<SqliteConnection>>>,
    synchronous: &str,
    f: impl FnOnce(&mut SqliteConnection) -> T,
) -> T {
    slot.with(|cell| {
        let mut cell = cell.borrow_mut();
        let conn = cell.get_or_insert_with(|| open(synchronous));
        f(conn)
    })
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
}

async fn fortunes() -> HttpResponse {
    let mut rows: Vec<Fortune> = with(&READ, "NORMAL", |c| {
        diesel::sql_query("SELECT id, message FROM fortune")
            .load(c)
            .unwrap_or_default()
    });
    rows.push(Fortune {
        id: 0,
        message: "Additional fortune added at request time.".into(),
    });
    rows.sort_by(|a, b| a.message.cmp(&b.message));
    let mut body = String::with_capacity(2048);
    body.push_str("<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>");
    for f in &rows {
        body.push_str("<tr><td>");
        body.push_str(&f.id.to_string());
        body.push_str("</td><td>");
        escape(&f.message, &mut body);
        body.push_str("</td></tr>");
    }
    body.push_str("</table></body></html>");
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body)
}

async fn plaintext() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain")
        .body("Hello, World!")
}

/// One committed row; false when SQLite refused it.
fn insert(
    slot: &'static std::thread::LocalKey<RefCell<Option<SqliteConnection>>>,
    synchronous: &str,
) -> bool {
    with(slot, synchronous, |c| {
        diesel::sql_query("INSERT INTO ballot (household, receipt) VALUES (?, ?)")
            .bind::<BigInt, _>(rand_household())
            .bind::<Text, _>("ABCD-1234")
            .execute(c)
            .is_ok()
    })
}

fn inserted(written: Result<bool, actix_web::error::BlockingError>) -> HttpResponse {
    match written {
        Ok(true) => HttpResponse::SeeOther()
            .insert_header(("Location", "/plaintext"))
            .finish(),
        _ => HttpResponse::ServiceUnavailable().finish(),
    }
}

fn rand_household() -> i64 {
    use std::sync::atomic::{AtomicI64, Ordering};
    static N: AtomicI64 = AtomicI64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

async fn insert_full() -> HttpResponse {
    inserted(web::block(|| insert(&FULL, "FULL")).await)
}

async fn insert_normal() -> HttpResponse {
    inserted(web::block(|| insert(&NORMAL, "NORMAL")).await)
}

fn prepare(dir: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let path = format!("{dir}/floor.sqlite3");
    let _ = std::fs::remove_file(&path);
    // SAFETY of the environment change: set once, before any thread is started.
    unsafe { std::env::set_var("FLOOR_DATABASE", &path) };
    let mut conn = open("FULL");
    conn.batch_execute(
        "CREATE TABLE fortune (id INTEGER PRIMARY KEY, message TEXT NOT NULL);
         CREATE TABLE ballot (id INTEGER PRIMARY KEY, household BIGINT NOT NULL, receipt TEXT NOT NULL);",
    )
    .map_err(std::io::Error::other)?;
    for (i, message) in FORTUNES.iter().enumerate() {
        diesel::sql_query("INSERT INTO fortune (id, message) VALUES (?, ?)")
            .bind::<BigInt, _>(i as i64 + 1)
            .bind::<Text, _>(*message)
            .execute(&mut conn)
            .map_err(std::io::Error::other)?;
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    // `cargo bench` passes `--bench`; the floor only serves when given a directory and address.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let (Some(dir), Some(address)) = (args.first(), args.get(1)) else {
        println!("floor: give a data directory and an address to serve (see scripts/bench.sh)");
        return Ok(());
    };
    prepare(dir)?;
    let workers: usize = std::env::var("FLOOR_WORKERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    println!("floor: serving http://{address} with {workers} worker(s)");
    actix_web::rt::System::new().block_on(
        HttpServer::new(|| {
            App::new()
                .route("/fortunes", web::get().to(fortunes))
                .route("/plaintext", web::get().to(plaintext))
                .route("/insert/full", web::post().to(insert_full))
                .route("/insert/normal", web::post().to(insert_normal))
        })
        .workers(workers)
        .bind(address)?
        .run(),
    )
}
