//! One module per payload format. [`detect`] recognises the format from the payload's first
//! bytes; each format module verifies and returns a [`Verdict`](crate::Verdict).

pub mod jws;
pub mod token;

use crate::verdict::Format;

/// Recognises a payload's format from its shape, without decoding it.
#[must_use]
pub fn detect(payload: &str) -> Format {
    if looks_like_jws(payload) {
        Format::Jwt
    } else {
        Format::Unknown
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
}
