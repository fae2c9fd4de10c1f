//! One module per payload format. [`detect`] recognises the format from the payload's first
//! bytes; each format module verifies and returns a [`Verdict`](crate::Verdict).

pub mod cose;
pub mod cose_qr;
pub mod cwt;
pub mod eu_dcc;
pub mod jws;
pub mod token;
pub mod vneid_document;

use crate::verdict::Format;

/// Recognises a payload's format from its shape, without decoding it.
#[must_use]
pub fn detect(payload: &str) -> Format {
    if looks_like_jws(payload) {
        Format::Jwt
    } else if let Some(format) = cose_qr_format(payload) {
        format
    } else {
        Format::Unknown
    }
}

/// `VN` or `HC` followed by a digit and a colon: the VNeID document QR and the EU DCC. Other
/// versions than `VN1:` and `HC1:` are routed too, so that they are reported as
/// `prefix_invalid` (an unsupported version) rather than `unknown_format`.
fn cose_qr_format(payload: &str) -> Option<Format> {
    let b = payload.as_bytes();
    let versioned = b.get(2).is_some_and(u8::is_ascii_digit) && b.get(3) == Some(&b':');
    match b.get(..2) {
        Some(b"VN") if versioned => Some(Format::VneidDocument),
        Some(b"HC") if versioned => Some(Format::EuDcc),
        _ => None,
    }
}

/// A compact JWS starts with the base64url of `{"` (`eyJ`), or of `{` and whitespace (`ey`), and
/// has a dot. Anything after that is for the strict decoder to judge, so that a token with
/// padding or an inserted space is reported as `base64_invalid`, not `unknown_format`.
fn looks_like_jws(payload: &str) -> bool {
    payload.starts_with("ey") && payload.contains('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_jws_shapes() {
        assert_eq!(detect("eyJhbGciOiJFUzI1NiJ9.e30.sig"), Format::Jwt);
        assert_eq!(detect("eyJhbGciOiJFUzI1NiJ9=.e30.sig"), Format::Jwt);
        assert_eq!(detect("eyJhbGciOiJFUzI1NiJ9"), Format::Unknown);
        assert_eq!(detect("hello"), Format::Unknown);
    }

    #[test]
    fn detects_cose_qr_prefixes() {
        assert_eq!(detect("VN1:6BFOXN"), Format::VneidDocument);
        assert_eq!(detect("VN2:6BFOXN"), Format::VneidDocument);
        assert_eq!(detect("HC1:NCFOXN"), Format::EuDcc);
        assert_eq!(detect("HC2:NCFOXN"), Format::EuDcc);
        assert_eq!(detect("HL0:NCFOXN"), Format::Unknown);
        assert_eq!(detect("VN1"), Format::Unknown);
        assert_eq!(detect("vn1:abc"), Format::Unknown);
    }
}
