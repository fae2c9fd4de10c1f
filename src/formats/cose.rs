//! COSE_Sign1 (RFC 9052 §4.2), the signature layer of the EU DCC and the VNeID document QR.
//!
//! ```text
//! COSE_Sign1 = #6.18([ protected: bstr .cbor header_map, unprotected: header_map,
//!                      payload: bstr, signature: bstr ])
//! ```
//!
//! Decoding checks, in order, before any key is looked up:
//! 1. the item is a COSE_Sign1 array, tagged 18 (optional or required per [`CoseRules`]), and,
//!    where allowed, wrapped in the CWT tag 61 (EU DCC test CO28); any other tag is refused;
//! 2. the protected header is a byte string holding a map (an empty byte string is an empty map);
//! 3. `alg` (label 1) is read from the **protected** header only: −7 (ES256) and, where the
//!    format allows it, −37 (PS256). A missing `alg` is `cose_invalid`; any other value,
//!    integer or text, is `alg_not_allowed`. An `alg` in the unprotected header is refused, so
//!    nobody can be misled by an unauthenticated algorithm;
//! 4. `crit` (label 2) is refused with `crit_unsupported`: no extension is understood;
//! 5. `kid` (label 4) is a byte string; the protected one wins, and the unprotected one is used
//!    only where the format allows it (EU DCC does, the VNeID profile does not);
//! 6. the payload is a byte string (a detached payload, `nil`, is refused);
//! 7. an ES256 signature is exactly 64 bytes of r‖s (`signature_malformed` otherwise; DER is
//!    never accepted).
//!
//! The signature is then verified over `Sig_structure = ["Signature1", protected, h'', payload]`,
//! encoded with definite lengths, where `protected` is the header's bytes as received.

use crate::crypto::{es256, PublicKey};
use crate::encoding::cbor::{self, Value};
use crate::error::{Error, ErrorCode};
use crate::policy::Limits;
use crate::trust::TrustedKey;

/// CBOR tag of COSE_Sign1.
pub const TAG_COSE_SIGN1: u64 = 18;
/// CBOR tag of a CWT (RFC 8392 §6).
pub const TAG_CWT: u64 = 61;
/// Header label `alg`.
pub const HEADER_ALG: i128 = 1;
/// Header label `crit`.
pub const HEADER_CRIT: i128 = 2;
/// Header label `kid`.
pub const HEADER_KID: i128 = 4;

/// A signature algorithm accepted in COSE.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alg {
    /// ECDSA P-256 with SHA-256 (COSE −7).
    Es256,
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256, salt length 32 (COSE −37).
    Ps256,
}

impl Alg {
    /// The COSE algorithm identifier.
    #[must_use]
    pub const fn id(self) -> i128 {
        match self {
            Alg::Es256 => -7,
            Alg::Ps256 => -37,
        }
    }

    /// The JOSE-style name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Alg::Es256 => "ES256",
            Alg::Ps256 => "PS256",
        }
    }

    fn from_id(id: i128) -> Option<Alg> {
        match id {
            -7 => Some(Alg::Es256),
            -37 => Some(Alg::Ps256),
            _ => None,
        }
    }
}

/// What a format allows around COSE_Sign1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CoseRules {
    /// Tag 18 must be present.
    pub require_tag: bool,
    /// A CWT tag 61 may wrap the tagged COSE_Sign1.
    pub allow_cwt_tag: bool,
    /// A `kid` in the unprotected header is used when the protected header has none.
    pub allow_unprotected_kid: bool,
    /// The unprotected header must be empty.
    pub require_empty_unprotected: bool,
    /// Accepted algorithms.
    pub algorithms: &'static [Alg],
}

impl CoseRules {
    /// The EU DCC's rules (hcert): tag 18 optional, CWT tag 61 allowed, ES256 or PS256, a `kid`
    /// in the unprotected header used when the protected one has none.
    pub const EU_DCC: CoseRules = CoseRules {
        require_tag: false,
        allow_cwt_tag: true,
        allow_unprotected_kid: true,
        require_empty_unprotected: false,
        algorithms: &[Alg::Es256, Alg::Ps256],
    };

    /// The VNeID document profile's rules: tag 18 required, ES256 only, `kid` protected, the
    /// unprotected header empty.
    pub const VNEID_DOCUMENT: CoseRules = CoseRules {
        require_tag: true,
        allow_cwt_tag: false,
        allow_unprotected_kid: false,
        require_empty_unprotected: true,
        algorithms: &[Alg::Es256],
    };
}

