//! EU Digital COVID Certificate (`HC1:`), per the eHealth Network's hcert specification and the
//! DCC JSON schema.
//!
//! ```text
//! "HC1:" base45( zlib( COSE_Sign1 [ {1: alg, 4: kid}, {…}, CWT claims, signature ] ) )
//! CWT claims = { ?1 iss (country), 4 exp, 6 iat, -260 { 1: DCC } }
//! ```
//!
//! The flow, each step with its own error code:
//! 1. prefix `HC1:` → base45 → zlib, bounded (`prefix_invalid`, `payload_too_large`,
//!    `base45_invalid`, `inflate_failed`, `decompressed_too_large`);
//! 2. COSE_Sign1, tag 18 optional, possibly inside the CWT tag 61; `alg` ES256 or PS256 from
//!    the protected header only; `kid` from the protected header, else the unprotected one
//!    (`cbor_invalid`, `cose_invalid`, `alg_not_allowed`, `crit_unsupported`,
//!    `signature_malformed`). A missing `kid` is `cose_invalid`: the DCC requires one;
//! 3. the claims, structurally (`claim_invalid`). Indefinite-length maps and arrays are accepted
//!    inside the claims, as some issuers' encoders produce them;
//! 4. the key with that `kid` across the trust store (`unknown_key`, `ambiguous_key`): the kid of
//!    a signing certificate is the first 8 bytes of the SHA-256 of its DER, so it names one
//!    certificate whatever the issuer. It must verify the signature (`unsupported_key` — e.g. an
//!    ES256 header with a P-384 certificate, or PS256 in a build without the `rsa` feature — or
//!    `signature_invalid`);
//! 5. the `hcert` claim must be a map holding one DCC map under key 1 (`claim_missing`,
//!    `claim_invalid`); `exp` and `iat` are required (`claim_missing`);
//! 6. the signing certificate at `now`: valid (`key_not_yet_valid`, `key_expired`); a
//!    certificate issued (`iat`) before its signing certificate was valid is `key_not_yet_valid`;
//!    and the DCC's `iss`, when present, must be the country of the signing certificate
//!    (`key_not_authorized`: a key is looked up across issuers, so its certificate says whose it
//!    is);
//! 7. key usage, which needs only the kind (`v`, `t` or `r`): a signing certificate carrying the
//!    DCC extended key usages (test, vaccination, recovery) may sign only those kinds
//!    (`key_not_authorized`), as may a key whose trust entry lists `document_types` without
//!    `eu_dcc`; then the DCC against the schema (`schema_invalid`): one of `v`, `t`, `r` with
//!    one entry and its required members.
//!
//! The policy stage then applies the issuer (the key's issuer in the trust store: the country),
//! the window (`expired`, `issued_in_future`) and revocation: the certificate identifier (`ci`)
//! listed under that issuer, or one of its DCC revocation hashes (UCI, COUNTRYCODEUCI,
//! SIGNATURE) listed for its signing key in the trust bundle's `dcc_revocations`.
//!
//! A DCC whose `exp` is later than its signing certificate's end of validity is accepted until
//! the certificate ends (`key_expired` from then on): the test harness of dgc-testdata demands
//! `exp ≤ notAfter` as well, which would reject genuine certificates while their signer is still
//! valid.
//!
//! The verdict's `document` is what a person checks against an ID: name, date of birth and the
//! vaccination, test or recovery entry with its coded values as issued (`disease: "840539006"`;
//! labels for display are the caller's); `claims` carries the CWT claims with the DCC as issued
//! under `hcert`.

use serde_json::{Map, Value as Json};

use super::cose::{self, Alg, CoseRules};
use super::cose_qr;
use super::cwt::Claims;
use super::{Context, Verified};
use crate::encoding::cbor;
use crate::error::{Error, ErrorCode};
use crate::trust::revocation::DccHashInput;
use crate::trust::{display_kid, KeyLookup, RevocationId, TrustStore, TrustedKey};
use crate::verdict::{Document, Format, Holder};

/// The QR text prefix.
pub const PREFIX: &str = "HC1:";

