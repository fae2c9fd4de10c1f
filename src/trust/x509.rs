//! X.509 certificates (RFC 5280), read strictly from DER: enough to take a signer's key and
//! validity into the trust store (EU DCC signing certificates) and to check that a signer
//! certificate was issued by a trusted authority (ICAO VDS-NC country signing CAs).
//!
//! This is not a path validator: chains are one level (signer → trusted anchor), and the caller
//! decides what the extensions mean for its format.

use sha2::{Digest as _, Sha256};

use crate::crypto::{es256, PublicKey};
use crate::encoding::der::{self, tag, DerError, Reader};
use crate::error::{Error, ErrorCode};
use crate::time::{days_from_civil, Date};

/// Largest certificate accepted, in bytes (a 4096-bit RSA CSCA is under 2 KiB).
pub const MAX_CERTIFICATE_LEN: usize = 16 * 1024;

const OID_EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const OID_P256: &str = "1.2.840.10045.3.1.7";
const OID_P384: &str = "1.3.132.0.34";
const OID_P521: &str = "1.3.132.0.35";
const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_RSA_PSS: &str = "1.2.840.113549.1.1.10";

/// A distinguished name: its DER (for exact comparison) and the attributes people read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Name {
    /// The DER encoding of the Name.
    pub raw: Vec<u8>,
    /// `C` (country).
    pub country: Option<String>,
    /// `O` (organisation).
    pub organization: Option<String>,
    /// `CN` (common name).
    pub common_name: Option<String>,
}

impl Name {
    /// `CN=…, O=…, C=…` with the attributes present.
    #[must_use]
    pub fn display(&self) -> String {
        let parts: Vec<String> = [
            ("CN", &self.common_name),
            ("O", &self.organization),
            ("C", &self.country),
        ]
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v}")))
        .collect();
        parts.join(", ")
    }
}

/// How a certificate is signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    /// ecdsa-with-SHA256
    EcdsaSha256,
    /// ecdsa-with-SHA384
    EcdsaSha384,
    /// ecdsa-with-SHA512
    EcdsaSha512,
    /// sha256WithRSAEncryption
    RsaPkcs1Sha256,
    /// sha384WithRSAEncryption
    RsaPkcs1Sha384,
    /// sha512WithRSAEncryption
    RsaPkcs1Sha512,
    /// RSASSA-PSS (only SHA-256 / MGF1-SHA-256 / salt 32 can verify)
    RsaPss,
    /// Anything else, by OID.
    Other(String),
}

impl SignatureAlgorithm {
    fn from_oid(oid: &str) -> SignatureAlgorithm {
        match oid {
            "1.2.840.10045.4.3.2" => SignatureAlgorithm::EcdsaSha256,
            "1.2.840.10045.4.3.3" => SignatureAlgorithm::EcdsaSha384,
            "1.2.840.10045.4.3.4" => SignatureAlgorithm::EcdsaSha512,
            "1.2.840.113549.1.1.11" => SignatureAlgorithm::RsaPkcs1Sha256,
            "1.2.840.113549.1.1.12" => SignatureAlgorithm::RsaPkcs1Sha384,
            "1.2.840.113549.1.1.13" => SignatureAlgorithm::RsaPkcs1Sha512,
            OID_RSA_PSS => SignatureAlgorithm::RsaPss,
            other => SignatureAlgorithm::Other(other.to_owned()),
        }
    }
}

/// A parsed certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    /// The whole DER encoding.
    pub der: Vec<u8>,
    /// The DER of the TBSCertificate: the signed bytes.
    pub tbs: Vec<u8>,
    /// Serial number (big-endian magnitude).
    pub serial: Vec<u8>,
    /// Issuer name.
    pub issuer: Name,
    /// Subject name.
    pub subject: Name,
    /// Start of validity, Unix seconds.
    pub not_before: i64,
    /// End of validity (inclusive, as X.509 defines it), Unix seconds.
    pub not_after: i64,
    /// The subject's public key; `Unsupported` for key types this build cannot verify with.
    pub public_key: PublicKey,
    /// How the issuer signed this certificate.
    pub signature_algorithm: SignatureAlgorithm,
    /// The issuer's signature (DER for ECDSA, raw for RSA).
    pub signature: Vec<u8>,
    /// basicConstraints cA.
    pub is_ca: bool,
    /// keyUsage bits as in the DER BIT STRING, first octet first (digitalSignature = 0x80 of
    /// the first octet, keyCertSign = 0x04); `None` when absent.
    pub key_usage: Option<Vec<u8>>,
    /// extKeyUsage OIDs (e.g. the EU DCC's `1.3.6.1.4.1.1847.2021.1.1` for test certificates).
    pub extended_key_usage: Vec<String>,
    /// OIDs of critical extensions this parser does not interpret.
    pub unhandled_critical_extensions: Vec<String>,
}

