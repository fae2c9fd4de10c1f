//! Differential tests: our RSA verification against RustCrypto's `rsa` crate (the oracle), on
//! generated keys of awkward sizes (2048, 2049 and 3071 bits: emLen = k and k - 1, a modulus
//! that does not fill its top byte), exponents 3, 65537 and 2^33 - 1, random messages, genuine
//! signatures, signatures over hand-built and mutated paddings, and random representatives.
//! `RSA_DIFF_CASES` raises the number of cases per key (a benchmark-side run:
//! `RSA_DIFF_CASES=100000 cargo test --release --lib crypto::rsa -- --ignored`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a panic in a test is a failed assertion

use std::convert::Infallible;
use std::sync::OnceLock;

use rsa::hazmat::rsa_decrypt;
use rsa::rand_core::{TryCryptoRng, TryRng};
use rsa::signature::{RandomizedSigner as _, SignatureEncoding as _, Signer as _, Verifier as _};
use rsa::traits::PublicKeyParts as _;
use rsa::{BoxedUint, RsaPrivateKey, RsaPublicKey};
use sha2::Digest as _;

use super::{Pkcs1Hash, RsaKey};

/// xorshift64*: reproducible cases (the seed is in every failure message).
struct Rng(u64);

impl TryRng for Rng {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.try_next_u64()? >> 32) as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        Ok(self.0.wrapping_mul(0x2545_f491_4f6c_dd1d))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for b in dst {
            *b = self.try_next_u64()? as u8;
        }
        Ok(())
    }
}
impl TryCryptoRng for Rng {}

impl Rng {
    fn next(&mut self) -> u64 {
        self.try_next_u64().unwrap()
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn bytes(&mut self, len: usize) -> Vec<u8> {
        let mut v = vec![0; len];
        self.try_fill_bytes(&mut v).unwrap();
        v
    }
}

struct Pair {
    oracle: RsaPrivateKey,
    ours: RsaKey,
}

impl Pair {
    fn public(&self) -> RsaPublicKey {
        self.oracle.to_public_key()
    }
    fn k(&self) -> usize {
        self.ours.len()
    }
    /// The signature whose public operation gives `em` (k bytes, below n): a raw private-key
    /// operation, to sign paddings that no signer would produce.
    fn raw_sign(&self, em: &[u8]) -> Vec<u8> {
        let precision = self.oracle.n().as_ref().bits_precision();
        let m = BoxedUint::from_be_slice(em, precision).unwrap();
        let s = rsa_decrypt(None::<&mut Rng>, &self.oracle, &m).unwrap();
        let bytes = s.to_be_bytes();
        bytes[bytes.len() - self.k()..].to_vec()
    }
}

/// Keys generated once per test binary: (bits, exponent).
fn keys() -> &'static [Pair] {
    static KEYS: OnceLock<Vec<Pair>> = OnceLock::new();
    KEYS.get_or_init(|| {
        [(2048, 65537u64), (2049, 3), (3071, (1 << 33) - 1)]
            .iter()
            .enumerate()
            .map(|(i, &(bits, e))| {
                let mut rng = Rng(0x5eed_0000 + i as u64);
                let oracle =
                    RsaPrivateKey::new_with_exp(&mut rng, bits, BoxedUint::from(e)).unwrap();
                let public = oracle.to_public_key();
                let ours = RsaKey::from_components(&public.n_bytes(), &public.e_bytes()).unwrap();
                assert_eq!(ours.bits(), bits);
                Pair { oracle, ours }
            })
            .collect()
    })
}

fn cases() -> usize {
    std::env::var("RSA_DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150)
}

fn oracle_pss(key: &RsaPublicKey, msg: &[u8], sig: &[u8]) -> bool {
    rsa::pss::Signature::try_from(sig).is_ok_and(|sig| {
        rsa::pss::VerifyingKey::<sha2::Sha256>::new(key.clone())
            .verify(msg, &sig)
            .is_ok()
    })
}

fn oracle_pkcs1(key: &RsaPublicKey, hash: Pkcs1Hash, msg: &[u8], sig: &[u8]) -> bool {
    let Ok(sig) = rsa::pkcs1v15::Signature::try_from(sig) else {
        return false;
    };
    let key = key.clone();
    match hash {
        Pkcs1Hash::Sha256 => rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key)
            .verify(msg, &sig)
            .is_ok(),
        Pkcs1Hash::Sha384 => rsa::pkcs1v15::VerifyingKey::<sha2::Sha384>::new(key)
            .verify(msg, &sig)
            .is_ok(),
        Pkcs1Hash::Sha512 => rsa::pkcs1v15::VerifyingKey::<sha2::Sha512>::new(key)
            .verify(msg, &sig)
            .is_ok(),
    }
}

