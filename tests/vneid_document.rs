//! The VNeID document QR profile (`VN1:`): the committed vectors, their reproduction by the
//! reference issuer, and a mutation matrix asserting the exact code of every kind of damage.
#![cfg(feature = "issuer")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)] // test arithmetic on small known values (bytes, offsets, NumericDates)

use std::path::PathBuf;

use serde_json::{json, Value as Json};
use vneid_verify::dangerous;
use vneid_verify::issuer::cbor::{self, Value};
use vneid_verify::issuer::document::{self as issue, DocumentType, CLAIM_DOCUMENT};
use vneid_verify::issuer::encode;
use vneid_verify::issuer::IssuerKey;
use vneid_verify::{ErrorCode, Format, Limits, Policy, TrustStore, Verdict, Verifier};

/// The CWT claim keys (RFC 8392 §4).
mod cwt {
    pub const ISS: i128 = 1;
    pub const SUB: i128 = 2;
    pub const EXP: i128 = 4;
    pub const IAT: i128 = 6;
    pub const CTI: i128 = 7;
}

const DIR: &str = "tests/vectors/vneid-document";

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(DIR)
        .join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(path(name)).unwrap_or_else(|e| panic!("{DIR}/{name}: {e}"))
}

/// The TEST-ONLY private keys: 0 may sign anything, 1 only `cccd`.
fn test_keys() -> Vec<IssuerKey> {
    let file: Json = serde_json::from_str(&read("TEST-ONLY-issuer-keys.private.json")).unwrap();
    file["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| IssuerKey::from_jwk(&k.to_string()).unwrap())
        .collect()
}

fn trust() -> TrustStore {
    TrustStore::from_json(&read("test-issuer.trust.json")).unwrap()
}

fn time(text: &str) -> i64 {
    vneid_verify::time::parse_rfc3339(text).unwrap()
}

const ISSUED: &str = "2026-01-01T00:00:00Z";
const EXPIRES: &str = "2027-01-01T00:00:00Z";
const AT: &str = "2026-06-01T00:00:00Z";

// ---- The vectors -------------------------------------------------------------------------------

fn cccd() -> Json {
    json!({
        "personalId": "001099001234",
        "fullName": "Nguyễn Văn An",
        "dateOfBirth": "1999-03-15",
        "sex": "male",
        "nationality": "Việt Nam",
        "placeOfOrigin": "Xã Phú Lương, Hà Đông, Hà Nội",
        "placeOfResidence": "Số 1 Phố X, Phường Y, Quận Z, Hà Nội",
        "issueDate": "2021-05-10",
        "expiryDate": "2039-03-15",
        "issuingAuthority": "Cục Cảnh sát quản lý hành chính về trật tự xã hội",
        "previousIdNumber": "012345678"
    })
}

fn driving_licence() -> Json {
    json!({
        "number": "790123456789",
        "fullName": "Trần Thị Bình",
        "dateOfBirth": "2005-02-01",
        "personalId": "079305004321",
        "placeOfResidence": "12 Đường A, Phường B, Quận 1, TP. Hồ Chí Minh",
        "classes": [
            {"class": "A1", "issueDate": "2023-03-01"},
            {"class": "B", "issueDate": "2025-04-15", "expiryDate": "2035-04-15"}
        ],
        "issueDate": "2025-04-15",
        "issuingAuthority": "Phòng Cảnh sát giao thông, Công an TP. Hồ Chí Minh"
    })
}

fn vehicle_registration() -> Json {
    json!({
        "number": "012345",
        "plate": "30A-123.45",
        "ownerName": "Nguyễn Văn An",
        "ownerId": "001099001234",
        "ownerAddress": "Số 1 Phố X, Phường Y, Quận Z, Hà Nội",
        "vehicle": {
            "type": "Ô tô con",
            "brand": "VinFast",
            "model": "VF 8",
            "color": "Trắng",
            "engineNumber": "VF8E000123",
            "chassisNumber": "RLLV8ABC0PH000123",
            "seats": 5,
            "manufactureYear": 2024
        },
        "registrationDate": "2024-08-20",
        "issuingAuthority": "Phòng Cảnh sát giao thông, Công an TP. Hà Nội"
    })
}

fn motorbike_registration() -> Json {
    json!({
        "plate": "29-B1 123.45",
        "ownerName": "Trần Thị Bình",
        "ownerId": "079305004321",
        "vehicle": {
            "type": "Xe mô tô",
            "brand": "Honda",
            "model": "Vision",
            "engineNumber": "JF81E0123456",
            "chassisNumber": "RLHJF8100PY012345"
        },
        "registrationDate": "2023-06-02"
    })
}

fn health_insurance() -> Json {
    json!({
        "cardNumber": "HS4010120878811",
        "socialInsuranceNumber": "0120878811",
        "fullName": "Lê Minh Châu",
        "dateOfBirth": "2008-09-30",
        "sex": "female",
        "personalId": "001308012345",
        "address": "25 Phố Huế, Phường Hàng Bài, Hà Nội",
        "beneficiaryGroup": "HS",
        "benefitLevel": 4,
        "registeredFacility": "01-001 Bệnh viện Bạch Mai",
        "validFrom": "2026-01-01",
        "validTo": "2026-12-31"
    })
}

fn health_insurance_new_form() -> Json {
    json!({
        "cardNumber": "0120878811",
        "fullName": "Lê Minh Châu",
        "dateOfBirth": "2008-09-30",
        "sex": "female",
        "beneficiaryGroup": "HS",
        "benefitLevel": 4,
        "validFrom": "2026-01-01"
    })
}

fn residence() -> Json {
    json!({
        "personalId": "001099001234",
        "fullName": "Nguyễn Văn An",
        "dateOfBirth": "1999-03-15",
        "sex": "male",
        "permanentResidence": "Số 1 Phố X, Phường Y, Quận Z, Hà Nội",
        "currentResidence": "Số 1 Phố X, Phường Y, Quận Z, Hà Nội",
        "householdHead": "Nguyễn Văn Bình",
        "relationshipToHead": "Con",
        "issueDate": "2026-05-20",
        "expiryDate": "2026-06-19",
        "issuingAuthority": "Công an phường Y, Hà Nội"
    })
}

fn criminal_record() -> Json {
    json!({
        "number": "LLTP-2026-000123",
        "form": 1,
        "fullName": "Nguyễn Văn An",
        "dateOfBirth": "1999-03-15",
        "sex": "male",
        "placeOfBirth": "Hà Nội",
        "nationality": "Việt Nam",
        "personalId": "001099001234",
        "issuingAuthority": "Sở Tư pháp thành phố Hà Nội",
        "issueDate": "2026-05-25",
        "summary": "Không có án tích.\nKhông bị cấm đảm nhiệm chức vụ, thành lập, quản lý doanh nghiệp, hợp tác xã."
    })
}

fn with(mut fields: Json, name: &str, value: Json) -> Json {
    fields[name] = value;
    fields
}

fn without(mut fields: Json, name: &str) -> Json {
    fields.as_object_mut().unwrap().remove(name);
    fields
}

/// What a vector is.
struct Case {
    name: &'static str,
    description: &'static str,
    doc_type: DocumentType,
    fields: Json,
    key: usize,
    issuer: &'static str,
    id: &'static str,
    issued: &'static str,
    expires: &'static str,
    not_before: Option<&'static str>,
    /// Damage applied to the signed COSE bytes.
    tamper: Option<fn(&mut [u8])>,
    code: Option<ErrorCode>,
    warnings: &'static [&'static str],
}

