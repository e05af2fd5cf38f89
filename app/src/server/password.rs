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
//!
//! A hash's memory is taken from the system allocator ([`SystemBlocks`]) whatever the process's
//! global allocator is, so the server can run on an allocator that keeps freed memory for reuse
//! (mimalloc, faster for the many small blocks of a page view) without keeping 19 MiB per hash.

use crate::server::ServerError;
use argon2::password_hash::{
    Output, ParamsString, PasswordHash, Salt, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::alloc::{GlobalAlloc, Layout, System};
use std::ptr::NonNull;
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

/// A hash's working memory, taken from the system allocator and given back to it when dropped.
/// Zeroed memory is a valid [`Block`] (it is an array of integers).
struct SystemBlocks {
    blocks: NonNull<Block>,
    count: usize,
    layout: Layout,
}

impl SystemBlocks {
    fn new(count: usize) -> Result<Self, ServerError> {
        let out_of_memory = || ServerError::Crypto("no memory for a password hash".into());
        let layout = Layout::array::<Block>(count.max(1)).map_err(|_| out_of_memory())?;
        // SAFETY: the layout has a non-zero size (at least one block).
        let raw = unsafe { System.alloc_zeroed(layout) };
        let blocks = NonNull::new(raw.cast::<Block>()).ok_or_else(out_of_memory)?;
        Ok(SystemBlocks {
            blocks,
            count,
            layout,
        })
    }
}

impl AsMut<[Block]> for SystemBlocks {
    fn as_mut(&mut self) -> &mut [Block] {
        // SAFETY: `blocks` points to `count` zero-initialised blocks this value owns alone.
        unsafe { std::slice::from_raw_parts_mut(self.blocks.as_ptr(), self.count) }
    }
}

impl Drop for SystemBlocks {
    fn drop(&mut self) {
        // SAFETY: allocated by `System` with this layout in `new`, and freed only here.
        unsafe { System.dealloc(self.blocks.as_ptr().cast(), self.layout) }
    }
}

// SAFETY: the memory is owned by the value alone; moving it to another thread moves the owner.
unsafe impl Send for SystemBlocks {}

/// What `argon2`'s `PasswordHasher::hash_password` does, with the memory from [`SystemBlocks`].
fn hash_with<'a>(
    argon2: &Argon2<'_>,
    algorithm: Algorithm,
    version: Version,
    password: &[u8],
    salt: Salt<'a>,
) -> Result<PasswordHash<'a>, ServerError> {
    let crypto = |e: argon2::password_hash::Error| ServerError::Crypto(e.to_string());
    let params = argon2.params();
    let mut salt_buf = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_buf).map_err(crypto)?;
    let output_len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let memory = SystemBlocks::new(params.block_count())?;
    let mut memory = Some(memory);
    let output = Output::init_with(output_len, |out| {
        let memory = memory.take().ok_or(argon2::password_hash::Error::Crypto)?;
        argon2
            .hash_password_into_with_memory(password, salt_bytes, out, memory)
            .map_err(argon2::password_hash::Error::from)
    })
    .map_err(crypto)?;
    Ok(PasswordHash {
        algorithm: algorithm.ident(),
        version: Some(version.into()),
        params: ParamsString::try_from(params).map_err(crypto)?,
        salt: Some(salt),
        hash: Some(output),
    })
}

/// Hashes a password into a PHC string (`$argon2id$v=19$...`).
pub async fn hash(password: String) -> Result<String, ServerError> {
    on_worker(move || {
        let salt = SaltString::generate(&mut OsRng);
        let argon2 = Argon2::default();
        hash_with(
            &argon2,
            Algorithm::default(),
            Version::default(),
            password.as_bytes(),
            salt.as_salt(),
        )
        .map(|h| h.to_string())
    })
    .await?
}

/// True when `password` matches the stored hash, computed with the stored hash's algorithm,
/// version and parameters. A malformed hash never matches. `Busy` when the hashing queue is full.
pub async fn verify(password: String, stored: String) -> Result<bool, ServerError> {
    on_worker(move || {
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return false;
        };
        let Ok(algorithm) = Algorithm::try_from(parsed.algorithm) else {
            return false;
        };
        let Ok(version) = parsed.version.map(Version::try_from).transpose() else {
            return false;
        };
        let version = version.unwrap_or_default();
        let Ok(params) = Params::try_from(&parsed) else {
            return false;
        };
        let argon2 = Argon2::new(algorithm, version, params);
        // `Output`'s comparison takes the same time wherever the outputs differ.
        hash_with(&argon2, algorithm, version, password.as_bytes(), salt)
            .is_ok_and(|computed| computed.hash == Some(expected))
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

    async fn verifies(password: &str, stored: String) -> bool {
        super::verify(password.into(), stored).await.unwrap()
    }

    /// The hashes stored before the memory came from the system allocator were made by the
    /// crate's own `PasswordHasher`: they verify, and the new ones verify with the crate's own
    /// verifier, with other parameters as well (an older hash keeps its own).
    #[tokio::test]
    async fn hashes_are_the_crates_own_both_ways() {
        use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
        use argon2::{Algorithm, Argon2, Params, Version};
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        let theirs = Argon2::default()
            .hash_password(b"correct horse battery", &salt)
            .unwrap()
            .to_string();
        assert!(verifies("correct horse battery", theirs.clone()).await);
        assert!(!verifies("correct horse batterY", theirs).await);

        let ours = super::hash("correct horse battery".into()).await.unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );

        let smaller = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(4096, 3, 1, None).unwrap(),
        );
        let older = smaller
            .hash_password(b"correct horse battery", &salt)
            .unwrap()
            .to_string();
        assert!(older.contains("m=4096,t=3,p=1"));
        assert!(verifies("correct horse battery", older.clone()).await);
        assert!(!verifies("other", older).await);
    }
}