/// The CWT claim key of the health certificate container.
pub const CLAIM_HCERT: i128 = -260;

/// The document type name in `Verdict.document` and trust-file `document_types`.
pub const DOCUMENT_TYPE: &str = "eu_dcc";

/// The COSE rules of the DCC.
pub const COSE_RULES: CoseRules = CoseRules::EU_DCC;

/// The three kinds of certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `v`
    Vaccination,
    /// `t`
    Test,
    /// `r`
    Recovery,
}

impl Kind {
    /// The DCC member name.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Kind::Vaccination => "v",
            Kind::Test => "t",
            Kind::Recovery => "r",
        }
    }

    /// The readable name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Kind::Vaccination => "vaccination",
            Kind::Test => "test",
            Kind::Recovery => "recovery",
        }
    }

    /// The extended key usage OIDs allowing a signing certificate to sign this kind: the
    /// specification's, and the mistyped `…1847.2021…` form with an extra `0` that some
    /// issuers' certificates carry.
    #[must_use]
    pub const fn key_usage_oids(self) -> [&'static str; 2] {
        match self {
            Kind::Test => ["1.3.6.1.4.1.1847.2021.1.1", "1.3.6.1.4.1.0.1847.2021.1.1"],
            Kind::Vaccination => ["1.3.6.1.4.1.1847.2021.1.2", "1.3.6.1.4.1.0.1847.2021.1.2"],
            Kind::Recovery => ["1.3.6.1.4.1.1847.2021.1.3", "1.3.6.1.4.1.0.1847.2021.1.3"],
        }
    }
}

const ALL_KINDS: [Kind; 3] = [Kind::Vaccination, Kind::Test, Kind::Recovery];

/// Verifies an `HC1:` payload (see the module docs).
///
/// # Errors
/// The codes of the steps above.
pub(crate) fn verify(
    payload: &str,
    trust: &TrustStore,
    cx: &Context<'_>,
) -> Result<Verified, Error> {
    let limits = cx.limits;
    // 1–3. Text layers, COSE, claims structure.
    let body = cose_qr::strip_prefix(payload, PREFIX)?;
    let cose_bytes = cose_qr::decode_body(body, limits)?;
    let sign1 = cose::decode(&cose_bytes, limits, COSE_RULES)?;
    let kid = sign1
        .kid()
        .ok_or_else(|| Error::with_detail(ErrorCode::CoseInvalid, "no kid in either header"))?;
    let claims = Claims::parse(
        &sign1.payload,
        limits,
        cbor::Rules {
            allow_indefinite: true,
        },
    )?;

    // 4. The key, by kid across issuers; then the signature.
    let key = trust.key(KeyLookup::KeyId(kid))?;
    sign1.verify_signature(key)?;

    // 5. The certificate, now authentic: the hcert container, the required dates.
    let hcert = claims
        .get(CLAIM_HCERT)
        .ok_or_else(|| Error::claim_missing("hcert (-260)"))?;
    let dcc = match hcert.get_int(1) {
        Some(dcc) if hcert.as_map().is_some_and(|m| m.len() == 1) => dcc.to_json(),
        _ => {
            return Err(Error::claim_invalid(
                "hcert (-260)",
                "must be a map holding exactly one DCC map under key 1",
            ))
        }
    };
    if !dcc.is_object() {
        return Err(Error::claim_invalid(
            "hcert (-260)",
            "must be a map holding exactly one DCC map under key 1",
        ));
    }
    let (Some(exp), Some(iat)) = (claims.exp, claims.iat) else {
        return Err(Error::claim_missing(if claims.exp.is_none() {
            "exp"
        } else {
            "iat"
        }));
    };

    // 6. The signing certificate: valid now, valid when the DCC was issued, of its country.
    key.check_validity(cx.now)?;
    if let Some(not_before) = key.not_before {
        #[allow(clippy::cast_precision_loss)]
        if iat < not_before as f64 {
            return Err(Error::with_detail(
                ErrorCode::KeyNotYetValid,
                format!(
                    "issued (iat {}) before its signing certificate was valid ({})",
                    crate::time::format_seconds(iat),
                    crate::time::format_rfc3339(not_before)
                ),
            ));
        }
    }
    check_country(key, claims.iss.as_deref())?;

    // 7. Key usage (it needs only the kind), then the schema.
    let kind = kind_of(&dcc)?;
    check_key_usage(key, kind)?;
    validate_schema(&dcc)?;

    let mut verified = Verified::new(Format::EuDcc, key.issuer.as_str());
    let entry = dcc
        .get(kind.key())
        .and_then(Json::as_array)
        .and_then(|a| a.first());
    if let Some(ci) = entry.and_then(|e| e.get("ci")).and_then(Json::as_str) {
        // Listed under the issuer, or by one of its revocation hashes (UCI, COUNTRYCODEUCI,
        // SIGNATURE) in the signing key's `dcc_revocations`.
        let mut id = RevocationId::listed("ci", ci);
        id.dcc = Some(DccHashInput {
            kid: kid.to_vec(),
            country: claims.iss.clone(),
            signature: sign1.signature.clone(),
            es256: sign1.alg == Alg::Es256,
        });
        verified.revocation.push(id);
    }
    verified.kid = Some(display_kid(kid));
    verified.issued_at = Some(iat);
    verified.not_before = claims.nbf;
    verified.expires_at = Some(exp);
    verified.claims = Some(claims.to_json(&[(CLAIM_HCERT, "hcert")], &[]));
    verified.holder = holder(&dcc);
    verified.document = Some(Document {
        doc_type: DOCUMENT_TYPE.to_owned(),
        fields: readable(&dcc, kind),
    });
    Ok(verified)
}

