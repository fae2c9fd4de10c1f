//! What the caller requires of a payload. Time is not here: it is an argument of `verify`.

use crate::verdict::Format;

/// Size limits applied to untrusted input, each before the stage it protects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Longest payload accepted, in bytes, checked before any parsing. Default: 16 KiB.
    pub max_payload_len: usize,
    /// Longest encoded JWS header segment, in bytes. Default: 2 KiB.
    pub max_header_len: usize,
    /// Largest decompressed size of a QR payload, in bytes. Default: 64 KiB.
    pub max_decompressed_len: usize,
    /// Deepest nesting of JSON or CBOR containers. Default: 32.
    pub max_depth: usize,
    /// Most members, elements and values in one JSON or CBOR document, all levels counted.
    /// Default: 10 000.
    pub max_items: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_payload_len: 16 * 1024,
            max_header_len: 2 * 1024,
            max_decompressed_len: 64 * 1024,
            max_depth: 32,
            max_items: 10_000,
        }
    }
}

/// A VNeID assurance level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Level 1: self-registered account holding the chip ID card's data.
    One = 1,
    /// Level 2: verified in person; carries linked documents; stands in for the ID card.
    Two = 2,
}

impl Level {
    /// The `acr` value of this level in the VNeID token profile.
    #[must_use]
    pub const fn acr(self) -> &'static str {
        match self {
            Level::One => "urn:vneid:level:1",
            Level::Two => "urn:vneid:level:2",
        }
    }

    /// Parses an `acr` value of the VNeID token profile.
    #[must_use]
    pub fn from_acr(acr: &str) -> Option<Level> {
        match acr {
            "urn:vneid:level:1" => Some(Level::One),
            "urn:vneid:level:2" => Some(Level::Two),
            _ => None,
        }
    }

    /// Level from its number (1 or 2).
    #[must_use]
    pub const fn from_number(n: u64) -> Option<Level> {
        match n {
            1 => Some(Level::One),
            2 => Some(Level::Two),
            _ => None,
        }
    }
}

/// The checks a caller asks for. Every field documents its default; `Policy::default()` accepts
/// any ES256 token or signed document from a trusted issuer that is in date at `now`.
///
/// Configured means required, for every format: setting `issuer` makes the issuer required and
/// exact, `audience` makes `aud` required (so documents, which carry none, are refused),
/// `min_level` makes a VNeID level required (documents assert none), `max_token_age` makes
/// `iat` required.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Expected issuer (`iss`, exact string match). Default: `None`, any issuer in the trust store.
    pub issuer: Option<String>,
    /// Expected audience: `aud` must be this string or an array containing it. Default: `None`
    /// (a token with `aud` then gets the warning `audience_not_checked`).
    pub audience: Option<String>,
    /// Minimum VNeID assurance level. Default: `None`, no level required.
    pub min_level: Option<Level>,
    /// Allowed clock skew in seconds, applied to `exp`, `nbf` and `iat`. Default: 60.
    pub clock_tolerance: u64,
    /// Maximum age of a token since `iat`, in seconds. Default: `None`, no limit.
    pub max_token_age: Option<u64>,
    /// Formats accepted; any other is refused with `format_not_allowed` (for documents before
    /// they are parsed). Default: `None`, every supported format. A login page that expects only
    /// VNeID tokens sets `Some(vec![Format::VneidToken])`.
    pub formats: Option<Vec<Format>>,
    /// Input size limits. Default: [`Limits::default`].
    pub limits: Limits,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            issuer: None,
            audience: None,
            min_level: None,
            clock_tolerance: 60,
            max_token_age: None,
            formats: None,
            limits: Limits::default(),
        }
    }
}
