//! Token Status List (draft-ietf-oauth-status-list-21): the draft's examples as conformance data
//! (bit order, 1, 2, 4 and 8 bits, JSON and CBOR encodings, the signed example JWT with its
//! key), and lookups through the verifier with every outcome's code.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion

mod common;

use base64::Engine as _;
use serde_json::{json, Value};
use vneid_verify::dangerous::{decode_cbor, CborValue};
use vneid_verify::{ErrorCode, StatusList, StatusReference, TrustStore};

fn base64url(text: &str) -> Vec<u8> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .unwrap()
}

/// The value of status[i] listed in the draft's appendix (every other entry is 0, VALID).
const ONE_BIT: [(u64, u8); 11] = [
    (0, 1),
    (1993, 1),
    (25460, 1),
    (159495, 1),
    (495669, 1),
    (554353, 1),
    (645645, 1),
    (723232, 1),
    (854545, 1),
    (934534, 1),
    (1000345, 1),
];
const TWO_BITS: [(u64, u8); 11] = [
    (0, 1),
    (1993, 2),
    (25460, 1),
    (159495, 3),
    (495669, 1),
    (554353, 1),
    (645645, 2),
    (723232, 1),
    (854545, 1),
    (934534, 2),
    (1000345, 3),
];
const FOUR_BITS: [(u64, u8); 15] = [
    (0, 1),
    (1993, 2),
    (35460, 3),
    (459495, 4),
    (595669, 5),
    (754353, 6),
    (845645, 7),
    (923232, 8),
    (924445, 9),
    (934534, 10),
    (1004534, 11),
    (1000345, 12),
    (1030203, 13),
    (1030204, 14),
    (1030205, 15),
];
/// The 8-bit example: the k-th index listed has status k (0 to 255).
const EIGHT_BITS: [u64; 256] = [
    233478, 52451, 576778, 513575, 468106, 292632, 214947, 182323, 884834, 66653, 62489, 196493,
    458517, 487925, 55649, 416992, 879796, 462297, 942059, 583408, 13628, 334829, 886286, 713557,
    582738, 326064, 451545, 705889, 214350, 194502, 796765, 202828, 752834, 721327, 554740, 91122,
    963483, 261779, 793844, 165255, 614839, 758403, 403258, 145867, 96100, 477937, 606890, 167335,
    488197, 211815, 797182, 582952, 950870, 765108, 341110, 776325, 745056, 439368, 559893, 149741,
    358903, 513405, 342679, 969429, 795775, 566121, 460566, 680070, 117310, 480348, 67319, 661552,
    841303, 561493, 138807, 442463, 659927, 445910, 1046963, 829700, 962282, 299623, 555493,
    292826, 517215, 551009, 898490, 837603, 759161, 459948, 290102, 1034977, 190650, 98810, 229950,
    320531, 335506, 885333, 133227, 806915, 800313, 981571, 527253, 24077, 240232, 559572, 713399,
    233941, 615514, 911768, 331680, 951527, 6805, 552366, 374660, 223159, 625884, 417146, 320527,
    784154, 338792, 1199, 679804, 1024680, 40845, 234603, 761225, 644903, 502167, 121477, 505144,
    165165, 179628, 1019195, 145149, 263738, 269256, 996739, 346296, 555864, 887384, 444173,
    421844, 653716, 836747, 783119, 918762, 946835, 253764, 519895, 471224, 134272, 709016, 44112,
    482585, 461829, 15080, 148883, 123467, 480125, 141348, 65877, 692958, 148598, 499131, 584009,
    1017987, 449287, 277478, 991262, 509602, 991896, 853666, 399318, 197815, 203278, 903979,
    743015, 888308, 862143, 979421, 113605, 206397, 127113, 844358, 711569, 229153, 521470, 401793,
    398896, 940810, 293983, 884749, 384802, 584151, 970201, 523882, 158093, 929312, 205329, 106091,
    30949, 195586, 495723, 348779, 852312, 1018463, 1009481, 448260, 841042, 122967, 345269,
    794764, 4520, 818773, 556171, 954221, 598210, 887110, 1020623, 324632, 398244, 622241, 456551,
    122648, 127837, 657676, 119884, 105156, 999897, 330160, 119285, 168005, 389703, 143699, 142524,
    493258, 846778, 251420, 516351, 83344, 171931, 879178, 663475, 546865, 428362, 658891, 500560,
    557034, 830023, 274471, 629139, 958869, 663071, 152133, 19535,
];

