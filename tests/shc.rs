//! SMART Health Cards: the four upstream examples (../shared/vectors/shc/examples) in every form
//! they come in, chunk handling, revocation, and negatives made by mutating them or by signing
//! with a local test key. Every assertion names the exact code.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests fail by panicking

mod common;

use common::base64url;
use serde_json::{json, Value};
use vneid_verify::{
    dangerous, ErrorCode, Format, Policy, ShcChunks, TrustStore, Verdict, Verifier,
};

/// The longest JWS one unchunked `shc:/` QR holds (the specification's 1195 characters).
const MAX_SINGLE_JWS_LEN: usize = 1195;

/// The numeric QR text of a JWS: two digits per character, its code minus 45 (the
/// specification's encoding, written here independently of the verifier's decoder).
fn digits(jws: &str) -> Option<String> {
    jws.bytes()
        .map(|b| {
            b.checked_sub(45)
                .filter(|d| *d <= 77)
                .map(|d| format!("{d:02}"))
        })
        .collect()
}

const ISSUER: &str = "https://spec.smarthealth.cards/examples/issuer";
const KID_00: &str = "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s";
const KID_01: &str = "EBKOr72QQDcTBUuVzAzkfBTGew0ZA16GuWty64nS-sw";
/// The examples were signed at 1687450764 (2023-06-22); example 03 expires at 1718986764.
const NOW: i64 = 1_700_000_000;

/// Reads a file of the upstream examples; a missing file fails the test (it never skips).
fn read(name: &str) -> String {
    common::read_vector(&format!("shc/examples/{name}"))
}

fn trust() -> TrustStore {
    let mut store = TrustStore::new();
    store
        .add_jwks(ISSUER, &read("issuer/.well-known/jwks.json"))
        .expect("jwks.json loads");
    store
}

fn trust_with_crl() -> TrustStore {
    let mut store = trust();
    store
        .add_shc_crl(
            ISSUER,
            &read(&format!("issuer/.well-known/crl/{KID_00}.json")),
        )
        .expect("the CRL loads");
    store
}

fn verify_with(store: TrustStore, payload: &str, now: i64) -> Verdict {
    Verifier::new(store, Policy::default()).verify(payload, now)
}

fn verify(payload: &str) -> Verdict {
    verify_with(trust(), payload, NOW)
}

#[track_caller]
fn assert_valid(v: &Verdict) {
    assert!(v.valid, "expected valid, got {:?}: {}", v.code, v.message);
    assert_eq!(v.format, Format::Shc);
    assert_eq!(v.code, None);
}

#[track_caller]
fn assert_code_unknown(v: &Verdict, code: ErrorCode) {
    assert!(!v.valid, "expected {code}, got a valid verdict");
    assert_eq!(v.code, Some(code), "{}", v.message);
    assert_eq!(v.format, Format::Unknown);
}

#[track_caller]
fn assert_code(v: &Verdict, code: ErrorCode) {
    assert!(!v.valid, "expected {code}, got a valid verdict");
    assert_eq!(v.code, Some(code), "{}", v.message);
    assert_eq!(v.format, Format::Shc);
    assert!(v.issuer.is_none() && v.claims.is_none() && v.document.is_none());
}

fn jws(n: &str) -> String {
    read(&format!("example-{n}-d-jws.txt")).trim().to_owned()
}

fn qr_files(n: &str) -> Vec<String> {
    let count = if n == "02" { 3 } else { 1 };
    (0..count)
        .map(|k| {
            read(&format!("example-{n}-f-qr-code-numeric-value-{k}.txt"))
                .trim()
                .to_owned()
        })
        .collect()
}

fn field<'a>(v: &'a Verdict, pointer: &str) -> &'a Value {
    v.document
        .as_ref()
        .and_then(|d| d.fields.pointer(pointer))
        .unwrap_or(&Value::Null)
}

// ---- The four examples, in every form --------------------------------------------------------

#[test]
fn examples_verify_as_jws_file_and_qr() {
    for n in ["00", "01", "02", "03"] {
        let from_jws = verify(&jws(n));
        assert_valid(&from_jws);
        let from_file = verify(&read(&format!("example-{n}-e-file.smart-health-card")));
        assert_valid(&from_file);
        let from_qr = verify(&qr_files(n).join("\n"));
        assert_valid(&from_qr);
        // The three forms carry the same card.
        assert_eq!(from_jws.claims, from_file.claims, "example {n}");
        assert_eq!(from_jws.claims, from_qr.claims, "example {n}");
        let minified: Value =
            serde_json::from_str(&read(&format!("example-{n}-c-jws-payload-minified.json")))
                .unwrap();
        assert_eq!(from_jws.claims.as_ref(), Some(&minified), "example {n}");
        assert_eq!(from_jws.issuer.as_deref(), Some(ISSUER));
        let kid = if n == "01" { KID_01 } else { KID_00 };
        assert_eq!(from_jws.kid.as_deref(), Some(kid), "example {n}");
    }
}

