//! The unsigned ID card QR: synthetic vectors from DOMAIN.md §1.6, inconsistent and malformed
//! variants. The verdict is never valid; it is `unsigned` with fields and warnings, or a rejection.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests fail by panicking

use serde_json::{json, Value};
use vneid_verify::{ErrorCode, Format, Policy, TrustStore, Verdict, Verifier, WarningCode};

/// 2026-01-01T00:00:00Z.
const NOW: i64 = 1_767_225_600;

const CHIP_CARD: &str =
    "001099001234|012345678|Nguyễn Văn An|15031999|Nam|Số 1 Phố X, Phường Y, Quận Z, Hà Nội|10052021";
const CHIP_CARD_NO_CMND: &str =
    "079305004321||Trần Thị Bình|01022005|Nữ|12 Đường A, Phường B, Quận 1, TP. Hồ Chí Minh|20082022";
const NEW_CARD: &str =
    "001099001234|012345678|Nguyễn Văn An|15031999|Nam|Số 1 Phố X, Phường Y, Hà Nội|04102024||||";
const DOC_COMMENT_EXAMPLE: &str =
    "001090123456|012345678|NGUYEN VAN A|01011990|Nam|Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh|15042021";

fn verify(payload: &str) -> Verdict {
    // The card QR needs no trust: an empty store reads it the same.
    Verifier::new(TrustStore::new(), Policy::default()).verify(payload, NOW)
}

/// Verified as a card QR, whatever its shape (`Verifier::verify_as`).
fn verify_as_card(payload: &str) -> Verdict {
    Verifier::new(TrustStore::new(), Policy::default()).verify_as(Format::CccdQr, payload, NOW)
}

fn field<'a>(v: &'a Verdict, pointer: &str) -> &'a Value {
    v.document
        .as_ref()
        .and_then(|d| d.fields.pointer(pointer))
        .unwrap_or(&Value::Null)
}

/// Never valid, always `unsigned`, with the document and nothing presented as verified.
#[track_caller]
fn assert_unsigned(v: &Verdict) {
    assert!(!v.valid);
    assert_eq!(v.format, Format::CccdQr);
    assert_eq!(v.code, Some(ErrorCode::Unsigned), "{}", v.message);
    assert_eq!(v.message, ErrorCode::Unsigned.message_en());
    assert_eq!(v.message_vi, ErrorCode::Unsigned.message_vi());
    assert!(v.issuer.is_none() && v.subject.is_none() && v.claims.is_none() && v.kid.is_none());
    assert_eq!(
        v.document.as_ref().map(|d| d.doc_type.as_str()),
        Some("cccd")
    );
}

#[track_caller]
fn assert_rejected(v: &Verdict, code: ErrorCode) {
    assert!(!v.valid);
    assert_eq!(v.code, Some(code), "{}", v.message);
    assert!(v.document.is_none());
}

fn warnings(v: &Verdict) -> Vec<String> {
    v.warnings
        .iter()
        .inspect(|w| assert_eq!(w.code, WarningCode::Inconsistent))
        .map(|w| w.message.clone())
        .collect()
}

#[test]
fn consistent_cards_are_read_but_never_valid() {
    for qr in [CHIP_CARD, CHIP_CARD_NO_CMND, NEW_CARD, DOC_COMMENT_EXAMPLE] {
        let v = verify(qr);
        assert_unsigned(&v);
        assert_eq!(warnings(&v), Vec::<String>::new(), "{qr}");
    }
    let json = verify(CHIP_CARD).to_json();
    assert!(
        json.contains(r#""valid":false"#) && json.contains(r#""code":"unsigned""#),
        "{json}"
    );
}

#[test]
fn fields_are_parsed_and_typed() {
    let v = verify(CHIP_CARD);
    let fields = &v.document.as_ref().unwrap().fields;
    assert_eq!(fields["cardType"], json!("cccd"));
    assert_eq!(fields["personalId"], json!("001099001234"));
    assert_eq!(fields["oldIdNumber"], json!("012345678"));
    assert_eq!(fields["fullName"], json!("Nguyễn Văn An"));
    assert_eq!(fields["dateOfBirth"], json!("1999-03-15"));
    assert_eq!(fields["sex"], json!("male"));
    assert_eq!(
        fields["address"],
        json!("Số 1 Phố X, Phường Y, Quận Z, Hà Nội")
    );
    assert_eq!(fields["issueDate"], json!("2021-05-10"));
    assert_eq!(fields["additionalFields"], json!([]));
    assert_eq!(fields["encodingRepaired"], json!(false));
    assert_eq!(
        fields["personalIdDecoded"],
        json!({"registrationCode": "001", "province": "Hà Nội", "bornAbroad": false, "sex": "male", "birthYear": 1999})
    );
    // Typed values only: display labels live with the caller (www-demo/lib/documents.js,
    // checked by tests/demo/documents.test.mjs), not in the core.
    let mut names: Vec<&str> = fields
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "additionalFields",
            "address",
            "cardType",
            "dateOfBirth",
            "encodingRepaired",
            "fullName",
            "issueDate",
            "oldIdNumber",
            "personalId",
            "personalIdDecoded",
            "sex"
        ]
    );

    let v = verify(CHIP_CARD_NO_CMND);
    assert_eq!(field(&v, "/oldIdNumber"), &Value::Null);
    assert_eq!(field(&v, "/sex"), &json!("female"));
    assert_eq!(
        field(&v, "/personalIdDecoded/province"),
        &json!("TP Hồ Chí Minh")
    );

    let v = verify(NEW_CARD);
    assert_eq!(field(&v, "/cardType"), &json!("can_cuoc"));
    assert_eq!(field(&v, "/additionalFields"), &json!(["", "", "", ""]));
}

