//! CBOR Web Token claims (RFC 8392) and their time checks, shared by the EU DCC and the VNeID
//! document profile.
//!
//! The claims set is a CBOR map. The registered claims read here are `iss` (1, text), `sub`
//! (2, text), `exp` (4), `nbf` (5), `iat` (6) — NumericDates: an integer or a float number of
//! seconds, optionally in tag 1, between 1970 and 9999 — and `cti` (7, a byte string). A claim of
//! the wrong type is `claim_invalid`, never ignored.

use serde_json::{Map, Value as Json};

use super::claims::numeric_date_in_range;
use crate::encoding::cbor::{self, Value};
use crate::error::{Error, ErrorCode};
use crate::policy::Limits;
use crate::trust::display_kid;

/// Claim key `iss`.
pub const ISS: i128 = 1;
/// Claim key `sub`.
pub const SUB: i128 = 2;
/// Claim key `aud`.
pub const AUD: i128 = 3;
/// Claim key `exp`.
pub const EXP: i128 = 4;
/// Claim key `nbf`.
pub const NBF: i128 = 5;
/// Claim key `iat`.
pub const IAT: i128 = 6;
/// Claim key `cti`.
pub const CTI: i128 = 7;

/// A parsed claims set. The registered claims are type-checked; the whole map is kept.
#[derive(Clone, Debug, PartialEq)]
pub struct Claims {
    /// Every claim, in encoded order.
    pub map: Vec<(Value, Value)>,
    /// `iss`.
    pub iss: Option<String>,
    /// `sub`.
    pub sub: Option<String>,
    /// `exp`.
    pub exp: Option<f64>,
    /// `nbf`.
    pub nbf: Option<f64>,
    /// `iat`.
    pub iat: Option<f64>,
    /// `cti`.
    pub cti: Option<Vec<u8>>,
}

impl Claims {
    /// Parses a CWT claims set from the COSE payload.
    ///
    /// # Errors
    /// `cbor_invalid` for malformed CBOR; `claim_invalid` when the payload is not a map or a
    /// registered claim has the wrong type.
    pub fn parse(payload: &[u8], limits: &Limits, rules: cbor::Rules) -> Result<Claims, Error> {
        let map = match cbor::decode(payload, limits, rules)? {
            Value::Map(entries) => entries,
            other => {
                return Err(Error::with_detail(
                    ErrorCode::ClaimInvalid,
                    format!(
                        "the CWT claims must be a map, found a {}",
                        other.type_name()
                    ),
                ))
            }
        };
        let get = |key: i128| {
            map.iter()
                .find(|(k, _)| *k == Value::Integer(key))
                .map(|(_, v)| v)
        };
        let text = |key: i128, name: &str| -> Result<Option<String>, Error> {
            match get(key) {
                None => Ok(None),
                Some(Value::Text(s)) => Ok(Some(s.clone())),
                Some(other) => Err(Error::claim_invalid(
                    name,
                    &format!("must be text, found a {}", other.type_name()),
                )),
            }
        };
        let cti = match get(CTI) {
            None => None,
            Some(Value::Bytes(b)) => Some(b.clone()),
            Some(other) => {
                return Err(Error::claim_invalid(
                    "cti",
                    &format!("must be a byte string, found a {}", other.type_name()),
                ))
            }
        };
        Ok(Claims {
            iss: text(ISS, "iss")?,
            sub: text(SUB, "sub")?,
            exp: numeric_date(get(EXP), "exp")?,
            nbf: numeric_date(get(NBF), "nbf")?,
            iat: numeric_date(get(IAT), "iat")?,
            cti,
            map,
        })
    }

    /// The value of a claim.
    #[must_use]
    pub fn get(&self, key: i128) -> Option<&Value> {
        self.map
            .iter()
            .find(|(k, _)| *k == Value::Integer(key))
            .map(|(_, v)| v)
    }