impl Certificate {
    /// Parses a DER certificate.
    ///
    /// # Errors
    /// `certificate_invalid` with the reason.
    pub fn from_der(der: &[u8]) -> Result<Certificate, Error> {
        if der.len() > MAX_CERTIFICATE_LEN {
            return Err(Error::with_detail(
                ErrorCode::CertificateInvalid,
                format!("{} bytes; limit {MAX_CERTIFICATE_LEN}", der.len()),
            ));
        }
        parse(der).map_err(|DerError(why)| Error::with_detail(ErrorCode::CertificateInvalid, why))
    }

    /// Parses every `CERTIFICATE` block of a PEM text.
    ///
    /// # Errors
    /// `certificate_invalid` when the PEM is malformed, holds no certificate, or one is invalid.
    pub fn all_from_pem(text: &str) -> Result<Vec<Certificate>, Error> {
        let blocks = crate::encoding::pem::decode_all(text, "CERTIFICATE")
            .ok_or_else(|| Error::with_detail(ErrorCode::CertificateInvalid, "malformed PEM"))?;
        if blocks.is_empty() {
            return Err(Error::with_detail(
                ErrorCode::CertificateInvalid,
                "no CERTIFICATE block",
            ));
        }
        blocks
            .iter()
            .map(|der| Certificate::from_der(der))
            .collect()
    }

    /// SHA-256 of the DER encoding.
    #[must_use]
    pub fn sha256(&self) -> [u8; 32] {
        Sha256::digest(&self.der).into()
    }

    /// The EU DCC key identifier: the first 8 bytes of the SHA-256 of the DER.
    #[must_use]
    pub fn dcc_kid(&self) -> [u8; 8] {
        let hash = self.sha256();
        let mut kid = [0u8; 8];
        kid.copy_from_slice(hash.get(..8).unwrap_or(&[0; 8]));
        kid
    }

    /// True when the certificate is valid at `now` (both ends inclusive, per RFC 5280).
    #[must_use]
    pub fn is_valid_at(&self, now: i64) -> bool {
        self.not_before <= now && now <= self.not_after
    }

    /// Checks that `issuer` issued this certificate: the names match and `issuer`'s key verifies
    /// the signature over the TBSCertificate. Validity times are the caller's to check.
    ///
    /// # Errors
    /// `chain_invalid` when the names differ or the signature does not verify;
    /// `unsupported_key` when the issuer's key or the algorithm cannot be verified here.
    pub fn verify_issued_by(&self, issuer: &Certificate) -> Result<(), Error> {
        if self.issuer.raw != issuer.subject.raw {
            return Err(Error::with_detail(
                ErrorCode::ChainInvalid,
                format!(
                    "issued by \"{}\", not by \"{}\"",
                    self.issuer.display(),
                    issuer.subject.display()
                ),
            ));
        }
        if verify_signature(
            &issuer.public_key,
            &self.signature_algorithm,
            &self.tbs,
            &self.signature,
        )? {
            Ok(())
        } else {
            Err(Error::with_detail(
                ErrorCode::ChainInvalid,
                "the certificate's signature does not verify",
            ))
        }
    }
}

