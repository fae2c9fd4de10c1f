//! RFC 9901 §7.1 steps 3 to 5: the disclosures presented, matched against the digests of the
//! (already verified) issuer-signed payload, giving the processed payload: plain claims and
//! disclosed ones, nothing undisclosed and none of the `_sd` machinery.
//!
//! The rules, each refused with its own code:
//! - a disclosure is the strict base64url of a JSON array: `[salt, name, value]` for an object
//!   member, `[salt, value]` for an array element, the salt a string (`disclosure_invalid`);
//! - its digest is base64url(SHA-256) of its ASCII text as presented, and the same disclosure
//!   twice is refused (`disclosure_duplicated`);
//! - digests are found in `_sd` arrays of strings, and in array elements of the exact form
//!   `{"...": digest}`; a digest seen twice anywhere, directly or inside a disclosure, is refused
//!   (`disclosure_duplicated`); a digest that matches no disclosure (undisclosed or a decoy) is
//!   dropped, with its array element;
//! - a 3-element disclosure referenced from an array, or a 2-element one from an `_sd` array, is
//!   refused, as is a disclosed name `_sd` or `...`, or one that already exists at that level
//!   (`disclosure_invalid`);
//! - `_sd` that is not an array of strings, `...` anywhere but as the one member of an array
//!   element's digest object, and `_sd_alg` anywhere but the top level are `claim_invalid`;
//! - every disclosure must be referenced exactly once (`disclosure_unreferenced`);
//! - disclosed values are processed recursively; the combined nesting is bounded by
//!   `limits.max_depth`.
//!
//! Work and memory are linear in the input: each disclosure is decoded and hashed once, each
//! digest looked up once in a B-tree.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::crypto::sha256;
use crate::encoding::{base64url, json};
use crate::error::{Error, ErrorCode};
use crate::formats::claims::shorten;
use crate::policy::Limits;

/// The processed payload.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Processed {
    /// Plain and disclosed claims, without `_sd` and `_sd_alg`.
    pub claims: Map<String, Value>,
    /// The names of the top-level claims that came from a disclosure.
    pub disclosed_top_level: Vec<String>,
}

/// The digest of one disclosure as the issuer embeds it: base64url(SHA-256(ASCII text)).
#[must_use]
pub(crate) fn digest(disclosure: &str) -> String {
    base64url::encode(&sha256(disclosure.as_bytes()))
}

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    /// `[salt, name, value]`.
    Member(String, Value),
    /// `[salt, value]`.
    Element(Value),
    /// Already inserted (each digest is looked up once, so never seen twice).
    Used,
}

/// Decodes one disclosure: `[salt, name, value]` or `[salt, value]` with a string salt.
fn decode(text: &str, n: usize, limits: &Limits) -> Result<Kind, Error> {
    let bad = |why: &str| {
        Error::with_detail(
            ErrorCode::DisclosureInvalid,
            format!("disclosure {n}: {why}"),
        )
    };
    if text.is_empty() {
        return Err(bad("empty (two ~ in a row)"));
    }
    let bytes = base64url::decode(text).map_err(|_| bad("not strict base64url"))?;
    let value = json::parse_value(&bytes, limits)
        .map_err(|e| bad(&format!("not JSON: {}", e.detail().unwrap_or(""))))?;
    let Value::Array(mut items) = value else {
        return Err(bad("not a JSON array"));
    };
    if !matches!(items.first(), Some(Value::String(_))) {
        return Err(bad("the salt must be a string"));
    }
    match items.len() {
        2 => Ok(Kind::Element(items.pop().unwrap_or(Value::Null))),
        3 => {
            let value = items.pop().unwrap_or(Value::Null);
            match items.pop() {
                Some(Value::String(name)) => Ok(Kind::Member(name, value)),
                _ => Err(bad("the claim name must be a string")),
            }
        }
        len => Err(bad(&format!(
            "{len} elements; a disclosure has 3 (object member) or 2 (array element)"
        ))),
    }
}

