//! The trust store: which issuers are trusted, with which keys and certificate authorities, for
//! how long, and for what.
//!
//! Keys come only from here, never from a payload (`jwk`, `jku`, `x5u` and `x5c` headers are
//! ignored). Every key is bound to one issuer and verifies one algorithm family. A format module
//! finds its key with one lookup of the kind it declares (docs/trust.md, "Issuer identity"):
//!
//! - [`KeyLookup::Issuer`]: the key of an issuer with a `kid` (tokens, VNeID documents, SMART
//!   Health Cards): never a key of another issuer;
//! - [`KeyLookup::KeyId`]: the one key with a `kid` across issuers (EU DCC, whose `kid` is the
//!   hash of one signing certificate; the format then checks the certificate's country);
//! - [`TrustStore::anchor_for`]: the anchor a signer certificate carried in the payload chains to,
//!   trusted for that format and issuer (VDS-NC).
//!
//! The parts: [`key`] (what the store holds), [`file`] (trust files), [`signed`] (the signed
//! envelope around a trust file), [`revocation`] (revoked ids, SMART Health Card CRLs, EU DCC
//! revocation hashes, status lists: [`dcc_revocation`], [`status_list`]), and the parsers
//! [`jwk`], [`spki`], [`x509`], [`shc_crl`].

pub(crate) mod dcc_revocation;
pub(crate) mod file;
pub(crate) mod jwk;
pub(crate) mod key;
pub(crate) mod revocation;
pub(crate) mod shc_crl;
pub(crate) mod signed;
pub(crate) mod spki;
pub(crate) mod status_list;
pub(crate) mod x509;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::encoding::json;
use crate::error::{Error, ErrorCode};
use crate::time;
use crate::verdict::Format;
pub use key::{display_kid, Anchor, TrustedKey};
pub(crate) use revocation::RevocationId;
use revocation::Revocations;
pub use x509::{Certificate, Name, SignatureAlgorithm};

/// Issuers, their keys, the certificate authorities signer certificates chain to, and what is
/// revoked.
///
/// Loading costs time linear (up to a logarithm) in what is loaded, and so does finding a key:
/// keys are indexed by issuer and by `kid`, so a trust list of thousands of certificates loads
/// in one pass (each file is read into a part of its own, then merged, rather than copying the
/// whole store per entry) and a verification looks one key up without scanning the others.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustStore {
    keys: Vec<TrustedKey>,
    /// Positions in `keys`, by issuer, in the order added.
    by_issuer: BTreeMap<String, Vec<usize>>,
    /// Positions in `keys`, by `kid`, in the order added (a `kid` may be shared across issuers).
    by_kid: BTreeMap<Vec<u8>, Vec<usize>>,
    /// The position of the key of an issuer with a `kid` (unique within the issuer).
    by_issuer_kid: BTreeMap<(String, Vec<u8>), usize>,
    anchors: Vec<Anchor>,
    /// Display names of issuers; the first name given to an issuer is kept.
    names: BTreeMap<String, String>,
    revocations: Revocations,
    /// What the signed bundle this store came from says about itself (`None`: unsigned trust).
    bundle: Option<signed::BundleInfo>,
}

/// How a payload names its key (see the module docs): the lookups the format modules make, for
/// callers that want to know which trusted key a payload means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyLookup<'a> {
    /// The key of `issuer` with `kid`; without a `kid`, the issuer's only key.
    Issuer {
        /// The issuer.
        issuer: &'a str,
        /// The key id the payload names, if any.
        kid: Option<&'a [u8]>,
    },
    /// The one key with this `kid`, whatever its issuer.
    KeyId(&'a [u8]),
}

impl TrustStore {
    /// An empty store (trusts nothing).
    #[must_use]
    pub fn new() -> Self {
        TrustStore::default()
    }

    /// Adds everything `part` holds. Nothing is added when one of its keys takes a `kid` an
    /// issuer already uses here.
    fn merge(&mut self, part: TrustStore) -> Result<(), Error> {
        if let Some(key) = part.keys.iter().find(|k| self.kid_taken(k)) {
            return Err(kid_twice(key));
        }
        for key in part.keys {
            self.push_key(key);
        }
        self.anchors.extend(part.anchors);
        for (issuer, name) in part.names {
            self.names.entry(issuer).or_insert(name);
        }
        self.revocations.merge(part.revocations);
        Ok(())
    }