#[test]
fn a_birth_registered_abroad_is_consistent() {
    let v = verify("175090123456||John Nguyen|02021990|Nam|Hà Nội|01032022");
    assert_unsigned(&v);
    assert_eq!(warnings(&v), Vec::<String>::new());
    assert_eq!(field(&v, "/personalIdDecoded/bornAbroad"), &json!(true));
    assert_eq!(field(&v, "/personalIdDecoded/province"), &Value::Null);
}

#[test]
fn inconsistencies_are_warnings_on_an_unsigned_verdict() {
    let cases: [(&str, &[&str]); 8] = [
        // Sex digit 0 (male) but "Nữ".
        (
            "001099001234|012345678|Nguyễn Thị An|15031999|Nữ|Hà Nội|10052021",
            &["encodes sex male, but the card says Nữ"],
        ),
        // ID says 1998, the date of birth 1999.
        (
            "001098001234|012345678|Nguyễn Văn An|15031999|Nam|Hà Nội|10052021",
            &["birth year 1998, but the date of birth is 15/03/1999"],
        ),
        // 003 is not a province code (no 003 in the table).
        (
            "003099001234|012345678|Nguyễn Văn An|15031999|Nam|Hà Nội|10052021",
            &["starts with 003"],
        ),
        // Issued before birth.
        (
            "001099001234|012345678|Nguyễn Văn An|15031999|Nam|Hà Nội|10051998",
            &["10/05/1998 is before the date of birth 15/03/1999"],
        ),
        // Issued in the future (2027).
        (
            "001099001234|012345678|Nguyễn Văn An|15031999|Nam|Hà Nội|10052027",
            &["date of issue 10/05/2027 is in the future"],
        ),
        // Born in the future: 2030, with a matching ID (century digit 2 = 2000s, male).
        (
            "001230001234||Nguyễn Văn An|15032030|Nam|Hà Nội|10052021",
            &[
                "date of birth 15/03/2030 is in the future",
                "10/05/2021 is before the date of birth",
            ],
        ),
        // Eight fields: neither card.
        (
            "001099001234|012345678|Nguyễn Văn An|15031999|Nam|Hà Nội|10052021|x",
            &["8 fields"],
        ),
        // Several at once.
        (
            "003198001234|012345678|Nguyễn Văn An|15031999|Nam|Hà Nội|10052021",
            &["starts with 003", "encodes sex female", "birth year 1998"],
        ),
    ];
    for (qr, expected) in cases {
        let v = verify(qr);
        assert_unsigned(&v);
        let got = warnings(&v);
        assert_eq!(got.len(), expected.len(), "{qr}: {got:?}");
        for (message, needle) in got.iter().zip(expected) {
            assert!(
                message.contains(needle),
                "{qr}: {message:?} lacks {needle:?}"
            );
        }
        assert!(v.warnings.iter().all(|w| !w.message_vi.is_empty()));
    }
}

