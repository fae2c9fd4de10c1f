//! One module per payload format, and what they share.
//!
//! [`detect`] recognises a payload's format from its shape and keeps what it had to parse for
//! that ([`Detected`]); [`verify`] hands that to the format's module, which decodes the rest,
//! finds its key through one trust lookup of the kind it declares, verifies the signature and
//! applies the format's own rules, and returns a [`Verified`]: authentic, and not yet judged
//! against the caller's policy (that is `policy::apply`, one stage for every format).

pub(crate) mod cccd_qr;
pub(crate) mod claims;
pub(crate) mod cose;
pub(crate) mod cose_qr;
pub(crate) mod cwt;
pub(crate) mod eu_dcc;
pub(crate) mod jws;
pub(crate) mod sd_jwt;
pub(crate) mod shc;
pub(crate) mod token;
pub(crate) mod vds_nc;
pub(crate) mod vneid_document;
pub(crate) mod vneid_presentation;

use serde_json::{Map, Value};

use crate::encoding::json;
use crate::error::{Error, ErrorCode};
use crate::holder::HolderProof;
use crate::policy::{Level, Limits};
use crate::trust::status_list::StatusReference;
use crate::trust::{RevocationId, TrustStore};
use crate::verdict::{Document, Format, Holder, Verdict, Warning};

/// A payload recognised by its shape, with what recognising it parsed.
#[derive(Debug)]
pub(crate) enum Detected<'a> {
    /// A compact JWS without `zip`: a token, `jwt` or `vneid_token` once its claims are read.
    Token(Result<jws::CompactJws<'a>, Error>),
    /// An SD-JWT presentation: a compact JWS followed by `~` and disclosures.
    SdJwt(&'a str),
    /// A SMART Health Card in one of its forms.
    Shc(shc::Input<'a>),
    /// `VN` + digit + `:`.
    VneidDocument(&'a str),
    /// `HC` + digit + `:`.
    EuDcc(&'a str),
    /// `VNP` + digit + `:`: the compact presentation.
    VneidPresentation(&'a str),
    /// A JSON object with `data` and `sig` (or, verified as a seal, any JSON).
    VdsNc(Result<Map<String, Value>, Error>),
    /// Twelve digits, `|`, at least seven fields.
    CccdQr(&'a str),
    /// No supported format; with the reason when it is more precise than `unknown_format` (a
    /// JSON payload that is not strict JSON is `json_invalid`).
    Unknown(Option<Error>),
}

impl Detected<'_> {
    /// The format as far as detection knows it (a token is `jwt` until its claims say more).
    pub(crate) fn format(&self) -> Format {
        match self {
            Detected::Token(_) => Format::Jwt,
            Detected::SdJwt(_) => Format::SdJwtVc,
            Detected::Shc(_) => Format::Shc,
            Detected::VneidDocument(_) => Format::VneidDocument,
            Detected::EuDcc(_) => Format::EuDcc,
            Detected::VneidPresentation(_) => Format::VneidPresentation,
            Detected::VdsNc(_) => Format::VdsNc,
            Detected::CccdQr(_) => Format::CccdQr,
            Detected::Unknown(_) => Format::Unknown,
        }
    }

    /// The formats the payload may still turn out to be: a token is `jwt` or `vneid_token`.
    pub(crate) fn candidates(&self) -> &'static [Format] {
        match self {
            Detected::Token(_) => &[Format::Jwt, Format::VneidToken],
            Detected::SdJwt(_) => &[Format::SdJwtVc],
            Detected::Shc(_) => &[Format::Shc],
            Detected::VneidDocument(_) => &[Format::VneidDocument],
            Detected::EuDcc(_) => &[Format::EuDcc],
            Detected::VneidPresentation(_) => &[Format::VneidPresentation],
            Detected::VdsNc(_) => &[Format::VdsNc],
            Detected::CccdQr(_) => &[Format::CccdQr],
            Detected::Unknown(_) => &[],
        }
    }
}

/// Recognises a payload's format from its shape, parsing only what tells formats apart, under
/// the caller's `limits`, and keeping it: a compact JWS is split and its header decoded (`zip`
/// makes it a SMART Health Card; tokens are never compressed); a JSON object is parsed
/// (`verifiableCredential`: a `.smart-health-card` file; `data` and `sig`: a VDS-NC seal).
pub(crate) fn detect<'a>(payload: &'a str, limits: &Limits) -> Detected<'a> {
    if shc::looks_like_qr(payload) {
        Detected::Shc(shc::Input::Qr(payload))
    } else if looks_like_jws(payload) {
        // `~` is not base64url: only an SD-JWT presentation has one.
        if payload.contains('~') {
            Detected::SdJwt(payload)
        } else {
            match jws::Parts::split(payload, limits) {
                Ok(parts) if parts.compressed() => {
                    Detected::Shc(shc::Input::Jws(parts.finish(shc::JWS_RULES)))
                }
                Ok(parts) => Detected::Token(parts.finish(token::JWS_RULES)),
                // A header that does not decode is reported on the token path, precisely.
                Err(error) => Detected::Token(Err(error)),
            }
        }
    } else if let Some(format) = cose_qr_format(payload) {
        match format {
            Format::VneidDocument => Detected::VneidDocument(payload),
            Format::VneidPresentation => Detected::VneidPresentation(payload),
            _ => Detected::EuDcc(payload),
        }
    } else if payload.starts_with('{') {
        match json::parse_object(payload.as_bytes(), limits) {
            Ok(object) if object.contains_key("verifiableCredential") => {
                Detected::Shc(shc::Input::File(Ok(object)))
            }
            Ok(object) if object.contains_key("data") && object.contains_key("sig") => {
                Detected::VdsNc(Ok(object))
            }
            Ok(_) => Detected::Unknown(None),
            Err(error) => Detected::Unknown(Some(error)),
        }
    } else if cccd_qr::looks_like(payload) {
        Detected::CccdQr(payload)
    } else {
        Detected::Unknown(None)
    }
}

/// A payload taken as `format`, whatever its shape (`Verifier::verify_as`): the format's module
/// then reports precisely what is wrong with it.
pub(crate) fn detect_as<'a>(format: Format, payload: &'a str, limits: &Limits) -> Detected<'a> {
    match format {
        Format::Jwt | Format::VneidToken => {
            Detected::Token(jws::decode(payload, limits, token::JWS_RULES))
        }
        Format::SdJwtVc => Detected::SdJwt(payload),
        Format::Shc => Detected::Shc(shc::Input::of(payload, limits)),
        Format::VneidDocument => Detected::VneidDocument(payload),
        Format::EuDcc => Detected::EuDcc(payload),
        Format::VneidPresentation => Detected::VneidPresentation(payload),
        Format::VdsNc => Detected::VdsNc(json::parse_object(payload.as_bytes(), limits)),
        Format::CccdQr => Detected::CccdQr(payload),
        Format::Unknown => Detected::Unknown(None),
    }
}

