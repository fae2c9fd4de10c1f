//! The result of one verification: the same shape for every format, in Rust, JS and the CLI.

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, ErrorCode, ErrorDetail};

/// Which format the payload was recognised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Format {
    /// A JWT following the VNeID token profile (`acr` = `urn:vneid:level:N`).
    VneidToken,
    /// Any other ES256 JWT (e.g. an OpenID Connect ID token).
    Jwt,
    /// A VNeID document QR (`VN1:`).
    VneidDocument,
    /// An EU Digital COVID Certificate (`HC1:`).
    EuDcc,
    /// A SMART Health Card (`shc:/` or a `.smart-health-card` file).
    Shc,
    /// An ICAO VDS-NC JSON seal.
    VdsNc,
    /// An SD-JWT presentation (RFC 9901; SD-JWT VC): `<issuer JWT>~<disclosures>~[<KB-JWT>]`.
    SdJwtVc,
    /// The compact VNeID presentation QR (`VNP1:`): the same presentation in CBOR and COSE.
    VneidPresentation,
    /// The plain-text QR on the chip ID card / Căn cước card (unsigned).
    CccdQr,
    /// Not recognised.
    Unknown,
}

impl Format {
    /// The format a payload is recognised as, from its shape alone (nothing is verified;
    /// surrounding whitespace is ignored): what [`Verifier::verify`](crate::Verifier::verify)
    /// would verify it as. A compact JWS is [`Format::Jwt`] until its claims say otherwise.
    #[must_use]
    pub fn detect(payload: &str) -> Format {
        crate::formats::detect(payload.trim(), &crate::Limits::default()).format()
    }

    /// The format named by its stable string (`vneid_token`, `eu_dcc`, …).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|f| f.as_str() == name)
    }

    /// The stable string of this format.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::VneidToken => "vneid_token",
            Format::Jwt => "jwt",
            Format::VneidDocument => "vneid_document",
            Format::EuDcc => "eu_dcc",
            Format::Shc => "shc",
            Format::VdsNc => "vds_nc",
            Format::SdJwtVc => "sd_jwt_vc",
            Format::VneidPresentation => "vneid_presentation",
            Format::CccdQr => "cccd_qr",
            Format::Unknown => "unknown",
        }
    }

    /// Every format, in documentation order (the JS package's `formats()` and its TypeScript
    /// `Format` union are checked against this list).
    pub const ALL: &'static [Format] = &[
        Format::VneidToken,
        Format::Jwt,
        Format::VneidDocument,
        Format::EuDcc,
        Format::Shc,
        Format::VdsNc,
        Format::SdJwtVc,
        Format::VneidPresentation,
        Format::CccdQr,
        Format::Unknown,
    ];

    /// The format a policy can allow by name (every format but [`Format::Unknown`]), or `None`.
    #[must_use]
    pub fn allowable_from_name(name: &str) -> Option<Format> {
        Format::from_name(name).filter(|f| *f != Format::Unknown)
    }

    /// The names a policy's format list accepts, comma-separated, for error messages.
    #[must_use]
    pub fn allowable_names() -> String {
        Format::ALL
            .iter()
            .filter(|f| **f != Format::Unknown)
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Something worth a human's attention in a payload that may still be valid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// Stable `snake_case` code (see [`WarningCode`]).
    pub code: WarningCode,
    /// English message.
    pub message: String,
    /// Vietnamese message.
    #[serde(rename = "messageVi")]
    pub message_vi: String,
}

/// Warning codes: stable `snake_case` strings, listed in the README.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WarningCode {
    /// `birthdate` disagrees with the birth year encoded in the personal ID number.
    BirthdateMismatch,
    /// `gender` disagrees with the sex encoded in the personal ID number.
    GenderMismatch,
    /// `aud` is present but the caller configured no audience, so it was not checked.
    AudienceNotChecked,
    /// A field of an unsigned payload is inconsistent with another (ID card QR).
    Inconsistent,
    /// The verification time is before this build was made: the clock is probably unset.
    ClockUnset,
}

impl WarningCode {
    /// The stable string of this code.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            WarningCode::BirthdateMismatch => "birthdate_mismatch",
            WarningCode::GenderMismatch => "gender_mismatch",
            WarningCode::AudienceNotChecked => "audience_not_checked",
            WarningCode::Inconsistent => "inconsistent",
            WarningCode::ClockUnset => "clock_unset",
        }
    }

    /// Every warning code.
    pub const ALL: &'static [WarningCode] = &[
        WarningCode::BirthdateMismatch,
        WarningCode::GenderMismatch,
        WarningCode::AudienceNotChecked,
        WarningCode::Inconsistent,
        WarningCode::ClockUnset,
    ];
}

