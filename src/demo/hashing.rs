//! Hashing the demo's secrets (a few hundred PINs and the staff passwords) on every core in one
//! batch, reporting progress: argon2 is slow by design, so seeding hashes them in parallel.

use std::io::Write;

use crate::auth::password::BatchHasher;
use crate::config::PasswordCost;

/// Hashes secrets on every core, reporting progress (demo seeding hashes a few hundred PINs).
pub(super) fn hash_all(
    cost: PasswordCost,
    secrets: &[String],
    out: &mut dyn Write,
) -> anyhow::Result<Vec<String>> {
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .max(1);
    let chunk = secrets.len().div_ceil(threads).max(1);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = secrets.len();
    let hashes = std::thread::scope(|scope| {
        let workers: Vec<_> = secrets
            .chunks(chunk)
            .map(|part| {
                let done = &done;
                scope.spawn(move || {
                    // One hasher per thread: its argon2 memory is reused for every secret.
                    let mut hasher = BatchHasher::new(cost)?;
                    part.iter()
                        .map(|s| {
                            let h = hasher.hash(s);
                            done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            h
                        })
                        .collect::<anyhow::Result<Vec<_>>>()
                })
            })
            .collect();
        while !workers.iter().all(|w| w.is_finished()) {
            let n = done.load(std::sync::atomic::Ordering::Relaxed);
            let _ = write!(out, "\rminyi demo: hashing PINs and passwords {n}/{total}");
            let _ = out.flush();
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .map_err(|_| anyhow::anyhow!("hashing thread panicked"))?
            })
            .collect::<anyhow::Result<Vec<Vec<String>>>>()
    })?;
    writeln!(
        out,
        "\rminyi demo: hashing PINs and passwords {total}/{total}"
    )?;
    Ok(hashes.into_iter().flatten().collect())
}