    /// True when another key of `key`'s issuer has its `kid`.
    fn kid_taken(&self, key: &TrustedKey) -> bool {
        key.kid.as_ref().is_some_and(|kid| {
            self.by_issuer_kid
                .contains_key(&(key.issuer.clone(), kid.clone()))
        })
    }

    /// Adds a key whose `kid` is known to be free, and indexes it.
    fn push_key(&mut self, key: TrustedKey) {
        let at = self.keys.len();
        self.by_issuer
            .entry(key.issuer.clone())
            .or_default()
            .push(at);
        if let Some(kid) = &key.kid {
            self.by_kid.entry(kid.clone()).or_default().push(at);
            self.by_issuer_kid
                .insert((key.issuer.clone(), kid.clone()), at);
        }
        self.keys.push(key);
    }

    /// Adds every key of a JWKS (`{"keys": [...]}`) for `issuer`. On error the store is unchanged.
    ///
    /// # Errors
    /// `trust_invalid`, naming the key.
    pub fn add_jwks(&mut self, issuer: &str, jwks: &str) -> Result<(), Error> {
        let root = json::parse_object(jwks.as_bytes(), &file::trust_limits())
            .map_err(|e| Error::trust_invalid("jwks", e.detail().unwrap_or("not a JSON object")))?;
        let keys = root
            .get("keys")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::trust_invalid("jwks", "\"keys\" must be an array"))?;
        let mut next = TrustStore::new();
        for (j, jwk) in keys.iter().enumerate() {
            next.add_jwk(issuer, jwk, &format!("jwks: keys[{j}]"))?;
        }
        self.merge(next)
    }

    /// Adds one JWK for `issuer`; `source` names it in errors.
    ///
    /// # Errors
    /// `trust_invalid` when the JWK is not an acceptable ES256 public key or its `kid` is already
    /// used by another key of the same issuer.
    pub fn add_jwk(&mut self, issuer: &str, jwk: &Value, source: &str) -> Result<(), Error> {
        let kid_hint = jwk
            .get("kid")
            .and_then(Value::as_str)
            .map(|k| format!(" (kid \"{k}\")"))
            .unwrap_or_default();
        let parsed = jwk::parse(jwk)
            .map_err(|reason| Error::trust_invalid(&format!("{source}{kid_hint}"), &reason))?;
        self.add_key(TrustedKey {
            issuer: issuer.to_owned(),
            kid: parsed.kid.map(String::into_bytes),
            key: parsed.key,
            not_before: parsed.not_before,
            not_after: parsed.not_after,
            document_types: parsed.document_types,
            source: source.to_owned(),
            certificate: None,
        })
    }

    /// Adds a P-256 public key in SPKI DER or PEM form for `issuer`.
    ///
    /// # Errors
    /// `trust_invalid` when it is not a P-256 key, or the `kid` is taken.
    pub fn add_spki(
        &mut self,
        issuer: &str,
        kid: Option<&str>,
        der_or_pem: &[u8],
    ) -> Result<(), Error> {
        let source = format!(
            "public key{}",
            kid.map(|k| format!(" \"{k}\"")).unwrap_or_default()
        );
        let key = match core::str::from_utf8(der_or_pem) {
            Ok(text) if crate::encoding::pem::is_pem(text) => spki::from_pem(text),
            _ => spki::from_der(der_or_pem),
        }
        .map_err(|reason| Error::trust_invalid(&source, &reason))?;
        self.add_key(TrustedKey {
            issuer: issuer.to_owned(),
            kid: kid.map(|k| k.as_bytes().to_vec()),
            key,
            not_before: None,
            not_after: None,
            document_types: None,
            source,
            certificate: None,
        })
    }

    /// Adds the signing key of an X.509 certificate (PEM, base64 DER or DER), bound to `issuer`
    /// (default: the certificate subject's country, as EU DCC issuers are countries), with the
    /// certificate's validity and the EU DCC key id (first 8 bytes of SHA-256 of the DER). A key
    /// type this build cannot verify with (EC P-384, RSA without the `rsa` feature) is kept, so
    /// that a payload signed with it is reported as `unsupported_key`. On error the store is
    /// unchanged.
    ///
    /// # Errors
    /// `trust_invalid` naming `source`, when a certificate is malformed or has no issuer.
    pub fn add_certificate(
        &mut self,
        der_or_pem: &[u8],
        issuer: Option<&str>,
        source: &str,
    ) -> Result<(), Error> {
        let mut next = TrustStore::new();
        next.add_certificates(der_or_pem, issuer, source)?;
        self.merge(next)
    }

    /// [`TrustStore::add_certificate`] into a store being built (a failure leaves it half done).
    fn add_certificates(
        &mut self,
        der_or_pem: &[u8],
        issuer: Option<&str>,
        source: &str,
    ) -> Result<(), Error> {
        let certificates = certificates_from(der_or_pem)
            .map_err(|e| Error::trust_invalid(source, &e.message_en()))?;
        for cert in certificates {
            let issuer = match issuer {
                Some(i) => i.to_owned(),
                None => cert.subject.country.clone().or_else(|| cert.subject.common_name.clone()).ok_or_else(|| {
                    Error::trust_invalid(source, "the certificate subject has no country or common name to bind the key to")
                })?,
            };
            self.add_key(TrustedKey {
                issuer,
                kid: Some(cert.dcc_kid().to_vec()),
                key: cert.public_key.clone(),
                not_before: Some(cert.not_before),
                not_after: cert.not_after.checked_add(1),
                document_types: None,
                source: format!("{source} ({})", cert.subject.display()),
                certificate: Some(Box::new(cert)),
            })?;
        }
        Ok(())
    }

    /// Adds a certificate authority (e.g. an ICAO country signing CA) that signer certificates
    /// carried inside payloads must chain to, trusted for every format that chains to an anchor
    /// and any issuer ([`TrustStore::add_anchor_for`] says what it is trusted for).
    ///
    /// # Errors
    /// `trust_invalid` naming `source`, when a certificate is malformed.
    pub fn add_anchor(&mut self, der_or_pem: &[u8], source: &str) -> Result<(), Error> {
        self.add_anchor_for(der_or_pem, None, None, source)
    }

    /// Adds a certificate authority trusted only for `formats` (`None`: every format that chains
    /// to an anchor) and only for payloads of `issuer` (`None`: any; for VDS-NC the issuing
    /// state, e.g. `AUS`). A signer certificate that chains to it for another format or issuer is
    /// `key_not_authorized`.
    ///
    /// # Errors
    /// `trust_invalid` naming `source`, when a certificate is malformed.
    pub fn add_anchor_for(
        &mut self,
        der_or_pem: &[u8],
        formats: Option<&[Format]>,
        issuer: Option<&str>,
        source: &str,
    ) -> Result<(), Error> {
        let certificates = certificates_from(der_or_pem)
            .map_err(|e| Error::trust_invalid(source, &e.message_en()))?;
        self.anchors
            .extend(certificates.into_iter().map(|certificate| Anchor {
                certificate,
                formats: formats.map(<[Format]>::to_vec),
                issuer: issuer.map(str::to_owned),
                source: source.to_owned(),
            }));
        Ok(())
    }

    /// The trusted certificate authorities, in the order they were added.
    #[must_use]
    pub fn anchors(&self) -> &[Anchor] {
        &self.anchors
    }

    /// Adds a key. Refuses a second key with the same `kid` for the same issuer: which one a
    /// payload means would be ambiguous.
    ///
    /// # Errors
    /// `trust_invalid` for a duplicate `kid` within the issuer or an empty issuer.
    pub fn add_key(&mut self, key: TrustedKey) -> Result<(), Error> {
        if key.issuer.is_empty() {
            return Err(Error::trust_invalid(
                &key.source,
                "the issuer must not be empty",
            ));
        }
        if self.kid_taken(&key) {
            return Err(kid_twice(&key));
        }
        self.push_key(key);
        Ok(())
    }

    /// What the signed bundle this store was loaded from says about itself; `None` for trust
    /// loaded from unsigned files.
    #[must_use]
    pub fn bundle(&self) -> Option<&signed::BundleInfo> {
        self.bundle.as_ref()
    }

    /// `trust_expired` when the store came from a signed bundle whose `expires` is at or before
    /// `now`: nothing can be verified against stale trust.
    ///
    /// # Errors
    /// `trust_expired`, naming the expiry and the bundle version.
    pub fn check_fresh(&self, now: i64) -> Result<(), Error> {
        match &self.bundle {
            Some(b) if now >= b.expires => Err(Error::with_detail(
                ErrorCode::TrustExpired,
                format!(
                    "bundle version {} expired {}",
                    b.version,
                    time::format_rfc3339(b.expires)
                ),
            )),
            _ => Ok(()),
        }
    }

    /// The distinct issuers with keys, in sorted order.
    #[must_use]
    pub fn issuers(&self) -> Vec<&str> {
        self.by_issuer.keys().map(String::as_str).collect()
    }

    /// All keys, in the order they were added.
    #[must_use]
    pub fn keys(&self) -> &[TrustedKey] {
        &self.keys
    }

    /// The display name given to an issuer in the trust file, if any.
    #[must_use]
    pub fn issuer_name(&self, issuer: &str) -> Option<&str> {
        self.names.get(issuer).map(String::as_str)
    }

    /// True when the store trusts no key.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Finds the key a payload names (see [`KeyLookup`]). The key's validity and authorisation
    /// are not checked here: a format checks them once the signature verified.
    ///
    /// # Errors
    /// `unknown_issuer`, `unknown_key` or `ambiguous_key`.
    pub fn key(&self, lookup: KeyLookup<'_>) -> Result<&TrustedKey, Error> {
        match lookup {
            KeyLookup::Issuer { issuer, kid } => self.key_of_issuer(issuer, kid),
            KeyLookup::KeyId(kid) => self.key_by_id(kid),
        }
    }

    /// The one key of `issuer` that a payload names with `kid`. With a `kid`, exactly one key of
    /// that issuer carries it. Without one, the issuer must have exactly one key. Keys of other
    /// issuers are never considered.
    fn key_of_issuer(&self, issuer: &str, kid: Option<&[u8]>) -> Result<&TrustedKey, Error> {
        let Some(of_issuer) = self.by_issuer.get(issuer) else {
            return Err(Error::with_detail(
                ErrorCode::UnknownIssuer,
                format!("issuer \"{issuer}\""),
            ));
        };
        match kid {
            Some(kid) => self
                .by_issuer_kid
                .get(&(issuer.to_owned(), kid.to_vec()))
                .and_then(|&at| self.keys.get(at))
                .ok_or_else(|| {
                    Error::with_detail(
                        ErrorCode::UnknownKey,
                        format!("kid \"{}\", issuer \"{issuer}\"", display_kid(kid)),
                    )
                }),
            None => match of_issuer.as_slice() {
                [only] => self
                    .keys
                    .get(*only)
                    .ok_or_else(|| Error::new(ErrorCode::UnknownKey)),
                _ => Err(Error::with_detail(
                    ErrorCode::AmbiguousKey,
                    format!("no kid, and issuer \"{issuer}\" has several keys"),
                )),
            },
        }
    }

    /// The one key whose `kid` matches, across issuers (the EU DCC, whose `kid` is a hash of one
    /// signing certificate).
    fn key_by_id(&self, kid: &[u8]) -> Result<&TrustedKey, Error> {
        match self.by_kid.get(kid).map(Vec::as_slice) {
            Some([only]) => self
                .keys
                .get(*only)
                .ok_or_else(|| Error::new(ErrorCode::UnknownKey)),
            None | Some([]) => Err(Error::with_detail(
                ErrorCode::UnknownKey,
                format!("kid \"{}\"", display_kid(kid)),
            )),
            Some(_) => Err(Error::with_detail(
                ErrorCode::AmbiguousKey,
                format!("kid \"{}\" belongs to several issuers", display_kid(kid)),
            )),
        }
    }

    /// The anchor a signer certificate carried in a `format` payload of `issuer` chains to, at
    /// `now`: one level (the anchor's subject is the certificate's issuer, the anchor is a CA
    /// allowed to sign certificates, valid at `now`, and its key verifies the certificate), or the
    /// certificate itself when it is pinned as an anchor; and the anchor is trusted for that
    /// format and issuer.
    ///
    /// # Errors
    /// `chain_invalid` naming why no anchor fits; `key_not_authorized` when the one that fits is
    /// trusted for another format or issuer.
    pub(crate) fn anchor_for(
        &self,
        signer: &Certificate,
        format: Format,
        issuer: &str,
        now: i64,
    ) -> Result<&Anchor, Error> {
        if let Some(pinned) = self
            .anchors
            .iter()
            .find(|a| a.certificate.der == signer.der)
        {
            pinned.check_purpose(format, issuer)?;
            return Ok(pinned);
        }
        let mut last = Error::with_detail(
            ErrorCode::ChainInvalid,
            format!(
                "no trusted country signing CA named \"{}\"",
                signer.issuer.display()
            ),
        );
        for anchor in self
            .anchors
            .iter()
            .filter(|a| a.certificate.subject.raw == signer.issuer.raw)
        {
            let ca = &anchor.certificate;
            let may_sign_certificates = ca.is_ca
                && ca
                    .key_usage
                    .as_ref()
                    .is_none_or(|bits| bits.first().is_some_and(|b| b & 0x04 != 0));
            if !may_sign_certificates {
                last = Error::with_detail(
                    ErrorCode::ChainInvalid,
                    format!(
                        "the trusted certificate \"{}\" is not a CA allowed to sign certificates",
                        ca.subject.display()
                    ),
                );
                continue;
            }
            if let Err(e) = signer.verify_issued_by(ca) {
                last = e;
                continue;
            }
            if !ca.is_valid_at(now) {
                last = Error::with_detail(
                    ErrorCode::ChainInvalid,
                    format!(
                        "the country signing CA \"{}\" is valid from {} to {}",
                        ca.subject.display(),
                        time::format_rfc3339(ca.not_before),
                        time::format_rfc3339(ca.not_after)
                    ),
                );
                continue;
            }
            if let Err(e) = anchor.check_purpose(format, issuer) {
                last = e;
                continue;
            }
            return Ok(anchor);
        }
        Err(last)
    }
}

