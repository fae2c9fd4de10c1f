//! The replay cache: holder proofs already accepted, remembered until they are too old to be
//! accepted anyway, so that the same proof is refused the second time (`replayed`).
//!
//! A key-binding proof is fresh for `max_proof_age` (plus the clock tolerance) after its `iat`.
//! When the verifier chose the nonce (a two-way presentation), the nonce alone stops a replay;
//! when the holder chose it (a one-way QR that a kiosk scans), only memory does. A proof is
//! identified by the SHA-256 of its signing input (`header.payload` of the KB-JWT, or the COSE
//! `Sig_structure` of a compact proof): never by its signature bytes, which an attacker can vary
//! (an ECDSA signature has a high-S twin) without the holder key.
//!
//! **Memory bound.** At most `capacity` entries (default [`ReplayCache::DEFAULT_CAPACITY`],
//! 10 000), each a 32-byte digest and an 8-byte expiry held in two B-trees: about 100 bytes an
//! entry with the trees' nodes, so about 1 MiB when full. Expired entries are dropped on every
//! insertion. When the cache is full of proofs still within their age, a new proof is refused
//! (`replay_cache_full`) rather than forgetting one that could then be replayed: at the default
//! capacity and a 300-second maximum age, that takes 33 accepted presentations a second.
//!
//! One cache is shared by every clone of a [`Verifier`](crate::Verifier); a server gives its
//! verifiers one cache with [`Verifier::with_replay_cache`](crate::Verifier::with_replay_cache).
//! Time is an argument, as everywhere in the core.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, PoisonError};

use crate::error::{Error, ErrorCode};

/// The identity of one accepted holder proof: SHA-256 of its signing input.
pub type ProofId = [u8; 32];

/// Accepted holder proofs, until they expire. Thread-safe; share it with `Arc`.
#[derive(Debug)]
pub struct ReplayCache {
    capacity: usize,
    inner: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    /// Proof → the time from which it would be refused as too old anyway.
    by_id: BTreeMap<ProofId, i64>,
    /// The same entries ordered by expiry, to drop expired ones in order.
    by_expiry: BTreeSet<(i64, ProofId)>,
}

impl Default for ReplayCache {
    fn default() -> Self {
        ReplayCache::new(ReplayCache::DEFAULT_CAPACITY)
    }
}

impl ReplayCache {
    /// Default number of proofs remembered: 10 000 (about 1 MiB).
    pub const DEFAULT_CAPACITY: usize = 10_000;

    /// An empty cache remembering at most `capacity` proofs at once.
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        ReplayCache {
            capacity,
            inner: Mutex::new(Entries::default()),
        }
    }

    /// The most proofs remembered at once.
    #[must_use]
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many proofs are remembered now (including expired ones not yet dropped).
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries().by_id.len()
    }

    /// True when no proof is remembered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every proof.
    pub fn clear(&self) {
        let mut entries = self.entries();
        entries.by_id.clear();
        entries.by_expiry.clear();
    }

    /// Accepts `id` once: remembers it until `expires_at` (Unix seconds; from then on the proof
    /// is refused as too old anyway) and refuses it if it is already remembered. Entries whose
    /// expiry is at or before `now` are dropped first.
    ///
    /// # Errors
    /// `replayed` when `id` was accepted before and has not expired; `replay_cache_full` when
    /// `capacity` unexpired proofs are remembered.
    pub fn check_and_remember(&self, id: &ProofId, expires_at: i64, now: i64) -> Result<(), Error> {
        let mut entries = self.entries();
        while let Some(&(expiry, old)) = entries.by_expiry.first() {
            if expiry > now {
                break;
            }
            entries.by_expiry.pop_first();
            entries.by_id.remove(&old);
        }
        if let Some(&expiry) = entries.by_id.get(id) {
            return Err(Error::with_detail(
                ErrorCode::Replayed,
                format!("the same proof was accepted before; remembered until {expiry}"),
            ));
        }
        if entries.by_id.len() >= self.capacity {
            return Err(Error::with_detail(
                ErrorCode::ReplayCacheFull,
                format!("{} proofs within their maximum age", self.capacity),
            ));
        }
        entries.by_id.insert(*id, expires_at);
        entries.by_expiry.insert((expires_at, *id));
        Ok(())
    }

    /// The entries, even if another thread panicked while holding them: every operation leaves
    /// the two trees consistent before it can panic, and refusing all proofs forever would be
    /// worse.
    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(r: Result<(), Error>) -> Result<(), ErrorCode> {
        r.map_err(|e| e.code())
    }

    #[test]
    fn a_proof_is_accepted_once_until_it_expires() {
        let cache = ReplayCache::new(10);
        let a = [1u8; 32];
        assert_eq!(code(cache.check_and_remember(&a, 1060, 1000)), Ok(()));
        assert_eq!(
            code(cache.check_and_remember(&a, 1060, 1001)),
            Err(ErrorCode::Replayed)
        );
        assert_eq!(
            code(cache.check_and_remember(&a, 1060, 1059)),
            Err(ErrorCode::Replayed)
        );
        // At its expiry the entry is dropped (the proof is then refused as too old upstream).
        assert_eq!(code(cache.check_and_remember(&a, 1200, 1060)), Ok(()));
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn a_full_cache_refuses_rather_than_forgets() {
        let cache = ReplayCache::new(3);
        for i in 0..3u8 {
            assert_eq!(code(cache.check_and_remember(&[i; 32], 2000, 1000)), Ok(()));
        }
        assert_eq!(
            code(cache.check_and_remember(&[9; 32], 2000, 1000)),
            Err(ErrorCode::ReplayCacheFull)
        );
        // The old ones are still refused: nothing was forgotten.
        assert_eq!(
            code(cache.check_and_remember(&[0; 32], 2000, 1000)),
            Err(ErrorCode::Replayed)
        );
        // Once they expire there is room again.
        assert_eq!(code(cache.check_and_remember(&[9; 32], 3000, 2000)), Ok(()));
        assert_eq!(cache.len(), 1);
        cache.clear();
        assert!(cache.is_empty());
    }

    #[test]
    fn expired_entries_go_in_expiry_order() {
        let cache = ReplayCache::new(100);
        for i in 0..50u8 {
            let _ = cache.check_and_remember(&[i; 32], 1000 + i64::from(i), 0);
        }
        assert_eq!(cache.len(), 50);
        assert_eq!(
            code(cache.check_and_remember(&[200; 32], 5000, 1024)),
            Ok(())
        );
        // 1000..=1024 expired (25 entries), 25 remain plus the new one.
        assert_eq!(cache.len(), 26);
        assert_eq!(
            code(cache.check_and_remember(&[30; 32], 5000, 1024)),
            Err(ErrorCode::Replayed)
        );
    }
}