fn case(
    name: &'static str,
    description: &'static str,
    doc_type: DocumentType,
    fields: Json,
) -> Case {
    Case {
        name,
        description,
        doc_type,
        fields,
        key: 0,
        issuer: "VN-TEST",
        id: name,
        issued: ISSUED,
        expires: EXPIRES,
        not_before: None,
        tamper: None,
        code: None,
        warnings: &[],
    }
}

fn cases() -> Vec<Case> {
    use DocumentType::*;
    vec![
        case("cccd-valid", "Chip ID card (Căn cước), every field", Cccd, cccd()),
        case(
            "cccd-valid-no-expiry",
            "ID card without an expiry date (issued to a person over 60), minimal fields",
            Cccd,
            json!({"personalId": "001160001234", "fullName": "Phạm Thị Dung", "dateOfBirth": "1960-07-04",
                   "sex": "female", "placeOfResidence": "Thôn 3, Xã Yên Sở, Hoài Đức, Hà Nội", "issueDate": "2024-07-15"}),
        ),
        case("driving-licence-valid", "Driving licence with two classes, one without expiry", DrivingLicence, driving_licence()),
        case("vehicle-registration-valid", "Car registration, plate 30A-123.45", VehicleRegistration, vehicle_registration()),
        case("vehicle-registration-motorbike-valid", "Motorbike registration, plate 29-B1 123.45", VehicleRegistration, motorbike_registration()),
        case("health-insurance-valid", "Health-insurance card, 15-character code", HealthInsurance, health_insurance()),
        case("health-insurance-new-form-valid", "Health-insurance card, 10-digit code (cards from 2021)", HealthInsurance, health_insurance_new_form()),
        case("residence-valid", "Confirmation of residence", Residence, residence()),
        case("criminal-record-valid", "Criminal record certificate (Phiếu lý lịch tư pháp số 1)", CriminalRecord, criminal_record()),
        Case {
            warnings: &["birthdate_mismatch"],
            ..case(
                "cccd-birthdate-mismatch-warning",
                "Valid, but dateOfBirth (1998) disagrees with the birth year in the ID number (1999): a warning",
                Cccd,
                with(cccd(), "dateOfBirth", json!("1998-03-15")),
            )
        },
        Case {
            issued: "2025-01-01T00:00:00Z",
            expires: "2026-01-01T00:00:00Z",
            code: Some(ErrorCode::Expired),
            ..case("cccd-qr-expired", "The QR's exp has passed", Cccd, cccd())
        },
        Case {
            code: Some(ErrorCode::Expired),
            ..case(
                "cccd-document-expired",
                "The QR is in date but the card's expiryDate has passed",
                Cccd,
                with(with(cccd(), "issueDate", json!("2011-05-10")), "expiryDate", json!("2026-03-15")),
            )
        },
        Case {
            not_before: Some("2026-07-01T00:00:00Z"),
            code: Some(ErrorCode::NotYetValid),
            ..case("cccd-not-before", "nbf is after the verification time", Cccd, cccd())
        },
        Case {
            code: Some(ErrorCode::NotYetValid),
            ..case(
                "health-insurance-not-yet-valid",
                "The card's validFrom is after the verification time",
                HealthInsurance,
                with(with(health_insurance(), "validFrom", json!("2026-07-01")), "validTo", json!("2027-06-30")),
            )
        },
        Case {
            tamper: Some(flip_last_signature_byte),
            code: Some(ErrorCode::SignatureInvalid),
            ..case("cccd-tampered-signature", "One bit of the signature flipped", Cccd, cccd())
        },
        Case {
            tamper: Some(change_name_in_payload),
            code: Some(ErrorCode::SignatureInvalid),
            ..case("cccd-tampered-name", "One letter of the name changed after signing", Cccd, cccd())
        },
        Case {
            issuer: "VN-UNTRUSTED",
            code: Some(ErrorCode::UnknownIssuer),
            ..case("cccd-unknown-issuer", "Signed by an issuer the trust file does not list", Cccd, cccd())
        },
        Case {
            key: 1,
            code: Some(ErrorCode::KeyNotAuthorized),
            ..case(
                "driving-licence-key-restricted",
                "Signed with a key the trust file restricts to cccd",
                DrivingLicence,
                driving_licence(),
            )
        },
        Case {
            key: 1,
            ..case("cccd-restricted-key-valid", "The cccd-only key signing a cccd", Cccd, cccd())
        },
        Case {
            id: "LLTP-TEST-REVOKED-0001",
            code: Some(ErrorCode::Revoked),
            ..case("criminal-record-revoked", "Its document id is in the trust file's revocation list", CriminalRecord, criminal_record())
        },
        Case {
            code: Some(ErrorCode::SchemaInvalid),
            ..case("cccd-missing-name", "Signed, but the required fullName is missing", Cccd, without(cccd(), "fullName"))
        },
        Case {
            code: Some(ErrorCode::SchemaInvalid),
            ..case(
                "vehicle-registration-bad-plate",
                "Signed, but the plate is not a Vietnamese plate",
                VehicleRegistration,
                with(vehicle_registration(), "plate", json!("30I-123.45")),
            )
        },
        Case {
            code: Some(ErrorCode::SchemaInvalid),
            ..case(
                "health-insurance-code-mismatch",
                "Signed, but benefitLevel disagrees with the level in the card number",
                HealthInsurance,
                with(health_insurance(), "benefitLevel", json!(3)),
            )
        },
        Case {
            code: Some(ErrorCode::PersonalIdInvalid),
            ..case(
                "cccd-bad-personal-id",
                "Signed, but 003 is not a province code",
                Cccd,
                with(cccd(), "personalId", json!("003099001234")),
            )
        },
    ]
}

