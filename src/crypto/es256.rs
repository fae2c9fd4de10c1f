//! ES256: ECDSA over P-256 with SHA-256, signatures as fixed 64-byte r‖s (RFC 7518 §3.4).
//!
//! High-S signatures verify: ES256 does not require low-S, and a verifier that refused them
//! would refuse about half of the genuine signatures of an issuer that does not normalise.
//! Signature bytes are therefore never an identifier (replay and revocation key on `jti`).
//!
//! The arithmetic is our own ([`super::p256`]): variable time, since every input of a
//! verification is public, and tested against RustCrypto's `p256` (tests/es256_diff.rs). A
//! [`P256Key`] precomputes a table of its multiples the second time it verifies, so that later
//! verifications cost additions only; the generator's table is built once per process, on the
//! process's second verification. The first verifications (and keys beyond the table budget)
//! take the path without tables, which is slower but needs no set-up.

use alloc::sync::Arc;
use core::fmt;
use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::OnceLock;

use sha2::{Digest as _, Sha256};

use super::p256::field::{words_from_be, Field};
use super::p256::point::Affine;
use super::p256::{self as curve, Fe, Table};

use crate::encoding::der::{self, tag, Reader};

/// Length of an ES256 signature: r and s, 32 bytes each, big-endian.
pub const SIGNATURE_LEN: usize = 64;

/// Window width of a key's table: ⌈257/6⌉ = 43 windows of 32 points (about 88 KiB natively,
/// 99 KiB on wasm32), 43 additions per verification instead of 256 doublings and ~50 additions.
const KEY_WINDOW: u32 = 6;
/// Window width of the generator's table: 37 windows of 64 points (148 KiB natively, 166 KiB on
/// wasm32), built once per process.
const GENERATOR_WINDOW: u32 = 7;
/// At most this many key tables exist at a time in a process (about 6 MiB): a trust list of
/// thousands of keys (EU DCC) builds tables only for the keys it actually uses twice, up to this
/// budget; other keys verify without a table.
pub const MAX_KEY_TABLES: usize = 64;

static KEY_TABLES: AtomicUsize = AtomicUsize::new(0);
static VERIFICATIONS: AtomicU32 = AtomicU32::new(0);
static GENERATOR_TABLE: OnceLock<Table<Fe>> = OnceLock::new();

/// A P-256 public key, checked on the curve (never the identity), with its table of multiples
/// once it has been used twice. Clones share the table.
#[derive(Clone)]
pub struct P256Key {
    x: [u8; 32],
    y: [u8; 32],
    state: Arc<KeyState>,
}

struct KeyState {
    point: Affine<Fe>,
    uses: AtomicU32,
    table: OnceLock<Option<Table<Fe>>>,
}

impl Drop for KeyState {
    fn drop(&mut self) {
        if let Some(Some(_)) = self.table.get() {
            KEY_TABLES.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

impl PartialEq for P256Key {
    fn eq(&self, other: &Self) -> bool {
        self.x == other.x && self.y == other.y
    }
}

impl Eq for P256Key {}

impl fmt::Debug for P256Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("P256Key(x=")?;
        for b in &self.x {
            write!(f, "{b:02x}")?;
        }
        f.write_str(", y=")?;
        for b in &self.y {
            write!(f, "{b:02x}")?;
        }
        f.write_str(")")
    }
}

impl P256Key {
    fn from_point(point: Affine<Fe>) -> Self {
        P256Key {
            x: point.x.to_bytes(),
            y: point.y.to_bytes(),
            state: Arc::new(KeyState {
                point,
                uses: AtomicU32::new(0),
                table: OnceLock::new(),
            }),
        }
    }

    /// The uncompressed SEC1 encoding, `04‖x‖y`.
    #[must_use]
    pub fn to_sec1_uncompressed(&self) -> [u8; 65] {
        let mut out = [0u8; 65];
        out[0] = 4;
        out[1..33].copy_from_slice(&self.x);
        out[33..].copy_from_slice(&self.y);
        out
    }

    /// Verifies an ES256 signature (r‖s) over `message` with this key: SHA-256, then ECDSA.
    /// False for any failure, r or s out of range included.
    #[must_use]
    pub fn verify(&self, message: &[u8], signature: &[u8; SIGNATURE_LEN]) -> bool {
        verify(self, message, signature)
    }

    /// Whether this key's table of multiples has been built (after its second verification,
    /// within [`MAX_KEY_TABLES`]).
    #[must_use]
    pub fn has_table(&self) -> bool {
        matches!(self.state.table.get(), Some(Some(_)))
    }

    /// The key's table, built on its second use when the budget allows.
    fn table(&self) -> Option<&Table<Fe>> {
        if let Some(t) = self.state.table.get() {
            return t.as_ref();
        }
        if self.state.uses.fetch_add(1, Ordering::Relaxed) == 0 {
            return None;
        }
        self.state
            .table
            .get_or_init(|| {
                if KEY_TABLES.fetch_add(1, Ordering::Relaxed) >= MAX_KEY_TABLES {
                    KEY_TABLES.fetch_sub(1, Ordering::Relaxed);
                    return None;
                }
                Some(Table::new(&self.state.point, KEY_WINDOW))
            })
            .as_ref()
    }

