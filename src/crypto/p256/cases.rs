//! Differential cases for ES256: random keys (and edge keys), random messages, genuine
//! signatures from RustCrypto's `p256` (deterministic RFC 6979 nonces) and the same signatures
//! mutated (a bit flipped, r or s zero, n or above, r + n, s negated into the other half, r and s
//! swapped, the message changed), each with the oracle's verdict. Seeded: reproducible.
//!
//! Included with `#[path]` by the crate's unit tests (both field shapes, every table
//! combination), tests/es256_diff.rs (the public API) and examples/es256_diff.rs (10^6 cases).
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use sha2::Digest as _;

/// splitmix64: a small deterministic generator.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub(crate) fn bytes32(&mut self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for chunk in out.chunks_mut(8) {
            chunk.copy_from_slice(&self.next().to_be_bytes());
        }
        out
    }
}

/// n, the group order, big-endian.
pub(crate) const N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// a + b or a − b on 32-byte big-endian integers, modulo 2^256.
fn add_sub(a: &[u8; 32], b: &[u8; 32], subtract: bool) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut carry = 0i16;
    for i in (0..32).rev() {
        let v = if subtract {
            i16::from(a[i]) - i16::from(b[i]) + carry
        } else {
            i16::from(a[i]) + i16::from(b[i]) + carry
        };
        out[i] = v.rem_euclid(256) as u8;
        carry = v.div_euclid(256);
    }
    out
}

/// One case: the key (uncompressed SEC1), the message, its SHA-256, a signature and whether
/// the oracle accepts it.
pub(crate) struct Case<'a> {
    pub(crate) key_index: usize,
    pub(crate) sec1: &'a [u8; 65],
    pub(crate) message: &'a [u8],
    pub(crate) digest: &'a [u8; 32],
    pub(crate) signature: &'a [u8; 64],
    pub(crate) expected: bool,
}

/// The private scalars of the edge keys: Q = G, 2G, 3G, −G, −2G, and 2^128 (a key with a
/// sparse scalar).
fn edge_scalars() -> Vec<[u8; 32]> {
    let small = |v: u8| {
        let mut b = [0u8; 32];
        b[31] = v;
        b
    };
    let mut two128 = [0u8; 32];
    two128[15] = 1;
    vec![
        small(1),
        small(2),
        small(3),
        add_sub(&N, &small(1), true),
        add_sub(&N, &small(2), true),
        two128,
    ]
}

/// The mutations of one genuine signature.
fn mutations(rng: &mut Rng, sig: &[u8; 64]) -> Vec<[u8; 64]> {
    let r: [u8; 32] = sig[..32].try_into().unwrap();
    let s: [u8; 32] = sig[32..].try_into().unwrap();
    let with = |r: &[u8; 32], s: &[u8; 32]| {
        let mut m = [0u8; 64];
        m[..32].copy_from_slice(r);
        m[32..].copy_from_slice(s);
        m
    };
    let mut flip = *sig;
    let bit = (rng.next() % 512) as usize;
    flip[bit / 8] ^= 1 << (bit % 8);
    vec![
        flip,
        with(&[0; 32], &s),
        with(&r, &[0; 32]),
        with(&N, &s),
        with(&r, &N),
        with(&[0xff; 32], &s),
        with(&add_sub(&r, &N, false), &s),
        with(&r, &add_sub(&N, &s, true)),
        with(&s, &r),
    ]
}

/// Visits `keys × per_key × 11` cases (the first keys are the edge keys): per message, the
/// genuine signature, nine mutations and the genuine signature over a changed message.
/// Returns (accepted, refused) as counted by the oracle.
pub(crate) fn generate(
    seed: u64,
    keys: usize,
    per_key: usize,
    mut visit: impl FnMut(&Case),
) -> (usize, usize) {
    let mut rng = Rng(seed);
    let edges = edge_scalars();
    let (mut accepted, mut refused) = (0, 0);
    for key_index in 0..keys {
        let signer = match edges.get(key_index) {
            Some(d) => SigningKey::from_slice(d).expect("edge scalar"),
            None => loop {
                if let Ok(sk) = SigningKey::from_slice(&rng.bytes32()) {
                    break sk;
                }
            },
        };
        let oracle = *signer.verifying_key();
        let sec1: [u8; 65] = oracle.to_sec1_point(false).as_bytes().try_into().unwrap();
        for _ in 0..per_key {
            let len = (rng.next() % 80) as usize;
            let message: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let digest: [u8; 32] = sha2::Sha256::digest(&message).into();
            let signed: Signature = signer.sign(&message);
            let signature: [u8; 64] = signed.to_bytes().as_slice().try_into().unwrap();
            let mut changed = message.clone();
            changed.push(rng.next() as u8);
            let changed_digest: [u8; 32] = sha2::Sha256::digest(&changed).into();
            let mut cases: Vec<(&[u8], [u8; 32], [u8; 64])> = vec![(&message, digest, signature)];
            for m in mutations(&mut rng, &signature) {
                cases.push((&message, digest, m));
            }
            cases.push((&changed, changed_digest, signature));
            for (message, digest, signature) in &cases {
                let expected = Signature::from_slice(signature)
                    .is_ok_and(|s| oracle.verify_prehash(digest, &s).is_ok());
                if expected {
                    accepted += 1;
                } else {
                    refused += 1;
                }
                visit(&Case {
                    key_index,
                    sec1: &sec1,
                    message,
                    digest,
                    signature,
                    expected,
                });
            }
        }
    }
    (accepted, refused)
}
