//! EU DCC revocation by hash (the eHealth Network's DCC revocation, as the DCC gateway
//! distributes it): a batch lists, for one signing key, the first 16 bytes of SHA-256 of
//! - `UCI`: the certificate identifier (`ci`, as issued);
//! - `COUNTRYCODEUCI`: the issuing country (the CWT `iss`, claim 1) followed by `ci`;
//! - `SIGNATURE`: the COSE signature; for ES256 only its first half `r`, so that re-encoding `s`
//!   (a second valid signature over the same certificate) cannot escape the list; for RSA the
//!   whole signature.
//!
//! A trust bundle carries the batches as the gateway serves them, in `"dcc_revocations"`:
//!
//! ```json
//! { "country": "VN", "expires": "2027-01-01T00:00:00Z", "kid": "base64 of the 8-byte kid",
//!   "hashType": "UCI", "entries": [ { "hash": "base64 of 16 bytes" } ] }
//! ```
//!
//! A batch applies to certificates signed by the key with that `kid`. Its `expires` (when the
//! gateway may delete it: every certificate it revokes has expired by then) is read but not
//! used to un-revoke: a revoked hash stays revoked while the bundle lists it.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The three hash types of a revocation batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HashType {
    /// `SIGNATURE`
    Signature,
    /// `UCI`
    Uci,
    /// `COUNTRYCODEUCI`
    CountryCodeUci,
}

impl HashType {
    /// The gateway's name of the type.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            HashType::Signature => "SIGNATURE",
            HashType::Uci => "UCI",
            HashType::CountryCodeUci => "COUNTRYCODEUCI",
        }
    }

    fn from_name(name: &str) -> Option<HashType> {
        [HashType::Signature, HashType::Uci, HashType::CountryCodeUci]
            .into_iter()
            .find(|t| t.as_str() == name)
    }
}

/// Length of a revocation hash: the first 128 bits of SHA-256.
pub const HASH_LEN: usize = 16;

/// The first 16 bytes of SHA-256 of `bytes`.
#[must_use]
pub fn hash(bytes: &[u8]) -> [u8; HASH_LEN] {
    let digest = Sha256::digest(bytes);
    let mut out = [0u8; HASH_LEN];
    out.copy_from_slice(digest.get(..HASH_LEN).unwrap_or(&[0; HASH_LEN]));
    out
}

/// What a certificate's three hashes are computed from.
#[derive(Clone, Copy, Debug)]
pub struct DccIdentity<'a> {
    /// The key id of the signing certificate.
    pub kid: &'a [u8],
    /// The certificate identifier (`ci`).
    pub uvci: &'a str,
    /// The issuing country (CWT `iss`), when the certificate has one.
    pub country: Option<&'a str>,
    /// The COSE signature bytes.
    pub signature: &'a [u8],
    /// True for ES256 (only `r` is hashed).
    pub es256: bool,
}

impl DccIdentity<'_> {
    /// The certificate's hash of each type it can have (no `COUNTRYCODEUCI` without a country).
    #[must_use]
    pub fn hashes(&self) -> Vec<(HashType, [u8; HASH_LEN])> {
        let signed_part = if self.es256 {
            self.signature
                .get(..self.signature.len() / 2)
                .unwrap_or(self.signature)
        } else {
            self.signature
        };
        let mut out = vec![
            (HashType::Signature, hash(signed_part)),
            (HashType::Uci, hash(self.uvci.as_bytes())),
        ];
        if let Some(country) = self.country {
            let joined = format!("{country}{}", self.uvci);
            out.push((HashType::CountryCodeUci, hash(joined.as_bytes())));
        }
        out
    }
}

/// Revoked hashes, per signing key and hash type, each list sorted for binary search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DccRevocations {
    lists: BTreeMap<(Vec<u8>, HashType), Vec<[u8; HASH_LEN]>>,
}

