//! IETF Token Status List (draft-ietf-oauth-status-list-21): the status of many credentials in
//! one signed, compressed bit array, carried offline in the trust bundle.
//!
//! A credential (any format: a JWT, an SD-JWT VC, a `VN1:` CWT) names its entry with
//! `status: {status_list: {idx, uri}}` (CWT: claim 65535, `{"status_list": {"idx", "uri"}}`).
//! The trust bundle carries the lists as `statuslist+jwt` tokens (`"status_lists": [...]`).
//!
//! Loading a list ([`StatusListToken::from_jwt`]) checks, in this order and before anything is
//! inflated: the JWS structure and header (`alg` ES256, `typ` `statuslist+jwt`), the claims
//! (`sub` a non-empty string, `iat` required, `exp` optional, `ttl` optional and positive,
//! `status_list.bits` one of 1, 2, 4, 8 and `status_list.lst` strict base64url), then the
//! signature: by a key of the issuer named in `iss`, or (without `iss`) of any trusted issuer
//! holding the header's `kid`; every issuer whose key verifies it is recorded as a signer. Only
//! then is `lst` inflated (zlib), capped at [`MAX_LIST_BYTES`].
//!
//! A lookup ([`StatusListToken::check`]) follows §8.3: the list must be signed by a key of the
//! credential's own issuer (§11.3; a list signed by another issuer is as good as absent), not
//! expired at `now`, and hold the index. Entries are packed from the least significant bit of
//! each byte; value 0 is valid, 1 `revoked`, 2 `suspended`, anything else `status_unknown`.
//! `ttl` is a refresh hint for whoever assembles the bundle; offline, the bundle's own
//! `expires` bounds how long a list is used.

use serde_json::{Map, Value};

use super::{TrustStore, TrustedKey};
use crate::encoding::{base64url, cbor, inflate, json};
use crate::error::{Error, ErrorCode};
use crate::formats::claims::shorten;
use crate::policy::Limits;

/// The largest inflated status list: 16 MiB, 134 million 1-bit or 16 million 8-bit entries. A
/// compressed list that inflates past it is refused (an inflate bomb costs at most this).
pub const MAX_LIST_BYTES: usize = 16 * 1024 * 1024;

/// The longest status list token accepted, in bytes (before any decoding).
pub const MAX_TOKEN_LEN: usize = 16 * 1024 * 1024;

/// The media type (`typ`) of a status list token in JWT form.
pub const JWT_TYPE: &str = "statuslist+jwt";

/// The CWT claim key of `status` in a referenced token.
pub const CWT_CLAIM_STATUS: i128 = 65535;

/// A decompressed status list: `bits` per entry, packed from the least significant bit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusList {
    bits: u8,
    bytes: Vec<u8>,
}

impl StatusList {
    /// The largest inflated list accepted ([`MAX_LIST_BYTES`]).
    pub const MAX_BYTES: usize = MAX_LIST_BYTES;

    /// A list from its `bits` (1, 2, 4 or 8) and its zlib-compressed bytes (`lst`), inflated to
    /// at most `max_len` bytes.
    ///
    /// # Errors
    /// `claim_invalid` for another `bits`; `inflate_failed`; `decompressed_too_large`.
    pub fn from_compressed(bits: u64, compressed: &[u8], max_len: usize) -> Result<Self, Error> {
        let bits = match u8::try_from(bits) {
            Ok(bits @ (1 | 2 | 4 | 8)) => bits,
            _ => {
                return Err(Error::with_detail(
                    ErrorCode::ClaimInvalid,
                    format!("status_list.bits is {bits}; must be 1, 2, 4 or 8"),
                ))
            }
        };
        let bytes = inflate::zlib(compressed, max_len)?;
        Ok(StatusList { bits, bytes })
    }

    /// A list from raw (uncompressed) bytes, for tests and issuers.
    ///
    /// # Errors
    /// `claim_invalid` for `bits` other than 1, 2, 4 or 8.
    pub fn from_bytes(bits: u8, bytes: Vec<u8>) -> Result<Self, Error> {
        if !matches!(bits, 1 | 2 | 4 | 8) {
            return Err(Error::with_detail(
                ErrorCode::ClaimInvalid,
                format!("status_list.bits is {bits}; must be 1, 2, 4 or 8"),
            ));
        }
        Ok(StatusList { bits, bytes })
    }

