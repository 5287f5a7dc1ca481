//! Database access: one connection type over SQLite and PostgreSQL chosen at run time by the URL,
//! an r2d2 pool, embedded migrations for both backends, and [`Db`], the handle handlers use to
//! run synchronous diesel work off the async threads. On SQLite every [`Db::tx`] goes to one
//! writer thread that group-commits (see [`writer`]).

pub mod migrations;
pub mod schema;
pub mod writer;

use std::time::Duration;

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel::sqlite::SqliteConnection;

/// One connection, either backend. Store code is written once against this type.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

pub type Pool = r2d2::Pool<DbManager>;
pub type PooledConn = r2d2::PooledConnection<DbManager>;

/// Which backend a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// Opens connections for the pool. Written by hand because the derived `establish` of a
/// MultiConnection hides the real error, and because SQLite needs its PRAGMAs on every connection.
#[derive(Clone, Debug)]
pub struct DbManager {
    url: String,
}

impl DbManager {
    pub fn new(url: impl Into<String>) -> DbManager {
        DbManager { url: url.into() }
    }

    fn sqlite_path(&self) -> &str {
        self.url.strip_prefix("sqlite://").unwrap_or(&self.url)
    }
}

impl ManageConnection for DbManager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        match Backend::of_url(&self.url) {
            Backend::Postgres => PgConnection::establish(&self.url)
                .map(DbConn::Pg)
                .map_err(r2d2::Error::ConnectionError),
            Backend::Sqlite => {
                let mut conn = SqliteConnection::establish(self.sqlite_path())
                    .map_err(r2d2::Error::ConnectionError)?;
                // busy_timeout first: without it, opening the pool's other connections races
                // with the WAL switch and fails with "database is locked".
                // WAL is a property of the file, switched on once in `connect` before the pool
                // opens connections in parallel (switching it races with other connections).
                for pragma in [
                    "PRAGMA busy_timeout = 10000",
                    "PRAGMA foreign_keys = ON",
                    // FULL: a commit is on disk before the household sees its receipt; in WAL
                    // mode NORMAL may lose the last commits on a power cut (about 0.24 ms each).
                    "PRAGMA synchronous = FULL",
                ] {
                    diesel::sql_query(pragma)
                        .execute(&mut conn)
                        .map_err(r2d2::Error::QueryError)?;
                }
                Ok(DbConn::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        diesel::sql_query("SELECT 1")
            .execute(conn)
            .map(|_| ())
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

/// Builds the pool. SQLite gets a small pool (one writer at a time anyway).
pub fn connect(url: &str) -> anyhow::Result<Pool> {
    let size = match Backend::of_url(url) {
        Backend::Sqlite => {
            let manager = DbManager::new(url);
            let mut first = SqliteConnection::establish(manager.sqlite_path())?;
            diesel::sql_query("PRAGMA busy_timeout = 10000").execute(&mut first)?;
            diesel::sql_query("PRAGMA journal_mode = WAL").execute(&mut first)?;
            // Households' data: readable by the server's account only (等保, 个人信息保护法).
            crate::secrets::make_private(std::path::Path::new(manager.sqlite_path()))?;
            8
        }
        Backend::Postgres => 16,
    };
    let pool = r2d2::Pool::builder()
        .max_size(size)
        .connection_timeout(Duration::from_secs(15))
        .build(DbManager::new(url))?;
    Ok(pool)
}

/// The handle shared with handlers: reads run on the blocking thread pool with a pooled
/// connection; commands ([`Db::tx`]) go to the SQLite writer, or on PostgreSQL to a pooled
/// connection each (PostgreSQL commits concurrent transactions in parallel itself).
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    writer: Option<std::sync::Arc<writer::Writer>>,
}

impl Db {
    /// The handle for `url`'s database: on SQLite it starts the writer thread with its own
    /// connection and a queue of `write_queue` commands (`Settings::write_queue`).
    pub fn new(pool: Pool, url: &str, write_queue: usize) -> anyhow::Result<Db> {
        let writer = match Backend::of_url(url) {
            Backend::Sqlite => Some(std::sync::Arc::new(writer::Writer::start(
                DbManager::new(url),
                write_queue,
            )?)),
            Backend::Postgres => None,
        };
        Ok(Db { pool, writer })
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Commits and commands the SQLite writer has done so far; `None` on PostgreSQL.
    pub fn write_stats(&self) -> Option<writer::WriteStats> {
        self.writer.as_ref().map(|w| w.stats())
    }

    /// Runs `work` with a pooled connection on a blocking thread.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get().map_err(DbError::Pool)?;
            work(&mut conn)
        })
        .await
        .map_err(|_| E::from(DbError::Blocking))?
    }

