//! Password and PIN hashing with argon2id on a small dedicated pool of threads with a bounded
//! queue. A burst of logins therefore waits here (or is told to retry) instead of filling the
//! blocking pool that database work and page rendering need.
//!
//! Each hashing thread owns its argon2 working memory (19 MiB at OWASP cost) and reuses it for
//! every hash and check: the crate's own `hash_password` allocates a fresh block per call, which
//! the allocator keeps in per-thread arenas, so a burst of logins grew the process by hundreds of
//! megabytes. Memory now stays at one block per hashing thread.

use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::RngCore;
use tokio::sync::oneshot;

use crate::config::PasswordCost;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("password hashing is busy")]
    Busy,
    #[error("password hashing failed: {0}")]
    Failed(String),
}

enum Job {
    Hash(String, oneshot::Sender<Result<String, PasswordError>>),
    Verify(String, String, oneshot::Sender<Result<bool, PasswordError>>),
}

/// A cloneable handle to the hashing threads.
#[derive(Clone)]
pub struct PasswordPool {
    jobs: SyncSender<Job>,
    /// A hash of nothing in particular, verified when an account does not exist so that a
    /// wrong username takes as long as a wrong password.
    decoy: Arc<String>,
}

/// How many hashing requests may wait by default before new ones are refused as busy. A
/// waiting request holds only its strings; memory is per hashing thread, not per request.
pub const DEFAULT_QUEUE: usize = 512;

impl PasswordPool {
    pub fn start(workers: usize, cost: PasswordCost) -> anyhow::Result<PasswordPool> {
        PasswordPool::start_with_queue(workers, DEFAULT_QUEUE, cost)
    }

    /// Starts `workers` hashing threads with room for `queue` waiting requests.
    pub fn start_with_queue(
        workers: usize,
        queue: usize,
        cost: PasswordCost,
    ) -> anyhow::Result<PasswordPool> {
        let params = params(cost)?;
        let decoy = Arc::new(
            Worker::new(params.clone())
                .hash("decoy")
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        );
        let (jobs, waiting) = mpsc::sync_channel::<Job>(queue.max(1));
        let waiting = Arc::new(Mutex::new(waiting));
        for n in 0..workers.max(1) {
            let waiting = Arc::clone(&waiting);
            let mut worker = Worker::new(params.clone());
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while taking a job, not while hashing.
                        let job = match waiting.lock() {
                            Ok(q) => q.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => worker.run(job),
                            Err(_) => return, // every handle dropped: shut down
                        }
                    }
                })?;
        }
        Ok(PasswordPool { jobs, decoy })
    }

    /// Hashes a secret into a PHC string (`$argon2id$v=19$m=…`).
    pub async fn hash(&self, secret: String) -> Result<String, PasswordError> {
        let (tx, rx) = oneshot::channel();
        self.submit(Job::Hash(secret, tx))?;
        rx.await
            .map_err(|_| PasswordError::Failed("worker stopped".into()))?
    }

    /// Checks a secret against a stored PHC string; the cost comes from the string itself.
    pub async fn verify(&self, secret: String, phc: String) -> Result<bool, PasswordError> {
        let (tx, rx) = oneshot::channel();
        self.submit(Job::Verify(secret, phc, tx))?;
        rx.await
            .map_err(|_| PasswordError::Failed("worker stopped".into()))?
    }

    /// Verifies against the stored hash, or against the decoy when there is none (always false).
    pub async fn verify_or_decoy(
        &self,
        secret: String,
        phc: Option<String>,
    ) -> Result<bool, PasswordError> {
        match phc {
            Some(phc) => self.verify(secret, phc).await,
            None => self
                .verify(secret, self.decoy.as_ref().clone())
                .await
                .map(|_| false),
        }
    }

    fn submit(&self, job: Job) -> Result<(), PasswordError> {
        self.jobs.try_send(job).map_err(|e| match e {
            TrySendError::Full(_) => PasswordError::Busy,
            TrySendError::Disconnected(_) => PasswordError::Failed("no workers".into()),
        })
    }
}

fn params(cost: PasswordCost) -> anyhow::Result<Params> {
    Params::new(cost.memory_kib, cost.passes, 1, None)
        .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))
}

/// Hashes synchronously, for command-line jobs that run outside the server (one account).
pub fn hash_now(cost: PasswordCost, secret: &str) -> anyhow::Result<String> {
    BatchHasher::new(cost)?.hash(secret)
}

/// Hashes many secrets on one thread in one reused block of memory (demo seeding, imports).
pub struct BatchHasher(Worker);

impl BatchHasher {
    pub fn new(cost: PasswordCost) -> anyhow::Result<BatchHasher> {
        Ok(BatchHasher(Worker::new(params(cost)?)))
    }

    pub fn hash(&mut self, secret: &str) -> anyhow::Result<String> {
        self.0.hash(secret).map_err(|e| anyhow::anyhow!("{e}"))
    }
}

fn failed(e: impl std::fmt::Display) -> PasswordError {
    PasswordError::Failed(e.to_string())
}

/// One hashing thread: the cost new hashes get, and the argon2 memory it reuses.
struct Worker {
    params: Params,
    memory: Vec<Block>,
}

