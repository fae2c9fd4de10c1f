//! Both field shapes against each other, and the whole verification, with and without tables,
//! for both shapes, against RustCrypto's `p256` (the oracle). Fixed seeds: reproducible.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::fe29::Fe29;
use super::fe64::Fe64;
use super::field::{be_from_words, words_from_be, Field, P_BYTES};
use super::point::Affine;
use super::scalar;
use super::{decompress, generator, point_from_coordinates, verify, Table};

use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};

use cases::Rng;

fn sub_be(a: &[u8; 32], k: u64) -> [u8; 32] {
    be_from_words(&scalar::sub(&words_from_be(a), &[k, 0, 0, 0]).0)
}

/// Field values below p that stress the limbs: 0, 1, small, p − 1, p − 2, 2^255, all-ones words.
fn edge_values() -> Vec<[u8; 32]> {
    let mut v = vec![
        [0u8; 32],
        be_from_words(&[1, 0, 0, 0]),
        be_from_words(&[3, 0, 0, 0]),
    ];
    v.push(sub_be(&P_BYTES, 1));
    v.push(sub_be(&P_BYTES, 2));
    v.push(be_from_words(&[0, 0, 0, 1 << 63]));
    v.push(be_from_words(&[u64::MAX, u64::MAX, u64::MAX, 0]));
    v.push(be_from_words(&[0, u64::MAX, 0, 0xffff_ffff]));
    v.push(be_from_words(&[u64::MAX, 0, 0, 0xffff_fffe_0000_0000]));
    v
}

fn random_fe(rng: &mut Rng) -> [u8; 32] {
    loop {
        let b = rng.bytes32();
        if Fe64::from_bytes(&b).is_some() {
            return b;
        }
    }
}

#[test]
fn the_two_field_shapes_agree_on_every_operation_and_long_chains() {
    let mut rng = Rng(0x5eed_0001);
    let mut values = edge_values();
    for _ in 0..200 {
        values.push(random_fe(&mut rng));
    }
    assert!(Fe64::from_bytes(&P_BYTES).is_none() && Fe29::from_bytes(&P_BYTES).is_none());
    assert!(Fe64::from_bytes(&[0xff; 32]).is_none() && Fe29::from_bytes(&[0xff; 32]).is_none());
    for a in &values {
        let (a64, a29) = (Fe64::from_bytes(a).unwrap(), Fe29::from_bytes(a).unwrap());
        assert_eq!(a64.to_bytes(), *a);
        assert_eq!(a29.to_bytes(), *a);
        assert_eq!(a64.square().to_bytes(), a29.square().to_bytes());
        assert_eq!(a64.invert().to_bytes(), a29.invert().to_bytes());
        assert_eq!(a64.neg().to_bytes(), a29.neg().to_bytes());
        assert_eq!(a64.is_zero(), a29.is_zero());
        assert_eq!(a64.is_zero(), *a == [0u8; 32]);
        for k in 0..=8 {
            assert_eq!(a64.scale(k).to_bytes(), a29.scale(k).to_bytes());
        }
        if !a64.is_zero() {
            assert_eq!(a64.mul(&a64.invert()).to_bytes(), Fe64::ONE.to_bytes());
        }
        assert_eq!(
            a64.sqrt().map(|r| r.square().to_bytes()),
            a29.sqrt().map(|r| r.square().to_bytes())
        );
        for b in values.iter().step_by(7) {
            let (b64, b29) = (Fe64::from_bytes(b).unwrap(), Fe29::from_bytes(b).unwrap());
            assert_eq!(a64.add(&b64).to_bytes(), a29.add(&b29).to_bytes());
            assert_eq!(a64.sub(&b64).to_bytes(), a29.sub(&b29).to_bytes());
            assert_eq!(a64.mul(&b64).to_bytes(), a29.mul(&b29).to_bytes());
            assert_eq!(a64.equals(&b64), a == b);
            assert_eq!(a29.equals(&b29), a == b);
        }
    }
    assert_eq!(Fe64::ONE.to_bytes(), be_from_words(&[1, 0, 0, 0]));
    assert_eq!(Fe29::ONE.to_bytes(), be_from_words(&[1, 0, 0, 0]));
    assert_eq!(Fe64::B.to_bytes(), Fe29::B.to_bytes());
    // Long chains of mixed operations keep Fe29's loose form within its bounds (debug builds
    // check every i64 for overflow) and agree with Fe64 at the end.
    for _ in 0..20 {
        let (mut x64, mut x29) = (Fe64::ONE, Fe29::ONE);
        for _ in 0..500 {
            let b = if rng.next().is_multiple_of(5) {
                sub_be(&P_BYTES, 1 + rng.next() % 3)
            } else {
                random_fe(&mut rng)
            };
            let (b64, b29) = (Fe64::from_bytes(&b).unwrap(), Fe29::from_bytes(&b).unwrap());
            match rng.next() % 6 {
                0 => (x64, x29) = (x64.add(&b64), x29.add(&b29)),
                1 => (x64, x29) = (x64.sub(&b64), x29.sub(&b29)),
                2 => (x64, x29) = (x64.mul(&b64), x29.mul(&b29)),
                3 => (x64, x29) = (x64.square(), x29.square()),
                4 => (x64, x29) = (x64.scale(8), x29.scale(8)),
                _ => (x64, x29) = (b64.sub(&x64), b29.sub(&x29)),
            }
        }
        assert_eq!(x64.to_bytes(), x29.to_bytes());
    }
}

