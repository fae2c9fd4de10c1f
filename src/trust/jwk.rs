//! A strict parser for public JSON Web Keys (RFC 7517/7518) as trust-store entries.
//!
//! Only `kty: EC`, `crv: P-256` keys are accepted, with `x` and `y` exactly 32 bytes of strict
//! base64url forming a point on the curve. Private members, symmetric keys, other curves and key
//! types, an `alg` other than ES256, a `use` other than `sig` and `key_ops` without `verify` are
//! all refused with a reason; nothing is dropped silently.
//!
//! Two members extend RFC 7517 for offline trust: `nbf` and `exp` (Unix seconds) bound the key's
//! validity, and `document_types` lists the document types the key may sign.

use serde_json::{Map, Value};

use crate::crypto::{es256, PublicKey};
use crate::encoding::base64url;

/// A public key read from a JWK, with its trust metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedJwk {
    /// `kid`, if present.
    pub kid: Option<String>,
    /// The key.
    pub key: PublicKey,
    /// `nbf` extension: start of validity.
    pub not_before: Option<i64>,
    /// `exp` extension: end of validity.
    pub not_after: Option<i64>,
    /// `document_types` extension.
    pub document_types: Option<Vec<String>>,
}

const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// Parses one JWK. The error is a reason naming the offending member.
///
/// # Errors
/// A human-readable reason when the JWK is not an acceptable public ES256 key.
pub fn parse(value: &Value) -> Result<ParsedJwk, String> {
    let jwk = value.as_object().ok_or("a JWK must be a JSON object")?;
    if let Some(member) = PRIVATE_MEMBERS.iter().find(|m| jwk.contains_key(**m)) {
        return Err(format!(
            "private or secret key material (\"{member}\") must not be in a trust store"
        ));
    }
    match string_member(jwk, "kty")? {
        Some("EC") => {}
        Some("oct") => {
            return Err("symmetric (\"oct\") keys are not allowed: only ES256 public keys".into())
        }
        Some(other) => {
            return Err(format!(
                "key type \"{other}\" is not supported: only EC P-256"
            ))
        }
        None => return Err("\"kty\" is missing".into()),
    }
    match string_member(jwk, "crv")? {
        Some("P-256") => {}
        Some(other) => {
            return Err(format!(
                "curve \"{other}\" is not supported: ES256 needs P-256"
            ))
        }
        None => return Err("\"crv\" is missing".into()),
    }
    match string_member(jwk, "alg")? {
        None | Some("ES256") => {}
        Some(other) => {
            return Err(format!(
                "\"alg\" is \"{other}\": a P-256 key verifies only ES256"
            ))
        }
    }
    let use_sig = match string_member(jwk, "use")? {
        None => false,
        Some("sig") => true,
        Some(other) => {
            return Err(format!(
                "\"use\" is \"{other}\": a trusted key must be for signatures (\"sig\")"
            ))
        }
    };
    if let Some(ops) = jwk.get("key_ops") {
        let ops = ops
            .as_array()
            .ok_or("\"key_ops\" must be an array of strings")?;
        // A set: checking each name against a list of the earlier ones was quadratic (a 1 MB
        // JWK listing 100 000 operations took seconds).
        let mut names = alloc::collections::BTreeSet::new();
        for op in ops {
            let op = op
                .as_str()
                .ok_or("\"key_ops\" must be an array of strings")?;
            if !names.insert(op) {
                return Err(format!("\"key_ops\" lists \"{op}\" twice"));
            }
        }
        if !names.contains("verify") {
            return Err("\"key_ops\" does not include \"verify\"".into());
        }
        if use_sig && names.iter().any(|op| !matches!(*op, "verify" | "sign")) {
            return Err("\"use\" and \"key_ops\" disagree".into());
        }
    }
    let x = coordinate(jwk, "x")?;
    let y = coordinate(jwk, "y")?;
    let key =
        es256::key_from_coordinates(&x, &y).ok_or("the point (x, y) is not on the P-256 curve")?;
    let kid = match jwk.get("kid") {
        None => None,
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(_) => return Err("\"kid\" must be a non-empty string".into()),
    };
    let not_before = time_member(jwk, "nbf")?;
    let not_after = time_member(jwk, "exp")?;
    if let (Some(a), Some(b)) = (not_before, not_after) {
        if a >= b {
            return Err("\"nbf\" must be before \"exp\"".into());
        }
    }
    let document_types = match jwk.get("document_types") {
        None => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|t| {
                    t.as_str()
                        .map(str::to_owned)
                        .ok_or("\"document_types\" must be an array of strings")
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(_) => return Err("\"document_types\" must be an array of strings".into()),
    };
    Ok(ParsedJwk {
        kid,
        key: PublicKey::P256(key),
        not_before,
        not_after,
        document_types,
    })
}

fn string_member<'a>(jwk: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, String> {
    match jwk.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("\"{name}\" must be a string")),
    }
}