/// A signature mutated one of the ways that matter: a bit flipped, a byte dropped or added,
/// zero, n - 1, n, n + 1, all ones.
fn mutate(rng: &mut Rng, pair: &Pair, sig: &[u8]) -> Vec<u8> {
    let n = pair.public().n_bytes().to_vec();
    let mut n = n[n.len() - pair.k()..].to_vec();
    match rng.below(8) {
        0 | 1 => {
            let mut s = sig.to_vec();
            let i = rng.below(s.len());
            s[i] ^= 1 << rng.below(8);
            s
        }
        2 => sig[1..].to_vec(),
        3 => [&[0u8][..], sig].concat(),
        4 => vec![0; sig.len()],
        5 => vec![0xff; sig.len()],
        6 => {
            // n - 1 or n + 1 (n is odd: only the last byte moves)
            let last = n.len() - 1;
            n[last] ^= 1;
            if rng.below(2) == 0 {
                n[last] += 2;
            }
            n
        }
        _ => n,
    }
}

fn check_signatures(cases: usize) {
    for (ki, pair) in keys().iter().enumerate() {
        let public = pair.public();
        let mut rng = Rng(0xd1ff_0000 + ki as u64);
        let pss_signer = rsa::pss::SigningKey::<sha2::Sha256>::new(pair.oracle.clone());
        for case in 0..cases {
            let len = rng.below(100);
            let msg = rng.bytes(len);
            let sig = pss_signer.sign_with_rng(&mut rng, &msg).to_vec();
            let variants = [sig.clone(), mutate(&mut rng, pair, &sig)];
            for (vi, sig) in variants.iter().enumerate() {
                let expected = oracle_pss(&public, &msg, sig);
                assert_eq!(
                    pair.ours.verify_pss_sha256(&msg, sig),
                    expected,
                    "PSS key {ki} case {case} variant {vi}"
                );
                if vi == 0 {
                    assert!(expected, "a genuine PSS signature verifies");
                }
            }
            let mut other = msg.clone();
            other.push(1);
            assert!(
                !pair.ours.verify_pss_sha256(&other, &sig),
                "PSS key {ki} case {case}: another message"
            );

            let hash = [Pkcs1Hash::Sha256, Pkcs1Hash::Sha384, Pkcs1Hash::Sha512][case % 3];
            let sig = match hash {
                Pkcs1Hash::Sha256 => {
                    rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(pair.oracle.clone())
                        .sign(&msg)
                        .to_vec()
                }
                Pkcs1Hash::Sha384 => {
                    rsa::pkcs1v15::SigningKey::<sha2::Sha384>::new(pair.oracle.clone())
                        .sign(&msg)
                        .to_vec()
                }
                Pkcs1Hash::Sha512 => {
                    rsa::pkcs1v15::SigningKey::<sha2::Sha512>::new(pair.oracle.clone())
                        .sign(&msg)
                        .to_vec()
                }
            };
            let variants = [sig.clone(), mutate(&mut rng, pair, &sig)];
            for (vi, sig) in variants.iter().enumerate() {
                let expected = oracle_pkcs1(&public, hash, &msg, sig);
                assert_eq!(
                    pair.ours.verify_pkcs1v15(hash, &msg, sig),
                    expected,
                    "PKCS#1 {hash:?} key {ki} case {case} variant {vi}"
                );
                if vi == 0 {
                    assert!(expected, "a genuine PKCS#1 signature verifies");
                }
            }
            // The wrong digest never verifies.
            let wrong = if hash == Pkcs1Hash::Sha256 {
                Pkcs1Hash::Sha384
            } else {
                Pkcs1Hash::Sha256
            };
            assert!(!pair.ours.verify_pkcs1v15(wrong, &msg, &sig));
            assert!(
                !pair.ours.verify_pss_sha256(&msg, &sig),
                "a PKCS#1 signature is not a PSS one"
            );
        }
    }
}

