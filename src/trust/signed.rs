//! Signed trust bundles: the trust file as the payload of a JWS in JSON serialization, signed by
//! a threshold of pinned root keys, with a version that only goes up and an expiry. The format
//! is specified in `docs/trust.md` ("Signed trust bundles"); the threats it answers (TUF 1.0.34
//! §1.5.2) are tampering, an unknown signer, a stolen root key (the threshold), rollback, freeze,
//! mix-and-match and endless data.
//!
//! [`verify`] is a pure function of (bytes, pinned roots, persisted state, now): it returns a new
//! [`TrustStore`] and the new [`TrustState`] to persist, or a refusal. Nothing is half-loaded:
//! on any error the caller keeps what it had.
//!
//! The order of checks: size → envelope structure → every signature's header → signatures by
//! the roots in force (the state's, after a rotation, else the pinned ones) against the
//! threshold → payload JSON → `version` against the highest accepted (rollback) → `issued`
//! against `now` (a bundle from the device's future) → the trust members, loaded as a trust
//! file → the next root set, if the bundle names one. `expires` is not a load-time refusal: a
//! bundle past it still loads, and every verdict is `trust_expired` until a fresh one comes.

use serde_json::{Map, Value};

use super::{jwk, TrustStore};
use crate::crypto::{es256, PublicKey};
use crate::encoding::{base64url, json};
use crate::error::{Error, ErrorCode};
use crate::policy::Limits;

/// The `typ` of every signature's protected header.
pub const TYP: &str = "vneid-trust+json";

/// The largest signed bundle accepted, in bytes, checked before parsing: 64 MiB.
pub const MAX_BUNDLE_LEN: usize = 64 * 1024 * 1024;

/// The most signatures an envelope may carry (each costs one ECDSA verification).
pub const MAX_SIGNATURES: usize = 16;

/// The most keys a root set may hold.
pub const MAX_ROOT_KEYS: usize = 16;

/// The largest `version`: 2^53 − 1, exact in every JSON implementation.
pub const MAX_VERSION: u64 = (1 << 53) - 1;

/// The envelope's members that the bundle format itself defines (the rest is a trust file).
const ENVELOPE_MEMBERS: [&str; 4] = ["version", "issued", "expires", "roots"];

/// A root key: its `kid` and its public key.
#[derive(Clone, Debug, PartialEq, Eq)]
struct RootKey {
    kid: String,
    key: es256::P256Key,
    /// The public JWK, normalised (`kty`, `crv`, `x`, `y`, `kid`), for persisting.
    jwk: Value,
}

/// A root set: the public keys a bundle must be signed by, and how many of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RootSet {
    keys: Vec<RootKey>,
    threshold: usize,
}

impl RootSet {
    /// Reads a root set: `{"keys": [public JWK, ...], "threshold": M}` (`threshold` defaults to
    /// 1). Every key is a P-256 public key with a `kid`; kids and keys are unique;
    /// 1 ≤ M ≤ number of keys.
    ///
    /// # Errors
    /// `trust_invalid` naming the entry (`source` names the file).
    pub fn from_json(text: &str, source: &str) -> Result<RootSet, Error> {
        let root = json::parse_object(text.as_bytes(), &Limits::default())
            .map_err(|e| Error::trust_invalid(source, e.detail().unwrap_or("not a JSON object")))?;
        RootSet::from_object(&root, source)
    }

