//! What the store holds: trusted keys and trusted certificate authorities (anchors), each with
//! what it may be used for and for how long.

use crate::crypto::PublicKey;
use crate::encoding::base64url;
use crate::error::{Error, ErrorCode};
use crate::time::format_rfc3339;
use crate::verdict::Format;

use super::x509::Certificate;

/// A trusted public key and what it may be used for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedKey {
    /// The issuer this key belongs to (`iss` of tokens, issuer of documents).
    pub issuer: String,
    /// Key identifier as bytes: a JWS `kid` is its UTF-8; a COSE `kid` is raw bytes.
    pub kid: Option<Vec<u8>>,
    /// The key.
    pub key: PublicKey,
    /// Start of validity, Unix seconds.
    pub not_before: Option<i64>,
    /// End of validity (exclusive), Unix seconds.
    pub not_after: Option<i64>,
    /// Document types the key may sign; `None` means any.
    pub document_types: Option<Vec<String>>,
    /// Where the key came from, for messages (e.g. `trust.json: issuers[0].keys[1]`).
    pub source: String,
    /// The certificate the key came from, when it came from one (its extensions may restrict
    /// what the key signs, e.g. the EU DCC's extended key usages).
    pub certificate: Option<Box<Certificate>>,
}

impl TrustedKey {
    /// The key id for display: the text when it is printable UTF-8, otherwise base64url.
    #[must_use]
    pub fn kid_display(&self) -> Option<String> {
        self.kid.as_deref().map(display_kid)
    }

    /// Checks the key's validity window at `now` (after its signature verified, in every format).
    ///
    /// # Errors
    /// `key_not_yet_valid` or `key_expired`.
    pub fn check_validity(&self, now: i64) -> Result<(), Error> {
        let what = if self.certificate.is_some() {
            "the signing certificate"
        } else {
            "the key"
        };
        check_validity(what, self.not_before, self.not_after, now)
    }

    /// Checks that the key may sign documents of `doc_type`.
    ///
    /// # Errors
    /// `key_not_authorized` when the key is restricted to other types.
    pub fn check_document_type(&self, doc_type: &str) -> Result<(), Error> {
        match &self.document_types {
            Some(types) if !types.iter().any(|t| t == doc_type) => Err(Error::with_detail(
                ErrorCode::KeyNotAuthorized,
                format!("key may sign {}; not \"{doc_type}\"", types.join(", ")),
            )),
            _ => Ok(()),
        }
    }
}

/// A trusted certificate authority (e.g. an ICAO country signing CA) that signer certificates
/// carried inside payloads chain to, and what it is trusted for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    /// The authority's certificate.
    pub certificate: Certificate,
    /// The formats whose signers may chain to it; `None`: every format that chains to an anchor
    /// (today VDS-NC).
    pub formats: Option<Vec<Format>>,
    /// The issuer it vouches for (for VDS-NC the issuing state, e.g. `AUS`); `None`: any.
    pub issuer: Option<String>,
    /// Where it came from, for messages (e.g. `trust.json: anchors[0]`).
    pub source: String,
}

impl Anchor {
    /// Checks that the anchor is trusted for `format` payloads of `issuer`.
    ///
    /// # Errors
    /// `key_not_authorized`, naming what the anchor is trusted for.
    pub(crate) fn check_purpose(&self, format: Format, issuer: &str) -> Result<(), Error> {
        if let Some(formats) = self.formats.as_ref().filter(|f| !f.contains(&format)) {
            let names: Vec<&str> = formats.iter().map(|f| f.as_str()).collect();
            return Err(Error::with_detail(
                ErrorCode::KeyNotAuthorized,
                format!(
                    "the trusted authority \"{}\" is trusted for {}, not {}",
                    self.certificate.subject.display(),
                    names.join(", "),
                    format.as_str()
                ),
            ));
        }
        match &self.issuer {
            Some(vouched) if vouched != issuer => Err(Error::with_detail(
                ErrorCode::KeyNotAuthorized,
                format!(
                    "the trusted authority \"{}\" vouches for \"{vouched}\", not \"{issuer}\"",
                    self.certificate.subject.display()
                ),
            )),
            _ => Ok(()),
        }
    }
}

/// Checks a validity window at `now`: from `not_before` (inclusive) to `not_after` (exclusive),
/// Unix seconds; `what` names the key or certificate in the detail. The one rule for keys from
/// JWKs and certificates and for signer certificates carried in payloads.
///
/// # Errors
/// `key_not_yet_valid` or `key_expired`.
pub(crate) fn check_validity(
    what: &str,
    not_before: Option<i64>,
    not_after: Option<i64>,
    now: i64,
) -> Result<(), Error> {
    if let Some(nbf) = not_before.filter(|&nbf| now < nbf) {
        return Err(Error::with_detail(
            ErrorCode::KeyNotYetValid,
            format!("{what} is valid from {}", format_rfc3339(nbf)),
        ));
    }
    if let Some(end) = not_after.filter(|&end| now >= end) {
        return Err(Error::with_detail(
            ErrorCode::KeyExpired,
            format!("{what} was valid until {}", format_rfc3339(end)),
        ));
    }
    Ok(())
}

/// Formats key id bytes: printable ASCII/UTF-8 as text, anything else as base64url.
#[must_use]
pub fn display_kid(kid: &[u8]) -> String {
    match core::str::from_utf8(kid) {
        Ok(s) if !s.is_empty() && s.chars().all(|c| !c.is_control()) => s.to_owned(),
        _ => base64url::encode(kid),
    }
}