fn coordinate(jwk: &Map<String, Value>, name: &str) -> Result<Vec<u8>, String> {
    let text = string_member(jwk, name)?.ok_or_else(|| format!("\"{name}\" is missing"))?;
    let bytes =
        base64url::decode(text).map_err(|_| format!("\"{name}\" is not strict base64url"))?;
    if bytes.len() != 32 {
        return Err(format!(
            "\"{name}\" is {} bytes; P-256 needs exactly 32",
            bytes.len()
        ));
    }
    Ok(bytes)
}

fn time_member(jwk: &Map<String, Value>, name: &str) -> Result<Option<i64>, String> {
    match jwk.get(name) {
        None => Ok(None),
        Some(v) => v
            .as_i64()
            .filter(|t| *t >= 0)
            .map(Some)
            .ok_or_else(|| format!("\"{name}\" must be a non-negative integer (Unix seconds)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // RFC 7515 A.3's public key.
    const X: &str = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
    const Y: &str = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";

    fn reason(v: Value) -> String {
        parse(&v).err().unwrap_or_default()
    }

    #[test]
    fn accepts_a_public_p256_key_with_metadata() {
        let k = parse(
            &json!({"kty":"EC","crv":"P-256","x":X,"y":Y,"kid":"k1","use":"sig","alg":"ES256",
            "key_ops":["verify"],"nbf":10,"exp":20,"document_types":["cccd"]}),
        );
        let k = k.ok();
        assert_eq!(k.as_ref().and_then(|k| k.kid.clone()), Some("k1".into()));
        assert_eq!(
            k.as_ref().map(|k| (k.not_before, k.not_after)),
            Some((Some(10), Some(20)))
        );
        assert_eq!(k.and_then(|k| k.document_types), Some(vec!["cccd".into()]));
    }

    #[test]
    fn refuses_with_a_reason_naming_the_member() {
        let base = json!({"kty":"EC","crv":"P-256","x":X,"y":Y});
        let with = |k: &str, v: Value| {
            let mut o = base.clone();
            o[k] = v;
            reason(o)
        };
        assert!(with("d", json!("AAAA")).contains("\"d\""));
        assert!(with("kty", json!("oct")).contains("symmetric"));
        assert!(with("kty", json!("RSA")).contains("RSA"));
        assert!(with("crv", json!("P-384")).contains("P-384"));
        assert!(with("alg", json!("HS256")).contains("HS256"));
        assert!(with("use", json!("enc")).contains("\"use\""));
        assert!(with("key_ops", json!(["sign"])).contains("verify"));
        assert!(with("key_ops", json!(["verify", "verify"])).contains("twice"));
        assert!(with("x", json!(format!("{X}AA"))).contains("x"));
        assert!(
            with("x", json!("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU=")).contains("base64url")
        );
        assert!(with("y", json!(X)).contains("curve"));
        assert!(with("kid", json!(7)).contains("kid"));
        assert!(with("exp", json!("soon")).contains("exp"));
        assert!(reason(json!([1])).contains("object"));
    }
}
