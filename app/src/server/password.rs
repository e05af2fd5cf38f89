//! Password hashing with argon2id (the crate's defaults: 19 MiB, 2 passes, 1 lane, as OWASP
//! recommends), on a small pool of worker threads of its own, one per core. Each hash holds
//! about 19 MiB while it runs; run unbounded (one blocking-pool thread each), 60 concurrent
//! sign-ins took the server to 1.3 GiB, and the allocator kept it. With a fixed set of workers
//! at most that many hashes run at once, each worker reuses its own memory, and the process stays
//! within a known ceiling. A bounded queue waits in front of them; when it is full the attempt is
//! refused at once as busy (503) instead of piling up.
//!
//! Bounding is not enough to give the memory back: glibc raises its mmap threshold after the
//! first large block is freed, so later 19 MiB blocks come from its heaps and stay there (measured:
//! 100 sign-ins one after another left the server at 232 MiB instead of 18). When the workers
//! start, the threshold is fixed at 1 MiB ([`return_large_blocks_to_the_system`]), so every
//! hash's memory goes back to the system when it is done.

use crate::server::ServerError;
use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError, sync_channel};

/// How many hashes may wait for a worker; beyond it an attempt is refused as busy. A waiting
/// hash holds no memory to speak of (its 19 MiB are taken when it runs), and 128 waiting take
/// about a second to clear on 2 cores.
pub const QUEUE: usize = 128;

/// Hashes running now, and the most that ever ran at once (for the test of the bound).
static RUNNING: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// The most hashes that ever ran at once in this process.
pub fn peak_concurrency() -> usize {
    PEAK.load(Ordering::SeqCst)
}

/// The number of hashing workers: one per available core.
pub fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

type Job = Box<dyn FnOnce() + Send>;

/// The workers' queue, started on first use: one worker per available core.
fn queue() -> &'static SyncSender<Job> {
    static QUEUE_TX: OnceLock<SyncSender<Job>> = OnceLock::new();
    QUEUE_TX.get_or_init(|| {
        return_large_blocks_to_the_system();
        let (tx, rx) = sync_channel::<Job>(QUEUE);
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        for i in 0..workers() {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while taking the next job.
                        let job = match rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => {
                                let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
                                PEAK.fetch_max(now, Ordering::SeqCst);
                                job();
                                RUNNING.fetch_sub(1, Ordering::SeqCst);
                            }
                            Err(_) => return,
                        }
                    }
                })
                .expect("argon2 worker thread");
        }
        tx
    })
}

/// Fixes glibc's mmap threshold at 1 MiB for the whole process (it would otherwise grow to the
/// size of the largest block freed, up to 32 MiB), so that blocks of that size and larger are
/// mapped for their use alone and unmapped when freed. Costs a page fault per 4 KiB of a hash's
/// memory, which the hash writes anyway. Elsewhere than Linux with glibc: nothing to do.
pub fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a setting of the allocator; any value is valid for it.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
    }
}

/// Runs `work` on a hashing worker and waits for it without blocking the async runtime.
/// `Busy` when the queue is full.
async fn on_worker<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ServerError> {
    let (done, result) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(work());
    });
    match queue().try_send(job) {
        Ok(()) => {}
        Err(TrySendError::Full(_)) => {
            tracing::warn!("password hashing queue full");
            return Err(ServerError::Busy);
        }
        Err(TrySendError::Disconnected(_)) => {
            return Err(ServerError::Crypto("hashing workers stopped".into()));
        }
    }
    result
        .await
        .map_err(|_| ServerError::Crypto("hashing worker dropped a job".into()))
}

/// Hashes a password into a PHC string (`$argon2id$v=19$...`).
pub async fn hash(password: String) -> Result<String, ServerError> {
    on_worker(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| ServerError::Crypto(e.to_string()))
    })
    .await?
}

/// True when `password` matches the stored hash. A malformed hash never matches. `Busy` when
/// the hashing queue is full.
pub async fn verify(password: String, stored: String) -> Result<bool, ServerError> {
    on_worker(move || {
        PasswordHash::new(&stored)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
}

/// Whether a new password is hard enough to guess: zxcvbn's estimate at least "safely
/// unguessable" (score 3 of 4), counting the user's own name and e-mail address (and the portal's
/// words) as known, so that common passwords, keyboard runs, repeats and context-specific ones
/// are refused, as NIST SP 800-63B asks. Length alone is checked first by the domain rule.
pub fn hard_to_guess(password: &str, context: &[&str]) -> bool {
    let mut words: Vec<&str> = context.to_vec();
    // The e-mail address's parts, and the portal's own words.
    let parts: Vec<&str> = context
        .iter()
        .flat_map(|c| c.split(['@', '.', ' ', '-', '_']))
        .filter(|p| p.chars().count() >= 3)
        .collect();
    words.extend(parts);
    words.extend(["krisesenter", "reetablering", "portal", "oslo", "passord"]);
    zxcvbn::zxcvbn(password, &words).score() >= zxcvbn::Score::Three
}

#[cfg(test)]
mod tests {
    #[test]
    fn common_repeated_and_context_specific_passwords_are_too_easy_to_guess() {
        let me = ["kari.nordmann@example.org", "Kari Nordmann"];
        for weak in [
            "            ",
            "123456789012",
            "passwordpassword",
            "qwertyuiopasdf",
            "kari.nordmann@example.org",
            "krisesenter123",
        ] {
            assert!(!super::hard_to_guess(weak, &me), "{weak:?}");
        }
        for strong in [
            "korrekt hest batteri stift",
            "Blåbær-syltetøy på fjelltur 7",
        ] {
            assert!(super::hard_to_guess(strong, &me), "{strong:?}");
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_hashes_run_at_once_than_there_are_workers() {
        let handles: Vec<_> = (0..12)
            .map(|i| tokio::spawn(super::hash(format!("passord nummer {i}"))))
            .collect();
        for h in handles {
            assert!(h.await.unwrap().unwrap().starts_with("$argon2id$"));
        }
        let peak = super::peak_concurrency();
        assert!(peak >= 1 && peak <= super::workers(), "peak {peak}");
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let stored = super::hash("correct horse battery".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(
            super::verify("correct horse battery".into(), stored.clone())
                .await
                .unwrap()
        );
        assert!(
            !super::verify("correct horse batterY".into(), stored)
                .await
                .unwrap()
        );
        assert!(
            !super::verify("x".into(), "not a hash".into())
                .await
                .unwrap()
        );
    }
}