    fn from_object(root: &Map<String, Value>, at: &str) -> Result<RootSet, Error> {
        if let Some(unknown) = root.keys().find(|k| *k != "keys" && *k != "threshold") {
            return Err(Error::trust_invalid(
                at,
                &format!("unknown member \"{unknown}\" (expected: keys, threshold)"),
            ));
        }
        let list = root
            .get("keys")
            .and_then(Value::as_array)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| {
                Error::trust_invalid(at, "\"keys\" must be a non-empty array of public JWKs")
            })?;
        if list.len() > MAX_ROOT_KEYS {
            return Err(Error::trust_invalid(
                at,
                &format!("{} root keys; at most {MAX_ROOT_KEYS}", list.len()),
            ));
        }
        let mut keys: Vec<RootKey> = Vec::with_capacity(list.len());
        for (i, value) in list.iter().enumerate() {
            let key_at = format!("{at}: keys[{i}]");
            let parsed = jwk::parse(value).map_err(|why| Error::trust_invalid(&key_at, &why))?;
            let kid = parsed
                .kid
                .ok_or_else(|| Error::trust_invalid(&key_at, "a root key needs a \"kid\""))?;
            if parsed.not_before.is_some()
                || parsed.not_after.is_some()
                || parsed.document_types.is_some()
            {
                return Err(Error::trust_invalid(
                    &key_at,
                    "\"nbf\", \"exp\" and \"document_types\" do not apply to root keys",
                ));
            }
            let PublicKey::P256(key) = parsed.key else {
                return Err(Error::trust_invalid(&key_at, "a root key must be EC P-256"));
            };
            if keys.iter().any(|k| k.kid == kid) {
                return Err(Error::trust_invalid(
                    &key_at,
                    &format!("kid \"{kid}\" is used twice"),
                ));
            }
            if keys.iter().any(|k| k.key == key) {
                return Err(Error::trust_invalid(
                    &key_at,
                    "the same key is listed twice (it would count twice towards the threshold)",
                ));
            }
            let jwk = serde_json::json!({
                "kty": "EC", "crv": "P-256", "kid": kid,
                "x": value.get("x").cloned().unwrap_or(Value::Null),
                "y": value.get("y").cloned().unwrap_or(Value::Null),
            });
            keys.push(RootKey { kid, key, jwk });
        }
        let threshold = match root.get("threshold") {
            None => 1,
            Some(t) => t
                .as_u64()
                .and_then(|t| usize::try_from(t).ok())
                .filter(|t| (1..=keys.len()).contains(t))
                .ok_or_else(|| {
                    Error::trust_invalid(
                        at,
                        &format!(
                            "\"threshold\" must be an integer from 1 to {} (the number of keys)",
                            keys.len()
                        ),
                    )
                })?,
        };
        Ok(RootSet { keys, threshold })
    }

    /// The root set as JSON (`{"keys": [...], "threshold": M}`), public members only.
    #[must_use]
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "keys": self.keys.iter().map(|k| k.jwk.clone()).collect::<Vec<_>>(),
            "threshold": self.threshold,
        })
    }

    /// The key ids, in order.
    #[must_use]
    pub fn kids(&self) -> Vec<&str> {
        self.keys.iter().map(|k| k.kid.as_str()).collect()
    }

    /// How many distinct keys must sign.
    #[must_use]
    pub fn threshold(&self) -> usize {
        self.threshold
    }
}

/// What a device persists between runs: the highest bundle version it accepted and the root
/// set in force (after a rotation, not the pinned one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustState {
    /// The highest accepted version; a bundle below it is a rollback.
    pub version: u64,
    /// The roots in force; `None` means the pinned roots.
    pub roots: Option<RootSet>,
}

impl TrustState {
    /// Reads a persisted state: `{"version": N, "roots": {root set}}` (`roots` optional).
    ///
    /// # Errors
    /// `trust_state_invalid` for anything else: a corrupt state is an error, never a reset
    /// (a reset would re-open rollback and undo a rotation).
    pub fn from_json(text: &str) -> Result<TrustState, Error> {
        let bad = |why: &str| Error::with_detail(ErrorCode::TrustStateInvalid, why.to_owned());
        let root = json::parse_object(text.as_bytes(), &Limits::default())
            .map_err(|e| bad(e.detail().unwrap_or("not a JSON object")))?;
        if let Some(unknown) = root.keys().find(|k| *k != "version" && *k != "roots") {
            return Err(bad(&format!(
                "unknown member \"{unknown}\" (expected: version, roots)"
            )));
        }
        let version = root
            .get("version")
            .and_then(Value::as_u64)
            .filter(|v| *v <= MAX_VERSION)
            .ok_or_else(|| bad("\"version\" must be a non-negative integer"))?;
        let roots = match root.get("roots") {
            None => None,
            Some(Value::Object(roots)) => Some(
                RootSet::from_object(roots, "roots")
                    .map_err(|e| bad(e.detail().unwrap_or("roots")))?,
            ),
            Some(_) => return Err(bad("\"roots\" must be a root set object")),
        };
        Ok(TrustState { version, roots })
    }

    /// The state as JSON text (one line, then a newline), as persisted.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut state = Map::new();
        state.insert("version".into(), self.version.into());
        if let Some(roots) = &self.roots {
            state.insert("roots".into(), roots.to_json());
        }
        format!("{}\n", Value::Object(state))
    }
}