    /// Bits per entry.
    #[must_use]
    pub fn bits(&self) -> u8 {
        self.bits
    }

    /// The number of entries: every whole group of `bits` in the inflated bytes.
    #[must_use]
    pub fn len(&self) -> u64 {
        (self.bytes.len() as u64) * 8 / u64::from(self.bits)
    }

    /// True when the list holds no entry.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The inflated size in bytes.
    #[must_use]
    pub fn byte_len(&self) -> usize {
        self.bytes.len()
    }

    /// The status at `idx`, or `None` past the end. Entry `i` occupies bits `i·bits` to
    /// `(i+1)·bits − 1`, counted from the least significant bit of byte 0.
    #[must_use]
    pub fn get(&self, idx: u64) -> Option<u8> {
        let bits = u64::from(self.bits);
        let first_bit = idx.checked_mul(bits)?;
        let byte = *self.bytes.get(usize::try_from(first_bit / 8).ok()?)?;
        let shift = first_bit % 8;
        let mask = if bits == 8 { 0xff } else { (1u8 << bits) - 1 };
        Some((byte >> shift) & mask)
    }
}

/// A credential's reference into a status list: `status.status_list.{idx, uri}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusReference {
    /// The index of the credential's entry.
    pub idx: u64,
    /// The status list token's URI (its `sub`).
    pub uri: String,
}

impl StatusReference {
    /// The reference in a JWT's claims, if it has one. A `status` without `status_list` names
    /// another mechanism, which is not checked.
    ///
    /// # Errors
    /// `claim_invalid` when `status` is not an object, or `status_list` not an object with a
    /// non-negative integer `idx` and a non-empty string `uri`.
    pub fn from_json_claims(claims: &Map<String, Value>) -> Result<Option<Self>, Error> {
        let Some(status) = claims.get("status") else {
            return Ok(None);
        };
        let status = status
            .as_object()
            .ok_or_else(|| bad_reference("\"status\" must be an object"))?;
        let Some(list) = status.get("status_list") else {
            return Ok(None);
        };
        let list = list
            .as_object()
            .ok_or_else(|| bad_reference("\"status.status_list\" must be an object"))?;
        let idx = list.get("idx").and_then(Value::as_u64).ok_or_else(|| {
            bad_reference("\"status.status_list.idx\" must be a non-negative integer")
        })?;
        let uri = match list.get("uri") {
            Some(Value::String(uri)) if !uri.is_empty() => uri.clone(),
            _ => {
                return Err(bad_reference(
                    "\"status.status_list.uri\" must be a non-empty string",
                ))
            }
        };
        Ok(Some(StatusReference { idx, uri }))
    }

    /// The reference in a CWT's claims (claim 65535, a map with text key `status_list` holding
    /// `{"idx": uint, "uri": tstr}`), if it has one.
    ///
    /// # Errors
    /// `claim_invalid` as for [`StatusReference::from_json_claims`].
    pub fn from_cwt_claim(status: Option<&cbor::Value>) -> Result<Option<Self>, Error> {
        let Some(status) = status else {
            return Ok(None);
        };
        if status.as_map().is_none() {
            return Err(bad_reference("status (65535) must be a map"));
        }
        let Some(list) = status.get_text("status_list") else {
            return Ok(None);
        };
        if list.as_map().is_none() {
            return Err(bad_reference("status (65535).status_list must be a map"));
        }
        let idx = list
            .get_text("idx")
            .and_then(cbor::Value::as_integer)
            .and_then(|i| u64::try_from(i).ok())
            .ok_or_else(|| {
                bad_reference("status (65535).status_list.idx must be an unsigned integer")
            })?;
        let uri = match list.get_text("uri").and_then(cbor::Value::as_text) {
            Some(uri) if !uri.is_empty() => uri.to_owned(),
            _ => {
                return Err(bad_reference(
                    "status (65535).status_list.uri must be a non-empty text string",
                ))
            }
        };
        Ok(Some(StatusReference { idx, uri }))
    }
}