    fn verify_digest(&self, z: &[u8; 32], signature: &[u8; SIGNATURE_LEN]) -> bool {
        let (r, s) = signature.split_at(32);
        let (Ok(r), Ok(s)) = (<[u8; 32]>::try_from(r), <[u8; 32]>::try_from(s)) else {
            return false;
        };
        let g_table = match GENERATOR_TABLE.get() {
            Some(t) => Some(t),
            None if VERIFICATIONS.fetch_add(1, Ordering::Relaxed) > 0 => Some(
                GENERATOR_TABLE.get_or_init(|| Table::new(&curve::generator(), GENERATOR_WINDOW)),
            ),
            None => None,
        };
        curve::verify(
            &self.state.point,
            self.table(),
            g_table,
            &words_from_be(z),
            &words_from_be(&r),
            &words_from_be(&s),
        )
    }
}

/// Verifies `signature` (r‖s) over `message`. Returns false for any failure, including r or s
/// out of range: a failed verification says nothing more.
#[must_use]
pub fn verify(key: &P256Key, message: &[u8], signature: &[u8; SIGNATURE_LEN]) -> bool {
    let digest: [u8; 32] = Sha256::digest(message).into();
    key.verify_digest(&digest, signature)
}

/// Verifies r‖s over a message digest computed by the caller (certificates signed with
/// ecdsa-with-SHA384/512 by a P-256 key). The digest is truncated to 256 bits as ECDSA specifies
/// (a shorter one is taken as a big-endian integer).
#[must_use]
pub fn verify_prehash(key: &P256Key, prehash: &[u8], signature: &[u8; SIGNATURE_LEN]) -> bool {
    let mut z = [0u8; 32];
    let take = prehash.len().min(32);
    if let (Some(dst), Some(src)) = (z.get_mut(32 - take..), prehash.get(..take)) {
        dst.copy_from_slice(src);
    }
    key.verify_digest(&z, signature)
}

/// Parses a SEC1 public key (uncompressed `04‖x‖y` or compressed `02‖x`/`03‖x`), refusing
/// coordinates not below p, points that are not on the curve and the identity.
///
/// # Errors
/// Returns `None` when the bytes are not a valid P-256 point.
#[must_use]
pub fn key_from_sec1(bytes: &[u8]) -> Option<P256Key> {
    match (bytes.first(), bytes.len()) {
        (Some(4), 65) => key_from_coordinates(bytes.get(1..33)?, bytes.get(33..)?),
        (Some(&tag @ (2 | 3)), 33) => {
            let x: [u8; 32] = bytes.get(1..)?.try_into().ok()?;
            curve::decompress(&x, tag == 3).map(P256Key::from_point)
        }
        _ => None,
    }
}

/// Builds a key from its affine coordinates (32 bytes each, as in a JWK).
#[must_use]
pub fn key_from_coordinates(x: &[u8], y: &[u8]) -> Option<P256Key> {
    let x: [u8; 32] = x.try_into().ok()?;
    let y: [u8; 32] = y.try_into().ok()?;
    curve::point_from_coordinates(&x, &y).map(P256Key::from_point)
}

/// Converts a DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` to 64-byte r‖s.
/// X.509 specifies DER here; JWS and COSE never take this form.
#[must_use]
pub fn raw_from_der(der: &[u8]) -> Option<[u8; 64]> {
    let mut outer = Reader::new(der);
    let seq = outer.expect(tag::SEQUENCE, "").ok()?;
    outer.finish().ok()?;
    let mut inner = Reader::new(seq.content);
    let r = der::unsigned_integer(inner.expect(tag::INTEGER, "").ok()?.content).ok()?;
    let s = der::unsigned_integer(inner.expect(tag::INTEGER, "").ok()?.content).ok()?;
    inner.finish().ok()?;
    if r.len() > 32 || s.len() > 32 {
        return None;
    }
    let mut raw = [0u8; 64];
    raw.get_mut(32 - r.len()..32)?.copy_from_slice(r);
    raw.get_mut(64 - s.len()..)?.copy_from_slice(s);
    Some(raw)
}

/// Verifies a DER `ECDSA-Sig-Value` over `message` with SHA-256, as X.509 specifies for
/// ecdsa-with-SHA256. Only strict DER converts; JWS and COSE never take this path.
#[must_use]
pub fn verify_der(key: &P256Key, message: &[u8], der: &[u8]) -> bool {
    raw_from_der(der).is_some_and(|rs| verify(key, message, &rs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_signature_to_raw() {
        // SEQUENCE { INTEGER 0x00ff…(33 bytes, leading zero), INTEGER 1 }
        let mut der = vec![0x30, 0x26, 0x02, 0x21, 0x00];
        der.extend([0xff; 32]);
        der.extend([0x02, 0x01, 0x01]);
        let raw = raw_from_der(&der);
        assert_eq!(
            raw.map(|r| (r[0], r[31], r[32], r[63])),
            Some((0xff, 0xff, 0, 1))
        );
        der[1] = 0x27;
        assert_eq!(raw_from_der(&der), None);
    }
}