/// What a format module verified, before the caller's policy: the signature, the key's validity
/// and authorisation, and the format's own rules (required claims, claim types, schema). Every
/// field is authentic. The policy stage (`policy::apply`) judges it and makes the verdict.
///
/// A new kind of fact a format establishes (as the holder's proof of an SD-JWT presentation,
/// or a status-list reference) is a field here and its rule in `policy::apply`: nothing else
/// changes.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Verified {
    /// The format.
    pub(crate) format: Format,
    /// The issuer identity of the format (docs/trust.md, "Issuer identity"): what
    /// `Policy::issuer` is compared with, the verdict's `issuer`, and the issuer its revocation
    /// ids are listed under.
    pub(crate) issuer: String,
    /// The key id, for display.
    pub(crate) kid: Option<String>,
    /// The subject (for VNeID: the personal ID number).
    pub(crate) subject: Option<String>,
    /// The VNeID assurance level the payload asserts.
    pub(crate) level: Option<Level>,
    /// The audiences the payload names (`aud`); `None` when it names none (every document).
    pub(crate) audience: Option<Vec<String>>,
    /// `iat`, `nbf`, `exp`: Unix seconds.
    pub(crate) issued_at: Option<f64>,
    /// See [`Verified::issued_at`].
    pub(crate) not_before: Option<f64>,
    /// See [`Verified::issued_at`].
    pub(crate) expires_at: Option<f64>,
    /// More bounds of the validity window, from the document itself (a card's expiry date),
    /// applied with the same clock tolerance after `exp`, `nbf` and `iat`.
    pub(crate) bounds: Vec<Bound>,
    /// The ids it may be revoked by, under [`Verified::issuer`].
    pub(crate) revocation: Vec<RevocationId>,
    /// The document, for document formats.
    pub(crate) document: Option<Document>,
    /// The person it is about, from the format's own fields.
    pub(crate) holder: Option<Holder>,
    /// The verified claims.
    pub(crate) claims: Option<Value>,
    /// Warnings found so far.
    pub(crate) warnings: Vec<Warning>,
    /// The holder's proof of holding the credential's key (an SD-JWT's key-binding JWT, its
    /// signature verified with the issuer-signed `cnf` key); `None` for bearer payloads. Whether
    /// one is required, and whether it answers this verifier now, is the policy stage's.
    pub(crate) holder_proof: Option<HolderProof>,
    /// The payload's entry in its issuer's status list (`status`), when it names one: the
    /// policy stage checks it after the revocation ids.
    pub(crate) status: Option<StatusReference>,
}