fn flip_last_signature_byte(cose: &mut [u8]) {
    let last = cose.len() - 1;
    cose[last] ^= 0x01;
}

fn change_name_in_payload(cose: &mut [u8]) {
    let needle = "Nguyễn".as_bytes();
    let at = cose
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("the name is in the payload");
    cose[at] = b'M'; // "N" → "M": still valid UTF-8 and CBOR
}

fn build(case: &Case, keys: &[IssuerKey]) -> String {
    let claims = issue::DocumentClaims {
        issuer: case.issuer,
        id: case.id,
        issued_at: time(case.issued),
        expires_at: time(case.expires),
        not_before: case.not_before.map(time),
        doc_type: case.doc_type,
        fields: &case.fields,
        status: None,
    };
    let key = &keys[case.key];
    let payload = cbor::encode(&issue::claims_map(&claims).unwrap());
    let mut cose = issue::sign1(
        key,
        &issue::protected_header(key.kid().as_bytes()),
        &payload,
    );
    if let Some(tamper) = case.tamper {
        tamper(&mut cose);
    } else {
        assert_eq!(issue::sign(key, &claims).unwrap(), issue::qr_text(&cose));
    }
    issue::qr_text(&cose)
}

fn manifest() -> String {
    let keys = test_keys();
    let vectors: Vec<Json> = cases()
        .iter()
        .map(|c| {
            json!({
                "name": c.name,
                "description": c.description,
                "type": c.doc_type.as_str(),
                "qr": build(c, &keys),
                "at": AT,
                "expected": {
                    "valid": c.code.is_none(),
                    "code": c.code.map(ErrorCode::as_str),
                    "warnings": c.warnings,
                },
            })
        })
        .collect();
    let doc = json!({
        "profile": "VNeID document QR, version 1 (docs/profiles/vneid-document.md)",
        "trust": "test-issuer.trust.json",
        "note": "TEST vectors signed with TEST-ONLY keys; every person and number is invented.",
        "vectors": vectors,
    });
    format!("{}\n", serde_json::to_string_pretty(&doc).unwrap())
}

#[test]
fn the_reference_issuer_reproduces_the_committed_vectors() {
    let generated = manifest();
    if std::env::var_os("VNEID_WRITE_VECTORS").is_some() {
        std::fs::write(path("vectors.json"), &generated).unwrap();
    }
    let committed = read("vectors.json");
    assert!(
        committed == generated,
        "{DIR}/vectors.json differs from what the reference issuer makes now; if the profile changed on purpose, run VNEID_WRITE_VECTORS=1 cargo test --test vneid_document"
    );
}

