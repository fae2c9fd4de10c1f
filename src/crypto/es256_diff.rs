//! `es256` (our own P-256 arithmetic behind it, keys with their lazily built tables) against
//! RustCrypto's `p256` as the oracle: 11,000 seeded cases (genuine signatures, mutated ones, edge
//! keys), each key first verifying without its table and then with it; key parsing, valid and
//! invalid; and, ignored unless asked for, a million cases in a release build:
//!
//!   cargo test --release --lib million -- --ignored --nocapture
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::cast_precision_loss,
    clippy::print_stdout
)] // a panic in a test is a failed assertion; the million-case run prints its timing

use std::time::{Duration, Instant};

use p256::ecdsa::signature::hazmat::PrehashVerifier as _;

use super::es256;
use super::p256::cases;

#[test]
fn eleven_thousand_cases_agree_with_p256_with_and_without_tables() {
    let mut current: Option<(usize, es256::P256Key)> = None;
    let (mut with_table, mut without) = (0, 0);
    let (accepted, refused) = cases::generate(0x5eed_1000, 100, 10, |case| {
        if current.as_ref().is_none_or(|(i, _)| *i != case.key_index) {
            current = Some((
                case.key_index,
                es256::key_from_sec1(case.sec1).expect("key"),
            ));
        }
        let (_, key) = current.as_ref().unwrap();
        if key.has_table() {
            with_table += 1;
        } else {
            without += 1;
        }
        assert_eq!(
            es256::verify(key, case.message, case.signature),
            case.expected,
            "key {} sig {:02x?}",
            case.key_index,
            case.signature
        );
        assert_eq!(
            es256::verify_prehash(key, case.digest, case.signature),
            case.expected
        );
    });
    assert_eq!((accepted, refused), (2_000, 9_000));
    // Every key's first verification ran without its table, the rest with it (the budget of
    // tables is never exceeded: each key is dropped before the next).
    assert_eq!((with_table, without), (11_000 - 100, 100));
}

#[test]
fn key_parsing_agrees_with_p256_on_valid_invalid_and_edge_encodings() {
    let mut rng = cases::Rng(0x5eed_1001);
    let mut checked = 0;
    let mut agree = |bytes: &[u8]| {
        let ours = es256::key_from_sec1(bytes);
        // p256 also takes tag 05, the "compact" form of an expired draft (x alone, y implied);
        // SEC1, RFC 5480 and X.509 know only 02/03/04, and neither do we.
        let oracle = p256::ecdsa::VerifyingKey::from_sec1_bytes(bytes)
            .ok()
            .filter(|_| bytes.first() != Some(&5));
        assert_eq!(ours.is_some(), oracle.is_some(), "{bytes:02x?}");
        if let (Some(ours), Some(oracle)) = (ours, oracle) {
            assert_eq!(
                ours.to_sec1_uncompressed().as_slice(),
                oracle.to_sec1_point(false).as_bytes()
            );
        }
        checked += 1;
    };
    let p: [u8; 32] = {
        let mut p = [0xff; 32];
        p[4..12].copy_from_slice(&[0, 0, 0, 1, 0, 0, 0, 0]);
        p[12..20].fill(0);
        p
    };
    for i in 0..300 {
        let d = rng.bytes32();
        let Ok(sk) = p256::ecdsa::SigningKey::from_slice(&d) else {
            continue;
        };
        let vk = sk.verifying_key();
        let full = vk.to_sec1_point(false).as_bytes().to_vec();
        let compressed = vk.to_sec1_point(true).as_bytes().to_vec();
        agree(&full);
        agree(&compressed);
        // One bit of y flipped (off the curve), x + p, y + p written out (not field elements:
        // here x or y replaced by p itself), other tags, truncations, random x compressed.
        let mut bad = full.clone();
        bad[64 - i % 32] ^= 1 << (i % 8);
        agree(&bad);
        let mut px = full.clone();
        px[1..33].copy_from_slice(&p);
        agree(&px);
        let mut py = full.clone();
        py[33..].copy_from_slice(&p);
        agree(&py);
        for tag in [0u8, 1, 5, 6, 7] {
            let mut t = full.clone();
            t[0] = tag;
            agree(&t);
            let mut c = compressed.clone();
            c[0] = tag;
            agree(&c);
        }
        agree(&full[..64]);
        agree(&compressed[..32]);
        let mut random_x = vec![if i % 2 == 0 { 2u8 } else { 3 }];
        random_x.extend_from_slice(&rng.bytes32());
        agree(&random_x);
    }
    agree(&[0]);
    agree(&[]);
    agree(&[4; 65]);
    let mut cp = vec![2u8];
    cp.extend_from_slice(&p);
    agree(&cp);
    assert!(checked > 4_000, "{checked}");
}

#[test]
#[ignore = "a million cases: run in a release build (see the module comment)"]
fn a_million_cases_agree_with_p256() {
    let total: usize =
        std::env::var("ES256_CASES").map_or(1_001_000, |v| v.parse().expect("ES256_CASES"));
    // 100 messages per key, 11 cases per message: keys are loaded, used without and with their
    // table, and dropped after their cases.
    let per_key = 100;
    let keys = total.div_ceil(per_key * 11);
    let (mut ours, mut oracle) = (Duration::ZERO, Duration::ZERO);
    let mut current: Option<(usize, es256::P256Key)> = None;
    let mut n = 0usize;
    let started = Instant::now();
    let (accepted, refused) = cases::generate(0x5eed_2000, keys, per_key, |case| {
        if current.as_ref().is_none_or(|(i, _)| *i != case.key_index) {
            current = Some((
                case.key_index,
                es256::key_from_sec1(case.sec1).expect("key"),
            ));
        }
        let (_, key) = current.as_ref().unwrap();
        let t = Instant::now();
        let got = es256::verify(key, case.message, case.signature);
        ours += t.elapsed();
        let t = Instant::now();
        let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(case.sec1).unwrap();
        let expected = p256::ecdsa::Signature::from_slice(case.signature)
            .is_ok_and(|s| vk.verify_prehash(case.digest, &s).is_ok());
        oracle += t.elapsed();
        assert_eq!(expected, case.expected);
        assert_eq!(
            got, expected,
            "disagreement: key {} message {:02x?} signature {:02x?}",
            case.key_index, case.message, case.signature
        );
        n += 1;
    });
    assert_eq!(n, accepted + refused);
    std::println!(
        "es256 differential: {n} cases ({accepted} valid, {refused} invalid) over {keys} keys, all agree with p256 ({:.0} s); ours {:.2} µs per SHA-256 + verify, p256 {:.2} µs per key parse + verify",
        started.elapsed().as_secs_f64(),
        ours.as_secs_f64() * 1e6 / n as f64,
        oracle.as_secs_f64() * 1e6 / n as f64
    );
}
