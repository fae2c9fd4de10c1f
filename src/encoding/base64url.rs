//! Strict base64url (RFC 4648 §5) as JOSE specifies it (RFC 7515 §2): no padding, no whitespace,
//! no `+` or `/`, and no non-zero trailing bits, so every byte string has exactly one encoding.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

use crate::error::{Error, ErrorCode};

const STRICT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false),
);

/// Decodes strict base64url; any deviation is `base64_invalid`.
///
/// # Errors
/// `base64_invalid` for padding, whitespace, characters outside the URL-safe alphabet, a length
/// of 1 mod 4, or non-zero trailing bits.
pub fn decode(text: &str) -> Result<Vec<u8>, Error> {
    STRICT
        .decode(text)
        .map_err(|_| Error::new(ErrorCode::Base64Invalid))
}

/// Encodes bytes as unpadded base64url.
#[must_use]
pub fn encode(bytes: &[u8]) -> String {
    STRICT.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_length() {
        for n in 0..40u8 {
            let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37)).collect();
            assert_eq!(decode(&encode(&bytes)).ok(), Some(bytes));
        }
    }

    #[test]
    fn rejects_every_non_canonical_form() {
        assert_eq!(decode("YQ").ok(), Some(b"a".to_vec()));
        for bad in ["YQ==", "YQ=", "YR", "Y Q", "YQ\n", "a+b/", "Y", "YQ.", "éé"] {
            assert_eq!(
                decode(bad).map_err(|e| e.code()),
                Err(ErrorCode::Base64Invalid),
                "{bad:?}"
            );
        }
    }
}