#[test]
fn numeric_qr_text_decodes_to_the_published_jws() {
    for n in ["00", "01", "02", "03"] {
        let joined = qr_files(n).join(" ");
        assert_eq!(
            dangerous::decode_shc_qr(&joined).ok(),
            Some(jws(n)),
            "example {n}"
        );
    }
}

#[test]
fn the_verdict_describes_the_card_readably() {
    let v = verify(&jws("00"));
    assert_valid(&v);
    assert_eq!(v.not_before, Some(1_687_450_764.656));
    assert_eq!(v.issued_at, Some(1_687_450_764.656));
    assert_eq!(v.expires_at, None);
    assert_eq!(
        v.document.as_ref().map(|d| d.doc_type.as_str()),
        Some("shc")
    );
    assert_eq!(field(&v, "/patient/name"), &json!("John B. Anyperson"));
    assert_eq!(field(&v, "/patient/birthDate"), &json!("1951-01-20"));
    let dates: Vec<&Value> = field(&v, "/immunizations")
        .as_array()
        .map(|a| a.iter().map(|i| &i["date"]).collect())
        .unwrap_or_default();
    assert_eq!(
        dates,
        [
            &json!("2021-01-01"),
            &json!("2021-01-29"),
            &json!("2022-09-05")
        ]
    );
    assert_eq!(
        field(&v, "/immunizations/0/vaccineCode"),
        &json!({"system": "http://hl7.org/fhir/sid/cvx", "code": "207"})
    );
    // Codes only: the label ("COVID-19 vaccine, mRNA (Moderna)") is the caller's.
    assert_eq!(field(&v, "/immunizations/0/label"), &Value::Null);
    assert_eq!(
        field(&v, "/immunizations/0/performer"),
        &json!("ABC General Hospital")
    );
    assert_eq!(field(&v, "/rid"), &json!("MKyCxh7p6uQ"));
    assert_eq!(field(&v, "/fhirVersion"), &json!("4.0.1"));
    assert_eq!(
        field(&v, "/types"),
        &json!(["https://smarthealth.cards#health-card"])
    );

    // Example 02 is a lab report: observations with dates and values, other resources counted.
    let lab = verify(&jws("02"));
    assert_valid(&lab);
    let observations = field(&lab, "/observations")
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(observations.len() > 5, "{observations:?}");
    assert_eq!(observations[0]["date"], json!("2015-08-16T06:40:17Z"));
    assert_eq!(field(&lab, "/otherResources/Specimen"), &json!(3));
    assert_eq!(field(&lab, "/otherResources/DiagnosticReport"), &json!(1));

    // Example 03 carries an expiry.
    let v03 = verify(&jws("03"));
    assert_eq!(v03.expires_at, Some(1_718_986_764.657));
}

#[test]
fn the_clock_decides_not_yet_valid_and_expired() {
    let before_issue = verify_with(trust(), &jws("00"), 1_687_000_000);
    assert_code(&before_issue, ErrorCode::NotYetValid);
    // Within the clock tolerance (60 s) of nbf is accepted.
    assert_valid(&verify_with(trust(), &jws("00"), 1_687_450_764 - 59));
    let after_expiry = verify_with(trust(), &jws("03"), 1_718_986_765 + 60);
    assert_code(&after_expiry, ErrorCode::Expired);
    // Example 00 has no exp: still valid years later.
    assert_valid(&verify_with(trust(), &jws("00"), 1_900_000_000));
}

// ---- Revocation ------------------------------------------------------------------------------

#[test]
fn example_03_is_revoked_once_its_crl_is_loaded() {
    for form in [
        jws("03"),
        read("example-03-e-file.smart-health-card"),
        qr_files("03").join("\n"),
    ] {
        assert_valid(&verify_with(trust(), &form, NOW));
        let v = verify_with(trust_with_crl(), &form, NOW);
        assert_code(&v, ErrorCode::Revoked);
        assert!(v.message.contains("vwAjHdarZuc"), "{}", v.message);
    }
    // The other examples are not on the list.
    for n in ["00", "01", "02"] {
        assert_valid(&verify_with(trust_with_crl(), &jws(n), NOW));
    }
}