/// EMSA-PSS-ENCODE with a chosen salt (RFC 8017 §9.1.1), as k bytes.
fn pss_encode(pair: &Pair, msg: &[u8], salt: &[u8]) -> Vec<u8> {
    let em_bits = pair.ours.bits() - 1;
    let em_len = em_bits.div_ceil(8);
    let m_hash = sha2::Sha256::digest(msg);
    let h = sha2::Sha256::new()
        .chain_update([0u8; 8])
        .chain_update(m_hash)
        .chain_update(salt)
        .finalize();
    let mut db = vec![0u8; em_len - 32 - 1];
    let sep = db.len() - salt.len() - 1;
    db[sep] = 1;
    db[sep + 1..].copy_from_slice(salt);
    super::mgf1_sha256_xor(&h, &mut db);
    db[0] &= 0xff >> (8 * em_len - em_bits);
    let mut em = vec![0u8; pair.k() - em_len];
    em.extend_from_slice(&db);
    em.extend_from_slice(&h);
    em.push(0xbc);
    em
}

/// Paddings no signer produces: every field of a PSS and a PKCS#1 encoding changed in turn,
/// signed with a raw private-key operation; ours and the oracle must agree on each.
fn check_paddings(cases: usize) {
    for (ki, pair) in keys().iter().enumerate() {
        let public = pair.public();
        let n = public.n_bytes();
        let n = &n[n.len() - pair.k()..];
        let mut rng = Rng(0xbad0_0000 + ki as u64);
        for case in 0..cases {
            let len = rng.below(64);
            let msg = rng.bytes(len);
            let salt_len = [32, 32, 32, 0, 31, 33, 64][rng.below(7)];
            let salt = rng.bytes(salt_len);
            let mut em = pss_encode(pair, &msg, &salt);
            let k = em.len();
            match rng.below(6) {
                0 => {}
                1 => em[k - 1] = rng.next() as u8, // the trailer 0xbc
                2 => {
                    let i = rng.below(k);
                    em[i] ^= 1 << rng.below(8);
                } // anywhere
                3 => em[0] |= 0x80 >> rng.below(8), // the top bits
                4 => {
                    let i = rng.below(k - 33);
                    em[i] ^= rng.next() as u8;
                } // masked DB
                _ => {
                    let i = k - 33 + rng.below(32);
                    em[i] ^= 1;
                } // H
            }
            if em.as_slice() >= n {
                continue;
            }
            let sig = pair.raw_sign(&em);
            let expected = oracle_pss(&public, &msg, &sig);
            assert_eq!(
                pair.ours.verify_pss_sha256(&msg, &sig),
                expected,
                "PSS padding key {ki} case {case} salt {salt_len}"
            );

            // PKCS#1 v1.5: 00 01 FF…FF 00 ‖ DigestInfo ‖ H, one field changed.
            let digest = sha2::Sha256::digest(&msg);
            let mut em = vec![0u8, 1];
            em.resize(k - 19 - 32 - 1, 0xff);
            em.push(0);
            em.extend_from_slice(&super::SHA256_PREFIX);
            em.extend_from_slice(&digest);
            match rng.below(6) {
                0 => {}
                1 => em[1] = 2,
                2 => {
                    let i = 2 + rng.below(k - 54);
                    em[i] = rng.next() as u8;
                } // PS
                3 => em[k - 52] = 1, // the 00 after PS
                4 => {
                    let i = k - 51 + rng.below(19);
                    em[i] ^= 1;
                } // DigestInfo
                _ => {
                    let i = rng.below(k);
                    em[i] ^= 1 << rng.below(8);
                }
            }
            if em.as_slice() >= n {
                continue;
            }
            let sig = pair.raw_sign(&em);
            let expected = oracle_pkcs1(&public, Pkcs1Hash::Sha256, &msg, &sig);
            assert_eq!(
                pair.ours.verify_pkcs1v15(Pkcs1Hash::Sha256, &msg, &sig),
                expected,
                "PKCS#1 padding key {ki} case {case}"
            );
        }
    }
}

