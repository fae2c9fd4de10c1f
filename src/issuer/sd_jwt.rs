//! The reference issuer and wallet for SD-JWT VC (feature `issuer`; never in the WASM package):
//! issue a credential with selectively disclosable claims and a holder key, and present it with
//! chosen disclosures and a key-binding JWT. For tests, samples and integrators; the keys are
//! test keys.
//!
//! JSON is written compactly with members in sorted order; salts are 128 random bits
//! (RFC 9901 §9.3); `_sd` arrays are sorted, so that their order says nothing about the claims'.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::IssuerKey;
use crate::crypto::sha256;
use crate::encoding::{base64url, json};
use crate::error::{Error, ErrorCode};
use crate::formats::jws::{self, JwsRules};
use crate::formats::sd_jwt::disclosures::digest;
use crate::formats::sd_jwt::{split, ALWAYS_PLAIN, TYP_SUFFIX, TYP_VC_LEGACY, VC_PLAIN};
pub use crate::formats::sd_jwt::{TYP_DC, VNEID_VCT};
use crate::policy::Limits;

/// Fills a buffer with random bytes (the system's generator in the CLI, a fixed sequence in
/// tests).
pub type Random<'a> = &'a mut dyn FnMut(&mut [u8]) -> Result<(), Error>;

/// The operating system's random generator, for [`Random`].
///
/// # Errors
/// `invalid_option` when the system has no randomness to give.
pub fn system_random(buf: &mut [u8]) -> Result<(), Error> {
    getrandom::fill(buf)
        .map_err(|_| Error::with_detail(ErrorCode::InvalidOption, "no system randomness"))
}

/// What to sign.
#[derive(Clone, Debug, PartialEq)]
pub struct Credential<'a> {
    /// The header `typ`: [`TYP_DC`] for an SD-JWT VC.
    pub typ: &'a str,
    /// Every claim, plain and disclosable, including `iss`, `iat`, `exp` and (SD-JWT VC) `vct`.
    pub claims: &'a Map<String, Value>,
    /// The top-level claims made selectively disclosable. A claim whose value is an array may be
    /// written `name[]` to make each element disclosable instead.
    pub disclosable: &'a [&'a str],
    /// The holder's public JWK, written as `cnf: {"jwk": …}`.
    pub holder: Option<&'a Value>,
    /// Decoy digests added to the top-level `_sd` (RFC 9901 §4.2.5).
    pub decoys: usize,
}

fn bad(why: impl Into<String>) -> Error {
    Error::with_detail(ErrorCode::InvalidOption, why.into())
}

/// A disclosure `[salt, name?, value]` with a fresh 128-bit salt, and its digest.
fn make_disclosure(
    name: Option<&str>,
    value: Value,
    random: Random<'_>,
) -> Result<(String, String), Error> {
    let mut salt = [0u8; 16];
    random(&mut salt)?;
    let mut array = vec![Value::String(base64url::encode(&salt))];
    if let Some(name) = name {
        array.push(Value::String(name.to_owned()));
    }
    array.push(value);
    let text = base64url::encode(Value::Array(array).to_string().as_bytes());
    let d = digest(&text);
    Ok((text, d))
}

