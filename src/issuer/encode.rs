//! The encodings payloads are built from: the issuer's side of the strict decoders.

use serde_json::Value as Json;

/// The most characters a QR code holds in alphanumeric mode (version 40, error correction L):
/// the longest `VN1:` or `HC1:` text a verifier reads.
pub const MAX_QR_TEXT: usize = crate::formats::cose_qr::MAX_QR_TEXT;

/// The longest compact JWS a single (unchunked) `shc:/` QR holds.
pub const SHC_MAX_SINGLE_JWS_LEN: usize = crate::formats::shc::numeric::MAX_SINGLE_JWS_LEN;

/// Base45 (RFC 9285).
#[must_use]
pub fn base45(bytes: &[u8]) -> String {
    crate::encoding::base45::encode(bytes)
}

/// Base64url without padding (RFC 4648 §5).
#[must_use]
pub fn base64url(bytes: &[u8]) -> String {
    crate::encoding::base64url::encode(bytes)
}

/// The body of a `VN1:` or `HC1:` QR: zlib at the best compression, then base45.
#[must_use]
pub fn qr_body(cose: &[u8]) -> String {
    crate::formats::cose_qr::encode_body(cose)
}

/// The digits of a `shc:/` QR for a compact JWS (two digits per character), or `None` when the
/// JWS has a character outside the numeric mode's range.
#[must_use]
pub fn shc_digits(jws: &str) -> Option<String> {
    crate::formats::shc::numeric::encode_digits(jws)
}

/// RFC 8785 canonical JSON: the bytes a VDS-NC seal signs.
#[must_use]
pub fn canonical_json(value: &Json) -> String {
    crate::encoding::jcs::canonicalize(value)
}

/// The bytes a COSE_Sign1 signature covers: `["Signature1", protected, h'', payload]`.
#[must_use]
pub fn cose_sig_structure(protected: &[u8], payload: &[u8]) -> Vec<u8> {
    crate::formats::cose::sig_structure(protected, payload)
}
