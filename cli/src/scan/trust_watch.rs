//! Re-reading the trust files when an operator replaces them while the scanner runs.
//!
//! Every `--trust-check` seconds (default 2; 0 checks before every read, and never while idle)
//! the files are read and their content compared with what was loaded — content, not size and
//! modification time, because a same-size copy within a coarse timestamp (FAT on an SD card
//! keeps 2 s) changes neither, and a `touch` changes nothing that matters. Reading works the same
//! on a WASI pre-opened folder. When any changed, the store is built from the contents just read
//! ([`crate::trust::TrustSource::load`]). A store that does not load (a half-written copy, a
//! syntax error, a private key in it, a signed bundle refused by its roots) is refused with one
//! line on standard error and the previous trust stays in force; it is tried again when the
//! files change again. Replace a trust file atomically (write a copy, then `mv` it over the
//! old one) so the scanner never reads it half-written.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::time::Duration;

use crate::options::read_trust_file;

/// A file's content as last read, hashed, or `None` when it could not be read. The hash only
/// detects change (an operator who can write the trust file already decides what is trusted),
/// so SipHash with fixed keys is enough.
type Stamp = Option<u64>;

/// Watches the trust files.
#[derive(Debug)]
pub struct TrustWatch {
    files: Vec<String>,
    stamps: Vec<Stamp>,
    every: Duration,
    next_check: Duration,
}

impl TrustWatch {
    /// Starts watching; call before loading the files, so a change made meanwhile is seen (and
    /// loaded once more, harmlessly, at the first check).
    pub fn new(files: &[String], every: Duration) -> TrustWatch {
        TrustWatch {
            files: files.to_vec(),
            stamps: files.iter().map(|f| stamp(&read_trust_file(f))).collect(),
            every,
            next_check: every,
        }
    }

    /// When the next check is due while idle, on the scanner's monotonic clock; `None` when
    /// checks happen only before reads (`--trust-check 0`).
    pub fn next_check(&self) -> Option<Duration> {
        (!self.every.is_zero()).then_some(self.next_check)
    }

    /// At `now`, if a check is due and the files changed: their contents (`[i]` is file `i`),
    /// or why one cannot be read.
    pub fn poll(&mut self, now: Duration) -> Option<Vec<Result<Vec<u8>, String>>> {
        if now < self.next_check {
            return None;
        }
        self.next_check = now.saturating_add(self.every);
        let contents: Vec<_> = self.files.iter().map(|f| read_trust_file(f)).collect();
        let stamps: Vec<Stamp> = contents.iter().map(stamp).collect();
        if stamps == self.stamps {
            return None;
        }
        self.stamps = stamps;
        Some(contents)
    }

    /// The files, for messages.
    pub fn files(&self) -> String {
        self.files.join(", ")
    }
}

fn stamp(contents: &Result<Vec<u8>, String>) -> Stamp {
    let bytes = contents.as_ref().ok()?;
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    Some(hasher.finish())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // tests fail by panicking

    use super::*;

    #[test]
    fn a_same_size_replacement_with_the_same_modification_time_is_seen_and_a_touch_is_not() {
        let dir = std::env::temp_dir().join(format!("vneid-trust-watch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("trust.json");
        let path = file.to_string_lossy().into_owned();
        let mtime = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
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

        std::fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(mtime + Duration::from_secs(60))
            .unwrap();
        assert!(
            watch.poll(Duration::ZERO).is_none(),
            "a touch alone changes nothing"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
