//! Password and PIN hashing with argon2id on a small dedicated pool of threads with a bounded
//! queue. A burst of logins therefore waits here (or is told to retry) instead of filling the
//! blocking pool that database work and page rendering need.

use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
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

/// How many hashing requests may wait before new ones are refused as busy.
const QUEUE: usize = 64;

impl PasswordPool {
    pub fn start(workers: usize, cost: PasswordCost) -> anyhow::Result<PasswordPool> {
        let hasher = hasher(cost)?;
        let decoy = Arc::new(hash_with(&hasher, "decoy").map_err(|e| anyhow::anyhow!("{e}"))?);
        let (jobs, queue) = mpsc::sync_channel::<Job>(QUEUE);
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..workers.max(1) {
            let queue = Arc::clone(&queue);
            let hasher = hasher.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while taking a job, not while hashing.
                        let job = match queue.lock() {
                            Ok(q) => q.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => run(&hasher, job),
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

fn hasher(cost: PasswordCost) -> anyhow::Result<Argon2<'static>> {
    let params = Params::new(cost.memory_kib, cost.passes, 1, None)
        .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes synchronously, for command-line jobs that run outside the server (demo seeding).
pub fn hash_now(cost: PasswordCost, secret: &str) -> anyhow::Result<String> {
    hash_with(&hasher(cost)?, secret).map_err(|e| anyhow::anyhow!("{e}"))
}

fn hash_with(hasher: &Argon2<'static>, secret: &str) -> Result<String, PasswordError> {
    hasher
        .hash_password(secret.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Failed(e.to_string()))
}

fn verify_with(hasher: &Argon2<'static>, secret: &str, phc: &str) -> Result<bool, PasswordError> {
    let parsed = PasswordHash::new(phc).map_err(|e| PasswordError::Failed(e.to_string()))?;
    Ok(hasher.verify_password(secret.as_bytes(), &parsed).is_ok())
}

fn run(hasher: &Argon2<'static>, job: Job) {
    match job {
        Job::Hash(secret, reply) => {
            let _ = reply.send(hash_with(hasher, &secret));
        }
        Job::Verify(secret, phc, reply) => {
            let _ = reply.send(verify_with(hasher, &secret, &phc));
        }
    }
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

    #[tokio::test]
    async fn a_garbled_hash_is_an_error_not_a_panic() {
        let pool = PasswordPool::start(1, PasswordCost::TEST).expect("pool");
        assert!(pool.verify("x".into(), "not a hash".into()).await.is_err());
    }
}