#[test]
fn crl_timestamps_revoke_only_cards_issued_before_them() {
    // Example 03's list entry is "vwAjHdarZuc.1687450765" and the card's nbf 1687450764.657.
    let crl = |entry: &str| {
        let mut store = trust();
        store
            .add_shc_crl(
                ISSUER,
                &json!({"kid": KID_00, "method": "rid", "ctr": 1, "rids": [entry]}).to_string(),
            )
            .unwrap();
        store
    };
    assert_code(
        &verify_with(crl("vwAjHdarZuc.1687450765"), &jws("03"), NOW),
        ErrorCode::Revoked,
    );
    assert_valid(&verify_with(crl("vwAjHdarZuc.1687450764"), &jws("03"), NOW));
    assert_code(
        &verify_with(crl("vwAjHdarZuc"), &jws("03"), NOW),
        ErrorCode::Revoked,
    );
    // A list is per key: the same rid under the other key does not revoke.
    let mut other_key = trust();
    other_key
        .add_shc_crl(
            ISSUER,
            &json!({"kid": KID_01, "method": "rid", "ctr": 1, "rids": ["vwAjHdarZuc"]}).to_string(),
        )
        .unwrap();
    assert_valid(&verify_with(other_key, &jws("03"), NOW));
}

#[test]
fn revocation_lists_and_ids_also_come_from_the_trust_bundle() {
    let jwks: Value = serde_json::from_str(&read("issuer/.well-known/jwks.json")).unwrap();
    let crl: Value =
        serde_json::from_str(&read(&format!("issuer/.well-known/crl/{KID_00}.json"))).unwrap();
    let with_crls = json!({"issuers": [{"iss": ISSUER, "keys": jwks["keys"], "crls": [crl]}]});
    let store = TrustStore::from_json(&with_crls.to_string()).unwrap();
    assert_code(&verify_with(store, &jws("03"), NOW), ErrorCode::Revoked);

    let with_revoked = json!({"issuers": [{"iss": ISSUER, "keys": jwks["keys"]}],
        "revoked": [{"iss": ISSUER, "id": "MKyCxh7p6uQ"}]});
    let store = TrustStore::from_json(&with_revoked.to_string()).unwrap();
    assert_code(
        &verify_with(store.clone(), &jws("00"), NOW),
        ErrorCode::Revoked,
    );
    assert_valid(&verify_with(store, &jws("02"), NOW));

    let bad = json!({"issuers": [{"iss": ISSUER, "keys": jwks["keys"],
        "crls": [{"kid": KID_00, "method": "hash-fhir", "ctr": 1, "rids": []}]}]});
    assert_eq!(
        TrustStore::from_json(&bad.to_string())
            .map_err(|e| e.code())
            .err(),
        Some(ErrorCode::TrustInvalid)
    );
}

// ---- Chunks ----------------------------------------------------------------------------------

#[test]
fn example_02_chunks_in_order_shuffled_missing_and_duplicated() {
    let [c1, c2, c3] = <[String; 3]>::try_from(qr_files("02")).unwrap();
    assert_valid(&verify(&format!("{c1}\n{c2}\n{c3}")));
    assert_valid(&verify(&format!("{c3} {c1}\r\n{c2}\n")));
    assert_valid(&verify(&format!("{c2}\t{c3}\n{c1}")));

    let missing = verify(&format!("{c1}\n{c3}"));
    assert_code(&missing, ErrorCode::ChunksIncomplete);
    assert!(missing.message.contains("missing 2"), "{}", missing.message);
    let only_last = verify(&c3);
    assert_code(&only_last, ErrorCode::ChunksIncomplete);
    assert!(
        only_last.message.contains("missing 1, 2"),
        "{}",
        only_last.message
    );

    assert_code(
        &verify(&format!("{c1}\n{c2}\n{c2}\n{c3}")),
        ErrorCode::ChunkInvalid,
    );
    assert_code(
        &verify(&format!("{c1}\n{c2}\n{c2}")),
        ErrorCode::ChunkInvalid,
    );
    // A chunk of another card (other count) and an unchunked QR mixed in.
    let foreign = c2.replacen("shc:/2/3/", "shc:/2/4/", 1);
    assert_code(
        &verify(&format!("{c1}\n{foreign}\n{c3}")),
        ErrorCode::ChunkInvalid,
    );
    let single = qr_files("00").remove(0);
    assert_code(
        &verify(&format!("{c1}\n{c2}\n{c3}\n{single}")),
        ErrorCode::ChunkInvalid,
    );
    // Chunks swapped between positions: the assembled JWS is wrong, so verification fails.
    let swapped_1 = c1.replacen("shc:/1/3/", "shc:/2/3/", 1);
    let swapped_2 = c2.replacen("shc:/2/3/", "shc:/1/3/", 1);
    let v = verify(&format!("{swapped_1}\n{swapped_2}\n{c3}"));
    assert!(!v.valid && v.code.is_some());
}