fn bad_reference(why: &str) -> Error {
    Error::with_detail(ErrorCode::ClaimInvalid, format!("claim \"status\": {why}"))
}

/// A verified status list token, as held by the trust store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusListToken {
    /// The list's URI (`sub`), which credentials name in `status.status_list.uri`.
    pub uri: String,
    /// The issuers whose trusted key verified the token's signature.
    pub signers: Vec<String>,
    /// `kid` of the header, if any.
    pub kid: Option<String>,
    /// `iat`, Unix seconds.
    pub issued_at: i64,
    /// `exp`, Unix seconds, if any.
    pub expires_at: Option<i64>,
    /// `ttl`, seconds, if any.
    pub ttl: Option<u64>,
    /// The list.
    pub list: StatusList,
}

impl StatusListToken {
    /// Reads and verifies a `statuslist+jwt` against the keys of the stores in `trust` (see the
    /// module docs). The error is a reason, for the caller to place (`status_lists[2]: …`).
    ///
    /// # Errors
    /// A reason naming what is wrong: structure, header, claims, signature (no trusted issuer's
    /// key verifies it), or the list (corrupt, or inflating past [`MAX_LIST_BYTES`]).
    pub fn from_jwt(token: &str, trust: &[&TrustStore]) -> Result<Self, String> {
        let token = token.trim();
        let limits = Limits {
            max_payload_len: MAX_TOKEN_LEN,
            ..Limits::default()
        };
        let jws =
            crate::formats::jws::decode(token, &limits, crate::formats::jws::JwsRules::default())
                .map_err(|e| e.message_en())?;
        match jws.header.get("typ").and_then(Value::as_str) {
            Some(t) if t == JWT_TYPE || t == "application/statuslist+jwt" => {}
            Some(t) => {
                return Err(format!(
                    "\"typ\" is \"{}\"; a status list token has \"{JWT_TYPE}\"",
                    shorten(t)
                ))
            }
            None => return Err(format!("\"typ\" is missing; must be \"{JWT_TYPE}\"")),
        }
        let claims = json::parse_object(&jws.payload, &limits)
            .map_err(|e| format!("claims: {}", e.detail().unwrap_or("invalid JSON")))?;
        let uri = match claims.get("sub") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => return Err("\"sub\" (the list's URI) must be a non-empty string".into()),
        };
        let at = format!("status list \"{}\"", shorten(&uri));
        let issued_at = seconds(&claims, "iat")?.ok_or(format!("{at}: \"iat\" is missing"))?;
        let expires_at = seconds(&claims, "exp")?;
        let ttl = match claims.get("ttl") {
            None => None,
            Some(v) => Some(
                v.as_u64()
                    .filter(|&t| t > 0)
                    .ok_or(format!("{at}: \"ttl\" must be a positive integer"))?,
            ),
        };
        let list = claims
            .get("status_list")
            .and_then(Value::as_object)
            .ok_or(format!("{at}: \"status_list\" must be an object"))?;
        let bits = list
            .get("bits")
            .and_then(Value::as_u64)
            .filter(|b| matches!(b, 1 | 2 | 4 | 8))
            .ok_or(format!("{at}: \"status_list.bits\" must be 1, 2, 4 or 8"))?;
        let lst = list
            .get("lst")
            .and_then(Value::as_str)
            .ok_or(format!("{at}: \"status_list.lst\" must be a string"))?;
        let compressed = base64url::decode(lst)
            .map_err(|e| format!("{at}: \"status_list.lst\": {}", e.message_en()))?;
        let issuer = match claims.get("iss") {
            None => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(_) => return Err(format!("{at}: \"iss\" must be a string")),
        };

        // The signature, before anything is inflated.
        let kid = jws.kid().map(str::to_owned);
        let mut signers: Vec<String> = Vec::new();
        for store in trust {
            let candidates: Vec<&str> = match issuer {
                Some(iss) => vec![iss],
                None => store.issuers(),
            };
            for candidate in candidates {
                let Ok(key) = store.key(super::KeyLookup::Issuer {
                    issuer: candidate,
                    kid: kid.as_deref().map(str::as_bytes),
                }) else {
                    continue;
                };
                if !signers.iter().any(|s| s == candidate) && signed_by(&jws, key, issued_at) {
                    signers.push(candidate.to_owned());
                }
            }
        }
        if signers.is_empty() {
            return Err(format!(
                "{at}: no trusted key{} verifies its signature{}",
                issuer
                    .map(|i| format!(" of issuer \"{}\"", shorten(i)))
                    .unwrap_or_default(),
                kid.as_deref()
                    .map(|k| format!(" (kid \"{}\")", shorten(k)))
                    .unwrap_or_default()
            ));
        }

