//! The JSON trust file ("trust bundle", docs/trust.md) and the other files users already have
//! (a published JWKS, signing certificates, a PEM public key), read into a [`TrustStore`].
//!
//! ```json
//! { "issuers": [ { "iss": "https://id.example.vn", "name": "…", "keys": [ {JWK}, … ] } ],
//!   "anchors": [ "PEM or base64 DER", { "certificate": "…", "formats": ["vds_nc"], "issuer": "AUS" } ],
//!   "revoked": [ { "iss": "https://id.example.vn", "id": "jti-or-document-id" } ] }
//! ```
//!
//! A JWKS with a top-level `iss` (`{"iss": "…", "keys": [...]}`) is accepted as a one-issuer
//! bundle. An issuer entry may also carry `"crls": [ … ]`, SMART Health Card revocation lists
//! exactly as the issuer publishes them at `.well-known/crl/{kid}.json`.
//!
//! Loading is strict: a bad entry is an error naming the entry, never a silent drop, and members
//! a file does not define are refused. Each file is read into a store of its own, then merged,
//! so a failed file leaves the store as it was.

use serde_json::{Map, Value};

use super::status_list::StatusListToken;
use super::{signed, spki, TrustStore, TrustedKey};
use crate::encoding::json;
use crate::error::Error;
use crate::policy::Limits;
use crate::verdict::Format;

/// Limits for trust files: they are operator-supplied, not payloads, so they may be large.
pub(super) fn trust_limits() -> Limits {
    Limits {
        max_depth: 16,
        max_items: 1_000_000,
        ..Limits::default()
    }
}