/// What a verified bundle says about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleInfo {
    /// `version`.
    pub version: u64,
    /// `issued`, Unix seconds.
    pub issued: i64,
    /// `expires`, Unix seconds: from then on every verdict is `trust_expired`.
    pub expires: i64,
    /// The kids of the root keys whose signatures verified, in envelope order.
    pub signers: Vec<String>,
    /// True when the bundle named a root set other than the one it was verified with.
    pub rotated: bool,
}

/// A bundle that verified: the store to use and the state to persist.
#[derive(Clone, Debug)]
pub struct Accepted {
    /// The trust store, carrying [`BundleInfo`] ([`TrustStore::bundle`]).
    pub store: TrustStore,
    /// The state to persist: this version and the roots in force from now on.
    pub state: TrustState,
}

/// One signature of the envelope, decoded but not yet verified.
#[derive(Clone, Debug)]
pub(crate) struct Signature {
    pub(crate) kid: String,
    protected_b64: String,
    signature: [u8; es256::SIGNATURE_LEN],
}

/// The envelope, decoded but not yet verified. The signing input of each signature is
/// `protected || '.' || payload`, the two base64url strings as JSON values (RFC 7515 §7.2.1).
#[derive(Clone, Debug)]
pub(crate) struct Envelope {
    payload_b64: String,
    pub(crate) signatures: Vec<Signature>,
}

/// Decodes the envelope's structure (no signature is verified).
pub(crate) fn decode(bytes: &[u8]) -> Result<Envelope, Error> {
    if bytes.len() > MAX_BUNDLE_LEN {
        return Err(Error::trust_invalid(
            "signed bundle",
            &format!("{} bytes; limit {MAX_BUNDLE_LEN}", bytes.len()),
        ));
    }
    // The trust file's limits: an unsigned trust file must parse far enough to be told apart.
    let root = json::parse_object(bytes, &super::file::trust_limits()).map_err(|e| {
        Error::trust_invalid("signed bundle", e.detail().unwrap_or("not a JSON object"))
    })?;
    if !root.contains_key("signatures") {
        return Err(Error::with_detail(
            ErrorCode::TrustUnsigned,
            "expected a JWS in JSON serialization ({\"payload\": ..., \"signatures\": [...]})",
        ));
    }
    if let Some(unknown) = root.keys().find(|k| *k != "payload" && *k != "signatures") {
        return Err(Error::trust_invalid(
            "signed bundle",
            &format!("unknown member \"{unknown}\" (expected: payload, signatures)"),
        ));
    }
    let payload = root.get("payload").and_then(Value::as_str).ok_or_else(|| {
        Error::trust_invalid("signed bundle", "\"payload\" must be a base64url string")
    })?;
    let list = root
        .get("signatures")
        .and_then(Value::as_array)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            Error::trust_invalid("signed bundle", "\"signatures\" must be a non-empty array")
        })?;
    if list.len() > MAX_SIGNATURES {
        return Err(Error::trust_invalid(
            "signed bundle",
            &format!("{} signatures; at most {MAX_SIGNATURES}", list.len()),
        ));
    }
    let payload_b64 = payload.to_owned();
    let mut signatures = Vec::with_capacity(list.len());
    for (i, entry) in list.iter().enumerate() {
        let at = format!("signed bundle: signatures[{i}]");
        let entry = entry
            .as_object()
            .ok_or_else(|| Error::trust_invalid(&at, "must be an object"))?;
        if let Some(unknown) = entry
            .keys()
            .find(|k| *k != "protected" && *k != "signature")
        {
            return Err(Error::trust_invalid(
                &at,
                &format!(
                    "unknown member \"{unknown}\" (expected: protected, signature; every header member is protected)"
                ),
            ));
        }
        let protected = entry
            .get("protected")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::trust_invalid(&at, "\"protected\" must be a base64url string"))?;
        let header_bytes = base64url::decode(protected)
            .map_err(|e| Error::trust_invalid(&at, &format!("protected: {}", e.message_en())))?;
        let header = json::parse_object(&header_bytes, &Limits::default())
            .map_err(|e| Error::trust_invalid(&at, &format!("protected: {}", e.message_en())))?;
        let kid = check_header(&header).map_err(|why| Error::trust_invalid(&at, &why))?;
        let signature = entry
            .get("signature")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::trust_invalid(&at, "\"signature\" must be a base64url string"))?;
        let signature = base64url::decode(signature)
            .map_err(|e| Error::trust_invalid(&at, &format!("signature: {}", e.message_en())))?;
        let signature: [u8; es256::SIGNATURE_LEN] =
            signature.as_slice().try_into().map_err(|_| {
                Error::trust_invalid(
                    &at,
                    &format!(
                        "signature: {} bytes; ES256 needs 64 (r||s)",
                        signature.len()
                    ),
                )
            })?;
        signatures.push(Signature {
            kid,
            protected_b64: protected.to_owned(),
            signature,
        });
    }
    Ok(Envelope {
        payload_b64,
        signatures,
    })
}