#[test]
fn scalar_inverse_and_product_are_right() {
    let mut rng = Rng(0x5eed_0002);
    let one = [1u64, 0, 0, 0];
    let n_minus_1 = scalar::sub(&scalar::N, &one).0;
    let mut samples = vec![one, [2, 0, 0, 0], n_minus_1];
    for _ in 0..300 {
        samples.push(scalar::reduce(&words_from_be(&rng.bytes32())));
    }
    for a in samples.iter().filter(|a| scalar::in_range(a)) {
        assert_eq!(scalar::mul(a, &scalar::invert(a)), one, "{a:x?}");
    }
    assert_eq!(scalar::mul(&n_minus_1, &n_minus_1), one);
    assert!(!scalar::in_range(&scalar::N) && !scalar::in_range(&[0; 4]));
}

static ROTATION: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);

/// One key of both shapes, with and without tables.
struct Key {
    q64: Affine<Fe64>,
    q29: Affine<Fe29>,
    t64: Table<Fe64>,
    t29: Table<Fe29>,
    oracle: VerifyingKey,
}

struct Generators {
    t64: Table<Fe64>,
    t29: Table<Fe29>,
}

impl Key {
    fn new(oracle: VerifyingKey, w: u32) -> Self {
        let sec1 = oracle.to_sec1_point(false);
        let bytes = sec1.as_bytes();
        let x: [u8; 32] = bytes[1..33].try_into().unwrap();
        let y: [u8; 32] = bytes[33..].try_into().unwrap();
        let q64 = point_from_coordinates::<Fe64>(&x, &y).unwrap();
        let q29 = point_from_coordinates::<Fe29>(&x, &y).unwrap();
        Key {
            t64: Table::new(&q64, w),
            t29: Table::new(&q29, w),
            q64,
            q29,
            oracle,
        }
    }

    /// A path agrees with the oracle on (z, r‖s); returns the verdict.
    fn check(&self, g: &Generators, z: &[u8; 32], sig: &[u8; 64]) -> bool {
        let expected =
            Signature::from_slice(sig).is_ok_and(|s| self.oracle.verify_prehash(z, &s).is_ok());
        let (zw, r, s) = (
            words_from_be(z),
            words_from_be(sig[..32].try_into().unwrap()),
            words_from_be(sig[32..].try_into().unwrap()),
        );
        // One path per check, rotating through both field shapes with and without each table,
        // so that every path sees a sixth of the inputs.
        let rotation = ROTATION.fetch_add(1, core::sync::atomic::Ordering::Relaxed) % 6;
        let (kt, gt) = [(false, false), (true, true), (true, false)][rotation % 3];
        let got = if rotation < 3 {
            verify(
                &self.q64,
                kt.then_some(&self.t64),
                gt.then_some(&g.t64),
                &zw,
                &r,
                &s,
            )
        } else {
            verify(
                &self.q29,
                kt.then_some(&self.t29),
                gt.then_some(&g.t29),
                &zw,
                &r,
                &s,
            )
        };
        assert_eq!(
            got, expected,
            "path {rotation}, oracle {expected}: z {z:02x?} sig {sig:02x?}"
        );
        expected
    }
}

use super::cases;

/// Cases from p256/cases.rs through one path each (both shapes, every table
/// combination, rotating); returns the oracle's (accepted, refused) counts.
pub(crate) fn run_differential(seed: u64, keys: usize, per_key: usize) -> (usize, usize) {
    let g = Generators {
        t64: Table::new(&generator(), 7),
        t29: Table::new(&generator(), 7),
    };
    let mut current: Option<(usize, Key)> = None;
    cases::generate(seed, keys, per_key, |case| {
        if current.as_ref().is_none_or(|(i, _)| *i != case.key_index) {
            let oracle = VerifyingKey::from_sec1_bytes(case.sec1).unwrap();
            current = Some((
                case.key_index,
                Key::new(oracle, [4, 5, 6][case.key_index % 3]),
            ));
        }
        let (_, key) = current.as_ref().unwrap();
        assert_eq!(key.check(&g, case.digest, case.signature), case.expected);
    })
}