/// Where the `kid` came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KidSource {
    /// The protected header (authenticated).
    Protected,
    /// The unprotected header (a lookup hint only).
    Unprotected,
}

/// A decoded, not yet verified, COSE_Sign1.
#[derive(Clone, Debug, PartialEq)]
pub struct CoseSign1 {
    /// The protected header's bytes, as received (they are signed).
    pub protected_bytes: Vec<u8>,
    /// The protected header, decoded.
    pub protected: Vec<(Value, Value)>,
    /// The unprotected header.
    pub unprotected: Vec<(Value, Value)>,
    /// The payload bytes.
    pub payload: Vec<u8>,
    /// The signature bytes.
    pub signature: Vec<u8>,
    /// The algorithm from the protected header.
    pub alg: Alg,
    /// The key id, if any, and where it came from.
    pub kid: Option<(Vec<u8>, KidSource)>,
}

/// Decodes a COSE_Sign1 from CBOR bytes (see the module docs for the checks). The payload is
/// not verified here: outside the crate, this is reached only through
/// [`crate::dangerous::decode_cose_sign1_unverified`].
///
/// # Errors
/// `cbor_invalid` for malformed CBOR; `cose_invalid` for a structure that is not an acceptable
/// COSE_Sign1; `alg_not_allowed`; `crit_unsupported`; `signature_malformed`.
pub(crate) fn decode(bytes: &[u8], limits: &Limits, rules: CoseRules) -> Result<CoseSign1, Error> {
    let item = cbor::decode(bytes, limits, cbor::Rules::default())?;
    let array = untag(item, rules)?;
    let Value::Array(parts) = array else {
        return Err(Error::cose_invalid(format!(
            "expected a COSE_Sign1 array, found a {}",
            array.type_name()
        )));
    };
    let [protected, unprotected, payload, signature]: [Value; 4] =
        parts.try_into().map_err(|parts: Vec<Value>| {
            Error::cose_invalid(format!(
                "a COSE_Sign1 has 4 elements, this array has {}",
                parts.len()
            ))
        })?;

    let Value::Bytes(protected_bytes) = protected else {
        return Err(Error::cose_invalid(
            "the protected header must be a byte string",
        ));
    };
    let protected = if protected_bytes.is_empty() {
        Vec::new()
    } else {
        match cbor::decode(&protected_bytes, limits, cbor::Rules::default())? {
            Value::Map(entries) => entries,
            other => {
                return Err(Error::cose_invalid(format!(
                    "the protected header must be a map, found a {}",
                    other.type_name()
                )))
            }
        }
    };
    let Value::Map(unprotected) = unprotected else {
        return Err(Error::cose_invalid("the unprotected header must be a map"));
    };

    let alg = read_alg(&protected, &unprotected, rules)?;
    if header(&protected, HEADER_CRIT).is_some() {
        return Err(Error::with_detail(
            ErrorCode::CritUnsupported,
            "crit in the protected header",
        ));
    }
    if header(&unprotected, HEADER_CRIT).is_some() {
        return Err(Error::cose_invalid("crit must be in the protected header"));
    }
    if rules.require_empty_unprotected && !unprotected.is_empty() {
        return Err(Error::cose_invalid("the unprotected header must be empty"));
    }
    let kid = read_kid(&protected, &unprotected, rules)?;

    let payload = match payload {
        Value::Bytes(b) => b,
        Value::Null => return Err(Error::cose_invalid("detached payloads are not supported")),
        other => {
            return Err(Error::cose_invalid(format!(
                "the payload must be a byte string, found a {}",
                other.type_name()
            )))
        }
    };
    let Value::Bytes(signature) = signature else {
        return Err(Error::cose_invalid("the signature must be a byte string"));
    };
    if alg == Alg::Es256 && signature.len() != es256::SIGNATURE_LEN {
        return Err(Error::with_detail(
            ErrorCode::SignatureMalformed,
            format!("{} bytes; ES256 needs 64 (r||s)", signature.len()),
        ));
    }
    Ok(CoseSign1 {
        protected_bytes,
        protected,
        unprotected,
        payload,
        signature,
        alg,
        kid,
    })
}