/// The person: family and given names (`nam.fn`, `nam.gn`), else their transliterations, and
/// `dob`.
fn holder(dcc: &Json) -> Option<Holder> {
    let nam = dcc.get("nam");
    let part = |member: &str| {
        nam.and_then(|n| n.get(member))
            .and_then(Json::as_str)
            .filter(|s| !s.trim().is_empty())
    };
    let joined = |family: &str, given: &str| {
        let parts: Vec<&str> = [part(family), part(given)].into_iter().flatten().collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    };
    let name = joined("fn", "gn").or_else(|| joined("fnt", "gnt"));
    Holder::of(name.as_deref(), dcc.get("dob").and_then(Json::as_str))
}

/// The DCC's `iss` (an ISO 3166 country code, optional) must be the country of the signing
/// certificate the `kid` found, when the certificate names one: the key was looked up across
/// issuers, so its certificate is what says whose it is.
fn check_country(key: &TrustedKey, iss: Option<&str>) -> Result<(), Error> {
    let country = key
        .certificate
        .as_ref()
        .and_then(|c| c.subject.country.as_deref());
    match (iss, country) {
        (Some(iss), Some(country)) if !iss.eq_ignore_ascii_case(country) => {
            Err(Error::with_detail(
                ErrorCode::KeyNotAuthorized,
                format!(
                    "the certificate names issuer \"{}\"; its signing certificate is of {country}",
                    crate::formats::claims::shorten(iss)
                ),
            ))
        }
        _ => Ok(()),
    }
}

fn check_key_usage(key: &TrustedKey, kind: Kind) -> Result<(), Error> {
    key.check_document_type(DOCUMENT_TYPE)?;
    let Some(cert) = &key.certificate else {
        return Ok(());
    };
    let dcc_usages: Vec<Kind> = ALL_KINDS
        .into_iter()
        .filter(|k| {
            k.key_usage_oids()
                .iter()
                .any(|oid| cert.extended_key_usage.iter().any(|e| e == oid))
        })
        .collect();
    if dcc_usages.is_empty() || dcc_usages.contains(&kind) {
        Ok(())
    } else {
        Err(Error::with_detail(
            ErrorCode::KeyNotAuthorized,
            format!(
                "the signing certificate may sign {} certificates, not {}",
                dcc_usages
                    .iter()
                    .map(|k| k.name())
                    .collect::<Vec<_>>()
                    .join(", "),
                kind.name()
            ),
        ))
    }
}