/// A `{"bits": …, "lst": …}` example as the draft prints it (the `lst` string wrapped over
/// several indented lines).
fn json_example(name: &str) -> (u64, Vec<u8>) {
    let text = common::read_vector(&format!("status-list/examples/{name}"));
    let json = text.get(text.find('{').unwrap()..).unwrap();
    let compact: String = json.split_whitespace().collect();
    let v: Value = serde_json::from_str(&compact).unwrap();
    (
        v["bits"].as_u64().unwrap(),
        base64url(v["lst"].as_str().unwrap()),
    )
}

/// The same as CBOR (`{"bits": uint, "lst": bstr}` in hex, possibly after a `byte_array` line).
fn cbor_example(name: &str) -> (u64, Vec<u8>) {
    let text = common::read_vector(&format!("status-list/examples/{name}"));
    let hex: String = text
        .lines()
        .filter(|l| !l.contains('=') && !l.contains(':'))
        .flat_map(|l| l.chars().filter(char::is_ascii_hexdigit))
        .collect();
    let map = decode_cbor(&common::hex(&hex), &Default::default()).unwrap();
    (
        u64::try_from(map.get_text("bits").unwrap().as_integer().unwrap()).unwrap(),
        map.get_text("lst").unwrap().as_bytes().unwrap().to_vec(),
    )
}

fn inflate((bits, lst): (u64, Vec<u8>)) -> StatusList {
    StatusList::from_compressed(bits, &lst, StatusList::MAX_BYTES).unwrap()
}

/// Every entry of `list` is 0 except those in `expected`.
fn assert_statuses(list: &StatusList, expected: &[(u64, u8)], name: &str) {
    assert_eq!(list.len(), 1 << 20, "{name}: 2^20 entries");
    let expected: std::collections::BTreeMap<u64, u8> = expected.iter().copied().collect();
    for idx in 0..list.len() {
        let want = expected.get(&idx).copied().unwrap_or(0);
        assert_eq!(list.get(idx), Some(want), "{name}: status[{idx}]");
    }
    assert_eq!(list.get(list.len()), None, "{name}: one past the end");
}

#[test]
fn the_drafts_short_examples_fix_the_bit_order() {
    for (json, cbor, bits, statuses) in [
        (
            "status_list_encoding_json.md",
            "status_list_encoding_cbor.md",
            1,
            &[1u8, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1][..],
        ),
        (
            "status_list_encoding2_json.md",
            "status_list_encoding2_cbor.md",
            2,
            &[1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3][..],
        ),
    ] {
        for list in [inflate(json_example(json)), inflate(cbor_example(cbor))] {
            assert_eq!(list.bits(), bits);
            let got: Vec<u8> = (0..statuses.len() as u64)
                .map(|i| list.get(i).unwrap())
                .collect();
            assert_eq!(got, statuses, "{json}");
            assert_eq!(list.get(statuses.len() as u64), None);
        }
    }
}

#[test]
fn the_drafts_long_examples_in_1_2_4_and_8_bits() {
    let eight: Vec<(u64, u8)> = EIGHT_BITS
        .iter()
        .enumerate()
        .map(|(k, &i)| (i, u8::try_from(k).unwrap()))
        .collect();
    for (json, cbor, bits, expected) in [
        (
            "status_list_encoding1_long_json.md",
            "status_list_encoding1_long_cbor.md",
            1,
            &ONE_BIT[..],
        ),
        (
            "status_list_encoding2_long_json.md",
            "status_list_encoding2_long_cbor.md",
            2,
            &TWO_BITS[..],
        ),
        (
            "status_list_encoding4_json.md",
            "status_list_encoding4_cbor.md",
            4,
            &FOUR_BITS[..],
        ),
        (
            "status_list_encoding8_json.md",
            "status_list_encoding8_cbor.md",
            8,
            &eight[..],
        ),
    ] {
        let from_json = inflate(json_example(json));
        assert_eq!(from_json.bits(), bits);
        assert_statuses(&from_json, expected, json);
        assert_eq!(inflate(cbor_example(cbor)), from_json, "{cbor}");
    }
}

