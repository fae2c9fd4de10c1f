//! The trust store: which issuers are trusted, with which keys, for how long, and for what.
//!
//! Keys come only from here, never from a payload (`jwk`, `jku`, `x5u` and `x5c` headers are
//! ignored). Every key is bound to one issuer and verifies one algorithm family. Loading is strict:
//! a bad entry is an error naming the entry, never a silent drop.
//!
//! The JSON trust file format ("trust bundle") is documented in `docs/trust.md`:
//!
//! ```json
//! { "issuers": [ { "iss": "https://id.example.vn", "name": "…", "keys": [ {JWK}, … ] } ],
//!   "revoked": [ { "iss": "https://id.example.vn", "id": "jti-or-document-id" } ] }
//! ```
//!
//! A JWKS with a top-level `iss` (`{"iss": "…", "keys": [...]}`) is accepted as a one-issuer bundle.
//!
//! An issuer entry may also carry `"crls": [ … ]`, SMART Health Card revocation lists exactly as
//! the issuer publishes them at `.well-known/crl/{kid}.json` (see [`shc_crl`]).

pub(crate) mod dcc_revocation;
pub(crate) mod jwk;
pub(crate) mod shc_crl;
pub(crate) mod signed;
pub(crate) mod spki;
pub(crate) mod status_list;
pub(crate) mod x509;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::crypto::PublicKey;
use crate::encoding::{base64url, json};
use crate::error::{Error, ErrorCode};
use crate::policy::Limits;
use dcc_revocation::{DccIdentity, DccRevocations, HashType};
use status_list::{StatusListToken, StatusReference};
pub use x509::{Certificate, Name, SignatureAlgorithm};

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

    /// Checks the key's validity window at `now`.
    ///
    /// # Errors
    /// `key_not_yet_valid` or `key_expired`.
    pub fn check_validity(&self, now: i64) -> Result<(), Error> {
        if let Some(nbf) = self.not_before {
            if now < nbf {
                return Err(Error::with_detail(
                    ErrorCode::KeyNotYetValid,
                    format!("valid from {nbf}"),
                ));
            }
        }
        if let Some(exp) = self.not_after {
            if now >= exp {
                return Err(Error::with_detail(
                    ErrorCode::KeyExpired,
                    format!("valid until {exp}"),
                ));
            }
        }
        Ok(())
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

/// Formats key id bytes: printable ASCII/UTF-8 as text, anything else as base64url.
#[must_use]
pub fn display_kid(kid: &[u8]) -> String {
    match core::str::from_utf8(kid) {
        Ok(s) if !s.is_empty() && s.chars().all(|c| !c.is_control()) => s.to_owned(),
        _ => base64url::encode(kid),
    }
}

/// Issuers, their keys, and revoked ids.
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
    anchors: Vec<Certificate>,
    /// Display names of issuers; the first name given to an issuer is kept.
    names: BTreeMap<String, String>,
    revoked: BTreeSet<(String, String)>,
    /// SMART Health Card revocations: (issuer, kid, rid) → revoked for cards issued before this
    /// time, or all cards when `None`.
    revoked_rids: BTreeMap<(String, String, String), Option<i64>>,
    /// Verified status list tokens, one per URI.
    status_lists: Vec<StatusListToken>,
    /// EU DCC revocation hashes.
    dcc_revocations: DccRevocations,
    /// What the signed bundle this store came from says about itself (`None`: unsigned trust).
    bundle: Option<signed::BundleInfo>,
}

/// Limits for trust files: they are operator-supplied, not payloads, so they may be large.
fn trust_limits() -> Limits {
    Limits {
        max_depth: 16,
        max_items: 1_000_000,
        ..Limits::default()
    }
}

impl TrustStore {
    /// An empty store (trusts nothing).
    #[must_use]
    pub fn new() -> Self {
        TrustStore::default()
    }