// ---- Schema -------------------------------------------------------------------------------------

/// The required members of each entry kind (DCC schema 1.3.0) and the ones that are integers.
fn entry_rules(kind: Kind) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        Kind::Vaccination => (
            &["tg", "vp", "mp", "ma", "dn", "sd", "dt", "co", "is", "ci"],
            &["dn", "sd"],
        ),
        Kind::Test => (&["tg", "tt", "sc", "tr", "co", "is", "ci"], &[]),
        Kind::Recovery => (&["tg", "fr", "co", "is", "df", "du", "ci"], &[]),
    }
}

/// The certificate's kind: the one of `v`, `t`, `r` it holds.
///
/// # Errors
/// `schema_invalid` when it holds none or several.
fn kind_of(dcc: &Json) -> Result<Kind, Error> {
    let present: Vec<Kind> = ALL_KINDS
        .into_iter()
        .filter(|k| dcc.get(k.key()).is_some())
        .collect();
    match present.as_slice() {
        [kind] => Ok(*kind),
        _ => Err(Error::schema_invalid(
            "dcc",
            "must hold exactly one of v, t, r",
        )),
    }
}

/// Checks the DCC against the rules of its JSON schema that a verifier relies on, and returns
/// its kind: `ver` as `N.N.N`; `nam` with `fnt` (ICAO transliteration, `[A-Z<]*`, at most 80);
/// `dob` as `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (1900–2099) or empty; exactly one of `v`, `t`, `r`,
/// holding exactly one entry with its required members (`dn` and `sd` integers 1–9, other
/// members text of at most 80 characters; `ci` at most 80, dates as text).
fn validate_schema(dcc: &Json) -> Result<Kind, Error> {
    let dcc = dcc
        .as_object()
        .ok_or_else(|| Error::schema_invalid("dcc", "must be a map"))?;
    let ver = dcc
        .get("ver")
        .and_then(Json::as_str)
        .ok_or_else(|| Error::schema_invalid("dcc", "\"ver\" (text) is missing"))?;
    let parts: Vec<&str> = ver.split('.').collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(Error::schema_invalid("dcc.ver", "not N.N.N"));
    }
    let nam = dcc
        .get("nam")
        .and_then(Json::as_object)
        .ok_or_else(|| Error::schema_invalid("dcc", "\"nam\" (a map) is missing"))?;
    for (member, required) in [("fn", false), ("fnt", true), ("gn", false), ("gnt", false)] {
        match nam.get(member) {
            None if required => {
                return Err(Error::schema_invalid(
                    "dcc.nam",
                    format!("\"{member}\" is missing"),
                ))
            }
            None | Some(Json::Null) if !required => {}
            Some(Json::String(s)) if s.chars().count() <= 80 => {
                if member.ends_with('t') && !s.bytes().all(|b| b.is_ascii_uppercase() || b == b'<')
                {
                    return Err(Error::schema_invalid(
                        &format!("dcc.nam.{member}"),
                        "must be A-Z and <",
                    ));
                }
            }
            _ => {
                return Err(Error::schema_invalid(
                    &format!("dcc.nam.{member}"),
                    "must be text of at most 80 characters",
                ))
            }
        }
    }
    let dob = dcc
        .get("dob")
        .and_then(Json::as_str)
        .ok_or_else(|| Error::schema_invalid("dcc", "\"dob\" (text) is missing"))?;
    if !dob_pattern(dob) {
        return Err(Error::schema_invalid(
            "dcc.dob",
            "not YYYY, YYYY-MM or YYYY-MM-DD (1900-2099)",
        ));
    }
    let kind = kind_of(&Json::Object(dcc.clone()))?;
    let entries = dcc
        .get(kind.key())
        .and_then(Json::as_array)
        .ok_or_else(|| Error::schema_invalid(&format!("dcc.{}", kind.key()), "must be an array"))?;
    let [entry] = entries.as_slice() else {
        return Err(Error::schema_invalid(
            &format!("dcc.{}", kind.key()),
            "must hold exactly one entry",
        ));
    };
    let entry = entry
        .as_object()
        .ok_or_else(|| Error::schema_invalid(&format!("dcc.{}[0]", kind.key()), "must be a map"))?;
    let (required, integers) = entry_rules(kind);
    for member in required {
        let at = format!("dcc.{}[0].{member}", kind.key());
        match entry.get(*member) {
            None => return Err(Error::schema_invalid(&at, "is missing")),
            Some(v) if integers.contains(member) => {
                let ok = v
                    .as_f64()
                    .is_some_and(|n| n.fract() == 0.0 && (1.0..=9.0).contains(&n));
                if !ok {
                    return Err(Error::schema_invalid(&at, "must be an integer from 1 to 9"));
                }
            }
            Some(Json::String(s)) if s.chars().count() <= 80 => {}
            Some(_) => {
                return Err(Error::schema_invalid(
                    &at,
                    "must be text of at most 80 characters",
                ))
            }
        }
    }
    Ok(kind)
}