fn example_trust() -> Value {
    let key: Value = common::json_vector("status-list/example-key.public.jwk.json");
    json!({"issuers": [{"iss": "https://example.com", "keys": [key]}]})
}

#[test]
fn the_signed_example_jwt_verifies_with_its_key() {
    let jwt = common::read_vector("status-list/status_list.jwt");
    let mut trust = example_trust();
    trust["status_lists"] = json!([jwt.trim()]);
    let store = TrustStore::from_json(&trust.to_string()).unwrap();
    let [list] = store.status_lists() else {
        panic!("one list")
    };
    assert_eq!(list.uri, "https://example.com/statuslists/1");
    assert_eq!(list.signers, ["https://example.com"]);
    assert_eq!(list.kid.as_deref(), Some("12"));
    assert_eq!(
        (list.issued_at, list.expires_at, list.ttl),
        (1_686_920_170, Some(2_291_720_170), Some(43_200))
    );
    let statuses: Vec<u8> = (0..16).map(|i| list.list.get(i).unwrap()).collect();
    assert_eq!(statuses, [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1]);

    // A lookup as the example issuer's credentials would make it.
    let check = |idx, now| {
        store
            .check_status(
                "https://example.com",
                &StatusReference {
                    idx,
                    uri: "https://example.com/statuslists/1".into(),
                },
                now,
                60,
            )
            .map_err(|e| e.code())
    };
    let now = 1_700_000_000;
    assert_eq!(check(0, now), Err(ErrorCode::Revoked));
    assert_eq!(check(1, now), Ok(()));
    assert_eq!(check(16, now), Err(ErrorCode::StatusIndexInvalid));
    assert_eq!(
        check(1, 2_291_720_170 + 60),
        Err(ErrorCode::StatusListStale)
    );
    assert_eq!(check(1, 2_291_720_170 + 59), Ok(()));

    // One flipped character of the signature: the list is refused, with the whole file.
    let mut tampered = jwt.trim().to_owned();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'g' { 'A' } else { 'g' });
    let mut bad = example_trust();
    bad["status_lists"] = json!([tampered]);
    let err = TrustStore::from_json(&bad.to_string()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::TrustInvalid);
    assert!(err.detail().unwrap().contains("status_lists[0]"), "{err}");
    // Without the issuer's key, nothing verifies it.
    let err = TrustStore::from_json(
        &json!({"issuers": [{"iss": "https://other.example", "keys": [common::json_vector("status-list/example-key.public.jwk.json")]}],
                "status_lists": [jwt.trim()]})
        .to_string(),
    )
    .unwrap_err();
    assert!(
        err.detail()
            .unwrap()
            .contains("no trusted key of issuer \"https://example.com\""),
        "{err}"
    );
}

#[test]
fn the_drafts_cwt_referenced_token_carries_a_reference() {
    let text = common::read_vector("status-list/examples/referenced_token_cwt.md");
    let hex: String = text.chars().filter(char::is_ascii_hexdigit).collect();
    let mut item = decode_cbor(&common::hex(&hex), &Default::default()).unwrap();
    while let CborValue::Tag(_, inner) = item {
        item = *inner;
    }
    let CborValue::Array(parts) = item else {
        panic!("COSE_Sign1")
    };
    let claims = decode_cbor(parts[2].as_bytes().unwrap(), &Default::default()).unwrap();
    assert_eq!(
        StatusReference::from_cwt_claim(claims.get_int(65535)),
        Ok(Some(StatusReference {
            idx: 0,
            uri: "https://example.com/statuslists/1".into()
        }))
    );
}