/// Removes the COSE_Sign1 tag (and a CWT tag around it, where allowed).
fn untag(item: Value, rules: CoseRules) -> Result<Value, Error> {
    let item = match item {
        Value::Tag(TAG_CWT, inner) if rules.allow_cwt_tag => match *inner {
            tagged @ Value::Tag(TAG_COSE_SIGN1, _) => tagged,
            _ => {
                return Err(Error::cose_invalid(
                    "a CWT tag must wrap a tagged COSE_Sign1",
                ))
            }
        },
        other => other,
    };
    match item {
        Value::Tag(TAG_COSE_SIGN1, inner) => Ok(*inner),
        Value::Tag(tag, _) => Err(Error::cose_invalid(format!(
            "CBOR tag {tag} is not COSE_Sign1 (18){}",
            match tag {
                98 => ": COSE_Sign with several signers is not supported",
                17 | 97 => ": MACed messages are not signatures",
                16 | 96 => ": encrypted messages are not supported",
                _ => "",
            }
        ))),
        other if rules.require_tag => Err(Error::cose_invalid(format!(
            "expected a COSE_Sign1 (tag 18), found an untagged {}",
            other.type_name()
        ))),
        other => Ok(other),
    }
}

fn read_alg(
    protected: &[(Value, Value)],
    unprotected: &[(Value, Value)],
    rules: CoseRules,
) -> Result<Alg, Error> {
    if header(unprotected, HEADER_ALG).is_some() {
        return Err(Error::cose_invalid(
            "alg must be in the protected header, not the unprotected one",
        ));
    }
    let value = header(protected, HEADER_ALG)
        .ok_or_else(|| Error::cose_invalid("the protected header has no alg"))?;
    let allowed = |alg: Alg| rules.algorithms.contains(&alg);
    match value {
        Value::Integer(id) => match Alg::from_id(*id) {
            Some(alg) if allowed(alg) => Ok(alg),
            _ => Err(Error::with_detail(
                ErrorCode::AlgNotAllowed,
                format!("COSE alg {id}; allowed: {}", allowed_list(rules)),
            )),
        },
        Value::Text(name) => Err(Error::with_detail(
            ErrorCode::AlgNotAllowed,
            format!("COSE alg \"{name}\"; allowed: {}", allowed_list(rules)),
        )),
        other => Err(Error::cose_invalid(format!(
            "alg must be an integer, found a {}",
            other.type_name()
        ))),
    }
}