/// The arithmetic alone: s^e mod n for random s of k bytes (some at or above n: refused).
fn check_public_op(cases: usize) {
    for (ki, pair) in keys().iter().enumerate() {
        let public = pair.public();
        let precision = public.n().as_ref().bits_precision();
        let n = public.n_bytes();
        let n = &n[n.len() - pair.k()..];
        let mut rng = Rng(0x0e0e_0000 + ki as u64);
        for case in 0..cases {
            let mut s = rng.bytes(pair.k());
            if case % 4 == 0 {
                s[0] = n[0]; // near n, on either side
            }
            let got = pair.ours.public_op(&s);
            if s.as_slice() >= n {
                assert_eq!(got, None, "key {ki} case {case}: s ≥ n is refused");
                continue;
            }
            let m = rsa::hazmat::rsa_encrypt(
                &public,
                &BoxedUint::from_be_slice(&s, precision).unwrap(),
            )
            .unwrap();
            let bytes = m.to_be_bytes();
            assert_eq!(
                got.as_deref(),
                Some(&bytes[bytes.len() - pair.k()..]),
                "key {ki} case {case}"
            );
        }
    }
}

#[test]
fn signatures_agree_with_the_rsa_crate() {
    check_signatures(cases() / 3);
}

#[test]
fn paddings_agree_with_the_rsa_crate() {
    check_paddings(cases());
}

#[test]
fn public_operation_agrees_with_the_rsa_crate() {
    check_public_op(cases());
}

/// The benchmark-side run: `RSA_DIFF_CASES` cases of each kind per key, in a release build.
#[test]
#[ignore = "slow: run with RSA_DIFF_CASES=N --release -- --ignored"]
fn many_cases_agree_with_the_rsa_crate() {
    let n = cases();
    check_public_op(n);
    check_paddings(n);
    check_signatures(n);
}

#[test]
fn keys_are_accepted_as_the_rsa_crate_accepts_them() {
    let pair = &keys()[0];
    let public = pair.public();
    let n = public.n_bytes().to_vec();
    let mut even = n.clone();
    *even.last_mut().unwrap() ^= 1;
    let e = |v: u64| {
        let b = v.to_be_bytes();
        super::strip_zeros(&b).to_vec()
    };
    let cases: Vec<(Vec<u8>, Vec<u8>)> = vec![
        (n.clone(), e(65537)),
        (n.clone(), e(3)),
        (n.clone(), e(1)),
        (n.clone(), e(2)),
        (n.clone(), e(0)),
        (n.clone(), vec![]),
        (n.clone(), e((1 << 33) - 1)),
        (n.clone(), e((1 << 33) + 1)),
        (n.clone(), e(u64::MAX)),
        (n.clone(), [&[1u8][..], &e(65537)].concat().repeat(2)),
        (n.clone(), [&[0u8, 0][..], &e(65537)].concat()),
        (even, e(65537)),
        ([&[0u8][..], &n].concat(), e(65537)),
        ([&[0u8, 0, 0][..], &n].concat(), e(65537)),
    ];
    for (i, (n, e)) in cases.iter().enumerate() {
        let ours = RsaKey::from_components(n, e);
        let precision = u32::try_from(n.len() * 8).unwrap();
        let oracle = BoxedUint::from_be_slice(n, precision)
            .ok()
            .and_then(|n| RsaPublicKey::new(n, BoxedUint::from_be_slice_vartime(e)).ok());
        assert_eq!(ours.is_ok(), oracle.is_some(), "case {i}: ours {ours:?}");
    }
    // Outside 2048–4096 bits: refused with the size in the message.
    let small = keys()[0].public().n_bytes()[1..].to_vec();
    let err = RsaKey::from_components(&small, &[1, 0, 1]).unwrap_err();
    assert!(err.contains("2040 bits"), "{err}");
    let big = [vec![1u8], vec![0; 512]].concat();
    assert!(RsaKey::from_components(&big, &[1, 0, 1])
        .unwrap_err()
        .contains("4097 bits"));
}