impl Warning {
    /// A warning with its messages, each cut to at most
    /// [`Error::MAX_DETAIL_CHARS`](crate::Error::MAX_DETAIL_CHARS) characters (they may quote a
    /// payload).
    #[must_use]
    pub fn new(code: WarningCode, en: impl Into<String>, vi: impl Into<String>) -> Self {
        let max = Error::MAX_DETAIL_CHARS;
        Warning {
            code,
            message: crate::error::bounded(en.into(), max),
            message_vi: crate::error::bounded(vi.into(), max),
        }
    }
}

/// How a valid verdict's holder was bound to the credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HolderBinding {
    /// A key-binding proof verified with the holder key the issuer signed into the credential
    /// (`cnf`): the presenter holds that key.
    Key,
    /// Bearer data: whoever shows it passes (EU DCC, SMART Health Card, VDS-NC, tokens, document
    /// QRs, an SD-JWT without key-binding JWT). A front-end may ask for a photo check.
    None,
}

impl HolderBinding {
    /// The stable string: `key` or `none`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            HolderBinding::Key => "key",
            HolderBinding::None => "none",
        }
    }
}

/// The person a verdict is about, as the payload names them, in one shape for every format: for
/// showing who it is (a scanner's line, a page's heading), never for matching identities (the
/// spelling is the issuer's).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Holder {
    /// The full name as the payload writes it: a token's `name`; a document's full name; an EU
    /// DCC's family and given names, else their transliterations; a SMART Health Card's patient;
    /// a VDS-NC seal's person.
    pub name: Option<String>,
    /// The date of birth as the payload writes it: `YYYY-MM-DD`, or `YYYY` / `YYYY-MM` where
    /// the format allows a partial date (EU DCC, FHIR).
    pub birth_date: Option<String>,
}

impl Holder {
    /// A holder from the name and birth date a payload gives, `None` when it gives neither;
    /// empty or blank values count as absent.
    #[must_use]
    pub fn of(name: Option<&str>, birth_date: Option<&str>) -> Option<Holder> {
        let given = |s: Option<&str>| s.filter(|s| !s.trim().is_empty()).map(str::to_owned);
        let holder = Holder {
            name: given(name),
            birth_date: given(birth_date),
        };
        (holder != Holder::default()).then_some(holder)
    }
}

/// A recognised document: its type and its fields, laid out as on the document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Document {
    /// The document type, e.g. `cccd`, `driving_licence`, `eu_dcc`, `shc`.
    #[serde(rename = "type")]
    pub doc_type: String,
    /// The document's fields (a JSON object).
    pub fields: Value,
}

/// The outcome of verifying one payload.
///
/// `valid` is true only when every check passed; then `code` is `None`. When it is false, `code`
/// says why, and `issuer`, `subject`, `level` and `claims` are `None`: nothing from a payload that
/// failed is ever presented as verified. The one exception is the unsigned ID card QR, whose parsed
/// fields come back in `document` with `code: unsigned`, so a person can compare them with the card.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// True when the payload was verified.
    pub valid: bool,
    /// The recognised format.
    pub format: Format,
    /// Why it is not valid; `None` when valid.
    pub code: Option<ErrorCode>,
    /// English message.
    pub message: String,
    /// Vietnamese message.
    pub message_vi: String,
    /// What a rejection is about, as data (the claim, the path into the payload, the limit);
    /// `None` when valid or when the code says it all.
    pub detail: Option<ErrorDetail>,
    /// The verified issuer.
    pub issuer: Option<String>,
    /// The id of the key that verified the signature.
    pub kid: Option<String>,
    /// The verified subject (for VNeID: the 12-digit personal ID number).
    pub subject: Option<String>,
    /// The verified VNeID assurance level (1 or 2).
    pub level: Option<u8>,
    /// Issued-at time, Unix seconds.
    #[serde(serialize_with = "numeric_date")]
    pub issued_at: Option<f64>,
    /// Not-before time, Unix seconds.
    #[serde(serialize_with = "numeric_date")]
    pub not_before: Option<f64>,
    /// Expiry time, Unix seconds.
    #[serde(serialize_with = "numeric_date")]
    pub expires_at: Option<f64>,
    /// The verified claims (a JSON object).
    pub claims: Option<Value>,
    /// The document, for document formats.
    pub document: Option<Document>,
    /// The person it is about (name, birth date), the same shape for every format; also on the
    /// unsigned ID card QR's verdict, beside its document.
    pub holder: Option<Holder>,
    /// How the holder was bound: `Some(Key)` when a key-binding proof verified, `Some(None)` for
    /// bearer payloads; `None` (null) unless valid.
    pub holder_binding: Option<HolderBinding>,
    /// Warnings (possibly also on a valid verdict).
    pub warnings: Vec<Warning>,
}