/// `^((19|20)\d\d(-\d\d){0,2}){0,1}$`
fn dob_pattern(dob: &str) -> bool {
    if dob.is_empty() {
        return true;
    }
    let b = dob.as_bytes();
    let digits =
        |r: core::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let century = matches!(b.get(..2), Some(b"19" | b"20"));
    let groups_ok = match b.len() {
        4 => true,
        7 => b.get(4) == Some(&b'-') && digits(5..7),
        10 => b.get(4) == Some(&b'-') && digits(5..7) && b.get(7) == Some(&b'-') && digits(8..10),
        _ => false,
    };
    century && digits(0..4) && groups_ok
}

// ---- What a person reads --------------------------------------------------------------------------

/// `(name in the document, DCC member)`, per kind of entry. Coded values (value-set codes such as
/// `840539006` for COVID-19) are copied as they are: their labels are the caller's (the demo's:
/// www-demo/lib/documents.js).
const VACCINATION_FIELDS: &[(&str, &str)] = &[
    ("disease", "tg"),
    ("vaccine", "vp"),
    ("product", "mp"),
    ("manufacturer", "ma"),
    ("doseNumber", "dn"),
    ("totalDoses", "sd"),
    ("date", "dt"),
];
const TEST_FIELDS: &[(&str, &str)] = &[
    ("disease", "tg"),
    ("testType", "tt"),
    ("testName", "nm"),
    ("manufacturer", "ma"),
    ("sampleCollected", "sc"),
    ("result", "tr"),
    ("testCentre", "tc"),
];
const RECOVERY_FIELDS: &[(&str, &str)] = &[
    ("disease", "tg"),
    ("firstPositiveTest", "fr"),
    ("validFrom", "df"),
    ("validUntil", "du"),
];
const ENTRY_FIELDS: &[(&str, &str)] = &[
    ("country", "co"),
    ("certificateIssuer", "is"),
    ("certificateId", "ci"),
];
const NAME_FIELDS: &[(&str, &str)] = &[
    ("familyName", "fn"),
    ("givenName", "gn"),
    ("familyNameTransliterated", "fnt"),
    ("givenNameTransliterated", "gnt"),
];

/// Copies the members of `from` named in `table` into `out`. Absent and null members are left out.
fn copy(out: &mut Map<String, Json>, from: Option<&Json>, table: &[(&str, &str)]) {
    for (name, member) in table {
        let Some(value) = from.and_then(|f| f.get(member)).filter(|v| !v.is_null()) else {
            continue;
        };
        out.insert((*name).to_owned(), value.clone());
    }
}