    /// The claims as JSON for `Verdict.claims`: registered claims under their names (`iss`,
    /// `sub`, `aud`, `exp`, `nbf`, `iat`, `cti`), others under their key in decimal or under a
    /// name from `names`; `cti` as text when it is printable UTF-8, otherwise base64url. Claims
    /// listed in `skip` are left out (a document already shown in `Verdict.document`).
    #[must_use]
    pub fn to_json(&self, names: &[(i128, &str)], skip: &[i128]) -> Json {
        let mut out = Map::new();
        for (key, value) in &self.map {
            let (name, rendered) = match key {
                Value::Integer(k) if skip.contains(k) => continue,
                Value::Integer(CTI) => (
                    "cti".to_owned(),
                    match value {
                        Value::Bytes(b) => Json::String(display_kid(b)),
                        other => other.to_json(),
                    },
                ),
                Value::Integer(k) => {
                    let name = match *k {
                        ISS => "iss".to_owned(),
                        SUB => "sub".to_owned(),
                        AUD => "aud".to_owned(),
                        EXP => "exp".to_owned(),
                        NBF => "nbf".to_owned(),
                        IAT => "iat".to_owned(),
                        other => names
                            .iter()
                            .find(|(n, _)| *n == other)
                            .map_or_else(|| other.to_string(), |(_, name)| (*name).to_owned()),
                    };
                    (name, value.to_json())
                }
                Value::Text(s) => (s.clone(), value.to_json()),
                other => (other.key_text(), value.to_json()),
            };
            out.insert(name, rendered);
        }
        Json::Object(out)
    }
}

fn numeric_date(value: Option<&Value>, name: &str) -> Result<Option<f64>, Error> {
    let value = match value {
        None => return Ok(None),
        Some(Value::Tag(1, inner)) => inner.as_ref(),
        Some(v) => v,
    };
    #[allow(clippy::cast_precision_loss)]
    let seconds = match value {
        Value::Integer(n) => *n as f64,
        Value::Float(f) => *f,
        other => {
            return Err(Error::claim_invalid(
                name,
                &format!(
                    "a NumericDate must be a number, found a {}",
                    other.type_name()
                ),
            ))
        }
    };
    numeric_date_in_range(seconds, name).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::cbor::encode;

    fn claims(entries: Vec<(i128, Value)>) -> Result<Claims, ErrorCode> {
        let map = Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (Value::Integer(k), v))
                .collect(),
        );
        Claims::parse(&encode(&map), &Limits::default(), cbor::Rules::default())
            .map_err(|e| e.code())
    }

    #[test]
    fn parses_and_type_checks_registered_claims() {
        let c = claims(vec![
            (ISS, Value::Text("VN".into())),
            (EXP, Value::Integer(2_000_000_000)),
            (IAT, Value::Float(1_600_000_000.5)),
            (NBF, Value::Tag(1, Box::new(Value::Integer(1_600_000_000)))),
            (CTI, Value::Bytes(b"doc-1".to_vec())),
        ]);
        let c = c.ok();
        assert_eq!(c.as_ref().and_then(|c| c.iss.clone()), Some("VN".into()));
        assert_eq!(c.as_ref().and_then(|c| c.iat), Some(1_600_000_000.5));
        assert_eq!(c.as_ref().and_then(|c| c.nbf), Some(1_600_000_000.0));
        assert_eq!(
            c.map(|c| c.to_json(&[], &[])),
            Some(
                serde_json::json!({"iss": "VN", "exp": 2_000_000_000, "iat": 1_600_000_000.5, "nbf": 1_600_000_000, "cti": "doc-1"})
            )
        );
        for bad in [
            vec![(ISS, Value::Integer(1))],
            vec![(EXP, Value::Text("2030".into()))],
            vec![(EXP, Value::Integer(-1))],
            vec![(EXP, Value::Float(f64::INFINITY))],
            vec![(IAT, Value::Integer(300_000_000_000))],
            vec![(CTI, Value::Text("x".into()))],
        ] {
            assert_eq!(claims(bad).map(|_| ()), Err(ErrorCode::ClaimInvalid));
        }
        assert_eq!(
            Claims::parse(
                &encode(&Value::Array(vec![])),
                &Limits::default(),
                cbor::Rules::default()
            )
            .map_err(|e| e.code()),
            Err(ErrorCode::ClaimInvalid)
        );
    }

    #[test]
    fn claims_keyed_by_nested_maps_render_in_their_own_size() {
        // The EU DCC and VN1: claims of a signed payload: a key that is a map of maps of ... is
        // written once, in diagnostic notation, never re-escaped per level.
        let mut key = Value::Map(vec![(Value::Text("\"".into()), Value::Integer(1))]);
        for _ in 0..29 {
            key = Value::Map(vec![(key, Value::Null)]);
        }
        let bytes = encode(&Value::Map(vec![
            (Value::Integer(ISS), Value::Text("VN".into())),
            (key, Value::Integer(7)),
        ]));
        let parsed = Claims::parse(&bytes, &Limits::default(), cbor::Rules::default());
        let json = parsed.map(|c| c.to_json(&[], &[]).to_string());
        let json = json.unwrap_or_default();
        assert!(json.starts_with(r#"{"iss":"VN","{{{"#), "{json}");
        assert!(
            json.len() < 8 * bytes.len(),
            "{} from {}",
            json.len(),
            bytes.len()
        );
    }
}