#[test]
fn a_scanner_collects_chunks_one_at_a_time() {
    let [c1, c2, c3] = <[String; 3]>::try_from(qr_files("02")).unwrap();
    let mut chunks = ShcChunks::new();
    let p = chunks.add(&c2).unwrap();
    assert_eq!((p.received, p.total, p.missing.clone()), (1, 3, vec![1, 3]));
    assert!(!p.is_complete());
    assert_eq!(chunks.payload(), None);
    // Seeing the same QR again is harmless.
    assert_eq!(chunks.add(&c2).unwrap().received, 1);
    assert_eq!(chunks.add(&c3).unwrap().missing, vec![1]);
    // A QR of another card is refused and changes nothing.
    let single = qr_files("00").remove(0);
    assert_eq!(
        chunks.add(&single).map_err(|e| e.code()).err(),
        Some(ErrorCode::ChunkInvalid)
    );
    assert!(chunks.add(&c1).unwrap().is_complete());
    assert_valid(&verify(&chunks.payload().unwrap()));
}

#[test]
fn the_single_qr_limit_is_1195_characters() {
    // Example 02's JWS (3285 characters) in one QR cannot be a conforming card.
    let long = format!("shc:/{}", digits(&jws("02")).unwrap());
    let v = verify(&long);
    assert_code(&v, ErrorCode::ChunkInvalid);
    assert!(v.message.contains("1195"), "{}", v.message);
    // The examples that fit are well under it, and a chunk over 1191 is refused too.
    assert!(jws("00").len() <= MAX_SINGLE_JWS_LEN);
    let big_chunk = format!("shc:/1/2/{}", digits(&jws("02")[..1192]).unwrap());
    assert_code(&verify(&big_chunk), ErrorCode::ChunkInvalid);
}

#[test]
fn numeric_text_mutations_fail_with_the_numeric_codes() {
    let qr = qr_files("00").remove(0);
    // Drop one digit: an odd count.
    assert_code(&verify(&qr[..qr.len() - 1]), ErrorCode::NumericInvalid);
    // A pair above 77.
    let high = format!("{}99{}", &qr[..7], &qr[9..]);
    assert_code(&verify(&high), ErrorCode::NumericInvalid);
    // A letter among the digits.
    let letter = format!("{}a{}", &qr[..10], &qr[11..]);
    assert_code(&verify(&letter), ErrorCode::NumericInvalid);
    // Upper-case prefix.
    assert_code(
        &verify(&qr.replacen("shc:/", "SHC:/", 1)),
        ErrorCode::PrefixInvalid,
    );
    // Drop the last pair: the signature segment is 85 characters, not base64url.
    assert_code(&verify(&qr[..qr.len() - 2]), ErrorCode::Base64Invalid);
    // A pair that is not a JWS character (":" = 13): the JWS has an invalid character.
    let colon = format!("{}{}", &qr[..qr.len() - 2], "13");
    assert_code(&verify(&colon), ErrorCode::Base64Invalid);
}

// ---- Mutations of the JWS --------------------------------------------------------------------

fn segments(jws: &str) -> (String, String, String) {
    let mut it = jws.split('.');
    (
        it.next().unwrap().to_owned(),
        it.next().unwrap().to_owned(),
        it.next().unwrap().to_owned(),
    )
}

fn der_from_raw(sig: &[u8]) -> Vec<u8> {
    let int = |x: &[u8]| {
        let mut v: Vec<u8> = x.iter().copied().skip_while(|b| *b == 0).collect();
        if v.first().is_none_or(|b| b & 0x80 != 0) {
            v.insert(0, 0);
        }
        let mut out = vec![0x02, u8::try_from(v.len()).unwrap()];
        out.extend(v);
        out
    };
    let (r, s) = (int(&sig[..32]), int(&sig[32..]));
    let mut der = vec![0x30, u8::try_from(r.len() + s.len()).unwrap()];
    der.extend(r);
    der.extend(s);
    der
}

#[test]
fn a_der_signature_is_refused() {
    let (h, p, s) = segments(&jws("00"));
    let raw = base64url::decode(&s).unwrap();
    let der = base64url::encode(&der_from_raw(&raw));
    let v = verify(&format!("{h}.{p}.{der}"));
    assert_code(&v, ErrorCode::SignatureMalformed);
    // Also in QR form.
    let qr = format!("shc:/{}", digits(&format!("{h}.{p}.{der}")).unwrap());
    assert_code(&verify(&qr), ErrorCode::SignatureMalformed);
}

#[test]
fn high_s_signatures_are_valid() {
    // ES256 does not require low-S: (r, n - s) is the same signature's twin and must verify.
    const N: [u8; 32] = [
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63,
        0x25, 0x51,
    ];
    for n in ["00", "01", "02", "03"] {
        let (h, p, s) = segments(&jws(n));
        let mut sig = base64url::decode(&s).unwrap();
        let mut borrow = 0i16;
        for i in (0..32).rev() {
            let d = i16::from(N[i]) - i16::from(sig[32 + i]) - borrow;
            borrow = i16::from(d < 0);
            sig[32 + i] = u8::try_from(d.rem_euclid(256)).unwrap();
        }
        assert_eq!(borrow, 0);
        let twin = format!("{h}.{p}.{}", base64url::encode(&sig));
        assert_ne!(twin, jws(n));
        assert_valid(&verify(&twin));
    }
}