/// The DCC laid out for a person: name, birth date, and the entry, its codes as they are.
fn readable(dcc: &Json, kind: Kind) -> Json {
    let entry = dcc
        .get(kind.key())
        .and_then(Json::as_array)
        .and_then(|a| a.first());
    let mut fields = Map::new();
    fields.insert("kind".into(), Json::String(kind.name().into()));
    copy(&mut fields, dcc.get("nam"), NAME_FIELDS);
    copy(
        &mut fields,
        Some(dcc),
        &[("dateOfBirth", "dob"), ("schemaVersion", "ver")],
    );
    copy(&mut fields, entry, ENTRY_FIELDS);
    let details = match kind {
        Kind::Vaccination => VACCINATION_FIELDS,
        Kind::Test => TEST_FIELDS,
        Kind::Recovery => RECOVERY_FIELDS,
    };
    copy(&mut fields, entry, details);
    Json::Object(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dob_forms() {
        for ok in ["", "1964", "1964-08", "1964-08-12", "2099-12-31"] {
            assert!(dob_pattern(ok), "{ok}");
        }
        for bad in [
            "1815-08-24",
            "64-08-12",
            "1964-8-12",
            "1964-08-12T00:00",
            "２０００",
        ] {
            assert!(!dob_pattern(bad), "{bad}");
        }
    }

    #[test]
    fn the_document_keeps_codes_as_issued() {
        let dcc = json!({"ver": "1.3.0", "nam": {"fnt": "NGUYEN", "gnt": "VAN<AN"}, "dob": "1990-01-01",
            "t": [{"tg": "840539006", "tt": "LP6464-4", "tr": "260415000", "ma": "1232", "sc": "2021-06-01T10:00:00Z",
                "co": "VN", "is": "Ban Co Yeu", "ci": "URN:UVCI:01:VN:1", "unknown": "x"}]});
        assert_eq!(
            readable(&dcc, Kind::Test),
            json!({"kind": "test", "familyNameTransliterated": "NGUYEN", "givenNameTransliterated": "VAN<AN",
                "dateOfBirth": "1990-01-01", "schemaVersion": "1.3.0", "country": "VN",
                "certificateIssuer": "Ban Co Yeu", "certificateId": "URN:UVCI:01:VN:1", "disease": "840539006",
                "testType": "LP6464-4", "manufacturer": "1232", "sampleCollected": "2021-06-01T10:00:00Z",
                "result": "260415000"})
        );
    }

    #[test]
    fn schema_requires_one_kind_with_one_entry() {
        let entry = json!({"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528", "ma": "ORG-100030215",
            "dn": 2, "sd": 2, "dt": "2021-06-01", "co": "VN", "is": "Ban Co Yeu", "ci": "URN:UVCI:01:VN:0"});
        let base = json!({"ver": "1.3.0", "nam": {"fnt": "NGUYEN", "gnt": "VAN<AN"}, "dob": "1990-01-01", "v": [entry.clone()]});
        assert_eq!(
            validate_schema(&base).map_err(|e| e.code()),
            Ok(Kind::Vaccination)
        );
        let code = |v: Json| validate_schema(&v).map(|_| ()).map_err(|e| e.code());
        let mut two = base.clone();
        two["v"] = json!([entry.clone(), entry.clone()]);
        assert_eq!(code(two), Err(ErrorCode::SchemaInvalid));
        let mut both = base.clone();
        both["t"] = json!([]);
        assert_eq!(code(both), Err(ErrorCode::SchemaInvalid));
        let mut dose = base.clone();
        dose["v"][0]["dn"] = json!(10);
        assert_eq!(code(dose), Err(ErrorCode::SchemaInvalid));
        let mut fnt = base.clone();
        fnt["nam"]["fnt"] = json!("Nguyen");
        assert_eq!(code(fnt), Err(ErrorCode::SchemaInvalid));
        let mut missing = base;
        missing["v"][0].as_object_mut().map(|e| e.remove("ci"));
        assert_eq!(code(missing), Err(ErrorCode::SchemaInvalid));
        let fields = readable(
            &json!({"ver": "1.3.0", "nam": {"fn": "Nguyễn", "fnt": "NGUYEN"}, "dob": "1990", "v": [entry]}),
            Kind::Vaccination,
        );
        assert_eq!(
            fields["product"], "EU/1/20/1528",
            "the code as issued; \"Comirnaty\" is the caller's label"
        );
        assert_eq!(fields["familyName"], "Nguyễn");
        assert_eq!(fields["doseNumber"], 2);
    }
}