impl DccRevocations {
    /// Adds one gateway batch (see the module docs). On error nothing is added.
    ///
    /// # Errors
    /// A reason naming the member that is wrong.
    pub fn add_batch(&mut self, batch: &Map<String, Value>) -> Result<(), String> {
        const MEMBERS: [&str; 5] = ["country", "expires", "kid", "hashType", "entries"];
        if let Some(unknown) = batch.keys().find(|k| !MEMBERS.contains(&k.as_str())) {
            return Err(format!(
                "unknown member \"{unknown}\" (expected: {})",
                MEMBERS.join(", ")
            ));
        }
        if let Some(country) = batch.get("country") {
            country
                .as_str()
                .filter(|c| !c.is_empty())
                .ok_or("\"country\" must be a non-empty string")?;
        }
        if let Some(expires) = batch.get("expires") {
            expires
                .as_str()
                .and_then(crate::time::parse_rfc3339)
                .ok_or("\"expires\" must be an RFC 3339 date-time")?;
        }
        let kid = batch
            .get("kid")
            .and_then(Value::as_str)
            .and_then(|k| base64::engine::general_purpose::STANDARD.decode(k).ok())
            .filter(|k| !k.is_empty())
            .ok_or("\"kid\" must be the signing key's id in base64")?;
        let hash_type = batch
            .get("hashType")
            .and_then(Value::as_str)
            .and_then(HashType::from_name)
            .ok_or("\"hashType\" must be \"SIGNATURE\", \"UCI\" or \"COUNTRYCODEUCI\"")?;
        let entries = batch
            .get("entries")
            .and_then(Value::as_array)
            .ok_or("\"entries\" must be an array")?;
        let mut hashes = Vec::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            let hash = entry
                .as_object()
                .filter(|e| e.len() == 1)
                .and_then(|e| e.get("hash"))
                .and_then(Value::as_str)
                .and_then(|h| base64::engine::general_purpose::STANDARD.decode(h).ok())
                .and_then(|h| <[u8; HASH_LEN]>::try_from(h.as_slice()).ok())
                .ok_or_else(|| {
                    format!("entries[{i}] must be {{\"hash\": base64 of {HASH_LEN} bytes}}")
                })?;
            hashes.push(hash);
        }
        let list = self.lists.entry((kid, hash_type)).or_default();
        list.extend(hashes);
        list.sort_unstable();
        list.dedup();
        Ok(())
    }

    /// Adds every hash of `other`.
    pub fn extend(&mut self, other: DccRevocations) {
        for (key, hashes) in other.lists {
            let list = self.lists.entry(key).or_default();
            list.extend(hashes);
            list.sort_unstable();
            list.dedup();
        }
    }

    /// The hash type under which the certificate is revoked, if it is.
    #[must_use]
    pub fn find(&self, dcc: &DccIdentity<'_>) -> Option<HashType> {
        dcc.hashes().into_iter().find_map(|(hash_type, hash)| {
            self.lists
                .get(&(dcc.kid.to_vec(), hash_type))
                .filter(|list| list.binary_search(&hash).is_ok())
                .map(|_| hash_type)
        })
    }

    /// The number of revoked hashes, all keys and types.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lists.values().map(Vec::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    fn batch(kid: &[u8], hash_type: &str, hashes: &[[u8; 16]]) -> Map<String, Value> {
        let entries: Vec<Value> = hashes
            .iter()
            .map(|h| serde_json::json!({"hash": b64(h)}))
            .collect();
        serde_json::json!({"country": "VN", "expires": "2030-01-01T00:00:00Z", "kid": b64(kid),
            "hashType": hash_type, "entries": entries})
        .as_object()
        .cloned()
        .unwrap_or_default()
    }

    #[test]
    fn the_three_hashes_follow_the_specification() {
        let sig: Vec<u8> = (0u8..64).collect();
        let dcc = DccIdentity {
            kid: b"12345678",
            uvci: "URN:UVCI:01:VN:ABC",
            country: Some("VN"),
            signature: &sig,
            es256: true,
        };
        let hashes = dcc.hashes();
        assert_eq!(
            hashes,
            vec![
                (HashType::Signature, hash(&sig[..32])),
                (HashType::Uci, hash(b"URN:UVCI:01:VN:ABC")),
                (HashType::CountryCodeUci, hash(b"VNURN:UVCI:01:VN:ABC")),
            ]
        );
        // SHA-256("abc") starts ba7816bf 8f01cfea 414140de 5dae2223.
        assert_eq!(
            hash(b"abc"),
            [
                0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae,
                0x22, 0x23
            ]
        );
        // RSA: the whole signature; no country, no COUNTRYCODEUCI.
        let rsa = DccIdentity {
            es256: false,
            country: None,
            ..dcc
        };
        assert_eq!(
            rsa.hashes(),
            vec![
                (HashType::Signature, hash(&sig)),
                (HashType::Uci, hash(b"URN:UVCI:01:VN:ABC")),
            ]
        );
    }

    #[test]
    fn a_batch_revokes_for_its_key_only() {
        let sig = [7u8; 64];
        let dcc = DccIdentity {
            kid: b"kid-a",
            uvci: "URN:UVCI:1",
            country: Some("VN"),
            signature: &sig,
            es256: true,
        };
        let mut revocations = DccRevocations::default();
        assert_eq!(revocations.find(&dcc), None);
        assert!(revocations
            .add_batch(&batch(b"kid-a", "COUNTRYCODEUCI", &[hash(b"VNURN:UVCI:1")]))
            .is_ok());
        assert_eq!(revocations.find(&dcc), Some(HashType::CountryCodeUci));
        let other_key = DccIdentity {
            kid: b"kid-b",
            ..dcc
        };
        assert_eq!(revocations.find(&other_key), None);
        // Re-encoding s changes the signature but not r: still revoked by SIGNATURE.
        let mut revocations = DccRevocations::default();
        assert!(revocations
            .add_batch(&batch(b"kid-a", "SIGNATURE", &[hash(&sig[..32])]))
            .is_ok());
        let mut s_changed = sig;
        s_changed[63] ^= 1;
        let reencoded = DccIdentity {
            signature: &s_changed,
            ..dcc
        };
        assert_eq!(revocations.find(&reencoded), Some(HashType::Signature));
        assert_eq!(revocations.len(), 1);
    }

    #[test]
    fn malformed_batches_are_refused_whole() {
        let mut revocations = DccRevocations::default();
        let mut bad_type = batch(b"k", "UVCI", &[[0; 16]]);
        assert!(revocations.add_batch(&bad_type).is_err());
        bad_type.insert("hashType".into(), "UCI".into());
        bad_type.insert("extra".into(), 1.into());
        assert!(revocations
            .add_batch(&bad_type)
            .is_err_and(|e| e.contains("\"extra\"")));
        let short = serde_json::json!({"kid": b64(b"k"), "hashType": "UCI", "entries": [{"hash": b64(&[0; 15])}]});
        assert!(revocations
            .add_batch(short.as_object().unwrap_or(&Map::new()))
            .is_err_and(|e| e.contains("entries[0]")));
        assert_eq!(revocations.len(), 0);
    }
}