#[test]
fn today_is_counted_in_vietnam() {
    // Issued 2026-01-01; at 2025-12-31T18:00Z it is already 01:00 on the 1st in Vietnam.
    let qr = "001099001234|012345678|Nguyễn Văn An|15031999|Nam|Hà Nội|01012026";
    let at = |now| Verifier::new(TrustStore::new(), Policy::default()).verify(qr, now);
    assert!(at(NOW - 6 * 3600).warnings.is_empty());
    assert_eq!(at(NOW - 8 * 3600).warnings.len(), 1);
}

#[test]
fn malformed_card_qrs_are_rejected_without_fields() {
    for (qr, code) in [
        (
            "001099001234|01234567|Nguyễn Văn An|15031999|Nam|Hà Nội|10052021",
            ErrorCode::SchemaInvalid,
        ),
        (
            "001099001234|0123456789|Nguyễn Văn An|15031999|Nam|Hà Nội|10052021",
            ErrorCode::SchemaInvalid,
        ),
        (
            "001099001234|012345678||15031999|Nam|Hà Nội|10052021",
            ErrorCode::SchemaInvalid,
        ),
        (
            "001099001234|012345678|Nguyễn Văn An|31021999|Nam|Hà Nội|10052021",
            ErrorCode::SchemaInvalid,
        ),
        (
            "001099001234|012345678|Nguyễn Văn An|1999-03-15|Nam|Hà Nội|10052021",
            ErrorCode::SchemaInvalid,
        ),
        (
            "001099001234|012345678|Nguyễn Văn An|15031999|Male|Hà Nội|10052021",
            ErrorCode::SchemaInvalid,
        ),
        (
            "001099001234|012345678|Nguyễn Văn An|15031999|nam|Hà Nội|10052021",
            ErrorCode::SchemaInvalid,
        ),
        (
            "001099001234|012345678|Nguyễn Văn An|15031999|Nam|Hà Nội|1005202",
            ErrorCode::SchemaInvalid,
        ),
        (
            "001099001234|012345678|Nguyễn\tVăn An|15031999|Nam|Hà Nội|10052021",
            ErrorCode::SchemaInvalid,
        ),
    ] {
        let v = verify(qr);
        assert_eq!(v.format, Format::CccdQr, "{qr}");
        assert_rejected(&v, code);
    }
    let too_many = format!("{CHIP_CARD}{}", "|".repeat(14));
    assert_rejected(&verify(&too_many), ErrorCode::SchemaInvalid);
    // Verified as a card QR, shapes that detection would not route here are rejected precisely.
    assert_rejected(
        &verify_as_card("001099001234|a|b|c|d|e"),
        ErrorCode::SchemaInvalid,
    );
    assert_rejected(
        &verify_as_card("00109900123|012345678|A|15031999|Nam|X|10052021"),
        ErrorCode::PersonalIdInvalid,
    );
    assert_rejected(
        &verify_as_card("00109900123X|012345678|A|15031999|Nam|X|10052021"),
        ErrorCode::PersonalIdInvalid,
    );
}

#[test]
fn other_text_is_not_taken_for_a_card() {
    for other in [
        "001099001234|012345678|Nguyễn Văn An",
        "001099001234",
        "DN4010123456789|4e677579656e20566e|01011990|1|x|y|01012021|31122021",
        "00020101021138570010A00000072701270006970403011300110123456780208QRIBFTTA53037045802VN6304ABCD",
        "Hello | world | this | is | not | a | card",
    ] {
        assert_eq!(verify(other).code, Some(ErrorCode::UnknownFormat), "{other}");
    }
}

#[test]
fn decomposed_nu_and_mojibake_are_handled() {
    // "Nữ" as ư + combining tilde, and as u + combining horn + combining tilde.
    for nu in ["N\u{01B0}\u{0303}", "Nu\u{031B}\u{0303}"] {
        let qr = CHIP_CARD_NO_CMND.replace("Nữ", nu);
        assert_ne!(qr, CHIP_CARD_NO_CMND);
        let v = verify(&qr);
        assert_unsigned(&v);
        assert_eq!(field(&v, "/sex"), &json!("female"));
        assert!(v.warnings.is_empty());
    }
    // The UTF-8 bytes read as Latin-1 by a misconfigured scanner library.
    let garbled: String = CHIP_CARD_NO_CMND.bytes().map(char::from).collect();
    let v = verify(&garbled);
    assert_unsigned(&v);
    assert_eq!(field(&v, "/fullName"), &json!("Trần Thị Bình"));
    assert_eq!(field(&v, "/encodingRepaired"), &json!(true));
    assert!(v.warnings.is_empty());
}