    /// Reads a trust bundle or a JWKS with a top-level `iss` (see the module docs).
    ///
    /// # Errors
    /// `trust_invalid`, with a detail naming the entry and the reason.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let mut store = TrustStore::new();
        store.add_json(text, "trust")?;
        Ok(store)
    }

    /// Verifies a signed trust bundle (`docs/trust.md`) against the device's pinned `roots`, the
    /// `state` it persisted last (highest version accepted, roots after a rotation) and `now`,
    /// with `clock_tolerance` seconds for a bundle issued slightly after `now`, and loads it. A
    /// pure function: on success persist [`Accepted::state`]; on error keep what you had.
    ///
    /// # Errors
    /// `trust_unsigned`, `trust_invalid`, `trust_signature_invalid`, `trust_unknown_signer`,
    /// `trust_threshold_not_met`, `trust_rollback`, `trust_issued_in_future`.
    pub fn from_signed_bundle(
        bytes: &[u8],
        roots: &signed::RootSet,
        state: Option<&signed::TrustState>,
        now: i64,
        clock_tolerance: u64,
    ) -> Result<signed::Accepted, Error> {
        signed::verify(bytes, roots, state, now, clock_tolerance)
    }

    /// Adds the contents of a trust bundle or JWKS-with-`iss` file; `source` names it in errors.
    /// On error the store is unchanged.
    ///
    /// # Errors
    /// `trust_invalid`, with a detail naming the entry and the reason.
    pub fn add_json(&mut self, text: &str, source: &str) -> Result<(), Error> {
        self.add_json_for(text, source, None)
    }

    /// Adds a trust file as users already have it, recognised by its content; `source` names it
    /// in errors, `issuer` is the issuer the caller names (the CLI's `--issuer`, the JavaScript
    /// `issuer` option) for a file that does not name one itself:
    ///
    /// - a trust bundle, or a JWKS with `iss` (see [`TrustStore::add_json`]): bound as it says;
    /// - a JWKS without `iss`, as an OIDC or SMART Health Card issuer publishes it
    ///   (`.well-known/jwks.json`): bound to `issuer`, as jose's local key sets are; without one
    ///   it is refused, never trusted for any issuer;
    /// - X.509 certificates, in PEM (one or more `CERTIFICATE` blocks), DER or base64 DER, as EU
    ///   DCC national backends hand out signing certificates: bound to `issuer`, else to the
    ///   country (else the common name) in each certificate's subject
    ///   ([`TrustStore::add_certificate`]);
    /// - a P-256 public key in PEM (`PUBLIC KEY`, no `kid`): bound to `issuer`, which it needs.
    ///
    /// On error the store is unchanged.
    ///
    /// # Errors
    /// `trust_invalid`, with a detail naming the file, the entry and the reason.
    pub fn add_file(
        &mut self,
        bytes: &[u8],
        source: &str,
        issuer: Option<&str>,
    ) -> Result<(), Error> {
        let text = core::str::from_utf8(bytes).ok();
        if let Some(json) = text.filter(|t| t.trim_start().starts_with('{')) {
            return self.add_json_for(json, source, issuer);
        }
        if let Some(pem) = text.filter(|t| crate::encoding::pem::is_pem(t)) {
            if !pem.contains("-----BEGIN CERTIFICATE-----")
                && pem.contains("-----BEGIN PUBLIC KEY-----")
            {
                let issuer = issuer.ok_or_else(|| {
                    invalid(
                        source,
                        &format!("a public key names no issuer: {NAME_THE_ISSUER}"),
                    )
                })?;
                let key = spki::from_pem(pem).map_err(|reason| invalid(source, &reason))?;
                return self.add_key(TrustedKey {
                    issuer: issuer.to_owned(),
                    kid: None,
                    key,
                    not_before: None,
                    not_after: None,
                    document_types: None,
                    source: source.to_owned(),
                    certificate: None,
                });
            }
        }
        self.add_certificate(bytes, issuer, source).map_err(|e| {
            if text.is_some_and(|t| !crate::encoding::pem::is_pem(t)) {
                invalid(
                    source,
                    "not a trust bundle, a JWKS, PEM or a DER certificate",
                )
            } else {
                e
            }
        })
    }

    /// [`TrustStore::add_json`], binding a JWKS without `iss` to `issuer`.
    fn add_json_for(
        &mut self,
        text: &str,
        source: &str,
        issuer: Option<&str>,
    ) -> Result<(), Error> {
        let mut root = json::parse_object(text.as_bytes(), &trust_limits())
            .map_err(|e| invalid(source, e.detail().unwrap_or("not a JSON object")))?;
        if root.contains_key("signatures") && root.contains_key("payload") {
            return Err(invalid(
                source,
                "this is a signed trust bundle: load it with its trust roots (--trust-root, trustRoots, signed::verify)",
            ));
        }
        // A JWKS without its own `iss` is bound to the issuer the caller names.
        let is_jwks = root.contains_key("keys")
            && !root.contains_key("issuers")
            && !root.contains_key("anchors");
        if is_jwks && !root.contains_key("iss") {
            let issuer = issuer.ok_or_else(|| {
                invalid(
                    source,
                    &format!(
                        "a JWKS without \"iss\" binds its keys to no issuer: {NAME_THE_ISSUER}"
                    ),
                )
            })?;
            root.insert("iss".to_owned(), Value::String(issuer.to_owned()));
        }
        self.add_object(&root, source)
    }

    /// Adds a trust file already parsed (the members of `add_json`). On error the store is
    /// unchanged.
    pub(crate) fn add_object(
        &mut self,
        root: &Map<String, Value>,
        source: &str,
    ) -> Result<(), Error> {
        let mut next = TrustStore::new();
        if root.contains_key("issuers") || root.contains_key("anchors") {
            only_members(root, BUNDLE_MEMBERS, source)?;
            let issuers = match root.get("issuers") {
                None => &[][..],
                Some(Value::Array(list)) => list.as_slice(),
                Some(_) => return Err(invalid(source, "\"issuers\" must be an array")),
            };
            for (i, entry) in issuers.iter().enumerate() {
                let at = format!("{source}: issuers[{i}]");
                let entry = entry
                    .as_object()
                    .ok_or_else(|| invalid(&at, "must be an object"))?;
                only_members(entry, ISSUER_MEMBERS, &at)?;
                next.add_issuer_entry(entry, &at)?;
            }
        } else if root.contains_key("keys") {
            // A JWKS with `iss`: one issuer entry, which may carry the bundle's lists too.
            let members: Vec<&str> = ISSUER_MEMBERS
                .iter()
                .chain(BUNDLE_MEMBERS.iter().filter(|m| **m != "issuers"))
                .copied()
                .collect();
            only_members(root, &members, source)?;
            next.add_issuer_entry(root, source)?;
        } else {
            return Err(invalid(
                source,
                "expected a trust bundle ({\"issuers\": [...]}) or a JWKS with \"iss\" ({\"iss\": ..., \"keys\": [...]})",
            ));
        }
        if let Some(revoked) = root.get("revoked") {
            next.add_revocations(revoked, source)?;
        }
        for (i, text) in string_list(root, "anchors", source)?
            .into_iter()
            .enumerate()
        {
            next.add_anchor(text.as_bytes(), &format!("{source}: anchors[{i}]"))?;
        }
        if let Some(batches) = root.get("dcc_revocations") {
            let batches = batches
                .as_array()
                .ok_or_else(|| invalid(source, "\"dcc_revocations\" must be an array"))?;
            for (i, batch) in batches.iter().enumerate() {
                let at = format!("{source}: dcc_revocations[{i}]");
                let batch = batch
                    .as_object()
                    .ok_or_else(|| invalid(&at, "must be an object"))?;
                next.dcc_revocations
                    .add_batch(batch)
                    .map_err(|why| invalid(&at, &why))?;
            }
        }
        // Status lists last: they are verified with the keys of this file and those already
        // loaded.
        for (i, token) in string_list(root, "status_lists", source)?
            .into_iter()
            .enumerate()
        {
            let at = format!("{source}: status_lists[{i}]");
            let list = StatusListToken::from_jwt(token, &[&next, self])
                .map_err(|why| invalid(&at, &why))?;
            if self
                .status_lists
                .iter()
                .chain(&next.status_lists)
                .any(|l| l.uri == list.uri)
            {
                return Err(invalid(
                    &at,
                    &format!(
                        "a status list with sub \"{}\" is already loaded",
                        crate::formats::claims::shorten(&list.uri)
                    ),
                ));
            }
            next.status_lists.push(list);
        }
        self.merge(next)
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
        self.revoked.extend(part.revoked);
        for (key, issued_before) in part.revoked_rids {
            self.revoke_rid(key, issued_before);
        }
        self.status_lists.extend(part.status_lists);
        self.dcc_revocations.extend(part.dcc_revocations);
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

    fn add_issuer_entry(&mut self, entry: &Map<String, Value>, at: &str) -> Result<(), Error> {
        let issuer = match entry.get("iss") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(_) => return Err(invalid(at, "\"iss\" must be a non-empty string")),
            None => {
                return Err(invalid(
                    at,
                    "\"iss\" is missing: every key must be bound to an issuer",
                ))
            }
        };
        if let Some(name) = entry.get("name") {
            let name = name
                .as_str()
                .ok_or_else(|| invalid(at, "\"name\" must be a string"))?;
            self.names
                .entry(issuer.clone())
                .or_insert_with(|| name.to_owned());
        }
        let keys = match entry.get("keys") {
            None => &[][..],
            Some(Value::Array(keys)) => keys.as_slice(),
            Some(_) => return Err(invalid(at, "\"keys\" must be an array")),
        };
        for (j, jwk) in keys.iter().enumerate() {
            self.add_jwk(&issuer, jwk, &format!("{at}.keys[{j}]"))?;
        }
        let certificates = string_list(entry, "certificates", at)?;
        for (j, text) in certificates.iter().enumerate() {
            let source = format!("{at}.certificates[{j}]");
            self.add_certificates(text.as_bytes(), Some(&issuer), &source)?;
        }
        if keys.is_empty() && certificates.is_empty() {
            return Err(invalid(at, "an issuer needs \"keys\" or \"certificates\""));
        }
        if let Some(crls) = entry.get("crls") {
            let crls = crls
                .as_array()
                .ok_or_else(|| invalid(at, "\"crls\" must be an array"))?;
            for (j, crl) in crls.iter().enumerate() {
                let crl = crl
                    .as_object()
                    .ok_or_else(|| invalid(at, &format!("crls[{j}] must be an object")))?;
                self.add_shc_crl_object(&issuer, crl, &format!("{at}.crls[{j}]"))?;
            }
        }
        Ok(())
    }

    fn add_revocations(&mut self, revoked: &Value, source: &str) -> Result<(), Error> {
        let list = revoked
            .as_array()
            .ok_or_else(|| invalid(source, "\"revoked\" must be an array"))?;
        for (i, item) in list.iter().enumerate() {
            let at = format!("{source}: revoked[{i}]");
            let entry = item
                .as_object()
                .ok_or_else(|| invalid(&at, "must be an object"))?;
            only_members(entry, &["iss", "id"], &at)?;
            let iss = item.get("iss").and_then(Value::as_str);
            let id = item.get("id").and_then(Value::as_str);
            match (iss, id) {
                (Some(iss), Some(id)) => self.revoke(iss, id),
                _ => return Err(invalid(&at, "needs string members \"iss\" and \"id\"")),
            }
        }
        Ok(())
    }

    /// Adds every key of a JWKS (`{"keys": [...]}`) for `issuer`. On error the store is unchanged.
    ///
    /// # Errors
    /// `trust_invalid`, naming the key.
    pub fn add_jwks(&mut self, issuer: &str, jwks: &str) -> Result<(), Error> {
        let root = json::parse_object(jwks.as_bytes(), &trust_limits())
            .map_err(|e| invalid("jwks", e.detail().unwrap_or("not a JSON object")))?;
        let keys = root
            .get("keys")
            .and_then(Value::as_array)
            .ok_or_else(|| invalid("jwks", "\"keys\" must be an array"))?;
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
        let parsed =
            jwk::parse(jwk).map_err(|reason| invalid(&format!("{source}{kid_hint}"), &reason))?;
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
        .map_err(|reason| invalid(&source, &reason))?;
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
        let certificates =
            certificates_from(der_or_pem).map_err(|e| invalid(source, &e.message_en()))?;
        for cert in certificates {
            let issuer = match issuer {
                Some(i) => i.to_owned(),
                None => cert.subject.country.clone().or_else(|| cert.subject.common_name.clone()).ok_or_else(|| {
                    invalid(source, "the certificate subject has no country or common name to bind the key to")
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
    /// carried inside payloads must chain to.
    ///
    /// # Errors
    /// `trust_invalid` naming `source`, when a certificate is malformed.
    pub fn add_anchor(&mut self, der_or_pem: &[u8], source: &str) -> Result<(), Error> {
        let certificates =
            certificates_from(der_or_pem).map_err(|e| invalid(source, &e.message_en()))?;
        self.anchors.extend(certificates);
        Ok(())
    }

    /// The trusted certificate authorities.
    #[must_use]
    pub fn anchors(&self) -> &[Certificate] {
        &self.anchors
    }

    /// Adds a key. Refuses a second key with the same `kid` for the same issuer: which one a
    /// payload means would be ambiguous.
    ///
    /// # Errors
    /// `trust_invalid` for a duplicate `kid` within the issuer or an empty issuer.
    pub fn add_key(&mut self, key: TrustedKey) -> Result<(), Error> {
        if key.issuer.is_empty() {
            return Err(invalid(&key.source, "the issuer must not be empty"));
        }
        if self.kid_taken(&key) {
            return Err(kid_twice(&key));
        }
        self.push_key(key);
        Ok(())
    }

    /// Marks the token or document `id` (a JWT `jti`, a CWT id, a SHC `rid`) of `issuer` revoked.
    pub fn revoke(&mut self, issuer: &str, id: &str) {
        self.revoked.insert((issuer.to_owned(), id.to_owned()));
    }

    /// True when `id` of `issuer` is revoked.
    #[must_use]
    pub fn is_revoked(&self, issuer: &str, id: &str) -> bool {
        self.revoked.contains(&(issuer.to_owned(), id.to_owned()))
    }

    /// Adds a SMART Health Card revocation list (the JSON of `{iss}/.well-known/crl/{kid}.json`)
    /// for `issuer`. Lists add up: an id revoked without a time stays revoked for every card;
    /// with two times, the later one (which revokes more) is kept. On error the store is unchanged.
    ///
    /// # Errors
    /// `trust_invalid` when the text is not a `rid`-method revocation list.
    pub fn add_shc_crl(&mut self, issuer: &str, crl_json: &str) -> Result<(), Error> {
        let root = json::parse_object(crl_json.as_bytes(), &trust_limits())
            .map_err(|e| invalid("crl", e.detail().unwrap_or("not a JSON object")))?;
        self.add_shc_crl_object(issuer, &root, "crl")
    }

    fn add_shc_crl_object(
        &mut self,
        issuer: &str,
        crl: &Map<String, Value>,
        at: &str,
    ) -> Result<(), Error> {
        if issuer.is_empty() {
            return Err(invalid(at, "the issuer must not be empty"));
        }
        let crl = shc_crl::parse(crl).map_err(|reason| invalid(at, &reason))?;
        for entry in crl.rids {
            self.revoke_rid(
                (issuer.to_owned(), crl.kid.clone(), entry.rid),
                entry.issued_before,
            );
        }
        Ok(())
    }

    /// Revokes a SMART Health Card `rid`: an id revoked without a time stays revoked for every
    /// card; of two times, the later one (which revokes more) is kept.
    fn revoke_rid(&mut self, key: (String, String, String), issued_before: Option<i64>) {
        let merged = match (self.revoked_rids.get(&key), issued_before) {
            (Some(None), _) | (_, None) => None,
            (Some(Some(a)), Some(b)) => Some((*a).max(b)),
            (None, Some(b)) => Some(b),
        };
        self.revoked_rids.insert(key, merged);
    }

    /// True when a SMART Health Card with revocation id `rid`, signed by key `kid` of `issuer`
    /// and issued at `issued_at` (its `nbf`), is on a loaded revocation list.
    #[must_use]
    pub fn is_rid_revoked(&self, issuer: &str, kid: &str, rid: &str, issued_at: f64) -> bool {
        let key = (issuer.to_owned(), kid.to_owned(), rid.to_owned());
        match self.revoked_rids.get(&key) {
            None => false,
            Some(None) => true,
            // Revoked when the card was issued before the cut-off (nbf < timestamp).
            #[allow(clippy::cast_precision_loss)]
            Some(Some(before)) => issued_at < *before as f64,
        }
    }

    /// The status lists, in the order they were loaded.
    #[must_use]
    pub fn status_lists(&self) -> &[StatusListToken] {
        &self.status_lists
    }

    /// Checks a credential's status list entry: `issuer` is the credential's verified issuer.
    ///
    /// # Errors
    /// `status_list_missing`, `status_list_stale`, `status_index_invalid`, `revoked`,
    /// `suspended` or `status_unknown` (see [`StatusListToken::check`]).
    pub fn check_status(
        &self,
        issuer: &str,
        reference: &StatusReference,
        now: i64,
        tolerance: u64,
    ) -> Result<(), Error> {
        match self.status_lists.iter().find(|l| l.uri == reference.uri) {
            Some(list) => list.check(issuer, reference.idx, now, tolerance),
            None => Err(Error::with_detail(
                ErrorCode::StatusListMissing,
                format!(
                    "no status list \"{}\" in the trust store",
                    crate::formats::claims::shorten(&reference.uri)
                ),
            )),
        }
    }

    /// The number of EU DCC revocation hashes (`dcc_revocations`), all keys and types.
    #[must_use]
    pub fn dcc_revocation_count(&self) -> usize {
        self.dcc_revocations.len()
    }

    /// The hash type under which an EU DCC is revoked, if it is.
    #[must_use]
    pub(crate) fn dcc_revoked_by(&self, dcc: &DccIdentity<'_>) -> Option<HashType> {
        self.dcc_revocations.find(dcc)
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
                    crate::time::format_rfc3339(b.expires)
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

    /// Selects the one key of `issuer` that a payload names with `kid`.
    ///
    /// With a `kid`, exactly one key of that issuer must carry it. Without one, the issuer must
    /// have exactly one key. Keys of other issuers are never considered.
    ///
    /// # Errors
    /// `unknown_issuer`, `unknown_key` or `ambiguous_key`.
    pub fn select(&self, issuer: &str, kid: Option<&[u8]>) -> Result<&TrustedKey, Error> {
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

    /// Selects the one key whose `kid` matches, across issuers (COSE formats, where the kid is a
    /// hash of the signer's certificate and the issuer field is not a trust anchor).
    ///
    /// # Errors
    /// `unknown_key` when no key matches, `ambiguous_key` when several do.
    pub fn select_by_kid(&self, kid: &[u8]) -> Result<&TrustedKey, Error> {
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
}

/// How to bind a key set or key that names no issuer.
const NAME_THE_ISSUER: &str =
    "add \"iss\", or name the issuer (--issuer ISS in the CLI, the issuer option in JavaScript)";

/// The members an issuer entry may have.
const ISSUER_MEMBERS: &[&str] = &["iss", "name", "keys", "certificates", "crls"];

/// The top-level members of a trust file.
const BUNDLE_MEMBERS: &[&str] = &[
    "issuers",
    "anchors",
    "revoked",
    "status_lists",
    "dcc_revocations",
];

/// Refuses members a trust file does not define: a misspelt `"revoke"` must not silently leave
/// a revoked token valid.
fn only_members(entry: &Map<String, Value>, allowed: &[&str], at: &str) -> Result<(), Error> {
    match entry.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(unknown) => Err(invalid(
            at,
            &format!(
                "unknown member \"{unknown}\" (expected: {})",
                allowed.join(", ")
            ),
        )),
        None => Ok(()),
    }
}

/// An optional member holding an array of strings.
fn string_list<'a>(
    entry: &'a Map<String, Value>,
    name: &str,
    at: &str,
) -> Result<Vec<&'a str>, Error> {
    match entry.get(name) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| invalid(at, &format!("\"{name}\" must be an array of strings")))
            })
            .collect(),
        Some(_) => Err(invalid(
            at,
            &format!("\"{name}\" must be an array of strings"),
        )),
    }
}

/// Certificates from PEM text (one or more blocks) or from base64/raw DER.
fn certificates_from(bytes: &[u8]) -> Result<Vec<Certificate>, Error> {
    use base64::Engine as _;
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
    invalid(
        &key.source,
        &format!(
            "kid \"{}\" is used twice for issuer \"{}\"",
            key.kid.as_deref().map(display_kid).unwrap_or_default(),
            key.issuer
        ),
    )
}

fn invalid(at: &str, reason: &str) -> Error {
    Error::with_detail(ErrorCode::TrustInvalid, format!("{at}: {reason}"))
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
            kid(store.select("https://a", Some(b"k2"))),
            Ok(Some("k2".into()))
        );
        assert_eq!(
            kid(store.select("https://a", Some(b"k3"))),
            Err(ErrorCode::UnknownKey)
        );
        assert_eq!(
            kid(store.select("https://a", None)),
            Err(ErrorCode::AmbiguousKey)
        );
        assert_eq!(
            kid(store.select("https://b", Some(b"k1"))),
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
        let k = store.select("https://a", None).ok();
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