/// Issues an SD-JWT: `<issuer JWT>~<D1>~…~<Dn>~` with every disclosure, for the holder.
///
/// # Errors
/// `invalid_option` for a disclosable claim that is absent or must stay plain (`iss`, `cnf`,
/// `exp`, `nbf`; `vct`, `status` for SD-JWT VC), a `typ` not ending in `+sd-jwt`, or claims
/// that already use `_sd`, `_sd_alg` or `cnf` while a holder key is given.
pub fn issue(
    key: &IssuerKey,
    credential: &Credential<'_>,
    random: Random<'_>,
) -> Result<String, Error> {
    if !credential.typ.ends_with(TYP_SUFFIX) || credential.typ == TYP_SUFFIX {
        return Err(bad(format!(
            "typ \"{}\" must end in \"{}\"",
            credential.typ, TYP_SUFFIX
        )));
    }
    let is_vc = credential.typ == TYP_DC || credential.typ == TYP_VC_LEGACY;
    let mut claims = credential.claims.clone();
    for reserved in ["_sd", "_sd_alg", "..."] {
        if claims.contains_key(reserved) {
            return Err(bad(format!("claims must not contain \"{reserved}\"")));
        }
    }
    if let Some(holder) = credential.holder {
        if claims.contains_key("cnf") {
            return Err(bad("claims already have \"cnf\" and a holder key is given"));
        }
        let mut cnf = Map::new();
        cnf.insert("jwk".into(), holder.clone());
        claims.insert("cnf".into(), Value::Object(cnf));
    }
    let mut disclosures = Vec::new();
    let mut digests = Vec::new();
    for spec in credential.disclosable {
        let (name, elements) = match spec.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (*spec, false),
        };
        if ALWAYS_PLAIN.contains(&name) || (is_vc && VC_PLAIN.contains(&name)) {
            return Err(bad(format!("claim \"{name}\" must stay plain")));
        }
        let value = claims
            .remove(name)
            .ok_or_else(|| bad(format!("no claim \"{name}\" to make disclosable")))?;
        if elements {
            let Value::Array(items) = value else {
                return Err(bad(format!("claim \"{name}\" is not an array")));
            };
            let mut hidden = Vec::new();
            for item in items {
                let (text, d) = make_disclosure(None, item, random)?;
                disclosures.push(text);
                let mut reference = Map::new();
                reference.insert("...".into(), Value::String(d));
                hidden.push(Value::Object(reference));
            }
            claims.insert(name.to_owned(), Value::Array(hidden));
        } else {
            let (text, d) = make_disclosure(Some(name), value, random)?;
            disclosures.push(text);
            digests.push(d);
        }
    }
    for _ in 0..credential.decoys {
        let mut noise = [0u8; 32];
        random(&mut noise)?;
        digests.push(base64url::encode(&sha256(&noise)));
    }
    if !digests.is_empty() {
        digests.sort();
        claims.insert(
            "_sd".into(),
            Value::Array(digests.into_iter().map(Value::String).collect()),
        );
    }
    claims.insert("_sd_alg".into(), Value::String("sha-256".into()));
    let mut header = Map::new();
    header.insert("alg".into(), "ES256".into());
    header.insert("typ".into(), credential.typ.into());
    if !key.kid().is_empty() {
        header.insert("kid".into(), key.kid().into());
    }
    let jwt = key.sign_jws(
        &Value::Object(header).to_string(),
        Value::Object(claims).to_string().as_bytes(),
    );
    let mut out = jwt;
    out.push('~');
    for d in disclosures {
        out.push_str(&d);
        out.push('~');
    }
    Ok(out)
}

/// The holder's proof to add to a presentation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding<'a> {
    /// The verifier it is for (`aud`).
    pub audience: &'a str,
    /// The verifier's challenge, or the wallet's own in a one-way QR (`nonce`).
    pub nonce: &'a str,
    /// When it is made (`iat`), Unix seconds.
    pub issued_at: i64,
}

/// Presents an issued SD-JWT (as [`issue`] returns it): keeps the disclosures of the claims named
/// in `disclose` (at any level; a nested claim brings the disclosures that contain it, a claim
/// brings the disclosures nested in it), in their issued order, and adds a key-binding JWT
/// signed by `holder` when `binding` is given.
///
/// # Errors
/// `invalid_option` for a name that no disclosure has, or a binding without a holder key; the
/// structural codes when `sd_jwt` is not an issued SD-JWT.
pub fn present(
    sd_jwt: &str,
    disclose: &[&str],
    holder: Option<&IssuerKey>,
    binding: Option<&Binding<'_>>,
) -> Result<String, Error> {
    let limits = Limits::default();
    let parts = split(sd_jwt.trim(), &limits)?;
    if parts.kb_jwt.is_some() {
        return Err(bad(
            "the credential already ends with a key-binding JWT: present the issued SD-JWT",
        ));
    }
    let issuer = jws::decode(parts.issuer_jwt, &limits, JwsRules::default())?;
    let payload = json::parse_value(&issuer.payload, &limits)?;
    let mut decoded = Vec::new();
    for text in &parts.disclosures {
        let bytes = base64url::decode(text)?;
        let value = json::parse_value(&bytes, &limits)?;
        decoded.push((digest(text), value));
    }
    let wanted: BTreeSet<&str> = disclose.iter().copied().collect();
    let mut selector = Selector {
        decoded: &decoded,
        wanted: &wanted,
        chosen: vec![false; decoded.len()],
        found: BTreeSet::new(),
    };
    selector.walk(&payload, false, 0);
    if let Some(missing) = wanted.iter().find(|w| !selector.found.contains(**w)) {
        return Err(bad(format!("no disclosure for claim \"{missing}\"")));
    }
    let mut out = String::from(parts.issuer_jwt);
    out.push('~');
    for (text, chosen) in parts.disclosures.iter().zip(&selector.chosen) {
        if *chosen {
            out.push_str(text);
            out.push('~');
        }
    }
    if let Some(binding) = binding {
        let holder = holder.ok_or_else(|| bad("a key-binding JWT needs the holder key"))?;
        out.push_str(&key_binding_jwt(holder, &out, binding));
    }
    Ok(out)
}