/// Certificates from PEM text (one or more blocks) or from base64/raw DER.
/// Without the `x509` feature (a tokens-only build), certificates are refused.
fn certificates_from(bytes: &[u8]) -> Result<Vec<Certificate>, Error> {
    use base64::Engine as _;
    if !cfg!(feature = "x509") {
        return Err(Error::with_detail(
            ErrorCode::TrustInvalid,
            "this build of vneid-verify does not read X.509 certificates",
        ));
    }
    if let Ok(text) = core::str::from_utf8(bytes) {
        if crate::encoding::pem::is_pem(text) {
            return Certificate::all_from_pem(text);
        }
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(&compact) {
            return Ok(vec![Certificate::from_der(&der)?]);
        }
    }
    Ok(vec![Certificate::from_der(bytes)?])
}

/// A second key under a `kid` its issuer already uses: which one a payload means would be
/// ambiguous.
fn kid_twice(key: &TrustedKey) -> Error {
    Error::trust_invalid(
        &key.source,
        &format!(
            "kid \"{}\" is used twice for issuer \"{}\"",
            key.kid.as_deref().map(display_kid).unwrap_or_default(),
            key.issuer
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const X: &str = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
    const Y: &str = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";

    fn bundle(keys: &str) -> String {
        format!(r#"{{"issuers":[{{"iss":"https://a","keys":[{keys}]}}]}}"#)
    }
    fn key(kid: &str) -> String {
        format!(r#"{{"kty":"EC","crv":"P-256","x":"{X}","y":"{Y}","kid":"{kid}"}}"#)
    }

    #[test]
    fn selects_by_issuer_and_kid() {
        let store = TrustStore::from_json(&bundle(&format!("{},{}", key("k1"), key("k2"))));
        let store = store.ok().unwrap_or_default();
        let kid = |r: Result<&TrustedKey, Error>| r.map(|k| k.kid_display()).map_err(|e| e.code());
        assert_eq!(
            kid(store.key(KeyLookup::Issuer {
                issuer: "https://a",
                kid: Some(b"k2")
            })),
            Ok(Some("k2".into()))
        );
        assert_eq!(
            kid(store.key(KeyLookup::Issuer {
                issuer: "https://a",
                kid: Some(b"k3")
            })),
            Err(ErrorCode::UnknownKey)
        );
        assert_eq!(
            kid(store.key(KeyLookup::Issuer {
                issuer: "https://a",
                kid: None
            })),
            Err(ErrorCode::AmbiguousKey)
        );
        assert_eq!(
            kid(store.key(KeyLookup::Issuer {
                issuer: "https://b",
                kid: Some(b"k1")
            })),
            Err(ErrorCode::UnknownIssuer)
        );
    }

    #[test]
    fn refuses_duplicate_kid_and_names_the_entry() {
        let err = TrustStore::from_json(&bundle(&format!("{},{}", key("k1"), key("k1")))).err();
        assert_eq!(err.as_ref().map(Error::code), Some(ErrorCode::TrustInvalid));
        let detail = err
            .as_ref()
            .and_then(Error::detail)
            .unwrap_or_default()
            .to_owned();
        assert!(
            detail.contains("issuers[0].keys[1]") && detail.contains("k1"),
            "{detail}"
        );
    }

    #[test]
    fn a_failed_load_leaves_the_store_unchanged() {
        let mut store = TrustStore::new();
        assert!(store.add_json(&bundle(&key("k1")), "one.json").is_ok());
        let before = store.clone();
        let bad = bundle(&format!(r#"{},{{"kty":"oct","k":"AAAA"}}"#, key("k9")));
        assert_eq!(
            store.add_json(&bad, "two.json").map_err(|e| e.code()),
            Err(ErrorCode::TrustInvalid)
        );
        assert_eq!(store, before);
    }

    #[test]
    fn jwks_needs_an_issuer() {
        let jwks = format!(r#"{{"keys":[{}]}}"#, key("k1"));
        assert_eq!(
            TrustStore::from_json(&jwks).map_err(|e| e.code()).err(),
            Some(ErrorCode::TrustInvalid)
        );
        let with_iss = format!(r#"{{"iss":"https://a","keys":[{}]}}"#, key("k1"));
        assert!(TrustStore::from_json(&with_iss).is_ok());
        let mut store = TrustStore::new();
        assert!(store.add_jwks("https://a", &jwks).is_ok());
        assert_eq!(store.keys().len(), 1);
    }

    #[test]
    fn key_validity_and_document_types() {
        let store = TrustStore::from_json(&bundle(&format!(
            r#"{{"kty":"EC","crv":"P-256","x":"{X}","y":"{Y}","nbf":100,"exp":200,"document_types":["cccd"]}}"#
        )));
        let store = store.ok().unwrap_or_default();
        let k = store
            .key(KeyLookup::Issuer {
                issuer: "https://a",
                kid: None,
            })
            .ok();
        let validity = |now| k.map(|k| k.check_validity(now).map_err(|e| e.code()));
        assert_eq!(validity(99), Some(Err(ErrorCode::KeyNotYetValid)));
        assert_eq!(validity(100), Some(Ok(())));
        assert_eq!(validity(199), Some(Ok(())));
        assert_eq!(validity(200), Some(Err(ErrorCode::KeyExpired)));
        assert_eq!(k.map(|k| k.check_document_type("cccd").is_ok()), Some(true));
        assert_eq!(
            k.map(|k| k
                .check_document_type("driving_licence")
                .map_err(|e| e.code())),
            Some(Err(ErrorCode::KeyNotAuthorized))
        );
    }

    #[test]
    fn unknown_members_are_refused_not_dropped() {
        let entry = format!(r#"{{"iss":"https://a","keys":[{}]}}"#, key("k1"));
        for (text, named) in [
            (format!(r#"{{"issuers":[{entry}],"revoke":[]}}"#), "revoke"),
            (
                format!(
                    r#"{{"issuers":[{{"iss":"https://a","keys":[{}],"crl":[]}}]}}"#,
                    key("k1")
                ),
                "crl",
            ),
            (
                format!(r#"{{"issuers":[{entry}],"revoked":[{{"iss":"https://a","jti":"j1"}}]}}"#),
                "jti",
            ),
            (
                format!(
                    r#"{{"iss":"https://a","keys":[{}],"revokd":[]}}"#,
                    key("k1")
                ),
                "revokd",
            ),
        ] {
            let err = TrustStore::from_json(&text).err();
            assert_eq!(
                err.as_ref().map(Error::code),
                Some(ErrorCode::TrustInvalid),
                "{text}"
            );
            let detail = err
                .as_ref()
                .and_then(Error::detail)
                .unwrap_or_default()
                .to_owned();
            assert!(detail.contains(&format!("\"{named}\"")), "{detail}");
        }
    }

    #[test]
    fn a_jwks_with_iss_may_carry_revocations() {
        let text = format!(
            r#"{{"iss":"https://a","keys":[{}],"revoked":[{{"iss":"https://a","id":"j1"}}]}}"#,
            key("k1")
        );
        let store = TrustStore::from_json(&text).ok().unwrap_or_default();
        assert!(store.is_revoked("https://a", "j1"));
        assert_eq!(store.keys().len(), 1);
    }

    #[test]
    fn revocation_list() {
        let text = format!(
            r#"{{"issuers":[{{"iss":"https://a","keys":[{}]}}],"revoked":[{{"iss":"https://a","id":"j1"}}]}}"#,
            key("k1")
        );
        let store = TrustStore::from_json(&text).ok().unwrap_or_default();
        assert!(store.is_revoked("https://a", "j1"));
        assert!(!store.is_revoked("https://a", "j2"));
        assert!(!store.is_revoked("https://b", "j1"));
    }
}