impl Verified {
    /// A result of `format` from `issuer`; the format module fills in the rest.
    pub(crate) fn new(format: Format, issuer: impl Into<String>) -> Self {
        Verified {
            format,
            issuer: issuer.into(),
            kid: None,
            subject: None,
            level: None,
            audience: None,
            issued_at: None,
            not_before: None,
            expires_at: None,
            bounds: Vec::new(),
            revocation: Vec::new(),
            document: None,
            holder: None,
            claims: None,
            warnings: Vec::new(),
            holder_proof: None,
            status: None,
        }
    }
}

/// A bound of a document's own validity: valid from `at` (`NotBefore`) or until `at`, exclusive
/// (`NotAfter`); `what` names it in the message (`document expiryDate 2030-01-01`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Bound {
    /// Which side of the window.
    pub(crate) kind: BoundKind,
    /// Unix seconds.
    pub(crate) at: f64,
    /// The field and its value, for the message.
    pub(crate) what: String,
}

/// See [`Bound`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BoundKind {
    /// Not valid before `at`.
    NotBefore,
    /// Not valid from `at` on.
    NotAfter,
}

/// What the format modules need besides the payload: the input limits, the verification time,
/// and the issuer the caller expects, which tells the token module whose key to verify with
/// before it parses the claims.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Context<'a> {
    /// Input limits.
    pub(crate) limits: &'a Limits,
    /// Unix seconds.
    pub(crate) now: i64,
    /// `Policy::issuer`: a hint for choosing keys, never a check (the policy stage checks it).
    pub(crate) expected_issuer: Option<&'a str>,
}

/// What a format module returns.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Signed and verified: the policy stage decides.
    Verified(Box<Verified>),
    /// Read but unsigned (the ID card QR): this verdict is final, never valid.
    Unsigned(Box<Verdict>),
    /// Rejected, as this format.
    Rejected(Format, Error),
}

/// `$verify` (a format module's `Result<Verified, Error>`) when the cargo feature `$feature` is
/// on; otherwise the payload is refused and the module is not linked.
macro_rules! built {
    ($feature:literal, $format:expr, $verify:expr) => {{
        #[cfg(feature = $feature)]
        let result = $verify.map_err(|e| ($format, e));
        #[cfg(not(feature = $feature))]
        let result = Err(($format, not_built($format)));
        result
    }};
}
/// Hands a detected payload to its format's module. A format this build leaves out (its cargo
/// feature is off) is refused as `format_not_allowed`, and its module is never linked.
pub(crate) fn verify(detected: Detected<'_>, trust: &TrustStore, cx: &Context<'_>) -> Outcome {
    let format = detected.format();
    let result = match detected {
        Detected::Token(jws) => match jws {
            Ok(jws) => token::verify(&jws, trust, cx),
            Err(error) => Err((Format::Jwt, error)),
        },
        Detected::SdJwt(text) => built!("sd-jwt", format, sd_jwt::verify(text, trust, cx)),
        Detected::Shc(input) => built!("shc", format, shc::verify(input, trust, cx)),
        Detected::VneidDocument(text) => built!(
            "vneid-document",
            format,
            vneid_document::verify(text, trust, cx)
        ),
        Detected::EuDcc(text) => built!("eu-dcc", format, eu_dcc::verify(text, trust, cx)),
        Detected::VneidPresentation(text) => built!(
            "vneid-presentation",
            format,
            vneid_presentation::verify(text, trust, cx)
        ),
        Detected::VdsNc(seal) => built!(
            "vds-nc",
            format,
            seal.and_then(|seal| vds_nc::verify(&seal, trust, cx))
        ),
        #[cfg(feature = "cccd-qr")]
        Detected::CccdQr(text) => return Outcome::Unsigned(Box::new(cccd_qr::read(text, cx.now))),
        #[cfg(not(feature = "cccd-qr"))]
        Detected::CccdQr(_) => Err((format, not_built(format))),
        Detected::Unknown(reason) => Err((
            Format::Unknown,
            reason.unwrap_or_else(|| Error::new(ErrorCode::UnknownFormat)),
        )),
    };
    match result {
        Ok(verified) => Outcome::Verified(Box::new(verified)),
        Err((format, error)) => Outcome::Rejected(format, error),
    }
}

/// The refusal of a payload whose format this build leaves out.
#[cfg_attr(feature = "all-formats", allow(dead_code))] // every format is built
pub(crate) fn not_built(format: Format) -> Error {
    Error::with_detail(
        ErrorCode::FormatNotAllowed,
        format!(
            "this build of vneid-verify does not verify {}",
            format.as_str()
        ),
    )
}