/// The protected header: exactly `alg` (ES256), `kid` (non-empty) and `typ` ([`TYP`]).
fn check_header(header: &Map<String, Value>) -> Result<String, String> {
    if let Some(unknown) = header
        .keys()
        .find(|k| !matches!(k.as_str(), "alg" | "kid" | "typ"))
    {
        return Err(format!(
            "protected header member \"{unknown}\" is not allowed (expected: alg, kid, typ)"
        ));
    }
    match header.get("alg").and_then(Value::as_str) {
        Some("ES256") => {}
        Some(other) => {
            return Err(format!(
                "alg \"{}\"; only ES256",
                other.chars().take(32).collect::<String>()
            ))
        }
        None => return Err("\"alg\" is missing".into()),
    }
    match header.get("typ").and_then(Value::as_str) {
        Some(TYP) => {}
        _ => return Err(format!("\"typ\" must be \"{TYP}\"")),
    }
    match header.get("kid") {
        Some(Value::String(kid)) if !kid.is_empty() => Ok(kid.clone()),
        _ => Err("\"kid\" must name the root key (a non-empty string)".into()),
    }
}

impl Envelope {
    /// The payload bytes, decoded from base64url (not verified).
    pub(crate) fn payload(&self) -> Result<Vec<u8>, Error> {
        if self.payload_b64.is_empty() {
            return Err(Error::trust_invalid(
                "signed bundle",
                "\"payload\" is empty",
            ));
        }
        base64url::decode(&self.payload_b64).map_err(|e| {
            Error::trust_invalid("signed bundle", &format!("payload: {}", e.message_en()))
        })
    }

    /// Checks the signatures against `roots`: the kids of the distinct root keys whose
    /// signature verifies, in envelope order, when they meet the threshold.
    fn verify_signatures(&self, roots: &RootSet) -> Result<Vec<String>, Error> {
        let mut signers: Vec<String> = Vec::new();
        let mut bad_by_root: Vec<&str> = Vec::new();
        let mut by_root = 0usize;
        for signature in &self.signatures {
            let Some(root) = roots.keys.iter().find(|k| k.kid == signature.kid) else {
                continue; // not a root of this device (e.g. the next root set's): does not count
            };
            by_root += 1;
            let input = format!("{}.{}", signature.protected_b64, self.payload_b64);
            if es256::verify(&root.key, input.as_bytes(), &signature.signature) {
                if !signers.contains(&root.kid) {
                    signers.push(root.kid.clone());
                }
            } else {
                bad_by_root.push(&root.kid);
            }
        }
        if signers.len() >= roots.threshold {
            return Ok(signers);
        }
        if !bad_by_root.is_empty() {
            return Err(Error::with_detail(
                ErrorCode::TrustSignatureInvalid,
                format!("by root key {}", quoted(&bad_by_root)),
            ));
        }
        if by_root == 0 {
            let named: Vec<&str> = self.signatures.iter().map(|s| s.kid.as_str()).collect();
            return Err(Error::with_detail(
                ErrorCode::TrustUnknownSigner,
                format!(
                    "signed by {}; the roots in force are {} (a bundle that rotated the roots may have been missed)",
                    quoted(&named),
                    quoted(&roots.kids())
                ),
            ));
        }
        Err(Error::with_detail(
            ErrorCode::TrustThresholdNotMet,
            format!(
                "{} of the {} root signatures required ({})",
                signers.len(),
                roots.threshold,
                quoted(&signers.iter().map(String::as_str).collect::<Vec<_>>())
            ),
        ))
    }
}

fn quoted(kids: &[&str]) -> String {
    let shown: Vec<String> = kids
        .iter()
        .take(MAX_SIGNATURES)
        .map(|k| format!("\"{}\"", crate::formats::claims::shorten(k)))
        .collect();
    if shown.is_empty() {
        "none".into()
    } else {
        shown.join(", ")
    }
}