#[test]
fn a_swapped_kid_selects_the_other_key_and_the_signature_fails() {
    let (_, p, s) = segments(&jws("00"));
    let header = format!(r#"{{"zip":"DEF","alg":"ES256","kid":"{KID_01}"}}"#);
    let v = verify(&format!("{}.{p}.{s}", base64url::encode(header.as_bytes())));
    assert_code(&v, ErrorCode::SignatureInvalid);
    // An unknown kid stops at key selection.
    let header = r#"{"zip":"DEF","alg":"ES256","kid":"no-such-key"}"#;
    let v = verify(&format!("{}.{p}.{s}", base64url::encode(header.as_bytes())));
    assert_code(&v, ErrorCode::UnknownKey);
}

#[test]
fn a_tampered_payload_fails_the_signature() {
    let (h, p, s) = segments(&jws("00"));
    let compressed = base64url::decode(&p).unwrap();
    let json = miniz_oxide::inflate::decompress_to_vec(&compressed).unwrap();
    let text = String::from_utf8(json).unwrap();
    let forged = text.replace("1951-01-20", "1961-01-20");
    assert_ne!(forged, text);
    let recompressed = miniz_oxide::deflate::compress_to_vec(forged.as_bytes(), 9);
    let v = verify(&format!("{h}.{}.{s}", base64url::encode(&recompressed)));
    assert_code(&v, ErrorCode::SignatureInvalid);
}

#[test]
fn every_flipped_signature_character_is_signature_invalid() {
    let token = jws("01");
    let (h, p, s) = segments(&token);
    // The last character also carries 4 padding bits, so it is left out.
    for i in 0..s.len() - 1 {
        let mut bytes = s.clone().into_bytes();
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        let flipped = String::from_utf8(bytes).unwrap();
        let v = verify(&format!("{h}.{p}.{flipped}"));
        assert_code(&v, ErrorCode::SignatureInvalid);
    }
}

#[test]
fn flipped_payload_bytes_never_verify() {
    let (h, p, s) = segments(&jws("00"));
    let compressed = base64url::decode(&p).unwrap();
    for i in (0..compressed.len()).step_by(7) {
        let mut bytes = compressed.clone();
        bytes[i] ^= 0x01;
        let v = verify(&format!("{h}.{}.{s}", base64url::encode(&bytes)));
        assert!(!v.valid, "flip at {i} verified");
        // A flipped bit corrupts the DEFLATE stream, changes the JSON, or changes the signed
        // bytes; which one depends on the bit, and each has its own code.
        assert!(
            matches!(
                v.code,
                Some(
                    ErrorCode::InflateFailed
                        | ErrorCode::JsonInvalid
                        | ErrorCode::SignatureInvalid
                        | ErrorCode::ClaimMissing
                        | ErrorCode::ClaimInvalid
                        | ErrorCode::UnknownIssuer
                        | ErrorCode::DecompressedTooLarge
                )
            ),
            "flip at {i}: {:?}",
            v.code
        );
    }
}

#[test]
fn truncations_fail_at_the_stage_they_break() {
    let token = jws("00");
    let (h, p, s) = segments(&token);
    assert_code(&verify(&format!("{h}.{p}.")), ErrorCode::SignatureMalformed);
    // Without its last dot the token has two segments: JWT-shaped, not a card.
    let two = verify(&format!("{h}.{p}"));
    assert!(!two.valid);
    assert_eq!(two.code, Some(ErrorCode::TokenMalformed));
    // 84 characters = 63 bytes.
    assert_code(
        &verify(&format!("{h}.{p}.{}", &s[..84])),
        ErrorCode::SignatureMalformed,
    );
    // Half the payload: the DEFLATE stream ends early.
    let compressed = base64url::decode(&p).unwrap();
    let half = base64url::encode(&compressed[..compressed.len() / 2]);
    assert_code(
        &verify(&format!("{h}.{half}.{s}")),
        ErrorCode::InflateFailed,
    );
    // Cut inside the header.
    let cut = format!("{}.{p}.{s}", &h[..h.len() - 4]);
    let v = verify(&cut);
    assert!(!v.valid);
}

// ---- The .smart-health-card file -------------------------------------------------------------

#[test]
fn a_file_with_several_credentials_is_verified_as_a_whole() {
    let file = json!({"verifiableCredential": [jws("00"), jws("01")]}).to_string();
    let v = verify(&file);
    assert_valid(&v);
    assert_eq!(v.issuer.as_deref(), Some(ISSUER));
    // Two keys signed them, so no single kid.
    assert_eq!(v.kid, None);
    assert_eq!(field(&v, "/credentials/0/rid"), &json!("MKyCxh7p6uQ"));
    assert_eq!(
        field(&v, "/credentials/1/patient/name"),
        &json!("John B. Anyperson")
    );
    assert_eq!(
        v.claims
            .as_ref()
            .and_then(|c| c["verifiableCredential"].as_array())
            .map(Vec::len),
        Some(2)
    );
    assert_eq!(v.not_before, Some(1_687_450_764.657));
    // With 03 in the file, the earliest expiry is the file's.
    let with_03 = json!({"verifiableCredential": [jws("00"), jws("03")]}).to_string();
    assert_eq!(verify(&with_03).expires_at, Some(1_718_986_764.657));

    // One bad credential fails the file, and the detail says which.
    let (h, p, s) = segments(&jws("01"));
    let bad_sig = format!("{h}.{p}.{}", s.replacen(&s[..2], "AA", 1));
    let file = json!({"verifiableCredential": [jws("00"), bad_sig]}).to_string();
    let v = verify(&file);
    assert_code(&v, ErrorCode::SignatureInvalid);
    assert!(
        v.message.contains("verifiableCredential[1]"),
        "{}",
        v.message
    );
    let revoked = json!({"verifiableCredential": [jws("00"), jws("03")]}).to_string();
    assert_code(
        &verify_with(trust_with_crl(), &revoked, NOW),
        ErrorCode::Revoked,
    );
}

#[test]
fn file_structure_errors() {
    for bad in [
        json!({"verifiableCredential": []}),
        json!({"verifiableCredential": "eyJ"}),
        json!({"verifiableCredential": [1]}),
        json!({"verifiableCredential": vec![jws("00"); 17]}),
    ] {
        assert_code(&verify(&bad.to_string()), ErrorCode::SchemaInvalid);
    }
    let dup = format!(
        r#"{{"verifiableCredential":["{}"],"verifiableCredential":[]}}"#,
        jws("00")
    );
    // A duplicate member or trailing text makes the JSON invalid, and the verdict says so.
    assert_eq!(verify(&dup).code, Some(ErrorCode::JsonInvalid));
    let trailing = format!("{} x", read("example-00-e-file.smart-health-card").trim());
    assert_eq!(verify(&trailing).code, Some(ErrorCode::JsonInvalid));
}

#[test]
fn the_policy_issuer_is_enforced() {
    let policy = Policy {
        issuer: Some("https://other.example".into()),
        ..Policy::default()
    };
    let v = Verifier::new(trust(), policy).verify(&jws("00"), NOW);
    assert_code(&v, ErrorCode::IssuerMismatch);
    let v = verify_with(TrustStore::new(), &jws("00"), NOW);
    assert_code(&v, ErrorCode::UnknownIssuer);
}

#[test]
fn the_decompression_limit_applies() {
    let policy = Policy {
        limits: vneid_verify::Limits {
            max_decompressed_len: 20_000,
            ..vneid_verify::Limits::default()
        },
        ..Policy::default()
    };
    let verifier = Verifier::new(trust(), policy);
    assert_valid(&verifier.verify(&jws("00"), NOW));
    // Example 02 inflates to 30 KB.
    let v = verifier.verify(&jws("02"), NOW);
    assert_code(&v, ErrorCode::DecompressedTooLarge);
}

// ---- Cards signed with a local test key ------------------------------------------------------

#[cfg(feature = "issuer")]
mod own_key {
    use super::*;
    use vneid_verify::issuer::IssuerKey;

    const TEST_ISS: &str = "https://issuer.test.example";

    fn key() -> IssuerKey {
        IssuerKey::from_secret_bytes("test-kid", &[7u8; 32]).unwrap()
    }

    fn store() -> TrustStore {
        let mut store = trust();
        store
            .add_jwks(TEST_ISS, &json!({"keys": [key().public_jwk()]}).to_string())
            .unwrap();
        store
    }

    fn card_claims() -> Value {
        json!({"iss": TEST_ISS, "nbf": 1_690_000_000, "vc": {
            "type": ["https://smarthealth.cards#health-card", "https://smarthealth.cards#immunization"],
            "credentialSubject": {"fhirVersion": "4.0.1", "fhirBundle": {"resourceType": "Bundle", "type": "collection", "entry": [
                {"fullUrl": "resource:0", "resource": {"resourceType": "Patient", "name": [{"family": "Nguyễn", "given": ["Văn", "An"]}], "birthDate": "1999-03-15"}}
            ]}},
            "rid": "abcDEF123_-"
        }})
    }

    fn header(extra: &str) -> String {
        format!(r#"{{"zip":"DEF","alg":"ES256","kid":"test-kid"{extra}}}"#)
    }

    fn sign(header: &str, payload: &[u8]) -> String {
        key().sign_jws(header, payload)
    }

    fn card(claims: &Value) -> String {
        let raw = miniz_oxide::deflate::compress_to_vec(claims.to_string().as_bytes(), 9);
        sign(&header(""), &raw)
    }

    /// As a QR, so that it is recognised as a card whatever its header says.
    fn as_qr(jws: &str) -> String {
        format!("shc:/{}", digits(jws).unwrap())
    }

    fn check(payload: &str) -> Verdict {
        verify_with(store(), payload, NOW)
    }

    #[test]
    fn a_locally_signed_card_verifies_in_every_form() {
        let jws = card(&card_claims());
        for form in [
            jws.clone(),
            as_qr(&jws),
            json!({"verifiableCredential": [jws.clone()]}).to_string(),
        ] {
            let v = check(&form);
            assert_valid(&v);
            assert_eq!(v.issuer.as_deref(), Some(TEST_ISS));
            assert_eq!(v.kid.as_deref(), Some("test-kid"));
            assert_eq!(field(&v, "/patient/name"), &json!("Văn An Nguyễn"));
        }
        // A file mixing two issuers is refused.
        let mixed = json!({"verifiableCredential": [jws, super::jws("00")]}).to_string();
        assert_code(&check(&mixed), ErrorCode::IssuerMismatch);
    }

    #[test]
    fn header_rules() {
        let raw = miniz_oxide::deflate::compress_to_vec(card_claims().to_string().as_bytes(), 9);
        let plain = card_claims().to_string().into_bytes();
        for (h, payload, code) in [
            (
                r#"{"alg":"ES256","kid":"test-kid"}"#.to_owned(),
                plain.clone(),
                ErrorCode::HeaderInvalid,
            ),
            (
                r#"{"zip":"DEF","alg":"ES256"}"#.to_owned(),
                raw.clone(),
                ErrorCode::HeaderInvalid,
            ),
            (
                r#"{"zip":"GZIP","alg":"ES256","kid":"test-kid"}"#.to_owned(),
                raw.clone(),
                ErrorCode::HeaderInvalid,
            ),
            (
                r#"{"zip":"DEF","alg":"HS256","kid":"test-kid"}"#.to_owned(),
                raw.clone(),
                ErrorCode::AlgNotAllowed,
            ),
            (
                r#"{"zip":"DEF","alg":"none","kid":"test-kid"}"#.to_owned(),
                raw.clone(),
                ErrorCode::AlgNotAllowed,
            ),
            (
                header(r#","crit":["x"]"#),
                raw.clone(),
                ErrorCode::CritUnsupported,
            ),
            (
                r#"{"zip":"DEF","alg":"ES256","kid":"other-kid"}"#.to_owned(),
                raw.clone(),
                ErrorCode::UnknownKey,
            ),
        ] {
            let v = check(&as_qr(&sign(&h, &payload)));
            assert_code(&v, code);
        }
    }

    #[test]
    fn bad_deflate_and_inflate_bombs() {
        let v = check(&sign(&header(""), b"this is not a DEFLATE stream"));
        assert_code(&v, ErrorCode::InflateFailed);
        // Uncompressed JSON under zip: DEF: the header lies about the payload.
        let v = check(&sign(&header(""), card_claims().to_string().as_bytes()));
        assert_code(&v, ErrorCode::HeaderInvalid);
        assert!(v.message.contains("uncompressed"), "{}", v.message);
        // A megabyte of spaces compresses to about a kilobyte; the 64 KiB limit stops it.
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b' '; 1 << 20], 10);
        assert!(bomb.len() < 4096);
        assert_code(
            &check(&sign(&header(""), &bomb)),
            ErrorCode::DecompressedTooLarge,
        );
        // Valid DEFLATE of something that is not a JSON object.
        let not_json = miniz_oxide::deflate::compress_to_vec(b"[1,2,3]", 9);
        assert_code(
            &check(&sign(&header(""), &not_json)),
            ErrorCode::JsonInvalid,
        );
    }

    #[test]
    fn claim_rules() {
        let with = |pointer: &str, value: Option<Value>| {
            let mut claims = card_claims();
            let (parent, name) = pointer.rsplit_once('/').unwrap();
            let target = if parent.is_empty() {
                &mut claims
            } else {
                claims.pointer_mut(parent).unwrap()
            };
            let object = target.as_object_mut().unwrap();
            match value {
                Some(v) => object.insert(name.to_owned(), v),
                None => object.remove(name),
            };
            check(&card(&claims))
        };
        assert_code(&with("/nbf", None), ErrorCode::ClaimMissing);
        assert_code(
            &with("/nbf", Some(json!("2023-01-01"))),
            ErrorCode::ClaimInvalid,
        );
        assert_code(
            &with("/nbf", Some(json!(NOW + 3600))),
            ErrorCode::NotYetValid,
        );
        assert_code(&with("/exp", Some(json!(NOW - 3600))), ErrorCode::Expired);
        assert_valid(&with("/exp", Some(json!(NOW + 3600))));
        assert_code(&with("/iss", None), ErrorCode::ClaimMissing);
        assert_code(&with("/iss", Some(json!(7))), ErrorCode::ClaimInvalid);
        assert_code(&with("/vc", None), ErrorCode::ClaimMissing);
        assert_code(
            &with("/vc/type", Some(json!(["VerifiableCredential"]))),
            ErrorCode::ClaimInvalid,
        );
        assert_code(
            &with(
                "/vc/type",
                Some(json!("https://smarthealth.cards#health-card")),
            ),
            ErrorCode::ClaimInvalid,
        );
        assert_code(
            &with("/vc/credentialSubject", None),
            ErrorCode::ClaimMissing,
        );
        assert_code(
            &with("/vc/credentialSubject/fhirVersion", None),
            ErrorCode::SchemaInvalid,
        );
        assert_code(
            &with(
                "/vc/credentialSubject/fhirBundle",
                Some(json!({"resourceType": "Patient"})),
            ),
            ErrorCode::SchemaInvalid,
        );
        assert_code(
            &with("/vc/rid", Some(json!("not a rid!"))),
            ErrorCode::ClaimInvalid,
        );
        assert_code(
            &with("/vc/rid", Some(json!("a".repeat(25)))),
            ErrorCode::ClaimInvalid,
        );
        assert_valid(&with("/vc/rid", None));
    }

    #[test]
    fn an_expired_trusted_key_is_refused() {
        let mut jwk = key().public_jwk();
        jwk["exp"] = json!(NOW - 1);
        let mut store = TrustStore::new();
        store
            .add_jwks(TEST_ISS, &json!({"keys": [jwk]}).to_string())
            .unwrap();
        let v = verify_with(store, &card(&card_claims()), NOW);
        assert_code(&v, ErrorCode::KeyExpired);
    }

    /// A card whose compact JWS is about `jws_len` characters: the claims carry a filler of
    /// pseudo-random text, which DEFLATE cannot shrink much.
    fn card_of_length(jws_len: usize) -> String {
        let mut state: u32 = 12_345;
        let mut filler = String::new();
        let mut jws = card(&card_claims());
        while jws.len() < jws_len {
            for _ in 0..64 {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                filler.push(char::from(b'a' + u8::try_from((state >> 16) % 26).unwrap()));
            }
            let mut claims = card_claims();
            claims["filler"] = json!(filler);
            jws = card(&claims);
        }
        jws
    }

    /// The QR texts of `jws` split into `n` chunks.
    fn chunks(jws: &str, n: usize) -> Vec<String> {
        let size = jws.len().div_ceil(n);
        let parts: Vec<&str> = (0..n)
            .map(|i| &jws[(i * size).min(jws.len())..((i + 1) * size).min(jws.len())])
            .collect();
        parts
            .iter()
            .enumerate()
            .map(|(i, part)| format!("shc:/{}/{n}/{}", i + 1, digits(part).unwrap()))
            .collect()
    }

    #[test]
    fn a_card_of_many_full_chunks_verifies() {
        // The assembled chunk text was held to the 16 KiB limit of one payload, so a card of more
        // than about 6 full chunks could never verify although 32 are allowed.
        for n in [7, 14, ShcChunks::MAX_CHUNKS] {
            let jws = card_of_length(n * ShcChunks::MAX_CHUNK_JWS_LEN - 80);
            assert!(jws.len() <= n * ShcChunks::MAX_CHUNK_JWS_LEN, "{n} chunks");
            let texts = chunks(&jws, n);
            let joined = texts.join("\r\n");
            if n >= 7 {
                assert!(joined.len() > Policy::default().limits.max_payload_len);
            }
            let v = check(&joined);
            assert_valid(&v);
            // Collected one scan at a time, as a scanner does, in reverse order.
            let mut collector = ShcChunks::new();
            for text in texts.iter().rev() {
                collector.add(text).unwrap();
            }
            assert_valid(&check(&collector.payload().unwrap()));
        }
        // Still bounded: a text longer than a whole card of 32 full chunks is refused unread.
        let too_long = format!("shc:/1/2/{}", "0".repeat(ShcChunks::MAX_PAYLOAD_LEN));
        assert_code_unknown(&check(&too_long), ErrorCode::PayloadTooLarge);
    }
}