/// Processes `payload` (the verified issuer-signed claims) with the presented `disclosures`.
///
/// # Errors
/// `claim_invalid` for a bad `_sd_alg`, `_sd` or `...`; `disclosure_invalid`,
/// `disclosure_duplicated`, `disclosure_unreferenced` as in the module docs.
pub(crate) fn process(
    mut payload: Map<String, Value>,
    disclosures: &[&str],
    limits: &Limits,
) -> Result<Processed, Error> {
    match payload.remove("_sd_alg") {
        None => {}
        Some(Value::String(alg)) if alg == "sha-256" => {}
        Some(Value::String(alg)) => {
            return Err(Error::claim_invalid(
                "_sd_alg",
                &format!("\"{}\" is not supported; only \"sha-256\"", shorten(&alg)),
            ))
        }
        Some(_) => return Err(Error::claim_invalid("_sd_alg", "must be a string")),
    }
    let mut walker = Walker {
        kinds: Vec::with_capacity(disclosures.len()),
        by_digest: BTreeMap::new(),
        seen: BTreeSet::new(),
        max_depth: limits.max_depth,
        disclosed_top_level: Vec::new(),
    };
    for (i, text) in disclosures.iter().enumerate() {
        walker.kinds.push(decode(text, i + 1, limits)?);
        if let Some(first) = walker.by_digest.insert(digest(text), i) {
            return Err(Error::with_detail(
                ErrorCode::DisclosureDuplicated,
                format!("disclosure {} repeats disclosure {}", i + 1, first + 1),
            ));
        }
    }
    let claims = walker.object(payload, 1, true)?;
    if let Some((i, kind)) = walker
        .kinds
        .iter()
        .enumerate()
        .find(|(_, k)| **k != Kind::Used)
    {
        let what = match kind {
            Kind::Member(name, _) => format!("claim \"{}\"", shorten(name)),
            _ => String::from("an array element"),
        };
        return Err(Error::with_detail(
            ErrorCode::DisclosureUnreferenced,
            format!(
                "disclosure {} ({what}) matches no digest of the credential",
                i + 1
            ),
        ));
    }
    Ok(Processed {
        claims,
        disclosed_top_level: walker.disclosed_top_level,
    })
}

struct Walker {
    kinds: Vec<Kind>,
    by_digest: BTreeMap<String, usize>,
    seen: BTreeSet<String>,
    max_depth: usize,
    disclosed_top_level: Vec<String>,
}

impl Walker {
    /// Records an embedded digest; the second sighting of one is refused.
    fn see(&mut self, digest: &str) -> Result<Option<usize>, Error> {
        if !self.seen.insert(digest.to_owned()) {
            return Err(Error::with_detail(
                ErrorCode::DisclosureDuplicated,
                format!("digest \"{}\" appears more than once", shorten(digest)),
            ));
        }
        Ok(self.by_digest.get(digest).copied())
    }

    /// Takes the disclosure `i` for insertion.
    fn take(&mut self, i: usize) -> Result<Kind, Error> {
        match self.kinds.get_mut(i) {
            Some(kind) if *kind != Kind::Used => Ok(core::mem::replace(kind, Kind::Used)),
            _ => Err(Error::with_detail(
                ErrorCode::DisclosureDuplicated,
                format!("disclosure {} is referenced twice", i + 1),
            )),
        }
    }

    fn enter(&self, depth: usize) -> Result<usize, Error> {
        if depth > self.max_depth {
            return Err(Error::with_detail(
                ErrorCode::DisclosureInvalid,
                format!(
                    "disclosed claims nest deeper than {} levels",
                    self.max_depth
                ),
            ));
        }
        Ok(depth + 1)
    }

    fn value(&mut self, value: Value, depth: usize) -> Result<Value, Error> {
        match value {
            Value::Object(map) => Ok(Value::Object(self.object(map, depth, false)?)),
            Value::Array(items) => Ok(Value::Array(self.array(items, depth)?)),
            other => Ok(other),
        }
    }

    fn object(
        &mut self,
        mut map: Map<String, Value>,
        depth: usize,
        top: bool,
    ) -> Result<Map<String, Value>, Error> {
        let inner = self.enter(depth)?;
        if !top && map.contains_key("_sd_alg") {
            return Err(Error::claim_invalid(
                "_sd_alg",
                "allowed only at the top level",
            ));
        }
        if map.contains_key("...") {
            return Err(Error::claim_invalid(
                "...",
                "allowed only as the one member of an array element's digest object",
            ));
        }
        let sd = map.remove("_sd");
        let mut out = Map::new();
        for (name, value) in map {
            let value = self.value(value, inner)?;
            out.insert(name, value);
        }
        let Some(sd) = sd else {
            return Ok(out);
        };
        let not_strings = || Error::claim_invalid("_sd", "must be an array of strings");
        let Value::Array(digests) = sd else {
            return Err(not_strings());
        };
        for digest in digests {
            let Value::String(digest) = digest else {
                return Err(not_strings());
            };
            let Some(i) = self.see(&digest)? else {
                continue; // not disclosed, or a decoy
            };
            let n = i + 1;
            let bad = |why: String| {
                Error::with_detail(
                    ErrorCode::DisclosureInvalid,
                    format!("disclosure {n}: {why}"),
                )
            };
            let (name, value) = match self.take(i)? {
                Kind::Member(name, value) => (name, value),
                _ => {
                    return Err(bad(String::from(
                        "an array element (2 elements) in an object's _sd",
                    )))
                }
            };
            if name == "_sd" || name == "..." {
                return Err(bad(format!("the claim name \"{name}\" is reserved")));
            }
            if out.contains_key(&name) {
                return Err(bad(format!(
                    "claim \"{}\" already exists at its level",
                    shorten(&name)
                )));
            }
            let value = self.value(value, inner)?;
            if top {
                self.disclosed_top_level.push(name.clone());
            }
            out.insert(name, value);
        }
        Ok(out)
    }