impl Verdict {
    /// A rejection of the given format.
    #[must_use]
    pub fn rejected(format: Format, error: &Error) -> Self {
        Verdict {
            valid: false,
            format,
            code: Some(error.code()),
            message: error.message_en(),
            message_vi: error.message_vi(),
            detail: error.data().cloned(),
            issuer: None,
            kid: None,
            subject: None,
            level: None,
            issued_at: None,
            not_before: None,
            expires_at: None,
            claims: None,
            document: None,
            holder: None,
            holder_binding: None,
            warnings: Vec::new(),
        }
    }

    /// An accepted payload of the given format; fill in the other fields.
    #[must_use]
    pub fn verified(format: Format) -> Self {
        Verdict {
            valid: true,
            format,
            code: None,
            message: String::from("Verified"),
            message_vi: String::from("Đã xác minh"),
            detail: None,
            issuer: None,
            kid: None,
            subject: None,
            level: None,
            issued_at: None,
            not_before: None,
            expires_at: None,
            claims: None,
            document: None,
            holder: None,
            holder_binding: Some(HolderBinding::None),
            warnings: Vec::new(),
        }
    }

    /// This verdict as one line of JSON (the CLI's output format), in ASCII line terminators
    /// only: U+2028, U+2029 and U+0085, which JSON allows raw inside strings but which many
    /// line-based readers take for a line end, are written as `\u2028`, `\u2029`, `\u0085`, so a
    /// payload that carries them cannot split one verdict into two lines.
    #[must_use]
    pub fn to_json(&self) -> String {
        // Serialising this struct cannot fail: every field is a plain value.
        let json =
            serde_json::to_string(self).unwrap_or_else(|_| String::from("{\"valid\":false}"));
        escape_line_separators(json)
    }
}

/// JSON text with U+2028, U+2029 and U+0085 escaped. serde_json writes those characters only
/// inside strings, where an escape means the same character.
fn escape_line_separators(json: String) -> String {
    if !json.contains(['\u{2028}', '\u{2029}', '\u{85}']) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            '\u{85}' => out.push_str("\\u0085"),
            c => out.push(c),
        }
    }
    out
}

/// NumericDates are seconds and usually whole: print `1700000000`, not `1700000000.0`.
#[allow(clippy::ref_option)]
fn numeric_date<S: serde::Serializer>(value: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match *value {
        #[allow(clippy::cast_possible_truncation)]
        Some(t) if t.fract() == 0.0 && t.abs() < 9.0e15 => s.serialize_i64(t as i64),
        Some(t) => s.serialize_f64(t),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_carry_no_unicode_line_separators() {
        let mut verdict = Verdict::verified(Format::Jwt);
        verdict.subject = Some("a\u{2028}b\u{2029}c\u{85}d\ne".into());
        let line = verdict.to_json();
        assert!(
            !line.contains(['\u{2028}', '\u{2029}', '\u{85}', '\n']),
            "{line}"
        );
        assert!(
            line.contains(r#""subject":"a\u2028b\u2029c\u0085d\ne""#),
            "{line}"
        );
        let back: Value = serde_json::from_str(&line).unwrap_or_default();
        assert_eq!(back["subject"], "a\u{2028}b\u{2029}c\u{85}d\ne");
    }

    /// Adding a `Format` variant breaks this match until `Format::ALL` lists it too.
    #[test]
    fn format_all_lists_every_variant_once() {
        let position = |f: Format| match f {
            Format::VneidToken => 0,
            Format::Jwt => 1,
            Format::VneidDocument => 2,
            Format::EuDcc => 3,
            Format::Shc => 4,
            Format::VdsNc => 5,
            Format::SdJwtVc => 6,
            Format::VneidPresentation => 7,
            Format::CccdQr => 8,
            Format::Unknown => 9,
        };
        let positions: Vec<usize> = Format::ALL.iter().map(|&f| position(f)).collect();
        assert_eq!(positions, (0..=9).collect::<Vec<_>>());
        for &f in Format::ALL {
            assert_eq!(serde_json::to_value(f).ok(), Some(Value::from(f.as_str())));
        }
    }
}
