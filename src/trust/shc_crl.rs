//! SMART Health Card revocation lists (CRLs): the per-key file an issuer publishes at
//! `{iss}/.well-known/crl/{kid}.json`.
//!
//! ```json
//! { "kid": "3Kfdg-…", "method": "rid", "ctr": 1, "rids": ["FKDIxsTCGlU", "vwAjHdarZuc.1687450765"] }
//! ```
//!
//! Each entry revokes the cards of that issuer and key whose `vc.rid` equals it. An entry with a
//! timestamp suffix (`.` and Unix seconds) revokes only cards whose `nbf` is before that time.
//! Only the `rid` method is understood; another method is refused rather than silently ignored,
//! since ignoring it would let revoked cards pass.

use serde_json::{Map, Value};

/// Longest `rid` the specification allows.
pub const MAX_RID_LEN: usize = 24;

/// One revoked card id of a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevokedRid {
    /// The revocation id (`vc.rid`).
    pub rid: String,
    /// When set, only cards with `nbf` before this time (Unix seconds) are revoked.
    pub issued_before: Option<i64>,
}

/// A parsed revocation list: the key it belongs to and its entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShcCrl {
    /// The key id (`kid`) the list is for.
    pub kid: String,
    /// The update counter (`ctr`).
    pub counter: u64,
    /// The revoked ids.
    pub rids: Vec<RevokedRid>,
}

/// Parses one CRL object. The error is a reason naming the member.
///
/// # Errors
/// A human-readable reason when the object is not a `rid`-method CRL.
pub fn parse(crl: &Map<String, Value>) -> Result<ShcCrl, String> {
    let kid = match crl.get("kid") {
        Some(Value::String(k)) if !k.is_empty() => k.clone(),
        _ => return Err("\"kid\" must be a non-empty string".into()),
    };
    match crl.get("method") {
        Some(Value::String(m)) if m == "rid" => {}
        Some(Value::String(m)) => {
            return Err(format!(
                "method \"{m}\" is not supported: only \"rid\" revocation lists can be checked"
            ))
        }
        _ => return Err("\"method\" must be the string \"rid\"".into()),
    }
    let counter = crl
        .get("ctr")
        .and_then(Value::as_u64)
        .ok_or("\"ctr\" must be a non-negative integer")?;
    let list = crl
        .get("rids")
        .and_then(Value::as_array)
        .ok_or("\"rids\" must be an array of strings")?;
    let mut rids = Vec::with_capacity(list.len());
    for (i, entry) in list.iter().enumerate() {
        let text = entry
            .as_str()
            .ok_or_else(|| format!("rids[{i}] must be a string"))?;
        rids.push(parse_entry(text).ok_or_else(|| {
            format!("rids[{i}] is not a revocation id (base64url, at most {MAX_RID_LEN} characters) with an optional \".timestamp\"")
        })?);
    }
    Ok(ShcCrl { kid, counter, rids })
}

/// `rid` or `rid.timestamp`.
fn parse_entry(text: &str) -> Option<RevokedRid> {
    let (rid, suffix) = match text.split_once('.') {
        Some((rid, ts)) => (rid, Some(ts)),
        None => (text, None),
    };
    if !is_rid(rid) {
        return None;
    }
    let issued_before = match suffix {
        None => None,
        Some(ts) if !ts.is_empty() && ts.len() <= 12 && ts.bytes().all(|b| b.is_ascii_digit()) => {
            Some(ts.parse().ok()?)
        }
        Some(_) => return None,
    };
    Some(RevokedRid {
        rid: rid.to_owned(),
        issued_before,
    })
}

/// True when `rid` is 1–24 characters of the base64url alphabet, as the specification requires.
#[must_use]
pub fn is_rid(rid: &str) -> bool {
    !rid.is_empty()
        && rid.len() <= MAX_RID_LEN
        && rid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parsed(v: Value) -> Result<ShcCrl, String> {
        parse(v.as_object().unwrap_or(&Map::new()))
    }

    #[test]
    fn reads_rids_with_and_without_timestamps() {
        let crl =
            parsed(json!({"kid":"k1","method":"rid","ctr":3,"rids":["abc","d-_9.1636977600"]}));
        assert_eq!(
            crl.map(|c| (c.kid, c.counter, c.rids)),
            Ok((
                "k1".into(),
                3,
                vec![
                    RevokedRid {
                        rid: "abc".into(),
                        issued_before: None
                    },
                    RevokedRid {
                        rid: "d-_9".into(),
                        issued_before: Some(1_636_977_600)
                    }
                ]
            ))
        );
    }

    #[test]
    fn refuses_what_it_cannot_check() {
        for (crl, needle) in [
            (json!({"method":"rid","ctr":1,"rids":[]}), "kid"),
            (
                json!({"kid":"k","method":"hash-fhir","ctr":1,"rids":[]}),
                "hash-fhir",
            ),
            (json!({"kid":"k","ctr":1,"rids":[]}), "method"),
            (json!({"kid":"k","method":"rid","ctr":"1","rids":[]}), "ctr"),
            (json!({"kid":"k","method":"rid","ctr":1,"rids":"a"}), "rids"),
            (
                json!({"kid":"k","method":"rid","ctr":1,"rids":[1]}),
                "rids[0]",
            ),
            (
                json!({"kid":"k","method":"rid","ctr":1,"rids":["a b"]}),
                "rids[0]",
            ),
            (
                json!({"kid":"k","method":"rid","ctr":1,"rids":["a.x"]}),
                "rids[0]",
            ),
            (
                json!({"kid":"k","method":"rid","ctr":1,"rids":["a."]}),
                "rids[0]",
            ),
            (
                json!({"kid":"k","method":"rid","ctr":1,"rids":[".1"]}),
                "rids[0]",
            ),
            (
                json!({"kid":"k","method":"rid","ctr":1,"rids":["a".repeat(25)]}),
                "rids[0]",
            ),
        ] {
            let reason = parsed(crl).err().unwrap_or_default();
            assert!(reason.contains(needle), "{reason}");
        }
    }
}
