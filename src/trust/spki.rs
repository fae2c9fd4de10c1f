//! SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) for P-256 keys, in DER or PEM (`PUBLIC KEY`).
//!
//! A P-256 SPKI is a fixed 26-byte (uncompressed) or 24-byte (compressed) DER prefix followed by
//! the SEC1 point, so it is matched exactly rather than parsed: anything else is refused.

use crate::crypto::{es256, PublicKey};
use crate::encoding::pem;

/// DER prefix of an id-ecPublicKey / prime256v1 SPKI with a 65-byte uncompressed point.
const PREFIX_UNCOMPRESSED: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];
/// The same with a 33-byte compressed point.
const PREFIX_COMPRESSED: [u8; 26] = [
    0x30, 0x39, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x22, 0x00,
];

/// Parses a DER SPKI holding a P-256 key.
///
/// # Errors
/// A reason when the bytes are not a P-256 SPKI or the point is not on the curve.
pub fn from_der(der: &[u8]) -> Result<PublicKey, String> {
    let point = der
        .strip_prefix(&PREFIX_UNCOMPRESSED[..])
        .filter(|p| p.len() == 65)
        .or_else(|| {
            der.strip_prefix(&PREFIX_COMPRESSED[..])
                .filter(|p| p.len() == 33)
        })
        .ok_or("not a P-256 SubjectPublicKeyInfo (only EC P-256 public keys are supported)")?;
    es256::key_from_sec1(point)
        .map(PublicKey::P256)
        .ok_or_else(|| "the point is not on the P-256 curve".into())
}

/// Parses a PEM `PUBLIC KEY` block holding a P-256 key.
///
/// # Errors
/// A reason when there is not exactly one valid `PUBLIC KEY` block or it is not P-256.
pub fn from_pem(text: &str) -> Result<PublicKey, String> {
    let blocks = pem::decode_all(text, "PUBLIC KEY").ok_or("invalid PEM")?;
    match blocks.as_slice() {
        [der] => from_der(der),
        [] => Err("no \"PUBLIC KEY\" PEM block".into()),
        _ => Err("more than one \"PUBLIC KEY\" PEM block".into()),
    }
}
