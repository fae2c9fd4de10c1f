//! What the caller requires of a payload ([`Policy`], [`Limits`], [`Level`]), and the one stage
//! that applies it to what a format module verified ([`apply`]). Time is not here: it is an
//! argument of `verify`.

mod apply;
mod options;

#[cfg(test)]
pub(crate) use apply::check_window;
pub(crate) use apply::{allow_format, apply};
pub use options::{OptionKind, OptionValue, PolicyOption, POLICY_OPTIONS};

use crate::error::{Error, ErrorCode};
use crate::verdict::Format;

/// Size limits applied to untrusted input, each before the stage it protects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Longest payload accepted, in bytes, after surrounding whitespace is trimmed and before any
    /// parsing (see [`Limits::payload`]). Default: 16 KiB.
    pub max_payload_len: usize,
    /// Longest encoded JWS header segment, in bytes. Default: 2 KiB.
    pub max_header_len: usize,
    /// Largest decompressed size of a QR payload, in bytes. Default: 64 KiB.
    pub max_decompressed_len: usize,
    /// Deepest nesting of JSON or CBOR containers. Default: 32. At most
    /// [`Limits::MAX_DEPTH`]: a larger value acts as that ceiling (see [`Limits::depth`]).
    pub max_depth: usize,
    /// Most members, elements and values in one JSON or CBOR document, all levels counted.
    /// Default: 10 000.
    pub max_items: usize,
    /// Most disclosures in one SD-JWT presentation, checked before any is decoded. Default: 256.
    pub max_disclosures: usize,
}

impl Limits {
    /// The ceiling on [`Limits::max_depth`]: 64, twice the default and far beyond any real
    /// payload (an EU DCC nests 5 deep).
    ///
    /// Why a ceiling rather than any value: the CBOR and JSON readers, and everything that walks
    /// what they return (rendering, canonical JSON, dropping), recurse once per level, and a
    /// WebAssembly instance has 1 MiB of stack. With no ceiling, a 127-byte `HC1:` whose zlib
    /// stream inflates to 64 KiB of nested tags overflowed the stack as soon as a caller raised
    /// the limit. At 64 levels every reader and walker stays far inside that stack (tested on a
    /// 1 MiB thread in an unoptimised build, whose frames are the largest).
    pub const MAX_DEPTH: usize = 64;

    /// The nesting depth the readers enforce: [`Limits::max_depth`], at most
    /// [`Limits::MAX_DEPTH`].
    #[must_use]
    pub const fn depth(&self) -> usize {
        if self.max_depth < Self::MAX_DEPTH {
            self.max_depth
        } else {
            Self::MAX_DEPTH
        }
    }

    /// The one rule for a payload before any parsing, applied by [`Verifier::verify`]
    /// (and so alike by the CLI, the scanner, WASI and JavaScript): surrounding whitespace (a
    /// scanner's CR/LF, a pasted newline; Unicode `White_Space`) is not part of the payload, and
    /// what remains must be at most [`Limits::max_payload_len`] bytes. A `shc:/` text may
    /// instead be as long as a whole multi-QR SMART Health Card,
    /// [`ShcChunks::MAX_PAYLOAD_LEN`](crate::ShcChunks::MAX_PAYLOAD_LEN)
    /// (about 75 KiB), when that is larger: each of its chunks is held to the specification's
    /// QR size and there are at most 32.
    ///
    /// Trimming comes first so that the same text gets the same verdict however it arrived.
    /// It costs one pass over the surrounding whitespace and allocates nothing.
    ///
    /// [`Verifier::verify`]: crate::Verifier::verify
    ///
    /// # Errors
    /// `payload_too_large` (the detail gives the size and the limit), `empty_payload`.
    pub fn payload<'a>(&self, payload: &'a str) -> Result<&'a str, Error> {
        use crate::formats::shc;
        let payload = payload.trim();
        let limit = if shc::looks_like_qr(payload) {
            self.max_payload_len
                .max(shc::numeric::MAX_CHUNKED_PAYLOAD_LEN)
        } else {
            self.max_payload_len
        };
        if payload.len() > limit {
            return Err(Error::too_large(
                ErrorCode::PayloadTooLarge,
                payload.len(),
                limit,
                "bytes",
            ));
        }
        if payload.is_empty() {
            return Err(Error::new(ErrorCode::EmptyPayload));
        }
        Ok(payload)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_payload_len: 16 * 1024,
            max_header_len: 2 * 1024,
            max_decompressed_len: 64 * 1024,
            max_depth: 32,
            max_items: 10_000,
            max_disclosures: 256,
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

/// Whether the presenter must prove holding the credential's key (RFC 9901 §7.3 step 1: policy,
/// never inferred from whether the payload happens to carry a proof).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum KeyBinding {
    /// A proof is checked when present (the verdict then says `holderBinding: "key"`); a payload
    /// without one is accepted as bearer data (`holderBinding: "none"`).
    #[default]
    Optional,
    /// A verified key-binding proof is required: bearer payloads (tokens, EU DCC, SMART Health
    /// Cards, VDS-NC, documents, an SD-JWT without KB-JWT) get `holder_binding_missing`.
    Required,
}

impl KeyBinding {
    /// The option's stable string: `optional` or `required`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            KeyBinding::Optional => "optional",
            KeyBinding::Required => "required",
        }
    }

    /// Parses `optional` or `required`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<KeyBinding> {
        match name {
            "optional" => Some(KeyBinding::Optional),
            "required" => Some(KeyBinding::Required),
            _ => None,
        }
    }
}

/// Default [`Policy::max_proof_age`]: five minutes.
pub const DEFAULT_MAX_PROOF_AGE: u64 = 300;

/// The checks a caller asks for. Every field documents its default; `Policy::default()` accepts
/// any ES256 token or signed document from a trusted issuer that is in date at `now`.
///
/// Configured means required, for every format: setting `issuer` makes the issuer required and
/// exact, `audience` makes `aud` required (so documents, which carry none, are refused; for an
/// SD-JWT presentation it is the audience its key-binding JWT must name),
/// `min_level` makes a VNeID level required (documents assert none), `max_token_age` makes
/// `iat` required.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Expected issuer identity, exact string match: `iss` for tokens, VNeID documents and SMART
    /// Health Cards, the country an EU DCC's signing certificate is bound to, a VDS-NC seal's
    /// issuing state (docs/trust.md, "Issuer identity"). For tokens the key of this issuer then
    /// verifies the signature before the payload is parsed. Default: `None`, any issuer in the
    /// trust store.
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
    /// Whether a holder proof (an SD-JWT key-binding JWT) is required. Default:
    /// [`KeyBinding::Optional`].
    pub holder_binding: KeyBinding,
    /// The nonce a holder proof must carry (`nonce` of the KB-JWT): the verifier's challenge in
    /// a two-way presentation. Default: `None`, any nonce (a one-way QR, where the wallet picks
    /// it; the replay cache then refuses a second use).
    pub nonce: Option<String>,
    /// Maximum age of a holder proof since its `iat`, in seconds (plus `clock_tolerance`); also
    /// how long the replay cache remembers it. Default: [`DEFAULT_MAX_PROOF_AGE`] (300).
    pub max_proof_age: u64,
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
            holder_binding: KeyBinding::Optional,
            nonce: None,
            max_proof_age: DEFAULT_MAX_PROOF_AGE,
            limits: Limits::default(),
        }
    }
}