impl Worker {
    fn new(params: Params) -> Worker {
        Worker {
            params,
            memory: Vec::new(),
        }
    }

    fn run(&mut self, job: Job) {
        match job {
            Job::Hash(secret, reply) => {
                let _ = reply.send(self.hash(&secret));
            }
            Job::Verify(secret, phc, reply) => {
                let _ = reply.send(self.verify(&secret, &phc));
            }
        }
    }

    /// Runs argon2 in this thread's memory, grown once to the largest cost it has seen.
    fn derive(
        &mut self,
        argon: &Argon2<'_>,
        secret: &str,
        salt: &[u8],
        out: &mut [u8],
    ) -> Result<(), PasswordError> {
        let need = argon.params().block_count();
        if self.memory.len() < need {
            self.memory.resize(need, Block::new());
        }
        argon
            .hash_password_into_with_memory(secret.as_bytes(), salt, out, &mut self.memory[..need])
            .map_err(failed)
    }

    /// A new PHC string (`$argon2id$v=19$m=…`) with a random 16-byte salt.
    fn hash(&mut self, secret: &str) -> Result<String, PasswordError> {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone());
        let mut out = vec![
            0u8;
            self.params
                .output_len()
                .unwrap_or(Params::DEFAULT_OUTPUT_LEN)
        ];
        self.derive(&argon, secret, &salt, &mut out)?;
        let phc = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&self.params).map_err(failed)?,
            salt: Some(Salt::new(&salt).map_err(failed)?),
            hash: Some(Output::new(&out).map_err(failed)?),
        };
        Ok(phc.to_string())
    }

    /// Checks a secret against a stored PHC string, at the cost written in the string.
    fn verify(&mut self, secret: &str, phc: &str) -> Result<bool, PasswordError> {
        let parsed = PasswordHash::new(phc).map_err(failed)?;
        let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
            return Err(failed("a stored hash without salt or output"));
        };
        let algorithm = Algorithm::try_from(parsed.algorithm.as_str()).map_err(failed)?;
        let version = match parsed.version {
            Some(v) => Version::try_from(v).map_err(failed)?,
            None => Version::default(),
        };
        let params = Params::try_from(&parsed).map_err(failed)?;
        let argon = Argon2::new(algorithm, version, params);
        let mut out = vec![0u8; expected.as_bytes().len()];
        self.derive(&argon, secret, salt, &mut out)?;
        Ok(constant_time_eq(&out, expected.as_bytes()))
    }
}

/// Compares without stopping at the first difference, so timing tells nothing about the hash.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let pool = PasswordPool::start(1, PasswordCost::TEST).expect("pool");
        let phc = pool.hash("秘密 pass 1".into()).await.expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$"), "{phc}");
        assert!(
            pool.verify("秘密 pass 1".into(), phc.clone())
                .await
                .expect("verify")
        );
        assert!(!pool.verify("wrong".into(), phc).await.expect("verify"));
    }

    #[test]
    fn owasp_cost_is_the_production_default() {
        let phc = hash_now(PasswordCost::OWASP, "x").expect("hash");
        assert!(phc.contains("m=19456,t=2,p=1"), "{phc}");
    }

    #[test]
    fn hashes_match_the_argon2_crate_both_ways() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let params = params(PasswordCost::TEST).expect("params");
        let reference = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let mut worker = Worker::new(params);
        // Ours verifies with the crate…
        let ours = worker.hash("户主 1234").expect("hash");
        let parsed = PasswordHash::new(&ours).expect("phc");
        assert!(
            reference
                .verify_password("户主 1234".as_bytes(), &parsed)
                .is_ok()
        );
        assert!(reference.verify_password(b"other", &parsed).is_err());
        // …and the crate's (every hash stored before this change) verifies with ours.
        let theirs = reference
            .hash_password(b"secret")
            .expect("hash")
            .to_string();
        assert!(worker.verify("secret", &theirs).expect("verify"));
        assert!(!worker.verify("Secret", &theirs).expect("verify"));
    }

    #[test]
    fn a_worker_reuses_its_memory() {
        let mut worker = Worker::new(params(PasswordCost::TEST).expect("params"));
        let phc = worker.hash("one").expect("hash");
        let block = worker.memory.as_ptr();
        for _ in 0..3 {
            assert!(worker.verify("one", &phc).expect("verify"));
            worker.hash("two").expect("hash");
        }
        assert_eq!(worker.memory.as_ptr(), block, "no new allocation per hash");
    }

    #[tokio::test]
    async fn a_full_queue_answers_busy() {
        // One worker, room for one waiting request: a burst of five finds the queue full.
        let pool = PasswordPool::start_with_queue(1, 1, PasswordCost::OWASP).expect("pool");
        let attempts = (0..5).map(|_| pool.hash("x".into()));
        let results = futures_util::future::join_all(attempts).await;
        assert!(
            results
                .iter()
                .any(|r| matches!(r, Err(PasswordError::Busy)))
        );
        assert!(results.iter().any(Result::is_ok));
    }

    #[tokio::test]
    async fn a_garbled_hash_is_an_error_not_a_panic() {
        let pool = PasswordPool::start(1, PasswordCost::TEST).expect("pool");
        assert!(pool.verify("x".into(), "not a hash".into()).await.is_err());
    }
}