#[test]
fn every_committed_vector_verifies_as_expected() {
    let manifest: Json = serde_json::from_str(&read("vectors.json")).unwrap();
    let verifier = Verifier::new(trust(), Policy::default());
    let vectors = manifest["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 20);
    let mut valid_types = std::collections::BTreeSet::new();
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        let qr = v["qr"].as_str().unwrap();
        assert_eq!(Format::detect(qr), Format::VneidDocument, "{name}");
        let verdict = verifier.verify(qr, time(v["at"].as_str().unwrap()));
        let expected = &v["expected"];
        assert_eq!(
            verdict.valid,
            expected["valid"].as_bool().unwrap(),
            "{name}: {}",
            verdict.message
        );
        assert_eq!(
            verdict.code.map(ErrorCode::as_str),
            expected["code"].as_str(),
            "{name}: {}",
            verdict.message
        );
        let warnings: Vec<&str> = verdict.warnings.iter().map(|w| w.code.as_str()).collect();
        let expected_warnings: Vec<&str> = expected["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap())
            .collect();
        assert_eq!(warnings, expected_warnings, "{name}");
        assert_eq!(verdict.format, Format::VneidDocument);
        if verdict.valid {
            let document = verdict
                .document
                .as_ref()
                .expect("a valid verdict has its document");
            assert_eq!(document.doc_type, v["type"].as_str().unwrap(), "{name}");
            assert_eq!(verdict.issuer.as_deref(), Some("VN-TEST"));
            assert!(qr.len() <= encode::MAX_QR_TEXT, "{name} fits in a QR code");
            valid_types.insert(document.doc_type.clone());
        } else {
            assert!(
                verdict.document.is_none() && verdict.claims.is_none() && verdict.issuer.is_none()
            );
        }
    }
    assert_eq!(
        valid_types.len(),
        DocumentType::ALL.len(),
        "a valid vector for every type"
    );
}

#[test]
fn a_valid_document_carries_its_typed_fields_and_claims() {
    let keys = test_keys();
    let qr = build(&cases()[0], &keys);
    let verdict = Verifier::new(trust(), Policy::default()).verify(&qr, time(AT));
    assert!(verdict.valid, "{}", verdict.message);
    assert_eq!(verdict.subject.as_deref(), Some("001099001234"));
    assert_eq!(verdict.kid.as_deref(), Some("test-doc-key-1"));
    assert_eq!(verdict.issued_at, Some(time(ISSUED) as f64));
    assert_eq!(verdict.expires_at, Some(time(EXPIRES) as f64));
    assert_eq!(
        verdict.claims,
        Some(
            json!({"iss": "VN-TEST", "iat": time(ISSUED), "exp": time(EXPIRES), "cti": "cccd-valid"})
        )
    );
    let document = verdict.document.unwrap();
    assert_eq!(document.doc_type, "cccd");
    assert_eq!(document.fields, cccd());
}

// ---- Mutations -----------------------------------------------------------------------------------

/// The valid cccd vector's COSE bytes.
fn valid_cose() -> Vec<u8> {
    let qr = build(&cases()[0], &test_keys());
    let body = qr.strip_prefix("VN1:").unwrap();
    let limits = Limits {
        max_decompressed_len: 1 << 20,
        ..Limits::default()
    };
    dangerous::decode_qr_body(body, &limits).unwrap()
}

fn verdict_of_cose(cose: &[u8]) -> Verdict {
    Verifier::new(trust(), Policy::default()).verify_as(
        Format::VneidDocument,
        &issue::qr_text(cose),
        time(AT),
    )
}

fn code_of_cose(cose: &[u8]) -> Option<ErrorCode> {
    verdict_of_cose(cose).code
}

fn code_of_text(text: &str) -> Option<ErrorCode> {
    Verifier::new(trust(), Policy::default())
        .verify(text, time(AT))
        .code
}

/// The four parts of a COSE_Sign1 and where each starts in the bytes.
struct Parts {
    protected: Vec<u8>,
    payload: Vec<u8>,
    signature: Vec<u8>,
    payload_at: usize,
    signature_at: usize,
}

fn parts(cose: &[u8]) -> Parts {
    let Value::Tag(18, inner) = dangerous::decode_cbor(cose, &Default::default()).unwrap() else {
        panic!("tagged");
    };
    let Value::Array(items) = *inner else {
        panic!("array")
    };
    let bytes = |v: &Value| v.as_bytes().unwrap().to_vec();
    let (protected, payload, signature) = (bytes(&items[0]), bytes(&items[2]), bytes(&items[3]));
    let find = |needle: &[u8]| {
        cose.windows(needle.len())
            .rposition(|w| w == needle)
            .unwrap()
    };
    Parts {
        payload_at: find(&payload),
        signature_at: find(&signature),
        protected,
        payload,
        signature,
    }
}

/// Re-assembles a COSE_Sign1 from parts (tag 18, empty unprotected header) without signing.
fn assemble(
    protected: &[u8],
    unprotected: Vec<(Value, Value)>,
    payload: &[u8],
    signature: &[u8],
) -> Vec<u8> {
    cbor::encode(&Value::Tag(
        18,
        Box::new(Value::Array(vec![
            Value::Bytes(protected.to_vec()),
            Value::Map(unprotected),
            Value::Bytes(payload.to_vec()),
            Value::Bytes(signature.to_vec()),
        ])),
    ))
}

/// Signs an arbitrary protected header and payload with the first test key.
fn signed(protected: &[u8], payload: &[u8]) -> Vec<u8> {
    issue::sign1(&test_keys()[0], protected, payload)
}

fn claims_with(edit: impl FnOnce(&mut Vec<(Value, Value)>)) -> Vec<u8> {
    let claims = issue::DocumentClaims {
        issuer: "VN-TEST",
        id: "mutation",
        issued_at: time(ISSUED),
        expires_at: time(EXPIRES),
        not_before: None,
        doc_type: DocumentType::Cccd,
        fields: &cccd(),
        status: None,
    };
    let Value::Map(mut map) = issue::claims_map(&claims).unwrap() else {
        panic!()
    };
    edit(&mut map);
    cbor::encode(&Value::Map(map))
}

fn header(entries: &[(i128, Value)]) -> Vec<u8> {
    cbor::encode(&Value::Map(
        entries
            .iter()
            .map(|(k, v)| (Value::Integer(*k), v.clone()))
            .collect(),
    ))
}

const KID: &[u8] = b"test-doc-key-1";

#[test]
fn the_unmutated_baseline_is_valid() {
    assert_eq!(code_of_cose(&valid_cose()), None);
}

#[test]
fn every_flipped_bit_of_the_signature_is_signature_invalid() {
    let cose = valid_cose();
    let p = parts(&cose);
    assert_eq!(p.signature.len(), 64);
    for offset in p.signature_at..p.signature_at + 64 {
        for bit in [0x01, 0x80] {
            let mut m = cose.clone();
            m[offset] ^= bit;
            assert_eq!(
                code_of_cose(&m),
                Some(ErrorCode::SignatureInvalid),
                "offset {offset} bit {bit:#x}"
            );
        }
    }
}

#[test]
fn every_changed_letter_of_the_signed_text_is_signature_invalid() {
    // Flipping bit 0 of an ASCII letter or digit inside a text value gives another letter or
    // digit: the CBOR and the claims stay well-formed, so only the signature can notice.
    let cose = valid_cose();
    let p = parts(&cose);
    let mut texts: Vec<String> = cccd()
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(k, v)| [k.clone(), v.as_str().unwrap().to_owned()])
        .collect();
    texts.extend(["cccd-valid", "cccd", "type", "fields"].map(String::from));
    let mut checked = 0;
    for text in &texts {
        let at = p
            .payload
            .windows(text.len())
            .position(|w| w == text.as_bytes())
            .unwrap_or_else(|| panic!("{text} is in the payload"));
        for (i, b) in text.bytes().enumerate() {
            if !(b.is_ascii_alphanumeric() && (b ^ 1).is_ascii_alphanumeric()) {
                continue;
            }
            let mut m = cose.clone();
            m[p.payload_at + at + i] ^= 1;
            assert_eq!(
                code_of_cose(&m),
                Some(ErrorCode::SignatureInvalid),
                "{text:?}[{i}]"
            );
            checked += 1;
        }
    }
    // The issuer selects the key: a changed issuer is an issuer nobody trusts.
    let at = p.payload.windows(7).position(|w| w == b"VN-TEST").unwrap();
    let mut m = cose.clone();
    m[p.payload_at + at + 3] ^= 1;
    assert_eq!(code_of_cose(&m), Some(ErrorCode::UnknownIssuer));
    assert!(checked > 150, "only {checked} letters checked");
}