        let list = StatusList::from_compressed(bits, &compressed, MAX_LIST_BYTES).map_err(|e| {
            format!(
                "{at}: \"status_list.lst\": {}: {}",
                e.code(),
                e.message_en()
            )
        })?;
        Ok(StatusListToken {
            uri,
            signers,
            kid,
            issued_at,
            expires_at,
            ttl,
            list,
        })
    }

    /// The status of entry `reference.idx` for a credential of `issuer`, at `now`, with the
    /// clock tolerance applied to the list's `exp` as to a token's.
    ///
    /// # Errors
    /// `status_list_missing` when the list is not signed by `issuer`; `status_list_stale` past
    /// its `exp`; `status_index_invalid`; `revoked` (1), `suspended` (2), `status_unknown`.
    pub fn check(&self, issuer: &str, idx: u64, now: i64, tolerance: u64) -> Result<(), Error> {
        if !self.signers.iter().any(|s| s == issuer) {
            return Err(Error::with_detail(
                ErrorCode::StatusListMissing,
                format!(
                    "\"{}\" is signed by {}, not by the credential's issuer \"{}\"",
                    shorten(&self.uri),
                    self.signers
                        .iter()
                        .map(|s| format!("\"{}\"", shorten(s)))
                        .collect::<Vec<_>>()
                        .join(", "),
                    shorten(issuer)
                ),
            ));
        }
        if let Some(exp) = self.expires_at {
            if now >= exp.saturating_add(i64::try_from(tolerance).unwrap_or(i64::MAX)) {
                return Err(Error::with_detail(
                    ErrorCode::StatusListStale,
                    format!(
                        "\"{}\" expired {}",
                        shorten(&self.uri),
                        crate::time::format_rfc3339(exp)
                    ),
                ));
            }
        }
        let value = self.list.get(idx).ok_or_else(|| {
            Error::with_detail(
                ErrorCode::StatusIndexInvalid,
                format!(
                    "idx {idx}; \"{}\" holds {} entries",
                    shorten(&self.uri),
                    self.list.len()
                ),
            )
        })?;
        let at = || format!("status list \"{}\", idx {idx}", shorten(&self.uri));
        match value {
            0 => Ok(()),
            1 => Err(Error::with_detail(ErrorCode::Revoked, at())),
            2 => Err(Error::with_detail(ErrorCode::Suspended, at())),
            other => Err(Error::with_detail(
                ErrorCode::StatusUnknown,
                format!("{}: status {other:#04x}", at()),
            )),
        }
    }
}

/// True when `key` verifies the token and was valid when the list was issued.
fn signed_by(jws: &crate::formats::jws::CompactJws<'_>, key: &TrustedKey, issued_at: i64) -> bool {
    key.check_validity(issued_at).is_ok() && jws.verify_signature(key).is_ok()
}

