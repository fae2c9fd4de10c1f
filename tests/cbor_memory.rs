//! Hostile CBOR costs memory in proportion to its own size, not to the lengths it claims. This
//! test binary counts allocations with its own global allocator.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion
#[path = "common/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::peak_during;
use vneid_verify::dangerous::decode_cbor;
use vneid_verify::{ErrorCode, Limits, Policy, TrustStore, Verifier};

/// 32 nested arrays (or maps), each claiming 65 000 elements, followed by 65 000 zero bytes so
/// that every claim passes the "enough input left" check. It compresses to a few hundred bytes.
fn nested_claims(major: u8) -> Vec<u8> {
    let mut bytes = Vec::new();
    for _ in 0..32 {
        bytes.push((major << 5) | 25);
        bytes.extend(65_000u16.to_be_bytes());
    }
    bytes.extend(vec![0u8; 65_000]);
    bytes
}

// One test function: the counters are process-wide, and the test harness runs tests in parallel.
#[test]
fn claimed_lengths_do_not_reserve_memory() {
    claimed_lengths_in_bare_cbor();
    claimed_lengths_inside_a_full_qr_payload();
}

fn claimed_lengths_in_bare_cbor() {
    for major in [4u8, 5] {
        let input = nested_claims(major);
        let mut result = None;
        let peak = peak_during(|| result = Some(decode_cbor(&input, &big_enough())));
        assert_eq!(
            result.unwrap().map_err(|e| e.code()).err(),
            Some(ErrorCode::CborInvalid)
        );
        // Each decoded item costs ~48 bytes: memory follows the items present, not the 32 × 65 000
        // claimed (66 MB before the fix).
        assert!(
            peak < 64 * input.len(),
            "major type {major}: {peak} bytes allocated for {} bytes of input",
            input.len()
        );
    }
}

fn claimed_lengths_inside_a_full_qr_payload() {
    // Wrapped as a document QR (zlib + base45 + prefix), it reaches the CBOR reader before any
    // signature is checked.
    let zlib = miniz_oxide::deflate::compress_to_vec_zlib(&nested_claims(4), 9);
    for prefix in ["HC1:", "VN1:"] {
        let qr = format!("{prefix}{}", base45(&zlib));
        let policy = Policy {
            limits: Limits {
                max_decompressed_len: 1 << 20,
                ..big_enough()
            },
            ..Policy::default()
        };
        let verifier = Verifier::new(TrustStore::new(), policy);
        let mut code = None;
        let peak = peak_during(|| code = verifier.verify(&qr, 1_795_000_000).code);
        assert!(code.is_some());
        assert!(peak < 8 << 20, "{prefix}: {peak} bytes allocated");
    }
}

/// Limits that let the input through to the container lengths (the defaults stop it earlier,
/// at 10 000 items: the fix must hold whatever the caller configures).
fn big_enough() -> Limits {
    Limits {
        max_items: 1_000_000,
        ..Limits::default()
    }
}

fn base45(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let mut out = String::new();
    for chunk in bytes.chunks(2) {
        let (mut n, digits) = match chunk {
            [a, b] => (usize::from(*a) * 256 + usize::from(*b), 3),
            [a] => (usize::from(*a), 2),
            _ => unreachable!(),
        };
        for _ in 0..digits {
            out.push(char::from(ALPHABET[n % 45]));
            n /= 45;
        }
    }
    out
}