/// `VN` or `HC` followed by a digit and a colon: the VNeID document QR and the EU DCC. Other
/// versions than `VN1:` and `HC1:` are routed too, so that they are reported as
/// `prefix_invalid` (an unsupported version) rather than `unknown_format`.
fn cose_qr_format(payload: &str) -> Option<Format> {
    let b = payload.as_bytes();
    if b.get(..3) == Some(b"VNP")
        && b.get(3).is_some_and(u8::is_ascii_digit)
        && b.get(4) == Some(&b':')
    {
        return Some(Format::VneidPresentation);
    }
    let versioned = b.get(2).is_some_and(u8::is_ascii_digit) && b.get(3) == Some(&b':');
    match b.get(..2) {
        Some(b"VN") if versioned => Some(Format::VneidDocument),
        Some(b"HC") if versioned => Some(Format::EuDcc),
        _ => None,
    }
}

/// A JSON object from `(name, value)` pairs, for the verdicts' `document` fields. A plain function
/// rather than `serde_json::json!`, whose per-type serialisation code weighs on the .wasm.
pub(crate) fn object(members: Vec<(&str, Value)>) -> Value {
    // Inserting one by one: collecting into the map would link a sort and a bulk builder.
    let mut map = Map::new();
    for (name, value) in members {
        map.insert(name.to_owned(), value);
    }
    Value::Object(map)
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

    fn detect(payload: &str) -> Format {
        super::detect(payload, &Limits::default()).format()
    }

    /// Why a payload is not recognised, when detection says more than `unknown_format`.
    fn recognise(payload: &str) -> Result<Format, ErrorCode> {
        match super::detect(payload, &Limits::default()) {
            Detected::Unknown(Some(error)) => Err(error.code()),
            other => Ok(other.format()),
        }
    }

    #[test]
    fn detects_jws_shapes() {
        assert_eq!(detect("eyJhbGciOiJFUzI1NiJ9.e30.sig"), Format::Jwt);
        assert_eq!(detect("eyJhbGciOiJFUzI1NiJ9=.e30.sig"), Format::Jwt);
        assert_eq!(detect("eyJhbGciOiJFUzI1NiJ9"), Format::Unknown);
        assert_eq!(detect("hello"), Format::Unknown);
        assert_eq!(detect("eyJhbGciOiJFUzI1NiJ9.e30.sig~"), Format::SdJwtVc);
        assert_eq!(
            detect("eyJhbGciOiJFUzI1NiJ9.e30.sig~WyJ~k.b.j"),
            Format::SdJwtVc
        );
    }

    #[test]
    fn detects_health_cards_seals_and_card_qrs() {
        assert_eq!(detect("shc:/5676"), Format::Shc);
        assert_eq!(detect("SHC:/5676"), Format::Shc);
        // {"zip":"DEF","alg":"ES256"} — a compressed JWS is a SMART Health Card.
        assert_eq!(
            detect("eyJ6aXAiOiJERUYiLCJhbGciOiJFUzI1NiJ9.e30.sig"),
            Format::Shc
        );
        assert_eq!(detect(r#"{"verifiableCredential":[]}"#), Format::Shc);
        assert_eq!(detect(r#"{"data":{},"sig":{}}"#), Format::VdsNc);
        assert_eq!(detect(r#"{"data":{}}"#), Format::Unknown);
        assert_eq!(detect(r#"{"data":{},"sig":{},"data":1}"#), Format::Unknown);
        assert_eq!(detect("{"), Format::Unknown);
        // Not strict JSON: recognised as such, not as an unknown format.
        for bad in [r#"{"data":{},"sig":{},"data":1}"#, "{", r#"{"a":1,}"#] {
            assert_eq!(recognise(bad), Err(ErrorCode::JsonInvalid), "{bad}");
        }
        assert_eq!(recognise(r#"{"a":1}"#), Ok(Format::Unknown));
        assert_eq!(
            detect("001099001234|012345678|Nguyễn Văn An|15031999|Nam|Hà Nội|10052021"),
            Format::CccdQr
        );
        assert_eq!(detect("001099001234|012345678"), Format::Unknown);
    }

    #[test]
    fn detects_cose_qr_prefixes() {
        assert_eq!(detect("VN1:6BFOXN"), Format::VneidDocument);
        assert_eq!(detect("VN2:6BFOXN"), Format::VneidDocument);
        assert_eq!(detect("HC1:NCFOXN"), Format::EuDcc);
        assert_eq!(detect("HC2:NCFOXN"), Format::EuDcc);
        assert_eq!(detect("HL0:NCFOXN"), Format::Unknown);
        assert_eq!(detect("VN1"), Format::Unknown);
        assert_eq!(detect("VNP1:6BFOXN"), Format::VneidPresentation);
        assert_eq!(detect("VNP2:6BFOXN"), Format::VneidPresentation);
        assert_eq!(detect("VNPX:6BFOXN"), Format::Unknown);
        assert_eq!(detect("vn1:abc"), Format::Unknown);
    }
}
