//! ES256: ECDSA over P-256 with SHA-256, signatures as fixed 64-byte r‖s (RFC 7518 §3.4).
//!
//! High-S signatures verify: ES256 does not require low-S, and a verifier that refused them
//! would refuse about half of the genuine signatures of an issuer that does not normalise.
//! Signature bytes are therefore never an identifier (replay and revocation key on `jti`).

use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{Signature, VerifyingKey};

use crate::encoding::der::{self, tag, Reader};

/// Length of an ES256 signature: r and s, 32 bytes each, big-endian.
pub const SIGNATURE_LEN: usize = 64;

/// Verifies `signature` (r‖s) over `message`. Returns false for any failure, including r or s
/// out of range: a failed verification says nothing more.
#[must_use]
pub fn verify(key: &VerifyingKey, message: &[u8], signature: &[u8; SIGNATURE_LEN]) -> bool {
    match Signature::from_slice(signature) {
        Ok(sig) => key.verify(message, &sig).is_ok(),
        Err(_) => false,
    }
}

/// Parses a SEC1 public key (uncompressed `04‖x‖y` or compressed), refusing points that are not
/// on the curve and the identity.
///
/// # Errors
/// Returns `None` when the bytes are not a valid P-256 point.
#[must_use]
pub fn key_from_sec1(bytes: &[u8]) -> Option<VerifyingKey> {
    VerifyingKey::from_sec1_bytes(bytes).ok()
}

/// Builds a key from its affine coordinates (32 bytes each, as in a JWK).
#[must_use]
pub fn key_from_coordinates(x: &[u8], y: &[u8]) -> Option<VerifyingKey> {
    if x.len() != 32 || y.len() != 32 {
        return None;
    }
    let mut sec1 = [0u8; 65];
    sec1[0] = 4;
    sec1[1..33].copy_from_slice(x);
    sec1[33..].copy_from_slice(y);
    key_from_sec1(&sec1)
}

/// Verifies r‖s over a message digest computed by the caller (certificates signed with
/// ecdsa-with-SHA384/512 by a P-256 key). The digest is truncated to 256 bits as ECDSA specifies.
#[must_use]
pub fn verify_prehash(key: &VerifyingKey, prehash: &[u8], signature: &[u8; SIGNATURE_LEN]) -> bool {
    use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
    match Signature::from_slice(signature) {
        Ok(sig) => key.verify_prehash(prehash, &sig).is_ok(),
        Err(_) => false,
    }
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
pub fn verify_der(key: &VerifyingKey, message: &[u8], der: &[u8]) -> bool {
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