/// Verifies an X.509-style signature (DER ECDSA or RSA) with `key`. `Ok(false)` is a bad
/// signature; an error means this key/algorithm pair cannot be verified here.
fn verify_signature(
    key: &PublicKey,
    algorithm: &SignatureAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<bool, Error> {
    let unsupported = || {
        Error::with_detail(
            ErrorCode::UnsupportedKey,
            format!(
                "cannot verify {algorithm:?} with a {} key",
                key.description()
            ),
        )
    };
    match (key, algorithm) {
        (
            PublicKey::P256(k),
            SignatureAlgorithm::EcdsaSha256
            | SignatureAlgorithm::EcdsaSha384
            | SignatureAlgorithm::EcdsaSha512,
        ) => {
            let prehashed = |digest: &[u8]| {
                es256::raw_from_der(signature)
                    .is_some_and(|rs| es256::verify_prehash(k, digest, &rs))
            };
            Ok(match algorithm {
                SignatureAlgorithm::EcdsaSha256 => es256::verify_der(k, message, signature),
                SignatureAlgorithm::EcdsaSha384 => prehashed(&sha2::Sha384::digest(message)),
                _ => prehashed(&sha2::Sha512::digest(message)),
            })
        }
        #[cfg(feature = "rsa")]
        (PublicKey::Rsa(k), alg) => {
            use crate::crypto::rsa::Pkcs1Hash;
            Ok(match alg {
                SignatureAlgorithm::RsaPkcs1Sha256 => {
                    k.verify_pkcs1v15(Pkcs1Hash::Sha256, message, signature)
                }
                SignatureAlgorithm::RsaPkcs1Sha384 => {
                    k.verify_pkcs1v15(Pkcs1Hash::Sha384, message, signature)
                }
                SignatureAlgorithm::RsaPkcs1Sha512 => {
                    k.verify_pkcs1v15(Pkcs1Hash::Sha512, message, signature)
                }
                SignatureAlgorithm::RsaPss => k.verify_pss_sha256(message, signature),
                _ => return Err(unsupported()),
            })
        }
        _ => Err(unsupported()),
    }
}

fn parse(input: &[u8]) -> Result<Certificate, DerError> {
    let mut outer = Reader::new(input);
    let cert = outer.expect(tag::SEQUENCE, "not a certificate (SEQUENCE expected)")?;
    outer.finish()?;
    let mut body = Reader::new(cert.content);
    let tbs = body.expect(tag::SEQUENCE, "TBSCertificate expected")?;
    let outer_alg = algorithm_oid(&mut body)?;
    let signature =
        der::bit_string_bytes(body.expect(tag::BIT_STRING, "signature expected")?.content)?;
    body.finish()?;

    let mut t = Reader::new(tbs.content);
    if let Some(version) = t.optional(0xa0)? {
        let v = Reader::new(version.content).expect(tag::INTEGER, "version")?;
        if v.content != [2] && v.content != [1] {
            return Err(DerError("unsupported certificate version"));
        }
    }
    let serial = der::unsigned_integer(t.expect(tag::INTEGER, "serial number expected")?.content)
        .or(Err(DerError("invalid serial number")))?;
    let inner_alg = algorithm_oid(&mut t)?;
    if inner_alg != outer_alg {
        return Err(DerError("signature algorithms disagree"));
    }
    let issuer = name(t.expect(tag::SEQUENCE, "issuer expected")?)?;
    let mut validity = Reader::new(t.expect(tag::SEQUENCE, "validity expected")?.content);
    let not_before = time(validity.read()?)?;
    let not_after = time(validity.read()?)?;
    validity.finish()?;
    let subject = name(t.expect(tag::SEQUENCE, "subject expected")?)?;
    let public_key = subject_public_key(
        t.expect(tag::SEQUENCE, "subjectPublicKeyInfo expected")?
            .content,
    )?;
    t.optional(0x81)?;
    t.optional(0x82)?;
    let mut cert = Certificate {
        der: input.to_vec(),
        tbs: tbs.raw.to_vec(),
        serial: serial.to_vec(),
        issuer,
        subject,
        not_before,
        not_after,
        public_key,
        signature_algorithm: SignatureAlgorithm::from_oid(&outer_alg),
        signature: signature.to_vec(),
        is_ca: false,
        key_usage: None,
        extended_key_usage: Vec::new(),
        unhandled_critical_extensions: Vec::new(),
    };
    if let Some(extensions) = t.optional(0xa3)? {
        read_extensions(extensions.content, &mut cert)?;
    }
    t.finish()?;
    Ok(cert)
}

/// Reads an AlgorithmIdentifier and returns its OID (parameters are not interpreted).
fn algorithm_oid(r: &mut Reader<'_>) -> Result<String, DerError> {
    let alg = r.expect(tag::SEQUENCE, "AlgorithmIdentifier expected")?;
    let mut a = Reader::new(alg.content);
    der::oid_string(a.expect(tag::OID, "algorithm OID expected")?.content)
}

fn name(element: der::Element<'_>) -> Result<Name, DerError> {
    let mut out = Name {
        raw: element.raw.to_vec(),
        ..Name::default()
    };
    let mut rdns = Reader::new(element.content);
    while !rdns.is_empty() {
        let mut set = Reader::new(rdns.expect(tag::SET, "RDN expected")?.content);
        while !set.is_empty() {
            let mut atv = Reader::new(set.expect(tag::SEQUENCE, "attribute expected")?.content);
            let oid = der::oid_string(atv.expect(tag::OID, "attribute type expected")?.content)?;
            let value = atv.read()?;
            let text = directory_string(value.tag, value.content);
            match oid.as_str() {
                "2.5.4.6" => out.country = text,
                "2.5.4.10" => out.organization = text,
                "2.5.4.3" => out.common_name = text,
                _ => {}
            }
        }
    }
    Ok(out)
}

/// Text of a DirectoryString (UTF8String, PrintableString, IA5String, TeletexString, BMPString).
fn directory_string(tag: u8, content: &[u8]) -> Option<String> {
    match tag {
        0x0c | 0x13 | 0x16 => core::str::from_utf8(content).ok().map(str::to_owned),
        0x14 => Some(content.iter().map(|&b| char::from(b)).collect()),
        0x1e => {
            let units: Vec<u16> = content
                .chunks_exact(2)
                .filter_map(|c| <[u8; 2]>::try_from(c).ok())
                .map(u16::from_be_bytes)
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

fn time(element: der::Element<'_>) -> Result<i64, DerError> {
    let text = core::str::from_utf8(element.content).map_err(|_| DerError("invalid time"))?;
    let (year, rest) = match element.tag {
        tag::UTC_TIME if text.len() == 13 => {
            let yy: i64 = text
                .get(0..2)
                .and_then(|s| s.parse().ok())
                .ok_or(DerError("invalid UTCTime"))?;
            (
                if yy < 50 { 2000 + yy } else { 1900 + yy },
                text.get(2..).unwrap_or(""),
            )
        }
        tag::GENERALIZED_TIME if text.len() == 15 => {
            let yyyy: i64 = text
                .get(0..4)
                .and_then(|s| s.parse().ok())
                .ok_or(DerError("invalid GeneralizedTime"))?;
            (yyyy, text.get(4..).unwrap_or(""))
        }
        _ => {
            return Err(DerError(
                "validity must be UTCTime or GeneralizedTime in Z form",
            ))
        }
    };
    if !rest.ends_with('Z') || !rest.bytes().take(10).all(|b| b.is_ascii_digit()) {
        return Err(DerError("invalid time"));
    }
    let field = |i: usize| -> Result<u32, DerError> {
        rest.get(i..i + 2)
            .and_then(|s| s.parse().ok())
            .ok_or(DerError("invalid time"))
    };
    let (month, day, hour, minute, second) =
        (field(0)?, field(2)?, field(4)?, field(6)?, field(8)?);
    let date = Date::new(year, month, day).ok_or(DerError("invalid date"))?;
    if hour > 23 || minute > 59 || second > 59 {
        return Err(DerError("invalid time of day"));
    }
    Ok(days_from_civil(date.year, date.month, date.day) * 86_400
        + i64::from(hour) * 3600
        + i64::from(minute) * 60
        + i64::from(second))
}

fn subject_public_key(spki: &[u8]) -> Result<PublicKey, DerError> {
    let mut r = Reader::new(spki);
    let alg = r.expect(tag::SEQUENCE, "SPKI algorithm expected")?;
    let key_bits = der::bit_string_bytes(r.expect(tag::BIT_STRING, "SPKI key expected")?.content)?;
    r.finish()?;
    let mut a = Reader::new(alg.content);
    let oid = der::oid_string(a.expect(tag::OID, "SPKI algorithm OID expected")?.content)?;
    match oid.as_str() {
        OID_EC_PUBLIC_KEY => {
            let curve = a
                .expect(tag::OID, "named curve expected")
                .and_then(|c| der::oid_string(c.content))?;
            match curve.as_str() {
                OID_P256 => es256::key_from_sec1(key_bits)
                    .map(PublicKey::P256)
                    .ok_or(DerError("P-256 point not on the curve")),
                OID_P384 => Ok(PublicKey::Unsupported("EC P-384".into())),
                OID_P521 => Ok(PublicKey::Unsupported("EC P-521".into())),
                other => Ok(PublicKey::Unsupported(format!("EC curve {other}"))),
            }
        }
        OID_RSA | OID_RSA_PSS => rsa_key(key_bits),
        other => Ok(PublicKey::Unsupported(format!("key algorithm {other}"))),
    }
}

fn rsa_key(key_bits: &[u8]) -> Result<PublicKey, DerError> {
    let mut outer = Reader::new(key_bits);
    let seq = outer.expect(tag::SEQUENCE, "RSAPublicKey expected")?;
    outer.finish()?;
    let mut r = Reader::new(seq.content);
    let n = der::unsigned_integer(r.expect(tag::INTEGER, "RSA modulus expected")?.content)?;
    let e = der::unsigned_integer(r.expect(tag::INTEGER, "RSA exponent expected")?.content)?;
    r.finish()?;
    #[cfg(feature = "rsa")]
    {
        Ok(match crate::crypto::rsa::RsaKey::from_components(n, e) {
            Ok(key) => PublicKey::Rsa(key),
            Err(why) => PublicKey::Unsupported(why),
        })
    }
    #[cfg(not(feature = "rsa"))]
    {
        let _ = e;
        let bits = n.len() * 8 - n.first().map_or(8, |b| b.leading_zeros() as usize);
        Ok(PublicKey::Unsupported(format!(
            "RSA {bits} (this build has no RSA support)"
        )))
    }
}

/// A DER BOOLEAN: exactly `0xff` or `0x00` (BER's other non-zero values are not DER).
fn der_boolean(content: &[u8]) -> Result<bool, DerError> {
    match content {
        [0xff] => Ok(true),
        [0x00] => Ok(false),
        _ => Err(DerError("a BOOLEAN must be 0xff or 0x00 in DER")),
    }
}

fn read_extensions(content: &[u8], cert: &mut Certificate) -> Result<(), DerError> {
    let mut outer = Reader::new(content);
    let list = outer.expect(tag::SEQUENCE, "extensions expected")?;
    outer.finish()?;
    let mut exts = Reader::new(list.content);
    let mut seen: Vec<String> = Vec::new();
    while !exts.is_empty() {
        let mut ext = Reader::new(exts.expect(tag::SEQUENCE, "extension expected")?.content);
        let oid = der::oid_string(ext.expect(tag::OID, "extension OID expected")?.content)?;
        let critical = match ext.optional(tag::BOOLEAN)? {
            Some(b) => der_boolean(b.content)?,
            None => false,
        };
        if seen.contains(&oid) {
            return Err(DerError("an extension appears twice"));
        }
        seen.push(oid.clone());
        let value = ext
            .expect(tag::OCTET_STRING, "extension value expected")?
            .content;
        ext.finish()?;
        match oid.as_str() {
            "2.5.29.19" => {
                let mut v = Reader::new(value);
                let seq = v.expect(tag::SEQUENCE, "basicConstraints")?;
                let mut bc = Reader::new(seq.content);
                cert.is_ca = match bc.optional(tag::BOOLEAN)? {
                    Some(b) => der_boolean(b.content)?,
                    None => false,
                };
            }
            "2.5.29.15" => {
                let bits = Reader::new(value).expect(tag::BIT_STRING, "keyUsage")?;
                cert.key_usage = Some(bits.content.get(1..).unwrap_or_default().to_vec());
            }
            "2.5.29.37" => {
                let seq = Reader::new(value).expect(tag::SEQUENCE, "extKeyUsage")?;
                let mut purposes = Reader::new(seq.content);
                while !purposes.is_empty() {
                    cert.extended_key_usage.push(der::oid_string(
                        purposes.expect(tag::OID, "extKeyUsage OID")?.content,
                    )?);
                }
            }
            _ if critical => cert.unhandled_critical_extensions.push(oid),
            _ => {}
        }
    }
    Ok(())
}