fn allowed_list(rules: CoseRules) -> String {
    rules
        .algorithms
        .iter()
        .map(|a| format!("{} ({})", a.name(), a.id()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn read_kid(
    protected: &[(Value, Value)],
    unprotected: &[(Value, Value)],
    rules: CoseRules,
) -> Result<Option<(Vec<u8>, KidSource)>, Error> {
    let kid_bytes = |v: &Value, place: &str| match v {
        Value::Bytes(b) if !b.is_empty() => Ok(b.clone()),
        Value::Bytes(_) => Err(Error::cose_invalid(format!("the {place} kid is empty"))),
        other => Err(Error::cose_invalid(format!(
            "the {place} kid must be a byte string, found a {}",
            other.type_name()
        ))),
    };
    if let Some(kid) = header(protected, HEADER_KID) {
        return Ok(Some((kid_bytes(kid, "protected")?, KidSource::Protected)));
    }
    match header(unprotected, HEADER_KID) {
        Some(kid) if rules.allow_unprotected_kid => Ok(Some((
            kid_bytes(kid, "unprotected")?,
            KidSource::Unprotected,
        ))),
        Some(_) => Err(Error::cose_invalid("kid must be in the protected header")),
        None => Ok(None),
    }
}

/// The value of an integer header label.
#[must_use]
pub fn header(map: &[(Value, Value)], label: i128) -> Option<&Value> {
    map.iter()
        .find(|(k, _)| *k == Value::Integer(label))
        .map(|(_, v)| v)
}

/// The bytes a COSE_Sign1 signature covers: `["Signature1", protected, h'', payload]`.
#[must_use]
pub fn sig_structure(protected_bytes: &[u8], payload: &[u8]) -> Vec<u8> {
    sig_structure_with_aad(protected_bytes, &[], payload)
}

/// The bytes a COSE_Sign1 signature covers with external data the application supplies and
/// does not transmit: `["Signature1", protected, external_aad, payload]` (RFC 9052 §4.4).
#[must_use]
pub fn sig_structure_with_aad(protected_bytes: &[u8], aad: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(protected_bytes.len() + aad.len() + payload.len() + 32);
    cbor::head(4, 4, &mut out);
    cbor::head(3, 10, &mut out);
    out.extend_from_slice(b"Signature1");
    cbor::head(2, protected_bytes.len() as u64, &mut out);
    out.extend_from_slice(protected_bytes);
    cbor::head(2, aad.len() as u64, &mut out);
    out.extend_from_slice(aad);
    cbor::head(2, payload.len() as u64, &mut out);
    out.extend_from_slice(payload);
    out
}

impl CoseSign1 {
    /// The key id bytes, if any.
    #[must_use]
    pub fn kid(&self) -> Option<&[u8]> {
        self.kid.as_ref().map(|(k, _)| k.as_slice())
    }

    /// The bytes the signature covers.
    #[must_use]
    pub fn signed_bytes(&self) -> Vec<u8> {
        sig_structure(&self.protected_bytes, &self.payload)
    }

    /// The bytes the signature covers with external data `aad`.
    #[must_use]
    pub fn signed_bytes_with_aad(&self, aad: &[u8]) -> Vec<u8> {
        sig_structure_with_aad(&self.protected_bytes, aad, &self.payload)
    }

    /// Verifies an ES256 signature over the payload and external data `aad` with a key that
    /// does not come from the trust store: a holder key from an issuer-signed `cnf`.
    ///
    /// # Errors
    /// `unsupported_key` for a key that is not P-256 or an algorithm that is not ES256;
    /// `signature_invalid` when the signature does not verify.
    pub fn verify_with_aad(&self, key: &PublicKey, aad: &[u8]) -> Result<(), Error> {
        let (Alg::Es256, PublicKey::P256(k)) = (self.alg, key) else {
            return Err(Error::with_detail(
                ErrorCode::UnsupportedKey,
                "a holder proof is ES256 with an EC P-256 key",
            ));
        };
        let sig: &[u8; es256::SIGNATURE_LEN] = self
            .signature
            .as_slice()
            .try_into()
            .map_err(|_| Error::new(ErrorCode::SignatureInvalid))?;
        if es256::verify(k, &self.signed_bytes_with_aad(aad), sig) {
            Ok(())
        } else {
            Err(Error::new(ErrorCode::SignatureInvalid))
        }
    }

    /// Verifies the signature with a trusted key.
    ///
    /// # Errors
    /// `unsupported_key` when the key cannot verify the algorithm (a P-384 or RSA key for ES256,
    /// an EC key for PS256, RSA in a build without the `rsa` feature); `signature_invalid` when
    /// the signature does not verify.
    pub fn verify_signature(&self, key: &TrustedKey) -> Result<(), Error> {
        let ok = match (self.alg, &key.key) {
            (Alg::Es256, PublicKey::P256(k)) => {
                let sig: &[u8; es256::SIGNATURE_LEN] = self
                    .signature
                    .as_slice()
                    .try_into()
                    .map_err(|_| Error::new(ErrorCode::SignatureInvalid))?;
                es256::verify(k, &self.signed_bytes(), sig)
            }
            #[cfg(feature = "rsa")]
            (Alg::Ps256, PublicKey::Rsa(k)) => {
                k.verify_pss_sha256(&self.signed_bytes(), &self.signature)
            }
            (alg, other) => {
                return Err(Error::with_detail(
                    ErrorCode::UnsupportedKey,
                    format!(
                        "{} needs {}; the trusted key is {}",
                        alg.name(),
                        match alg {
                            Alg::Es256 => "an EC P-256 key",
                            Alg::Ps256 if cfg!(feature = "rsa") => "an RSA key",
                            Alg::Ps256 => "an RSA key and a build with the `rsa` feature",
                        },
                        other.description()
                    ),
                ))
            }
        };
        if ok {
            Ok(())
        } else {
            Err(Error::new(ErrorCode::SignatureInvalid))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::cbor::encode;

    const ES256_ONLY: CoseRules = CoseRules {
        require_tag: true,
        allow_cwt_tag: false,
        allow_unprotected_kid: false,
        require_empty_unprotected: true,
        algorithms: &[Alg::Es256],
    };
    const LENIENT: CoseRules = CoseRules {
        require_tag: false,
        allow_cwt_tag: true,
        allow_unprotected_kid: true,
        require_empty_unprotected: false,
        algorithms: &[Alg::Es256, Alg::Ps256],
    };

    fn map(entries: Vec<(i128, Value)>) -> Vec<(Value, Value)> {
        entries
            .into_iter()
            .map(|(k, v)| (Value::Integer(k), v))
            .collect()
    }

    fn sign1(
        protected: Vec<(Value, Value)>,
        unprotected: Vec<(Value, Value)>,
        sig_len: usize,
    ) -> Value {
        Value::Array(vec![
            Value::Bytes(if protected.is_empty() {
                vec![]
            } else {
                encode(&Value::Map(protected))
            }),
            Value::Map(unprotected),
            Value::Bytes(b"payload".to_vec()),
            Value::Bytes(vec![7; sig_len]),
        ])
    }

    fn tagged(v: Value) -> Value {
        Value::Tag(TAG_COSE_SIGN1, Box::new(v))
    }

    type Decoded = (Alg, Option<(Vec<u8>, KidSource)>);

    fn code(v: &Value, rules: CoseRules) -> Result<Decoded, ErrorCode> {
        decode(&encode(v), &Limits::default(), rules)
            .map(|c| (c.alg, c.kid))
            .map_err(|e| e.code())
    }

    fn es256_kid(kid: &[u8]) -> Vec<(Value, Value)> {
        map(vec![
            (1, Value::Integer(-7)),
            (4, Value::Bytes(kid.to_vec())),
        ])
    }

    #[test]
    fn the_vneid_profiles_shape_decodes_under_the_dcc_rules_too() {
        let vn1 = tagged(sign1(es256_kid(b"k1"), vec![], 64));
        assert_eq!(
            code(&vn1, crate::formats::eu_dcc::COSE_RULES),
            Ok((Alg::Es256, Some((b"k1".to_vec(), KidSource::Protected))))
        );
    }

    #[test]
    fn accepts_the_profiles_shapes() {
        let good = tagged(sign1(es256_kid(b"k1"), vec![], 64));
        assert_eq!(
            code(&good, ES256_ONLY),
            Ok((Alg::Es256, Some((b"k1".to_vec(), KidSource::Protected))))
        );
        // Untagged and CWT-tagged forms, and the unprotected kid, only where allowed.
        let untagged = sign1(es256_kid(b"k1"), vec![], 64);
        assert_eq!(code(&untagged, ES256_ONLY), Err(ErrorCode::CoseInvalid));
        assert!(code(&untagged, LENIENT).is_ok());
        let cwt = Value::Tag(TAG_CWT, Box::new(good.clone()));
        assert_eq!(code(&cwt, ES256_ONLY), Err(ErrorCode::CoseInvalid));
        assert!(code(&cwt, LENIENT).is_ok());
        let unprotected_kid = tagged(sign1(
            map(vec![(1, Value::Integer(-7))]),
            map(vec![(4, Value::Bytes(b"u".to_vec()))]),
            64,
        ));
        assert_eq!(
            code(&unprotected_kid, ES256_ONLY),
            Err(ErrorCode::CoseInvalid)
        );
        assert_eq!(
            code(&unprotected_kid, LENIENT),
            Ok((Alg::Es256, Some((b"u".to_vec(), KidSource::Unprotected))))
        );
        // Protected kid wins over unprotected.
        let both = tagged(sign1(
            es256_kid(b"p"),
            map(vec![(4, Value::Bytes(b"u".to_vec()))]),
            64,
        ));
        assert_eq!(
            code(&both, LENIENT),
            Ok((Alg::Es256, Some((b"p".to_vec(), KidSource::Protected))))
        );
    }

    #[test]
    fn algorithm_comes_from_the_protected_header_only() {
        let alg = |v: Value| tagged(sign1(map(vec![(1, v)]), vec![], 64));
        assert_eq!(
            code(&alg(Value::Integer(-35)), LENIENT),
            Err(ErrorCode::AlgNotAllowed)
        );
        assert_eq!(
            code(&alg(Value::Integer(-8)), LENIENT),
            Err(ErrorCode::AlgNotAllowed)
        );
        assert_eq!(
            code(&alg(Value::Integer(5)), LENIENT),
            Err(ErrorCode::AlgNotAllowed)
        ); // HMAC 256/256
        assert_eq!(
            code(&alg(Value::Text("ES256".into())), LENIENT),
            Err(ErrorCode::AlgNotAllowed)
        );
        assert_eq!(
            code(&alg(Value::Bytes(vec![])), LENIENT),
            Err(ErrorCode::CoseInvalid)
        );
        let ps256 = tagged(sign1(map(vec![(1, Value::Integer(-37))]), vec![], 256));
        assert_eq!(code(&ps256, ES256_ONLY), Err(ErrorCode::AlgNotAllowed));
        assert_eq!(code(&ps256, LENIENT).map(|c| c.0), Ok(Alg::Ps256));
        // No alg at all, or only an unprotected one.
        let none = tagged(sign1(vec![], vec![], 64));
        assert_eq!(code(&none, LENIENT), Err(ErrorCode::CoseInvalid));
        let unprotected = tagged(sign1(vec![], map(vec![(1, Value::Integer(-7))]), 64));
        assert_eq!(code(&unprotected, LENIENT), Err(ErrorCode::CoseInvalid));
        // crit is never understood.
        let crit = tagged(sign1(
            map(vec![
                (1, Value::Integer(-7)),
                (2, Value::Array(vec![Value::Integer(99)])),
            ]),
            vec![],
            64,
        ));
        assert_eq!(code(&crit, LENIENT), Err(ErrorCode::CritUnsupported));
    }

    #[test]
    fn structure_errors() {
        let good_header = es256_kid(b"k");
        for (v, expected) in [
            (Value::Integer(1), ErrorCode::CoseInvalid),
            (tagged(Value::Array(vec![])), ErrorCode::CoseInvalid),
            (
                Value::Tag(98, Box::new(Value::Array(vec![]))),
                ErrorCode::CoseInvalid,
            ),
            (
                Value::Tag(17, Box::new(sign1(good_header.clone(), vec![], 64))),
                ErrorCode::CoseInvalid,
            ),
            (
                tagged(sign1(good_header.clone(), vec![], 63)),
                ErrorCode::SignatureMalformed,
            ),
            (
                tagged(sign1(good_header.clone(), vec![], 72)),
                ErrorCode::SignatureMalformed,
            ),
            (
                tagged(sign1(
                    map(vec![(1, Value::Integer(-7)), (4, Value::Text("k".into()))]),
                    vec![],
                    64,
                )),
                ErrorCode::CoseInvalid,
            ),
            (
                tagged(Value::Array(vec![
                    Value::Map(vec![]),
                    Value::Map(vec![]),
                    Value::Bytes(vec![]),
                    Value::Bytes(vec![0; 64]),
                ])),
                ErrorCode::CoseInvalid,
            ),
            (
                tagged(Value::Array(vec![
                    Value::Bytes(encode(&Value::Map(good_header.clone()))),
                    Value::Map(vec![]),
                    Value::Null,
                    Value::Bytes(vec![0; 64]),
                ])),
                ErrorCode::CoseInvalid,
            ),
            (
                tagged(Value::Array(vec![
                    Value::Bytes(encode(&Value::Array(vec![]))),
                    Value::Map(vec![]),
                    Value::Bytes(vec![]),
                    Value::Bytes(vec![0; 64]),
                ])),
                ErrorCode::CoseInvalid,
            ),
        ] {
            assert_eq!(code(&v, LENIENT).map(|_| ()), Err(expected), "{v:?}");
        }
        // A protected header that is not CBOR.
        let bad_header = tagged(Value::Array(vec![
            Value::Bytes(vec![0xa1, 0x01]),
            Value::Map(vec![]),
            Value::Bytes(vec![]),
            Value::Bytes(vec![0; 64]),
        ]));
        assert_eq!(
            code(&bad_header, LENIENT).map(|_| ()),
            Err(ErrorCode::CborInvalid)
        );
    }

    #[test]
    fn sig_structure_matches_the_generic_encoder() {
        let expected = encode(&Value::Array(vec![
            Value::Text("Signature1".into()),
            Value::Bytes(vec![0xa1, 0x01, 0x26]),
            Value::Bytes(vec![]),
            Value::Bytes(vec![9; 300]),
        ]));
        assert_eq!(sig_structure(&[0xa1, 0x01, 0x26], &[9; 300]), expected);
    }
}