#[test]
fn flipped_bits_anywhere_in_the_cose_bytes_never_verify() {
    let cose = valid_cose();
    for offset in 0..cose.len() {
        for bit in [0x01, 0x80] {
            let mut m = cose.clone();
            m[offset] ^= bit;
            let verdict = verdict_of_cose(&m);
            assert!(!verdict.valid, "offset {offset} bit {bit:#x} verified");
            assert!(verdict.document.is_none() && verdict.claims.is_none());
        }
    }
}

#[test]
fn every_changed_character_of_the_qr_text_fails_at_base45_or_zlib() {
    let qr = build(&cases()[0], &test_keys());
    let alphabet: Vec<char> = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
        .chars()
        .collect();
    for (i, c) in qr.char_indices().skip(4) {
        for replacement in [
            alphabet[(alphabet.iter().position(|&a| a == c).unwrap() + 1) % 45],
            'a',
            '=',
            'Ư',
        ] {
            let mut m = String::with_capacity(qr.len());
            m.push_str(&qr[..i]);
            m.push(replacement);
            m.push_str(&qr[i + c.len_utf8()..]);
            let code = code_of_text(&m);
            assert!(
                matches!(
                    code,
                    Some(ErrorCode::Base45Invalid | ErrorCode::InflateFailed)
                ),
                "offset {i}: {c:?} → {replacement:?}: {code:?}"
            );
        }
    }
    // The prefix itself.
    assert_eq!(
        code_of_text(&qr.replacen("VN1:", "VN2:", 1)),
        Some(ErrorCode::PrefixInvalid)
    );
    // Relabelled as an EU DCC, the same signed bytes are not a DCC (no hcert claim).
    let relabelled = qr.replacen("VN1:", "HC1:", 1);
    assert_eq!(code_of_text(&relabelled), Some(ErrorCode::ClaimMissing));
    assert_eq!(
        code_of_text(&qr.replacen("VN1:", "vn1:", 1)),
        Some(ErrorCode::UnknownFormat)
    );
}

#[test]
fn every_truncation_is_rejected_at_its_stage() {
    let qr = build(&cases()[0], &test_keys());
    for len in 1..qr.len() {
        // The verifier trims surrounding white space, and space is a base45 character: a cut
        // that ends in one is a shorter cut. (Complete base45 never ends in a space.)
        let text = qr[..len].trim_end();
        let len = text.len();
        let code = code_of_text(text);
        let expected_one_of: &[ErrorCode] = if len < 4 {
            &[ErrorCode::UnknownFormat]
        } else if (len - 4) % 3 == 1 {
            &[ErrorCode::Base45Invalid]
        } else {
            &[ErrorCode::InflateFailed, ErrorCode::Base45Invalid]
        };
        assert!(
            code.is_some_and(|c| expected_one_of.contains(&c)),
            "length {len}: {code:?}"
        );
    }
    // Truncated COSE bytes inside a good zlib/base45 wrapping.
    let cose = valid_cose();
    for len in 0..cose.len() {
        assert_eq!(
            code_of_cose(&cose[..len]),
            Some(ErrorCode::CborInvalid),
            "COSE length {len}"
        );
    }
    // Trailing bytes after the COSE item.
    let mut longer = cose.clone();
    longer.push(0);
    assert_eq!(code_of_cose(&longer), Some(ErrorCode::CborInvalid));
}

#[test]
fn a_swapped_kid_fails() {
    let cose = valid_cose();
    let p = parts(&cose);
    // The other trusted key's kid: the signature covered the original header.
    let other = header(&[
        (1, Value::Integer(-7)),
        (4, Value::Bytes(b"test-doc-key-cccd-only".to_vec())),
    ]);
    assert_eq!(
        code_of_cose(&assemble(&other, vec![], &p.payload, &p.signature)),
        Some(ErrorCode::SignatureInvalid)
    );
    // The other key's kid, re-signed by the first key: the other key does not verify it.
    assert_eq!(
        code_of_cose(&signed(&other, &p.payload)),
        Some(ErrorCode::SignatureInvalid)
    );
    // A kid nobody trusts.
    let unknown = header(&[
        (1, Value::Integer(-7)),
        (4, Value::Bytes(b"test-doc-key-9".to_vec())),
    ]);
    assert_eq!(
        code_of_cose(&signed(&unknown, &p.payload)),
        Some(ErrorCode::UnknownKey)
    );
    // The kid moved to the unprotected header, or absent.
    let alg_only = header(&[(1, Value::Integer(-7))]);
    let moved = assemble(
        &alg_only,
        vec![(Value::Integer(4), Value::Bytes(KID.to_vec()))],
        &p.payload,
        &p.signature,
    );
    assert_eq!(code_of_cose(&moved), Some(ErrorCode::CoseInvalid));
    assert_eq!(
        code_of_cose(&signed(&alg_only, &p.payload)),
        Some(ErrorCode::CoseInvalid)
    );
    // Anything in the unprotected header.
    let extra = assemble(
        &p.protected,
        vec![(Value::Integer(33), Value::Bytes(vec![1]))],
        &p.payload,
        &p.signature,
    );
    assert_eq!(code_of_cose(&extra), Some(ErrorCode::CoseInvalid));
}

