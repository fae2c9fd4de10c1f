//! Re-reading the trust files when an operator replaces them while the scanner runs.
//!
//! Every `--trust-check` seconds (default 2; 0 checks before every read, and never while idle)
//! the files' size, modification time and a hash of their content are compared with what was
//! loaded (the content too, because a same-size replacement within a coarse timestamp — FAT on an
//! SD card keeps 2 s — changes neither size nor time). Reading works the same on a WASI
//! pre-opened folder. When any changed, all files are loaded again into a new store. A store
//! that does not load (a half-written copy, a syntax error, a private key in it) is refused with
//! one line on standard error and the previous trust stays in force; it is tried again when the
//! files change again. Replace a trust file atomically (write a copy, then `mv` it over the old
//! one) so the scanner never reads it half-written.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::time::{Duration, SystemTime};

use vneid_verify::TrustStore;

/// What a file looked like when last checked: size, modification time and a hash of the
/// content, or unreadable. The hash only detects change (an operator who can write the trust
/// file already decides what is trusted), so SipHash with fixed keys is enough.
type Stamp = Option<(u64, Option<SystemTime>, u64)>;

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
    let content = std::fs::read(file).ok()?;
    let mut hasher = DefaultHasher::new();
    content.hash(&mut hasher);
    Some((meta.len(), meta.modified().ok(), hasher.finish()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // tests fail by panicking

    use super::*;

    #[test]
    fn a_same_size_replacement_with_the_same_modification_time_is_seen() {
        let dir = std::env::temp_dir().join(format!("vneid-trust-watch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("trust.json");
        let path = file.to_string_lossy().into_owned();
        let mtime = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let write = |text: &str| {
            std::fs::write(&file, text).unwrap();
            std::fs::File::options()
                .write(true)
                .open(&file)
                .unwrap()
                .set_modified(mtime)
                .unwrap();
        };
        write(r#"{"keys":[]}"#);
        let mut watch = TrustWatch::new(std::slice::from_ref(&path), Duration::ZERO);
        assert!(watch.poll(Duration::ZERO).is_none(), "nothing changed yet");

        write(r#"{"keyz":[]}"#); // same size, same time, other content
        assert!(
            watch.poll(Duration::ZERO).is_some(),
            "the new content is seen"
        );
        assert!(watch.poll(Duration::ZERO).is_none(), "and reported once");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
