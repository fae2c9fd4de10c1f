//! Re-reading the trust files when an operator replaces them while the scanner runs.
//!
//! Every `--trust-check` seconds (default 2; 0 checks before every read, and never while idle)
//! the files' size and modification time are compared with what was loaded — a `stat` each,
//! which also works on a WASI pre-opened folder. When any changed, all files are loaded again into a new store. A store
//! that does not load (a half-written copy, a syntax error, a private key in it) is refused with
//! one line on standard error and the previous trust stays in force; it is tried again when the
//! files change again. Replace a trust file atomically (write a copy, then `mv` it over the old
//! one) so the scanner never reads it half-written.

use std::time::{Duration, SystemTime};

use vneid_verify::TrustStore;

/// What a file looked like when last checked: size and modification time, or unreadable.
type Stamp = Option<(u64, Option<SystemTime>)>;

/// Watches the trust files.
#[derive(Debug)]
pub struct TrustWatch {
    files: Vec<String>,
    stamps: Vec<Stamp>,
    every: Duration,
    next_check: Duration,
}

impl TrustWatch {
    /// Starts watching; call before loading the files, so a change made meanwhile is seen.
    pub fn new(files: &[String], every: Duration) -> TrustWatch {
        TrustWatch {
            files: files.to_vec(),
            stamps: files.iter().map(|f| stamp(f)).collect(),
            every,
            next_check: every,
        }
    }

    /// When the next check is due while idle, on the scanner's monotonic clock; `None` when
    /// checks happen only before reads (`--trust-check 0`).
    pub fn next_check(&self) -> Option<Duration> {
        (!self.every.is_zero()).then_some(self.next_check)
    }

    /// At `now`, if a check is due and the files changed: the newly loaded store, or why it
    /// cannot be used.
    pub fn poll(&mut self, now: Duration) -> Option<Result<TrustStore, String>> {
        if now < self.next_check {
            return None;
        }
        self.next_check = now + self.every;
        let stamps: Vec<Stamp> = self.files.iter().map(|f| stamp(f)).collect();
        if stamps == self.stamps {
            return None;
        }
        self.stamps = stamps;
        Some(crate::verify::trust_from(&self.files))
    }

    /// The files, for messages.
    pub fn files(&self) -> String {
        self.files.join(", ")
    }
}

fn stamp(file: &str) -> Stamp {
    let meta = std::fs::metadata(file).ok()?;
    Some((meta.len(), meta.modified().ok()))
}