/// Verifies a signed trust bundle (see the module docs) and loads it.
///
/// `pinned` is the device's root set from provisioning; `state` what it persisted last (its
/// roots, when present, are the ones in force); `now` the verification time, with `tolerance`
/// seconds allowed for a bundle issued slightly after it.
///
/// # Errors
/// `trust_unsigned` (not an envelope), `trust_invalid` (malformed envelope, payload or trust
/// members), `trust_signature_invalid`, `trust_unknown_signer`, `trust_threshold_not_met`,
/// `trust_rollback`, `trust_issued_in_future`.
pub fn verify(
    bytes: &[u8],
    pinned: &RootSet,
    state: Option<&TrustState>,
    now: i64,
    tolerance: u64,
) -> Result<Accepted, Error> {
    let envelope = decode(bytes)?;
    let roots = state.and_then(|s| s.roots.as_ref()).unwrap_or(pinned);
    let signers = envelope.verify_signatures(roots)?;
    let payload = envelope.payload()?;
    let contents = Contents::parse(&payload)?;
    let highest = state.map_or(0, |s| s.version);
    if contents.version < highest {
        return Err(Error::with_detail(
            ErrorCode::TrustRollback,
            format!(
                "version {}; this device already accepted version {highest}",
                contents.version
            ),
        ));
    }
    let tolerance = i64::try_from(tolerance).unwrap_or(i64::MAX);
    if contents.issued > now.saturating_add(tolerance) {
        return Err(Error::with_detail(
            ErrorCode::TrustIssuedInFuture,
            format!(
                "issued {}; now {}",
                crate::time::format_rfc3339(contents.issued),
                crate::time::format_rfc3339(now)
            ),
        ));
    }
    let next_roots = contents.roots.clone().unwrap_or_else(|| roots.clone());
    let rotated = next_roots != *roots;
    let mut store = contents.store;
    store.bundle = Some(BundleInfo {
        version: contents.version,
        issued: contents.issued,
        expires: contents.expires,
        signers,
        rotated,
    });
    let state = TrustState {
        version: contents.version,
        roots: Some(next_roots),
    };
    Ok(Accepted { store, state })
}

/// The payload of a bundle, parsed and loaded (nothing verified here).
#[derive(Clone, Debug)]
pub(crate) struct Contents {
    pub(crate) version: u64,
    pub(crate) issued: i64,
    pub(crate) expires: i64,
    pub(crate) roots: Option<RootSet>,
    pub(crate) store: TrustStore,
}

impl Contents {
    pub(crate) fn parse(payload: &[u8]) -> Result<Contents, Error> {
        let at = "bundle";
        let mut root = json::parse_object(payload, &super::file::trust_limits())
            .map_err(|e| Error::trust_invalid(at, e.detail().unwrap_or("not a JSON object")))?;
        let integer = |name: &str, min: u64, max: u64| -> Result<u64, Error> {
            match root.get(name) {
                Some(v) => v
                    .as_u64()
                    .filter(|v| (min..=max).contains(v))
                    .ok_or_else(|| {
                        Error::trust_invalid(
                            at,
                            &format!("\"{name}\" must be an integer from {min} to {max}"),
                        )
                    }),
                None => Err(Error::trust_invalid(at, &format!("\"{name}\" is missing"))),
            }
        };
        let version = integer("version", 1, MAX_VERSION)?;
        // Unix seconds up to 9999-12-31: far from overflow in any arithmetic here.
        let max_time = 253_402_300_799;
        let issued = i64::try_from(integer("issued", 0, max_time)?).unwrap_or(i64::MAX);
        let expires = i64::try_from(integer("expires", 0, max_time)?).unwrap_or(i64::MAX);
        if expires <= issued {
            return Err(Error::trust_invalid(
                at,
                "\"expires\" must be after \"issued\"",
            ));
        }
        let roots = match root.get("roots") {
            None => None,
            Some(Value::Object(roots)) => Some(RootSet::from_object(roots, "bundle: roots")?),
            Some(_) => {
                return Err(Error::trust_invalid(
                    at,
                    "\"roots\" must be a root set object",
                ))
            }
        };
        for member in ENVELOPE_MEMBERS {
            root.remove(member);
        }
        let mut store = TrustStore::new();
        store.add_object(&root, at)?;
        Ok(Contents {
            version,
            issued,
            expires,
            roots,
            store,
        })
    }
}