/// A key-binding JWT over `presented` (`<issuer JWT>~<D1>~…~<Dn>~`).
#[must_use]
pub fn key_binding_jwt(holder: &IssuerKey, presented: &str, binding: &Binding<'_>) -> String {
    let mut claims = Map::new();
    claims.insert("iat".into(), binding.issued_at.into());
    claims.insert("aud".into(), binding.audience.into());
    claims.insert("nonce".into(), binding.nonce.into());
    claims.insert(
        "sd_hash".into(),
        base64url::encode(&sha256(presented.as_bytes())).into(),
    );
    holder.sign_jws(
        r#"{"alg":"ES256","typ":"kb+jwt"}"#,
        Value::Object(claims).to_string().as_bytes(),
    )
}

struct Selector<'a> {
    decoded: &'a [(String, Value)],
    wanted: &'a BTreeSet<&'a str>,
    chosen: Vec<bool>,
    found: BTreeSet<String>,
}

impl Selector<'_> {
    /// Marks what to disclose under `value`; true when anything under it is disclosed.
    /// `all`: an enclosing claim was asked for, so everything in it is disclosed.
    fn walk(&mut self, value: &Value, all: bool, depth: usize) -> bool {
        if depth > 64 {
            return false;
        }
        let mut any = false;
        match value {
            Value::Object(map) => {
                for (name, member) in map {
                    if name == "_sd" {
                        for d in member.as_array().into_iter().flatten() {
                            any |= self.reference(d.as_str(), all, true, depth);
                        }
                    } else {
                        let asked = self.wanted.contains(name.as_str());
                        if asked {
                            self.found.insert(name.clone());
                        }
                        any |= self.walk(member, all || asked, depth + 1);
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    let digest = item
                        .as_object()
                        .filter(|m| m.len() == 1)
                        .and_then(|m| m.get("..."))
                        .and_then(Value::as_str);
                    any |= match digest {
                        Some(d) => self.reference(Some(d), all, false, depth),
                        None => self.walk(item, all, depth + 1),
                    };
                }
            }
            _ => {}
        }
        any
    }

    fn reference(&mut self, digest: Option<&str>, all: bool, member: bool, depth: usize) -> bool {
        let Some(i) = digest.and_then(|d| self.decoded.iter().position(|(x, _)| x == d)) else {
            return false;
        };
        let Some((_, Value::Array(array))) = self.decoded.get(i) else {
            return false;
        };
        let (name, value) = match (member, array.as_slice()) {
            (true, [_, Value::String(name), value]) => (Some(name.as_str()), value),
            (false, [_, value]) => (None, value),
            _ => return false,
        };
        let asked = name.is_some_and(|n| self.wanted.contains(n));
        if let Some(name) = name.filter(|_| asked) {
            self.found.insert(name.to_owned());
        }
        let below = self.walk(value, all || asked, depth + 1);
        let chosen = all || asked || below;
        if let Some(slot) = self.chosen.get_mut(i) {
            *slot |= chosen;
        }
        chosen
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn counter() -> impl FnMut(&mut [u8]) -> Result<(), Error> {
        let mut n = 0u8;
        move |buf: &mut [u8]| {
            for b in buf.iter_mut() {
                n = n.wrapping_add(1);
                *b = n;
            }
            Ok(())
        }
    }

    #[test]
    fn presents_what_was_asked_and_what_it_needs() {
        let key = IssuerKey::from_secret_bytes("k", &[5u8; 32]).ok();
        let Some(key) = key else { return };
        let Value::Object(claims) = json!({
            "iss": "https://id.example", "iat": 1, "exp": 2, "vct": "v",
            "name": "An", "address": {"city": "Huế", "street": "1 Lê Lợi"}, "langs": ["vi", "en"],
        }) else {
            return;
        };
        let mut random = counter();
        let issued = issue(
            &key,
            &Credential {
                typ: TYP_DC,
                claims: &claims,
                disclosable: &["name", "address", "langs[]"],
                holder: None,
                decoys: 2,
            },
            &mut random,
        );
        let issued = issued.unwrap_or_default();
        assert_eq!(issued.matches('~').count(), 5, "{issued}");
        let count = |disclose: &[&str]| {
            present(&issued, disclose, None, None)
                .map(|p| p.matches('~').count() - 1)
                .map_err(|e| e.code())
        };
        assert_eq!(count(&[]), Ok(0));
        assert_eq!(count(&["name"]), Ok(1));
        // An array claim brings its elements.
        assert_eq!(count(&["langs"]), Ok(2));
        assert_eq!(count(&["name", "address", "langs"]), Ok(4));
        assert_eq!(count(&["nope"]), Err(ErrorCode::InvalidOption));
        for plain in ["iss", "cnf", "exp", "vct"] {
            let r = issue(
                &key,
                &Credential {
                    typ: TYP_DC,
                    claims: &claims,
                    disclosable: &[plain],
                    holder: None,
                    decoys: 0,
                },
                &mut random,
            );
            assert_eq!(r.map_err(|e| e.code()), Err(ErrorCode::InvalidOption));
        }
    }
}
