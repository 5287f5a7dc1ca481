//! Group commit on SQLite: one writer thread owns one connection and runs every command
//! [`Db::tx`](super::Db::tx) sends it. It takes whatever is queued (at most [`MAX_BATCH`]), opens
//! one `BEGIN IMMEDIATE`, runs each command inside its own savepoint, commits once (one fsync at
//! `synchronous = FULL` for the whole batch) and only then answers every command. A command that
//! fails is rolled back to its savepoint, so its neighbours' writes stay; one that panics is
//! rolled back the same way and answered with an error, and the writer goes on. If the COMMIT
//! itself fails, every command of the batch is told its write is lost.
//!
//! Why a thread and not the pool: SQLite has one writer at a time anyway, so eight pooled
//! connections taking turns each pay their own fsync; one writer pays one per batch.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};

use diesel::connection::{AnsiTransactionManager, Connection, TransactionManager};
use diesel::r2d2::ManageConnection;

use super::{DbConn, DbError, DbManager};

/// The most commands one transaction carries: bounds how long the write lock is held and how
/// long the first command of a batch waits for the last.
pub const MAX_BATCH: usize = 64;

/// A command waiting for the writer.
pub(super) trait Job: Send {
    /// Runs the command inside the open transaction (in its own savepoint).
    fn run(self: Box<Self>, conn: &mut DbConn) -> Box<dyn Answer>;
    /// The batch never started (the connection or `BEGIN` failed): the command did not run.
    fn refuse(self: Box<Self>, why: &str);
}

/// A command that ran, holding its result until the batch's fate is known.
pub(super) trait Answer: Send {
    /// The batch is on disk: the command's own result goes out.
    fn committed(self: Box<Self>);
    /// The batch was not committed: what the command wrote is gone.
    fn lost(self: Box<Self>, why: &str);
}

/// How many transactions and commands the writer committed: tests and benchmarks read it to
/// see that concurrent commands share commits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Transactions committed (each one fsync).
    pub commits: u64,
    /// Commands answered after a commit (failed ones included: their savepoint was released).
    pub commands: u64,
}

#[derive(Default)]
struct Counters {
    commits: AtomicU64,
    commands: AtomicU64,
}

/// The sending side, shared by every clone of [`Db`](super::Db). The thread ends when the last
/// clone is dropped.
pub(super) struct Writer {
    jobs: SyncSender<Box<dyn Job>>,
    counters: Arc<Counters>,
}

impl Writer {
    /// Opens the writer's own connection (same PRAGMAs as the pool's) and starts its thread.
    /// `queue` commands may wait; more are refused as busy.
    pub(super) fn start(manager: DbManager, queue: usize) -> anyhow::Result<Writer> {
        let conn = manager.connect()?;
        let (jobs, receiver) = sync_channel::<Box<dyn Job>>(queue.max(1));
        let counters = Arc::new(Counters::default());
        let seen = counters.clone();
        std::thread::Builder::new()
            .name("minyi-writer".into())
            .spawn(move || serve(manager, conn, receiver, &seen))?;
        Ok(Writer { jobs, counters })
    }

    /// Queues a command, or refuses it at once when the queue is full (the caller answers 503).
    pub(super) fn submit(&self, job: Box<dyn Job>) -> Result<(), DbError> {
        self.jobs.try_send(job).map_err(|err| match err {
            TrySendError::Full(_) => DbError::Busy,
            TrySendError::Disconnected(_) => DbError::WriterGone,
        })
    }

    pub(super) fn stats(&self) -> WriteStats {
        WriteStats {
            commits: self.counters.commits.load(Ordering::Relaxed),
            commands: self.counters.commands.load(Ordering::Relaxed),
        }
    }
}

/// The writer thread: one batch after another until every sender is gone.
fn serve(manager: DbManager, conn: DbConn, jobs: Receiver<Box<dyn Job>>, counters: &Counters) {
    let mut conn = Some(conn);
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        // A connection left unusable by the previous batch is replaced before this one.
        let current = match conn.take() {
            Some(c) => Ok(c),
            None => manager.connect().map_err(|e| e.to_string()),
        };
        let mut c = match current {
            Ok(c) => c,
            Err(why) => {
                tracing::error!(error = %why, "the writer cannot open the database");
                batch.into_iter().for_each(|job| job.refuse(&why));
                continue;
            }
        };
        if run_batch(&mut c, batch, counters) {
            conn = Some(c);
        }
    }
}

/// The transaction manager's depth: `Ok(Some(1))` inside the batch's transaction with no
/// savepoint left open; `Err` when diesel marked the connection broken.
fn depth(conn: &mut DbConn) -> Result<Option<u32>, ()> {
    let DbConn::Sqlite(sqlite) = conn else {
        return Err(());
    };
    AnsiTransactionManager::transaction_manager_status_mut(sqlite)
        .transaction_depth()
        .map(|d| d.map(|n| n.get()))
        .map_err(|_| ())
}