#[test]
fn random_and_mutated_signatures_agree_with_the_oracle_on_every_path() {
    // 2,200 cases: 6 edge keys and 14 random ones, 10 messages each.
    let (accepted, refused) = run_differential(0x5eed_0003, 20, 10);
    // Each message: the genuine signature and its negated-s twin verify, the rest not.
    assert_eq!((accepted, refused), (400, 1_800));
}

#[test]
fn edge_digests_and_scalars_agree_with_the_oracle() {
    // Digests 0, n − 1, n, n + 1 and 2^256 − 1 (u1 = 0 and the reduction of z), and signatures
    // made up so that u1·G and u2·Q meet the formulas' exceptional cases: R = G + G (u1·G = u2·Q)
    // and the identity (u1·G = −u2·Q), by taking Q = G.
    let g = Generators {
        t64: Table::new(&generator(), 7),
        t29: Table::new(&generator(), 7),
    };
    let n = scalar::N;
    let one = [1u64, 0, 0, 0];
    let digests = [
        [0u8; 32],
        be_from_words(&scalar::sub(&n, &one).0),
        be_from_words(&n),
        be_from_words(&scalar::add(&n, &one).0),
        [0xff; 32],
    ];
    let base = SigningKey::from_slice(&be_from_words(&one)).unwrap();
    let key = Key::new(*base.verifying_key(), 6);
    let mut rng = Rng(0x5eed_0004);
    for z in &digests {
        for _ in 0..20 {
            let mut sig = [0u8; 64];
            sig[..32].copy_from_slice(&be_from_words(&scalar::reduce(&words_from_be(
                &rng.bytes32(),
            ))));
            sig[32..].copy_from_slice(&be_from_words(&scalar::reduce(&words_from_be(
                &rng.bytes32(),
            ))));
            key.check(&g, z, &sig);
        }
    }
    // With Q = G, u1 + u2 ≡ 0 makes R the identity, u1 = u2 makes R = 2·u1·G through a doubling.
    // u1 = e/s, u2 = r/s: e = n − r gives the identity, e = r gives the doubling.
    let mut hits = 0;
    for _ in 0..50 {
        let r = scalar::reduce(&words_from_be(&rng.bytes32()));
        let s = scalar::reduce(&words_from_be(&rng.bytes32()));
        let mut sig = [0u8; 64];
        sig[..32].copy_from_slice(&be_from_words(&r));
        sig[32..].copy_from_slice(&be_from_words(&s));
        assert!(!key.check(&g, &be_from_words(&scalar::sub(&n, &r).0), &sig));
        hits += usize::from(key.check(&g, &be_from_words(&r), &sig));
    }
    assert_eq!(hits, 0, "random r, s are not signatures of this doubling");
}

#[test]
fn keys_off_the_curve_and_out_of_range_are_refused_and_decompression_matches() {
    let mut rng = Rng(0x5eed_0005);
    for _ in 0..200 {
        let sk = loop {
            if let Ok(sk) = SigningKey::from_slice(&rng.bytes32()) {
                break sk;
            }
        };
        let sec1 = sk.verifying_key().to_sec1_point(false);
        let b = sec1.as_bytes();
        let x: [u8; 32] = b[1..33].try_into().unwrap();
        let y: [u8; 32] = b[33..].try_into().unwrap();
        let q = point_from_coordinates::<Fe29>(&x, &y).unwrap();
        let d = decompress::<Fe29>(&x, y[31] & 1 == 1).unwrap();
        assert_eq!(d.y.to_bytes(), y);
        let d64 = decompress::<Fe64>(&x, y[31] & 1 == 0).unwrap();
        assert_eq!(d64.y.to_bytes(), q.y.neg().to_bytes());
        let mut bad = y;
        bad[31] ^= 1;
        assert!(point_from_coordinates::<Fe64>(&x, &bad).is_none());
        assert!(point_from_coordinates::<Fe29>(&x, &bad).is_none());
    }
    // x = 0 and x = p: the first is not on the curve with any y we try, the second not a field element.
    assert!(point_from_coordinates::<Fe64>(&[0; 32], &[0; 32]).is_none());
    assert!(decompress::<Fe64>(&P_BYTES, false).is_none());
}