/// A NumericDate claim as whole seconds (a fraction is dropped).
fn seconds(claims: &Map<String, Value>, name: &str) -> Result<Option<i64>, String> {
    crate::formats::claims::json_numeric_date(claims, name)
        .map_err(|e| e.detail().unwrap_or(name).to_owned())
        .map(|t| {
            // In range [0, 9999-12-31]: the conversion is exact for whole seconds.
            #[allow(clippy::cast_possible_truncation)]
            t.map(|t| t as i64)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(bits: u8, bytes: &[u8]) -> StatusList {
        StatusList::from_bytes(bits, bytes.to_vec()).unwrap_or(StatusList {
            bits: 1,
            bytes: Vec::new(),
        })
    }

    #[test]
    fn entries_are_packed_from_the_least_significant_bit() {
        // The draft's §4.1 examples: 0xb9 0xa3 (1 bit) and 0xc9 0x44 0xf9 (2 bits).
        let one = list(1, &[0xb9, 0xa3]);
        let got: Vec<u8> = (0..16).filter_map(|i| one.get(i)).collect();
        assert_eq!(got, [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1]);
        assert_eq!(one.len(), 16);
        assert_eq!(one.get(16), None);
        let two = list(2, &[0xc9, 0x44, 0xf9]);
        let got: Vec<u8> = (0..12).filter_map(|i| two.get(i)).collect();
        assert_eq!(got, [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3]);
        assert_eq!(two.get(12), None);
        let four = list(4, &[0x21, 0xf0]);
        assert_eq!(
            (0..4).filter_map(|i| four.get(i)).collect::<Vec<_>>(),
            [1, 2, 0, 15]
        );
        let eight = list(8, &[0, 255, 7]);
        assert_eq!(
            (0..3).filter_map(|i| eight.get(i)).collect::<Vec<_>>(),
            [0, 255, 7]
        );
        assert_eq!(eight.get(u64::MAX), None);
        assert_eq!(one.get(u64::MAX), None);
    }

    #[test]
    fn bits_other_than_1_2_4_8_are_refused() {
        for bits in [0u64, 3, 5, 16, 256] {
            assert_eq!(
                StatusList::from_compressed(bits, &[], 10).map_err(|e| e.code()),
                Err(ErrorCode::ClaimInvalid)
            );
        }
    }

    #[test]
    fn a_bomb_stops_at_the_limit() {
        let zeros = vec![0u8; 1 << 20];
        let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&zeros, 10);
        assert!(bomb.len() < 2048, "{}", bomb.len());
        assert_eq!(
            StatusList::from_compressed(1, &bomb, 64 * 1024).map_err(|e| e.code()),
            Err(ErrorCode::DecompressedTooLarge)
        );
        assert_eq!(
            StatusList::from_compressed(1, &bomb, 1 << 20).map(|l| l.len()),
            Ok(8 << 20)
        );
    }

    #[test]
    fn references_in_json_and_cbor() {
        let claims =
            |text: &str| -> Map<String, Value> { serde_json::from_str(text).unwrap_or_default() };
        assert_eq!(
            StatusReference::from_json_claims(&claims(
                r#"{"status":{"status_list":{"idx":7,"uri":"https://a/1"}}}"#
            )),
            Ok(Some(StatusReference {
                idx: 7,
                uri: "https://a/1".into()
            }))
        );
        assert_eq!(StatusReference::from_json_claims(&claims("{}")), Ok(None));
        assert_eq!(
            StatusReference::from_json_claims(&claims(r#"{"status":{"other":{}}}"#)),
            Ok(None)
        );
        for bad in [
            r#"{"status":1}"#,
            r#"{"status":{"status_list":[]}}"#,
            r#"{"status":{"status_list":{"idx":-1,"uri":"u"}}}"#,
            r#"{"status":{"status_list":{"idx":1.5,"uri":"u"}}}"#,
            r#"{"status":{"status_list":{"idx":"1","uri":"u"}}}"#,
            r#"{"status":{"status_list":{"idx":1,"uri":""}}}"#,
            r#"{"status":{"status_list":{"idx":1}}}"#,
        ] {
            assert_eq!(
                StatusReference::from_json_claims(&claims(bad)).map_err(|e| e.code()),
                Err(ErrorCode::ClaimInvalid),
                "{bad}"
            );
        }
        use cbor::Value as C;
        let cwt = C::Map(vec![(
            C::Text("status_list".into()),
            C::Map(vec![
                (C::Text("idx".into()), C::Integer(0)),
                (
                    C::Text("uri".into()),
                    C::Text("https://example.com/statuslists/1".into()),
                ),
            ]),
        )]);
        assert_eq!(
            StatusReference::from_cwt_claim(Some(&cwt)),
            Ok(Some(StatusReference {
                idx: 0,
                uri: "https://example.com/statuslists/1".into()
            }))
        );
        assert_eq!(
            StatusReference::from_cwt_claim(Some(&C::Integer(1))).map_err(|e| e.code()),
            Err(ErrorCode::ClaimInvalid)
        );
    }
}