/// Runs one batch; false when the connection must be replaced.
fn run_batch(conn: &mut DbConn, batch: Vec<Box<dyn Job>>, counters: &Counters) -> bool {
    let begun = match conn {
        DbConn::Sqlite(sqlite) => {
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")
        }
        DbConn::Pg(_) => Err(diesel::result::Error::BrokenTransactionManager),
    };
    if let Err(err) = begun {
        let why = err.to_string();
        tracing::error!(error = %why, "the writer could not begin a transaction");
        batch.into_iter().for_each(|job| job.refuse(&why));
        return depth(conn) == Ok(None);
    }
    let mut answers: Vec<Box<dyn Answer>> = Vec::with_capacity(batch.len());
    let mut jobs = batch.into_iter();
    let mut broken = None;
    for job in jobs.by_ref() {
        // Each command opens its own savepoint (`in_transaction` nests); a panic leaves it
        // open, so it is rolled back here and the command's sender, dropped while unwinding,
        // tells its caller the write failed.
        match catch_unwind(AssertUnwindSafe(|| job.run(conn))) {
            Ok(answer) => answers.push(answer),
            Err(_) => tracing::error!("a command panicked inside the writer; rolled back"),
        }
        if let Err(why) = back_to_batch_level(conn) {
            broken = Some(why);
            break;
        }
    }
    if let Some(why) = broken {
        // The transaction cannot be trusted any more: nothing of it is committed.
        tracing::error!(error = %why, "the writer abandoned a batch");
        let _ = <DbConn as Connection>::TransactionManager::rollback_transaction(conn);
        answers.into_iter().for_each(|a| a.lost(&why));
        jobs.for_each(|job| job.refuse(&why));
        return false;
    }
    match <DbConn as Connection>::TransactionManager::commit_transaction(conn) {
        Ok(()) => {
            counters.commits.fetch_add(1, Ordering::Relaxed);
            counters
                .commands
                .fetch_add(answers.len() as u64, Ordering::Relaxed);
            answers.into_iter().for_each(|a| a.committed());
            true
        }
        Err(err) => {
            let why = err.to_string();
            tracing::error!(error = %why, "the writer's commit failed");
            answers.into_iter().for_each(|a| a.lost(&why));
            if depth(conn) == Ok(Some(1)) {
                let _ = <DbConn as Connection>::TransactionManager::rollback_transaction(conn);
            }
            depth(conn) == Ok(None)
        }
    }
}

/// Closes any savepoint a panicking command left open, back to the batch's own transaction.
fn back_to_batch_level(conn: &mut DbConn) -> Result<(), String> {
    loop {
        match depth(conn) {
            Ok(Some(1)) => return Ok(()),
            Ok(Some(_)) => {
                <DbConn as Connection>::TransactionManager::rollback_transaction(conn)
                    .map_err(|e| e.to_string())?;
            }
            Ok(None) => return Err("the batch's transaction ended early".into()),
            Err(()) => return Err("the connection's transaction state is broken".into()),
        }
    }
}

/// One `Db::tx` call in the writer's queue: the work and where its answer goes.
pub(super) struct TxJob<F, T, E> {
    pub(super) work: F,
    pub(super) reply: tokio::sync::oneshot::Sender<Result<T, E>>,
}

struct TxAnswer<T, E> {
    result: Result<T, E>,
    reply: tokio::sync::oneshot::Sender<Result<T, E>>,
}

impl<F, T, E> Job for TxJob<F, T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<DbError> + From<diesel::result::Error> + Send + 'static,
{
    fn run(self: Box<Self>, conn: &mut DbConn) -> Box<dyn Answer> {
        let TxJob { work, reply } = *self;
        let result = super::in_transaction(conn, work);
        Box::new(TxAnswer { result, reply })
    }

    fn refuse(self: Box<Self>, why: &str) {
        let _ = self
            .reply
            .send(Err(DbError::NotWritten(why.to_string()).into()));
    }
}

impl<T, E> Answer for TxAnswer<T, E>
where
    T: Send + 'static,
    E: From<DbError> + Send + 'static,
{
    fn committed(self: Box<Self>) {
        let _ = self.reply.send(self.result);
    }

    fn lost(self: Box<Self>, why: &str) {
        // A command that failed on its own keeps its own error: its writes were undone anyway.
        let result = match self.result {
            Ok(_) => Err(DbError::NotWritten(why.to_string()).into()),
            Err(err) => Err(err),
        };
        let _ = self.reply.send(result);
    }
}