/// The order n of the P-256 group, big-endian.
const P256_ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

fn negate_mod_n(s: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut d = i16::from(P256_ORDER[i]) - i16::from(s[i]) - borrow;
        borrow = i16::from(d < 0);
        if d < 0 {
            d += 256;
        }
        out[i] = d as u8;
    }
    out
}

#[test]
fn the_high_s_twin_of_a_signature_is_still_valid() {
    // ES256 does not require low-S: (r, n − s) is a valid signature too, and must verify.
    let cose = valid_cose();
    let p = parts(&cose);
    let mut twin = p.signature[..32].to_vec();
    twin.extend(negate_mod_n(&p.signature[32..]));
    assert_ne!(twin, p.signature);
    let verdict = verdict_of_cose(&assemble(&p.protected, vec![], &p.payload, &twin));
    assert!(verdict.valid, "{}", verdict.message);
    // s = 0 and s = n are out of range.
    let mut zero = p.signature[..32].to_vec();
    zero.extend([0u8; 32]);
    assert_eq!(
        code_of_cose(&assemble(&p.protected, vec![], &p.payload, &zero)),
        Some(ErrorCode::SignatureInvalid)
    );
    let mut n = p.signature[..32].to_vec();
    n.extend(P256_ORDER);
    assert_eq!(
        code_of_cose(&assemble(&p.protected, vec![], &p.payload, &n)),
        Some(ErrorCode::SignatureInvalid)
    );
}

fn der_integer(bytes: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = bytes.iter().copied().skip_while(|&b| b == 0).collect();
    let mut body = if trimmed.first().is_some_and(|&b| b & 0x80 != 0) {
        vec![0]
    } else {
        vec![]
    };
    body.extend(trimmed);
    let mut out = vec![0x02, body.len() as u8];
    out.extend(body);
    out
}

#[test]
fn a_der_signature_or_one_of_the_wrong_length_is_signature_malformed() {
    let cose = valid_cose();
    let p = parts(&cose);
    let mut der = [
        der_integer(&p.signature[..32]),
        der_integer(&p.signature[32..]),
    ]
    .concat();
    der.splice(0..0, [0x30, der.len() as u8]);
    assert_eq!(
        code_of_cose(&assemble(&p.protected, vec![], &p.payload, &der)),
        Some(ErrorCode::SignatureMalformed)
    );
    for len in [0, 1, 32, 63, 65, 96, 128] {
        let sig = vec![7u8; len];
        assert_eq!(
            code_of_cose(&assemble(&p.protected, vec![], &p.payload, &sig)),
            Some(ErrorCode::SignatureMalformed),
            "{len}"
        );
    }
}

#[test]
fn any_algorithm_but_es256_is_refused() {
    let payload = parts(&valid_cose()).payload;
    let kid = Value::Bytes(KID.to_vec());
    for alg in [
        Value::Integer(-35), // ES384
        Value::Integer(-36), // ES512
        Value::Integer(-37), // PS256 (the DCC allows it; this profile does not)
        Value::Integer(-8),  // EdDSA
        Value::Integer(5),   // HMAC 256/256
        Value::Integer(0),
        Value::Text("ES256".into()),
    ] {
        let h = header(&[(1, alg.clone()), (4, kid.clone())]);
        assert_eq!(
            code_of_cose(&signed(&h, &payload)),
            Some(ErrorCode::AlgNotAllowed),
            "{alg:?}"
        );
    }
    // No alg; alg only unprotected; crit; a header that is not a map.
    let no_alg = header(&[(4, kid.clone())]);
    assert_eq!(
        code_of_cose(&signed(&no_alg, &payload)),
        Some(ErrorCode::CoseInvalid)
    );
    let es256 = header(&[(1, Value::Integer(-7)), (4, kid.clone())]);
    let sig = parts(&signed(&no_alg, &payload)).signature;
    assert_eq!(
        code_of_cose(&assemble(
            &no_alg,
            vec![(Value::Integer(1), Value::Integer(-7))],
            &payload,
            &sig
        )),
        Some(ErrorCode::CoseInvalid)
    );
    let crit = header(&[
        (1, Value::Integer(-7)),
        (2, Value::Array(vec![Value::Integer(4)])),
        (4, kid.clone()),
    ]);
    assert_eq!(
        code_of_cose(&signed(&crit, &payload)),
        Some(ErrorCode::CritUnsupported)
    );
    assert_eq!(
        code_of_cose(&signed(&cbor::encode(&Value::Array(vec![])), &payload)),
        Some(ErrorCode::CoseInvalid)
    );
    // Tagging: untagged, CWT-tagged, or another COSE tag.
    let good = signed(&es256, &payload);
    assert_eq!(code_of_cose(&good[1..]), Some(ErrorCode::CoseInvalid)); // drop the d2 tag byte
    let cwt_tagged = [vec![0xd8, 61], good.clone()].concat();
    assert_eq!(code_of_cose(&cwt_tagged), Some(ErrorCode::CoseInvalid));
    let mac0 = [vec![0xd1], good[1..].to_vec()].concat();
    assert_eq!(code_of_cose(&mac0), Some(ErrorCode::CoseInvalid));
}

