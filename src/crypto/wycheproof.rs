//! Wycheproof (C2SP/wycheproof @ dac1dd4, ../shared/vectors/wycheproof) for the ES256 primitive,
//! in both directions: a vector that must fail and passes is a failure, and so is one that must
//! pass and fails. The JWK and JWS files run through the public API in tests/wycheproof.rs.
#![allow(clippy::expect_used, clippy::indexing_slicing)] // a panic in a test is a failed assertion

use super::es256::P256Key as VerifyingKey;
use serde_json::Value;

use super::es256;
use crate::test_vectors::{hex, json};

const P1363: &str = "wycheproof/testvectors_v1/ecdsa_secp256r1_sha256_p1363_test.json";
const DER: &str = "wycheproof/testvectors_v1/ecdsa_secp256r1_sha256_test.json";

fn tests(file: &Value) -> impl Iterator<Item = (&Value, &Value)> {
    file["testGroups"]
        .as_array()
        .expect("testGroups")
        .iter()
        .flat_map(|g| {
            g["tests"]
                .as_array()
                .expect("tests")
                .iter()
                .map(move |t| (g, t))
        })
}

fn verifying_key(group: &Value) -> VerifyingKey {
    es256::key_from_sec1(&hex(group["publicKey"]["uncompressed"]
        .as_str()
        .expect("key")))
    .expect("the group key is on the curve")
}

/// The ES256 primitive: 64-byte r‖s or nothing, as JWS and COSE specify.
fn verify_p1363(key: &VerifyingKey, msg: &[u8], sig: &[u8]) -> bool {
    match <[u8; 64]>::try_from(sig) {
        Ok(rs) => es256::verify(key, msg, &rs),
        Err(_) => false,
    }
}

#[test]
fn p1363_all_262_cases_agree_including_70_high_s() {
    let file = json(P1363);
    let (mut total, mut valid, mut high_s_valid) = (0, 0, 0);
    let half_n = hex("7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8");
    for (group, test) in tests(&file) {
        let key = verifying_key(group);
        let sig = hex(test["sig"].as_str().expect("sig"));
        let expected = test["result"] == "valid";
        let got = verify_p1363(&key, &hex(test["msg"].as_str().expect("msg")), &sig);
        assert_eq!(
            got, expected,
            "tcId {} ({}) flags {}",
            test["tcId"], test["comment"], test["flags"]
        );
        total += 1;
        if expected {
            valid += 1;
            if sig.len() == 64 && sig[32..] > half_n[..] {
                high_s_valid += 1;
            }
        }
    }
    assert_eq!((total, valid, high_s_valid), (262, 173, 70));
}

/// The DER file through the X.509 path (strict DER, then r‖s), every vector: the valid ones
/// verify, the invalid ones (BER lengths, padded or negative integers, wrong tags, trailing
/// bytes, bad values) do not; and no DER signature is ever taken as r‖s.
#[test]
fn der_file_agrees_in_both_directions_and_der_is_never_taken_as_r_s() {
    let file = json(DER);
    let (mut total, mut valid, mut invalid) = (0, 0, 0);
    for (group, test) in tests(&file) {
        let key = verifying_key(group);
        let msg = hex(test["msg"].as_str().expect("msg"));
        let der = hex(test["sig"].as_str().expect("sig"));
        total += 1;
        // A DER signature handed to the r‖s verifier never verifies.
        assert!(
            !verify_p1363(&key, &msg, &der),
            "tcId {}: DER accepted as r‖s",
            test["tcId"]
        );
        let expected = test["result"] == "valid";
        assert_eq!(
            es256::verify_der(&key, &msg, &der),
            expected,
            "tcId {} ({}) flags {}",
            test["tcId"],
            test["comment"],
            test["flags"]
        );
        if expected {
            valid += 1;
        } else {
            invalid += 1;
        }
    }
    assert_eq!((total, valid, invalid), (484, 174, 310));
}
