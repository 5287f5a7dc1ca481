//! Integration test of the SQLite writer (`db::writer`): concurrent commands share commits, each
//! is answered only once its batch is committed (another connection already sees it), a failing
//! or panicking command is undone alone, and a full queue answers "busy" (503) instead of growing.
//! Always on a SQLite file of its own, whatever backend the other tests use.

use std::future::Future;
use std::sync::mpsc;
use std::time::Duration;

use actix_web::ResponseError;
use diesel::prelude::*;
use futures_util::stream::{FuturesUnordered, StreamExt};
use minyi::db::{Db, DbConn, DbError};
use minyi::error::AppError;

/// A fresh SQLite database with a probe table whose `n` is unique, and its handle.
fn probe_db(dir: &tempfile::TempDir, queue: usize) -> Db {
    let url = format!("sqlite://{}/probe.sqlite3", dir.path().display());
    let pool = minyi::db::connect(&url).expect("sqlite pool");
    let mut conn = pool.get().expect("connection");
    diesel::sql_query("CREATE TABLE probe (id INTEGER PRIMARY KEY, n INTEGER NOT NULL UNIQUE)")
        .execute(&mut conn)
        .expect("probe table");
    Db::new(pool, &url, queue).expect("db with its writer")
}

fn insert(conn: &mut DbConn, n: i64) -> Result<(), AppError> {
    diesel::sql_query(format!("INSERT INTO probe (n) VALUES ({n})")).execute(conn)?;
    Ok(())
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// What another connection (the pool's, as a reader) sees: only committed rows.
fn stored(db: &Db) -> Vec<i64> {
    let mut conn = db.pool().get().expect("connection");
    diesel::sql_query("SELECT n FROM probe ORDER BY n")
        .load::<Row>(&mut conn)
        .expect("probe rows")
        .into_iter()
        .map(|r| r.n)
        .collect()
}

/// Occupies the writer until `release` is sent; returns once the command is running, so what
/// is submitted next waits in the queue and goes into one batch.
async fn hold_writer(db: &Db) -> (mpsc::Sender<()>, impl Future<Output = Result<(), AppError>>) {
    let (started_tx, started) = mpsc::channel::<()>();
    let (release, released) = mpsc::channel::<()>();
    let db = db.clone();
    let held = actix_web::rt::spawn(async move {
        db.tx(move |conn| {
            started_tx.send(()).expect("started");
            let _ = released.recv_timeout(Duration::from_secs(10));
            insert(conn, 0)
        })
        .await
    });
    while started.try_recv().is_err() {
        actix_web::rt::time::sleep(Duration::from_millis(2)).await;
    }
    (release, async move { held.await.expect("holder task") })
}

#[actix_web::test]
async fn concurrent_commands_share_commits_and_are_answered_after_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = probe_db(&dir, 1024);
    let before = db.write_stats().expect("SQLite has a writer");
    const WRITES: i64 = 200;
    let mut pending: FuturesUnordered<_> = (1..=WRITES)
        .map(|n| {
            let db = db.clone();
            async move { (n, db.tx(move |conn| insert(conn, n)).await) }
        })
        .collect();
    while let Some((n, result)) = pending.next().await {
        result.expect("the write");
        // Answered: another connection sees it now, so the commit came before the answer.
        assert!(
            stored(&db).contains(&n),
            "{n} was acknowledged before its commit"
        );
    }
    let after = db.write_stats().expect("stats");
    let commits = after.commits - before.commits;
    println!(
        "GROUP COMMIT {WRITES} concurrent writes in {commits} commits ({} commands)",
        after.commands - before.commands
    );
    assert_eq!(stored(&db).len(), WRITES as usize);
    assert_eq!(after.commands - before.commands, WRITES as u64);
    assert!(
        commits * 4 <= WRITES as u64,
        "{WRITES} concurrent writes took {commits} commits: not grouped"
    );
}

#[actix_web::test]
async fn a_failing_or_panicking_command_leaves_its_batch_neighbours_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = probe_db(&dir, 1024);
    let (release, held) = hold_writer(&db).await;
    // The holder's batch commits after this reading: one commit of its own.
    let before = db.write_stats().expect("stats");
    let ok_first = db.tx(|conn| insert(conn, 1));
    // Writes 2, then fails on a duplicate of 1: its own 2 must go, 1 and 3 must stay.
    let failing = db.tx(|conn| {
        insert(conn, 2)?;
        insert(conn, 1)
    });
    let panicking = db.tx(|conn| -> Result<(), AppError> {
        insert(conn, 4)?;
        panic!("a command that panics after writing (this panic is expected)");
    });
    let ok_last = db.tx(|conn| insert(conn, 3));
    // The four are submitted in this order on their first poll, while the holder still runs.
    let holder = async move {
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        release.send(()).expect("release the writer");
        held.await
    };
    let (held, first, failed, panicked, last) =
        tokio::join!(holder, ok_first, failing, panicking, ok_last);
    held.expect("the holder's write");
    first.expect("1 is written");
    last.expect("3 is written");
    assert!(failed.is_err(), "the duplicate must fail");
    assert!(panicked.is_err(), "the panicking command must get an error");
    let after = db.write_stats().expect("stats");
    assert_eq!(
        after.commits - before.commits,
        2,
        "the holder's batch, then the four commands queued behind it in one batch"
    );
    assert_eq!(stored(&db), vec![0, 1, 3]);
    // The writer survived the panic and goes on writing.
    db.tx(|conn| insert(conn, 5))
        .await
        .expect("a write after the panic");
    assert_eq!(stored(&db), vec![0, 1, 3, 5]);
}

#[actix_web::test]
async fn a_full_writer_queue_answers_busy_with_503() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = probe_db(&dir, 2);
    let (release, held) = hold_writer(&db).await;
    let waiting: Vec<_> = (1..=5)
        .map(|n| {
            let db = db.clone();
            actix_web::rt::spawn(async move { db.tx(move |conn| insert(conn, n)).await })
        })
        .collect();
    actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    release.send(()).expect("release the writer");
    held.await.expect("the holder's write");
    let mut busy = 0;
    for task in waiting {
        match task.await.expect("task") {
            Ok(()) => {}
            Err(err) => {
                assert_eq!(err.status_code(), 503, "{err:?}");
                busy += 1;
            }
        }
    }
    assert_eq!(busy, 3, "two commands fit the queue, three are refused");
    assert!(matches!(AppError::from(DbError::Busy), AppError::Busy));
}