#[test]
fn claims_outside_the_profile_are_refused_with_their_code() {
    let es256 = header(&[(1, Value::Integer(-7)), (4, Value::Bytes(KID.to_vec()))]);
    let code = |payload: Vec<u8>| code_of_cose(&signed(&es256, &payload));
    let remove = |key: i128| claims_with(|m| m.retain(|(k, _)| *k != Value::Integer(key)));
    let set = |key: i128, v: Value| {
        claims_with(move |m| {
            m.retain(|(k, _)| *k != Value::Integer(key));
            m.push((Value::Integer(key), v));
        })
    };
    assert_eq!(code(remove(cwt::ISS)), Some(ErrorCode::ClaimMissing));
    assert_eq!(code(remove(cwt::EXP)), Some(ErrorCode::ClaimMissing));
    assert_eq!(code(remove(cwt::IAT)), Some(ErrorCode::ClaimMissing));
    assert_eq!(code(remove(cwt::CTI)), Some(ErrorCode::ClaimMissing));
    assert_eq!(code(remove(CLAIM_DOCUMENT)), Some(ErrorCode::ClaimMissing));
    assert_eq!(
        code(set(cwt::SUB, Value::Text("x".into()))),
        Some(ErrorCode::ClaimInvalid)
    );
    assert_eq!(
        code(set(-260, Value::Map(vec![]))),
        Some(ErrorCode::ClaimInvalid)
    );
    assert_eq!(
        code(set(cwt::ISS, Value::Integer(1))),
        Some(ErrorCode::ClaimInvalid)
    );
    assert_eq!(
        code(set(cwt::EXP, Value::Text("2027".into()))),
        Some(ErrorCode::ClaimInvalid)
    );
    assert_eq!(
        code(set(cwt::CTI, Value::Text("id".into()))),
        Some(ErrorCode::ClaimInvalid)
    );
    assert_eq!(
        code(set(cwt::CTI, Value::Bytes(vec![0xff, 0xfe]))),
        Some(ErrorCode::ClaimInvalid)
    );
    assert_eq!(
        code(set(cwt::CTI, Value::Bytes(vec![b'a'; 65]))),
        Some(ErrorCode::ClaimInvalid)
    );
    assert_eq!(
        code(set(
            cwt::IAT,
            Value::Integer(time("2026-07-01T00:00:00Z").into())
        )),
        Some(ErrorCode::IssuedInFuture)
    );
    // The document container.
    let doc = |v: Value| set(CLAIM_DOCUMENT, v);
    let t = |s: &str| Value::Text(s.into());
    assert_eq!(
        code(doc(Value::Array(vec![]))),
        Some(ErrorCode::SchemaInvalid)
    );
    assert_eq!(
        code(doc(Value::Map(vec![
            (t("type"), t("passport")),
            (t("fields"), Value::Map(vec![]))
        ]))),
        Some(ErrorCode::SchemaInvalid)
    );
    assert_eq!(
        code(doc(Value::Map(vec![(t("type"), t("cccd"))]))),
        Some(ErrorCode::SchemaInvalid)
    );
    assert_eq!(
        code(doc(Value::Map(vec![
            (t("type"), t("cccd")),
            (t("fields"), Value::Map(vec![])),
            (t("extra"), Value::Null)
        ]))),
        Some(ErrorCode::SchemaInvalid)
    );
    // A claims set that is not a map; a payload that is not CBOR.
    assert_eq!(
        code(cbor::encode(&Value::Array(vec![]))),
        Some(ErrorCode::ClaimInvalid)
    );
    assert_eq!(code(vec![0xa1, 0x01]), Some(ErrorCode::CborInvalid));
}

#[test]
fn cbor_limits_hold_inside_a_validly_signed_payload() {
    let es256 = header(&[(1, Value::Integer(-7)), (4, Value::Bytes(KID.to_vec()))]);
    // 40 nested arrays in a field: deeper than the limit of 32.
    let mut deep = Value::Integer(0);
    for _ in 0..40 {
        deep = Value::Array(vec![deep]);
    }
    let payload = claims_with(|m| m.push((Value::Integer(-70_000), deep)));
    assert_eq!(
        code_of_cose(&signed(&es256, &payload)),
        Some(ErrorCode::CborInvalid)
    );
    // 20 000 items compress into a QR code but exceed the item limit of 10 000.
    let many = Value::Array(vec![Value::Integer(0); 20_000]);
    let payload = claims_with(|m| m.push((Value::Integer(-70_000), many)));
    let cose = signed(&es256, &payload);
    assert!(issue::qr_text(&cose).len() < encode::MAX_QR_TEXT);
    assert_eq!(code_of_cose(&cose), Some(ErrorCode::CborInvalid));
    // Indefinite lengths: the profile requires definite ones.
    let mut indefinite = vec![0xbf];
    indefinite.extend(cbor::encode(&Value::Integer(1)));
    indefinite.extend(cbor::encode(&Value::Text("VN-TEST".into())));
    indefinite.push(0xff);
    assert_eq!(
        code_of_cose(&signed(&es256, &indefinite)),
        Some(ErrorCode::CborInvalid)
    );
    // Duplicate claim keys.
    let dup = claims_with(|m| m.push((Value::Integer(cwt::ISS), Value::Text("VN-TEST".into()))));
    assert_eq!(
        code_of_cose(&signed(&es256, &dup)),
        Some(ErrorCode::CborInvalid)
    );
}

