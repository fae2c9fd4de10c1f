//! A million ES256 cases (random keys and edge keys, genuine and mutated signatures) through our
//! verifier and RustCrypto's `p256`, side by side, in a release build: the benchmark-side half
//! of the differential test (tests/es256_diff.rs runs 11,000 in `npm test`). Prints the counts,
//! the time per verification of both, and fails on the first disagreement.
//!
//!   cargo run --release --example es256_diff            # 1,001,000 cases
//!   cargo run --release --example es256_diff -- 20000   # a shorter run
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[path = "../tests/common/es256_cases.rs"]
mod cases;

use std::time::{Duration, Instant};

use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
use vneid_verify::crypto::es256;

fn main() {
    let total: usize = std::env::args()
        .nth(1)
        .map_or(1_001_000, |a| a.parse().expect("a number of cases"));
    // 100 messages per key, 11 cases per message: keys are loaded, used without and with their
    // table; up to 64 at a time keep a table, the rest are dropped after their cases.
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
        let sig = p256::ecdsa::Signature::from_slice(case.signature);
        let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(case.sec1).unwrap();
        let expected = sig.is_ok_and(|s| vk.verify_prehash(case.digest, &s).is_ok());
        oracle += t.elapsed();
        assert_eq!(expected, case.expected);
        assert_eq!(
            got, expected,
            "disagreement: key {} message {:02x?} signature {:02x?}",
            case.key_index, case.message, case.signature
        );
        n += 1;
    });
    println!(
        "es256_diff: {n} cases ({accepted} valid, {refused} invalid) over {keys} keys: all agree with p256; {:.1} s",
        started.elapsed().as_secs_f64()
    );
    println!(
        "  ours (SHA-256 + verify, tables after a key's first use): {:.2} µs/verification; p256 0.14 (verify_prehash, key parsed each time): {:.2} µs",
        ours.as_secs_f64() * 1e6 / n as f64,
        oracle.as_secs_f64() * 1e6 / n as f64
    );
}