impl TrustStore {
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
    /// pure function: on success persist [`signed::Accepted::state`]; on error keep what you had.
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
                    Error::trust_invalid(
                        source,
                        &format!("a public key names no issuer: {NAME_THE_ISSUER}"),
                    )
                })?;
                let key =
                    spki::from_pem(pem).map_err(|reason| Error::trust_invalid(source, &reason))?;
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
                Error::trust_invalid(
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
            .map_err(|e| Error::trust_invalid(source, e.detail().unwrap_or("not a JSON object")))?;
        if root.contains_key("signatures") && root.contains_key("payload") {
            return Err(Error::trust_invalid(
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
                Error::trust_invalid(
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

    /// Adds a trust file already parsed (the members of `add_json`; a signed bundle's payload).
    /// On error the store is unchanged.
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
                Some(_) => {
                    return Err(Error::trust_invalid(source, "\"issuers\" must be an array"))
                }
            };
            for (i, entry) in issuers.iter().enumerate() {
                let at = format!("{source}: issuers[{i}]");
                let entry = entry
                    .as_object()
                    .ok_or_else(|| Error::trust_invalid(&at, "must be an object"))?;
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
            return Err(Error::trust_invalid(
                source,
                "expected a trust bundle ({\"issuers\": [...]}) or a JWKS with \"iss\" ({\"iss\": ..., \"keys\": [...]})",
            ));
        }
        if let Some(revoked) = root.get("revoked") {
            next.add_revocations(revoked, source)?;
        }
        next.add_anchor_entries(root, source)?;
        if let Some(batches) = root.get("dcc_revocations") {
            let batches = batches.as_array().ok_or_else(|| {
                Error::trust_invalid(source, "\"dcc_revocations\" must be an array")
            })?;
            for (i, batch) in batches.iter().enumerate() {
                let at = format!("{source}: dcc_revocations[{i}]");
                let batch = batch
                    .as_object()
                    .ok_or_else(|| Error::trust_invalid(&at, "must be an object"))?;
                if !cfg!(feature = "eu-dcc") {
                    return Err(Error::trust_invalid(
                        &at,
                        "this build of vneid-verify does not verify eu_dcc",
                    ));
                }
                next.revocations
                    .dcc
                    .add_batch(batch)
                    .map_err(|why| Error::trust_invalid(&at, &why))?;
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
                .map_err(|why| Error::trust_invalid(&at, &why))?;
            if self
                .revocations
                .status_lists
                .iter()
                .chain(&next.revocations.status_lists)
                .any(|l| l.uri == list.uri)
            {
                return Err(Error::trust_invalid(
                    &at,
                    &format!(
                        "a status list with sub \"{}\" is already loaded",
                        crate::formats::claims::shorten(&list.uri)
                    ),
                ));
            }
            next.revocations.status_lists.push(list);
        }
        self.merge(next)
    }

    fn add_issuer_entry(&mut self, entry: &Map<String, Value>, at: &str) -> Result<(), Error> {
        let issuer = match entry.get("iss") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(_) => {
                return Err(Error::trust_invalid(
                    at,
                    "\"iss\" must be a non-empty string",
                ))
            }
            None => {
                return Err(Error::trust_invalid(
                    at,
                    "\"iss\" is missing: every key must be bound to an issuer",
                ))
            }
        };
        if let Some(name) = entry.get("name") {
            let name = name
                .as_str()
                .ok_or_else(|| Error::trust_invalid(at, "\"name\" must be a string"))?;
            self.names
                .entry(issuer.clone())
                .or_insert_with(|| name.to_owned());
        }
        let keys = match entry.get("keys") {
            None => &[][..],
            Some(Value::Array(keys)) => keys.as_slice(),
            Some(_) => return Err(Error::trust_invalid(at, "\"keys\" must be an array")),
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
            return Err(Error::trust_invalid(
                at,
                "an issuer needs \"keys\" or \"certificates\"",
            ));
        }
        if let Some(crls) = entry.get("crls") {
            let crls = crls
                .as_array()
                .ok_or_else(|| Error::trust_invalid(at, "\"crls\" must be an array"))?;
            for (j, crl) in crls.iter().enumerate() {
                let crl = crl.as_object().ok_or_else(|| {
                    Error::trust_invalid(at, &format!("crls[{j}] must be an object"))
                })?;
                if !cfg!(feature = "shc") {
                    return Err(Error::trust_invalid(
                        at,
                        "this build of vneid-verify does not verify shc",
                    ));
                }
                self.add_shc_crl_object(&issuer, crl, &format!("{at}.crls[{j}]"))?;
            }
        }
        Ok(())
    }

    fn add_revocations(&mut self, revoked: &Value, source: &str) -> Result<(), Error> {
        let list = revoked
            .as_array()
            .ok_or_else(|| Error::trust_invalid(source, "\"revoked\" must be an array"))?;
        for (i, item) in list.iter().enumerate() {
            let at = format!("{source}: revoked[{i}]");
            let entry = item
                .as_object()
                .ok_or_else(|| Error::trust_invalid(&at, "must be an object"))?;
            only_members(entry, &["iss", "id"], &at)?;
            let iss = item.get("iss").and_then(Value::as_str);
            let id = item.get("id").and_then(Value::as_str);
            match (iss, id) {
                (Some(iss), Some(id)) => self.revoke(iss, id),
                _ => {
                    return Err(Error::trust_invalid(
                        &at,
                        "needs string members \"iss\" and \"id\"",
                    ))
                }
            }
        }
        Ok(())
    }

    /// A file's `anchors`: each a certificate (PEM or base64 DER), trusted for every format that
    /// chains to an anchor and any issuer, or an object `{"certificate", "formats", "issuer"}`
    /// saying what it is trusted for.
    fn add_anchor_entries(&mut self, root: &Map<String, Value>, source: &str) -> Result<(), Error> {
        let entries = match root.get("anchors") {
            None => return Ok(()),
            Some(Value::Array(entries)) => entries,
            Some(_) => return Err(Error::trust_invalid(source, "\"anchors\" must be an array")),
        };
        for (i, entry) in entries.iter().enumerate() {
            let at = format!("{source}: anchors[{i}]");
            match entry {
                Value::String(text) => self.add_anchor_for(text.as_bytes(), None, None, &at)?,
                Value::Object(entry) => {
                    only_members(entry, &["certificate", "formats", "issuer"], &at)?;
                    let certificate = entry
                        .get("certificate")
                        .and_then(Value::as_str)
                        .ok_or_else(|| {
                            Error::trust_invalid(&at, "\"certificate\" (a string) is missing")
                        })?;
                    let formats = match entry.get("formats") {
                        None => None,
                        Some(_) => Some(
                            string_list(entry, "formats", &at)?
                                .into_iter()
                                .map(|name| {
                                    Format::allowable_from_name(name).ok_or_else(|| {
                                        Error::trust_invalid(
                                            &at,
                                            &format!(
                                                "\"{name}\" is not a format; the formats are {}",
                                                Format::allowable_names()
                                            ),
                                        )
                                    })
                                })
                                .collect::<Result<Vec<_>, _>>()?,
                        ),
                    };
                    let issuer = match entry.get("issuer") {
                        None => None,
                        Some(Value::String(s)) if !s.is_empty() => Some(s.as_str()),
                        Some(_) => {
                            return Err(Error::trust_invalid(
                                &at,
                                "\"issuer\" must be a non-empty string",
                            ))
                        }
                    };
                    self.add_anchor_for(certificate.as_bytes(), formats.as_deref(), issuer, &at)?;
                }
                _ => {
                    return Err(Error::trust_invalid(
                        &at,
                        "must be a certificate or an object",
                    ))
                }
            }
        }
        Ok(())
    }
}

/// How to bind a key set or key that names no issuer.
const NAME_THE_ISSUER: &str =
    "add \"iss\", or name the issuer (--issuer ISS in the CLI, the issuer option in JavaScript)";

/// The top-level members of a trust file.
const BUNDLE_MEMBERS: &[&str] = &[
    "issuers",
    "anchors",
    "revoked",
    "status_lists",
    "dcc_revocations",
];

/// The members an issuer entry may have.
const ISSUER_MEMBERS: &[&str] = &["iss", "name", "keys", "certificates", "crls"];

/// Refuses members a trust file does not define: a misspelt `"revoke"` must not silently leave
/// a revoked token valid.
fn only_members(entry: &Map<String, Value>, allowed: &[&str], at: &str) -> Result<(), Error> {
    match entry.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(unknown) => Err(Error::trust_invalid(
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
                v.as_str().ok_or_else(|| {
                    Error::trust_invalid(at, &format!("\"{name}\" must be an array of strings"))
                })
            })
            .collect(),
        Some(_) => Err(Error::trust_invalid(
            at,
            &format!("\"{name}\" must be an array of strings"),
        )),
    }
}