#[test]
fn bombs_and_oversize_payloads_are_refused_before_they_cost_anything() {
    // An inflate bomb: 1 MiB of zeros fits in a QR code's text.
    let bomb = format!("VN1:{}", encode::qr_body(&vec![0u8; 1 << 20]));
    assert!(bomb.len() < encode::MAX_QR_TEXT);
    assert_eq!(code_of_text(&bomb), Some(ErrorCode::DecompressedTooLarge));
    // More text than any QR code holds.
    let long = format!("VN1:{}", "0".repeat(encode::MAX_QR_TEXT + 3));
    assert_eq!(code_of_text(&long), Some(ErrorCode::PayloadTooLarge));
    // More than the payload limit of the whole verifier.
    let huge = format!("VN1:{}", "0".repeat(20_000));
    assert_eq!(code_of_text(&huge), Some(ErrorCode::PayloadTooLarge));
    // Not zlib at all (raw COSE in base45, as in DCC test Z2).
    assert_eq!(
        code_of_text(&format!("VN1:{}", encode::base45(&valid_cose()))),
        Some(ErrorCode::InflateFailed)
    );
}

#[test]
fn policy_and_trust_decide_issuer_key_validity_and_revocation() {
    let qr = build(&cases()[0], &test_keys());
    let verify =
        |trust: TrustStore, policy: Policy| Verifier::new(trust, policy).verify(&qr, time(AT)).code;
    let other = Policy {
        issuer: Some("VN-C06".into()),
        ..Policy::default()
    };
    assert_eq!(verify(trust(), other), Some(ErrorCode::IssuerMismatch));
    let same = Policy {
        issuer: Some("VN-TEST".into()),
        ..Policy::default()
    };
    assert_eq!(verify(trust(), same), None);
    // The key's own validity window.
    let mut text: Json = serde_json::from_str(&read("test-issuer.trust.json")).unwrap();
    text["issuers"][0]["keys"][0]["exp"] = json!(time("2026-03-01T00:00:00Z"));
    assert_eq!(
        verify(
            TrustStore::from_json(&text.to_string()).unwrap(),
            Policy::default()
        ),
        Some(ErrorCode::KeyExpired)
    );
    // Revoking this document's id.
    let mut revoked = trust();
    revoked.revoke("VN-TEST", "cccd-valid");
    assert_eq!(verify(revoked, Policy::default()), Some(ErrorCode::Revoked));
    // The same id revoked for another issuer does not count.
    let mut elsewhere = trust();
    elsewhere.revoke("VN-OTHER", "cccd-valid");
    assert_eq!(verify(elsewhere, Policy::default()), None);
    // The clock tolerance applies to exp.
    let at_exp = Verifier::new(trust(), Policy::default()).verify(&qr, time(EXPIRES) + 59);
    assert!(at_exp.valid);
    let after = Verifier::new(trust(), Policy::default()).verify(&qr, time(EXPIRES) + 60);
    assert_eq!(after.code, Some(ErrorCode::Expired));
}

#[test]
fn random_input_never_panics_and_never_verifies() {
    // A deterministic xorshift: cheap, reproducible, no dependency.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let verifier = Verifier::new(trust(), Policy::default());
    let cose = valid_cose();
    for round in 0..2000 {
        let len = (next() % 600) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        let candidates = [
            // Random bytes as zlib-wrapped COSE, as base45 without zlib, and as text.
            format!("VN1:{}", encode::qr_body(&bytes)),
            format!("VN1:{}", encode::base45(&bytes)),
            format!("HC1:{}", encode::qr_body(&bytes)),
            String::from_utf8_lossy(&bytes).into_owned(),
        ];
        for text in &candidates {
            let verdict = verifier.verify(text, time(AT));
            assert!(!verdict.valid, "round {round} verified random input");
        }
        // A few random byte changes to the valid COSE.
        let mut m = cose.clone();
        for _ in 0..1 + next() % 4 {
            let i = (next() as usize) % m.len();
            m[i] = next() as u8;
        }
        if m != cose {
            let verdict = verdict_of_cose(&m);
            // A change can only be harmless if it hit nothing signed: it never is here.
            assert!(!verdict.valid || m == cose, "round {round}");
        }
    }
}

#[test]
fn the_cose_layer_is_reusable_for_the_dcc_rules() {
    // The same bytes under the DCC's rules: accepted structurally (tag optional, PS256 allowed).
    let cose = valid_cose();
    let decoded = dangerous::decode_cose_sign1_unverified(
        &cose,
        &Default::default(),
        dangerous::CoseRules::EU_DCC,
    )
    .unwrap();
    assert_eq!(decoded.alg, dangerous::CoseAlg::Es256);
    assert_eq!(decoded.kid(), Some(KID));
}

#[test]
fn the_profiles_byte_level_example_is_a_committed_vector() {
    let doc = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/profiles/vneid-document.md"),
    )
    .unwrap();
    let example = &doc[doc.find("## 9. Example").expect("section 9")..];
    let blocks: Vec<String> = example
        .split("```text\n")
        .skip(1)
        .map(|b| b[..b.find("```").unwrap()].replace('\n', ""))
        .collect();
    // Diagnostic notation, payload, protected, Sig_structure, signature, COSE, zlib, QR text.
    assert_eq!(blocks.len(), 8);
    let hex = |s: &str| -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    };
    let manifest: Json = serde_json::from_str(&read("vectors.json")).unwrap();
    let vector = manifest["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "cccd-valid-no-expiry")
        .unwrap();
    let qr = vector["qr"].as_str().unwrap();
    assert_eq!(blocks[7], qr);
    let zlib = hex(&blocks[6]);
    assert_eq!(encode::base45(&zlib), qr[4..]);
    let cose = hex(&blocks[5]);
    assert_eq!(
        dangerous::decode_qr_body(&qr[4..], &Limits::default()).unwrap(),
        cose
    );
    let p = parts(&cose);
    assert_eq!(p.payload, hex(&blocks[1]));
    assert_eq!(p.protected, hex(&blocks[2]));
    assert_eq!(
        encode::cose_sig_structure(&p.protected, &p.payload),
        hex(&blocks[3])
    );
    assert_eq!(p.signature, hex(&blocks[4]));
    let verdict = Verifier::new(trust(), Policy::default()).verify(qr, time(AT));
    assert!(verdict.valid, "{}", verdict.message);
}
