//! The text layers shared by the EU DCC and the VNeID document QR:
//! `PREFIX` + base45( zlib( COSE_Sign1 ) ).
//!
//! Each stage is bounded before it runs: the text after the prefix is at most
//! [`MAX_QR_TEXT`] characters (what the largest QR code holds in alphanumeric mode), base45 only
//! ever shrinks it, and inflation stops at `limits.max_decompressed_len` (an inflate bomb is
//! `decompressed_too_large`). Each stage has its own error code: `prefix_invalid`,
//! `base45_invalid`, `inflate_failed` / `decompressed_too_large`.

use crate::encoding::{base45, inflate};
use crate::error::{Error, ErrorCode};
use crate::policy::Limits;

/// The most characters a QR code holds in alphanumeric mode (version 40, error correction L).
/// Longer text cannot have come from one QR code and is refused as `payload_too_large`.
pub const MAX_QR_TEXT: usize = 4296;

/// Strips `prefix` (exact, case-sensitive) from a payload.
///
/// # Errors
/// `prefix_invalid`, naming the expected prefix and what was found.
pub fn strip_prefix<'a>(payload: &'a str, prefix: &str) -> Result<&'a str, Error> {
    payload.strip_prefix(prefix).ok_or_else(|| {
        let found: String = payload.chars().take(prefix.chars().count()).collect();
        Error::with_detail(
            ErrorCode::PrefixInvalid,
            format!("expected \"{prefix}\", found \"{found}\""),
        )
    })
}

/// Decodes the body after the prefix: base45, then zlib, to the COSE bytes.
///
/// # Errors
/// `payload_too_large`, `base45_invalid`, `inflate_failed`, `decompressed_too_large`.
pub fn decode_body(body: &str, limits: &Limits) -> Result<Vec<u8>, Error> {
    let max = MAX_QR_TEXT.min(limits.max_payload_len);
    if body.len() > max {
        return Err(Error::with_detail(
            ErrorCode::PayloadTooLarge,
            format!("{} characters; a QR code holds at most {max}", body.len()),
        )
        .limit(max));
    }
    let compressed = base45::decode(body)?;
    inflate::zlib(&compressed, limits.max_decompressed_len)
}

#[cfg(any(test, feature = "issuer"))]
/// Encodes COSE bytes as the QR body (zlib at the best compression, then base45): the reference
/// issuer's side of [`decode_body`].
#[must_use]
pub fn encode_body(cose: &[u8]) -> String {
    base45::encode(&miniz_oxide::deflate::compress_to_vec_zlib(cose, 9))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_fail_with_their_own_codes() {
        let limits = Limits::default();
        let code = |body: &str| decode_body(body, &limits).map_err(|e| e.code());
        assert_eq!(code(&encode_body(b"hello")), Ok(b"hello".to_vec()));
        assert_eq!(code("A"), Err(ErrorCode::Base45Invalid));
        assert_eq!(code("abc"), Err(ErrorCode::Base45Invalid));
        // Valid base45 that is not zlib.
        assert_eq!(
            code(&base45::encode(b"not zlib")),
            Err(ErrorCode::InflateFailed)
        );
        // Too long for any QR code.
        assert_eq!(
            code(&"0".repeat(MAX_QR_TEXT + 1)),
            Err(ErrorCode::PayloadTooLarge)
        );
        // An inflate bomb: 1 MiB of zeros fits in a QR code but not under the limit.
        let bomb = encode_body(&vec![0u8; 1 << 20]);
        assert!(bomb.len() <= MAX_QR_TEXT);
        assert_eq!(code(&bomb), Err(ErrorCode::DecompressedTooLarge));
        assert_eq!(
            strip_prefix("HC2:ABC", "HC1:").map_err(|e| e.code()),
            Err(ErrorCode::PrefixInvalid)
        );
        assert_eq!(strip_prefix("HC1:ABC", "HC1:").ok(), Some("ABC"));
    }
}