    fn array(&mut self, items: Vec<Value>, depth: usize) -> Result<Vec<Value>, Error> {
        let inner = self.enter(depth)?;
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let Some(digest) = element_digest(&item) else {
                out.push(self.value(item, inner)?);
                continue;
            };
            let Some(i) = self.see(digest)? else {
                continue; // not disclosed, or a decoy: the element is dropped
            };
            match self.take(i)? {
                Kind::Element(value) => out.push(self.value(value, inner)?),
                _ => {
                    return Err(Error::with_detail(
                        ErrorCode::DisclosureInvalid,
                        format!(
                            "disclosure {}: an object member (3 elements) in an array",
                            i + 1
                        ),
                    ))
                }
            }
        }
        Ok(out)
    }
}

/// `{"...": "<digest>"}` exactly: one member, a string.
fn element_digest(item: &Value) -> Option<&str> {
    match item {
        Value::Object(map) if map.len() == 1 => map.get("...").and_then(Value::as_str),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn disclosure(array: &Value) -> String {
        base64url::encode(array.to_string().as_bytes())
    }

    fn run(payload: Value, disclosures: &[String]) -> Result<Value, ErrorCode> {
        let Value::Object(map) = payload else {
            return Err(ErrorCode::JsonInvalid);
        };
        let texts: Vec<&str> = disclosures.iter().map(String::as_str).collect();
        process(map, &texts, &Limits::default())
            .map(|p| Value::Object(p.claims))
            .map_err(|e| e.code())
    }

    #[test]
    fn the_rfc_digest_example() {
        // RFC 9901 §4.2.3.
        assert_eq!(
            digest("WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0"),
            "X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0"
        );
    }

    #[test]
    fn members_elements_nesting_and_decoys() {
        let name = disclosure(&json!(["s1", "name", "An"]));
        let inner = disclosure(&json!(["s2", "city", "Huế"]));
        let address =
            disclosure(&json!(["s3", "address", {"_sd": [digest(&inner)], "country": "VN"}]));
        let elem = disclosure(&json!(["s4", "VN"]));
        let payload = json!({
            "_sd": [digest(&name), digest(&address), "decoy-digest-1"],
            "_sd_alg": "sha-256",
            "iss": "x",
            "nationalities": [{"...": digest(&elem)}, "FR", {"...": "decoy-digest-2"}],
        });
        assert_eq!(
            run(
                payload.clone(),
                &[name.clone(), inner.clone(), address.clone(), elem.clone()]
            ),
            Ok(
                json!({"iss": "x", "name": "An", "address": {"city": "Huế", "country": "VN"}, "nationalities": ["VN", "FR"]})
            )
        );
        // Nothing disclosed: only the plain claims, no _sd machinery.
        assert_eq!(
            run(payload.clone(), &[]),
            Ok(json!({"iss": "x", "nationalities": ["FR"]}))
        );
        // A nested disclosure without its parent is unreferenced.
        assert_eq!(
            run(payload, &[inner]),
            Err(ErrorCode::DisclosureUnreferenced)
        );
    }

    #[test]
    fn every_rule_has_its_code() {
        let name = disclosure(&json!(["s1", "name", "An"]));
        let elem = disclosure(&json!(["s4", "VN"]));
        let with = |sd: Value| json!({"iss": "x", "_sd": sd});
        // Forged: a disclosure the issuer never hashed.
        let forged = disclosure(&json!(["s1", "name", "Bình"]));
        assert_eq!(
            run(with(json!([digest(&name)])), &[forged]),
            Err(ErrorCode::DisclosureUnreferenced)
        );
        // The same disclosure twice.
        assert_eq!(
            run(with(json!([digest(&name)])), &[name.clone(), name.clone()]),
            Err(ErrorCode::DisclosureDuplicated)
        );
        // The same digest twice in the payload (even undisclosed).
        assert_eq!(
            run(with(json!(["d", "d"])), &[]),
            Err(ErrorCode::DisclosureDuplicated)
        );
        assert_eq!(
            run(
                json!({"_sd": [digest(&name)], "a": [{"...": digest(&name)}]}),
                &[]
            ),
            Err(ErrorCode::DisclosureDuplicated)
        );
        // Arity in the wrong slot.
        assert_eq!(
            run(with(json!([digest(&elem)])), std::slice::from_ref(&elem)),
            Err(ErrorCode::DisclosureInvalid)
        );
        assert_eq!(
            run(
                json!({"a": [{"...": digest(&name)}]}),
                std::slice::from_ref(&name)
            ),
            Err(ErrorCode::DisclosureInvalid)
        );
        // Reserved names.
        for reserved in ["_sd", "..."] {
            let d = disclosure(&json!(["s", reserved, 1]));
            assert_eq!(
                run(with(json!([digest(&d)])), &[d]),
                Err(ErrorCode::DisclosureInvalid)
            );
        }
        // No overwrite of a plain claim, nor of another disclosed one.
        let iss = disclosure(&json!(["s", "iss", "evil"]));
        assert_eq!(
            run(with(json!([digest(&iss)])), &[iss]),
            Err(ErrorCode::DisclosureInvalid)
        );
        let twin = disclosure(&json!(["s9", "name", "Bình"]));
        assert_eq!(
            run(
                with(json!([digest(&name), digest(&twin)])),
                &[name.clone(), twin]
            ),
            Err(ErrorCode::DisclosureInvalid)
        );
        // Malformed disclosures.
        for bad in [
            String::from("not base64!"),
            base64url::encode(b"{}"),
            disclosure(&json!(["s"])),
            disclosure(&json!(["s", "a", 1, 2])),
            disclosure(&json!([1, "a", 1])),
            disclosure(&json!(["s", 5, 1])),
            String::new(),
        ] {
            assert_eq!(
                run(with(json!([])), std::slice::from_ref(&bad)),
                Err(ErrorCode::DisclosureInvalid),
                "{bad}"
            );
        }
        // The machinery itself.
        assert_eq!(run(with(json!("d")), &[]), Err(ErrorCode::ClaimInvalid));
        assert_eq!(run(with(json!([1])), &[]), Err(ErrorCode::ClaimInvalid));
        assert_eq!(
            run(json!({"a": {"_sd_alg": "sha-256"}}), &[]),
            Err(ErrorCode::ClaimInvalid)
        );
        assert_eq!(
            run(json!({"_sd_alg": "sha-512"}), &[]),
            Err(ErrorCode::ClaimInvalid)
        );
        assert_eq!(
            run(json!({"a": {"...": "d"}}), &[]),
            Err(ErrorCode::ClaimInvalid)
        );
        assert_eq!(
            run(json!({"a": [{"...": "d", "b": 1}]}), &[]),
            Err(ErrorCode::ClaimInvalid)
        );
        // `_sd_alg` inside a disclosed value is not the top level either.
        let nested = disclosure(&json!(["s", "x", {"_sd_alg": "sha-256"}]));
        assert_eq!(
            run(with(json!([digest(&nested)])), &[nested]),
            Err(ErrorCode::ClaimInvalid)
        );
    }

    #[test]
    fn a_disclosure_chain_is_bounded_in_depth() {
        // Each disclosure's value is an object whose _sd names the next: 40 levels.
        let mut texts = Vec::new();
        let mut next: Option<String> = None;
        for i in 0..40 {
            let value = match &next {
                Some(d) => json!({"_sd": [digest(d)]}),
                None => json!(1),
            };
            let d = disclosure(&json!([format!("s{i}"), "n", value]));
            texts.push(d.clone());
            next = Some(d);
        }
        let top = next.unwrap_or_default();
        assert_eq!(
            run(json!({"_sd": [digest(&top)]}), &texts),
            Err(ErrorCode::DisclosureInvalid)
        );
        // 20 levels are fine.
        assert!(run(json!({"_sd": [digest(&texts[19])]}), &texts[..20]).is_ok());
    }
}