    /// Runs `work` inside one transaction: all of it is written, or none. Answered only once
    /// the write is committed (on SQLite: with the batch it shared the writer's commit with).
    /// `work` must do database work only: the writer runs one command at a time, so slow work
    /// (hashing, files, mail) belongs before or after it.
    pub async fn tx<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        let Some(writer) = &self.writer else {
            return self.run(move |conn| in_transaction(conn, work)).await;
        };
        let (reply, answer) = tokio::sync::oneshot::channel();
        writer.submit(Box::new(writer::TxJob { work, reply }))?;
        // A dropped sender: the command panicked inside the writer (and was rolled back).
        answer
            .await
            .map_err(|_| E::from(DbError::NotWritten("the command panicked".into())))?
    }
}

/// One transaction on either backend. SQLite write transactions begin IMMEDIATE: a deferred
/// one that reads first and writes later cannot wait for another writer and fails at once with
/// "database is locked"; taking the write lock up front makes it wait (busy_timeout) instead.
pub fn in_transaction<T, E, F>(conn: &mut DbConn, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let DbConn::Sqlite(sqlite) = conn else {
        return conn.transaction(work);
    };
    // Inside a transaction already (a command called from another, a test fixture): a
    // savepoint, as diesel nests on PostgreSQL; the write lock is held by the outer BEGIN.
    let depth = AnsiTransactionManager::transaction_manager_status_mut(sqlite).transaction_depth();
    if matches!(depth, Ok(Some(_))) {
        return conn.transaction(work);
    }
    AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
    match work(conn) {
        Ok(value) => {
            <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(err) => {
            <DbConn as Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(err)
        }
    }
}

/// Infrastructure failures below the domain: never the user's fault.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database pool: {0}")]
    Pool(#[from] r2d2::PoolError),
    #[error("blocking task was cancelled")]
    Blocking,
    /// The writer's queue is full: the person is asked to try again in a moment (503).
    #[error("the database writer is busy")]
    Busy,
    /// The writer thread is gone (only when the server is shutting down).
    #[error("the database writer has stopped")]
    WriterGone,
    /// The command's transaction was not committed (its batch failed, or it panicked).
    #[error("not written: {0}")]
    NotWritten(String),
    #[error("database: {0}")]
    Query(#[from] diesel::result::Error),
    /// A stored state or kind the code does not know: never replaced by a default.
    #[error("{table} row {id}: unknown {column} value {value:?}")]
    UnknownValue {
        table: &'static str,
        id: String,
        column: &'static str,
        value: String,
    },
}

impl DbError {
    /// The error for a stored `column` value of `table` row `id` that no enum variant names.
    pub fn unknown(
        table: &'static str,
        id: impl std::fmt::Display,
        column: &'static str,
        value: &str,
    ) -> DbError {
        DbError::UnknownValue {
            table,
            id: id.to_string(),
            column,
            value: value.to_string(),
        }
    }
}

/// True when a write failed on a unique constraint: the database refused a duplicate.
pub fn is_unique_violation(err: &diesel::result::Error) -> bool {
    matches!(
        err,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

thread_local! {
    /// How far back the demo's seeding writes on this thread (see [`back_dated`]); zero otherwise.
    static BACK_DATED: std::cell::Cell<chrono::TimeDelta> = const { std::cell::Cell::new(chrono::TimeDelta::zero()) };
}

/// Runs `write` with [`now`] reading `by` earlier on this thread only. The demo seeds a village's
/// past (a round collected, a shortlist noticed) through the very commands a clerk uses, each on
/// the day it happened, so every rule and time check applies as it would have then. Nothing but
/// the demo's seeding calls it; the request threads and the writer thread never see a shift.
pub fn back_dated<T>(by: chrono::TimeDelta, write: impl FnOnce() -> T) -> T {
    struct Restore(chrono::TimeDelta);
    impl Drop for Restore {
        fn drop(&mut self) {
            BACK_DATED.set(self.0);
        }
    }
    let _restore = Restore(BACK_DATED.replace(by));
    write()
}

/// Current time as stored: naive UTC, set from Rust so both backends keep the same precision.
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc() - BACK_DATED.get();
    // Microseconds: PostgreSQL keeps no more, so a value read back equals the value written.
    chrono::DurationRound::duration_trunc(now, chrono::TimeDelta::microseconds(1)).unwrap_or(now)
}
