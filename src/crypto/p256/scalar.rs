//! Integers modulo n, the order of P-256's generator: only what a verification needs (range
//! checks, a product, an inverse), on four little-endian 64-bit words, in variable time.

// Indices are loop counters over fixed-size arrays: in bounds by construction.
#![allow(clippy::indexing_slicing)]
// Limb arithmetic: truncating and sign-reinterpreting casts are the arithmetic itself (the low
// word of a product, a limb of an accumulator known to be in range).
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap
)]

use super::field::words_lt;
use super::words;

/// n, little-endian words.
pub(crate) const N: [u64; 4] = [
    0xf3b9_cac2_fc63_2551,
    0xbce6_faad_a717_9e84,
    0xffff_ffff_ffff_ffff,
    0xffff_ffff_0000_0000,
];
/// −n^−1 mod 2^64.
const N_PRIME: u64 = 0xccd1_c8aa_ee00_bc4f;
/// 2^512 mod n.
const RN2: [u64; 4] = [
    0x8324_4c95_be79_eea2,
    0x4699_799c_49bd_6fa6,
    0x2845_b239_2b6b_ec59,
    0x66e1_2d94_f3d9_5620,
];

pub(crate) use super::words::{add, sub, Words};

/// Whether 0 < a < n.
pub(crate) fn in_range(a: &Words) -> bool {
    *a != [0; 4] && words_lt(a, &N)
}

/// a mod n for any 256-bit a (a < 2^256 < 2n: one subtraction at most).
pub(crate) fn reduce(a: &Words) -> Words {
    if words_lt(a, &N) {
        *a
    } else {
        sub(a, &N).0
    }
}

/// a·b·2^−256 mod n (Montgomery), for a, b < n.
fn mont_mul(a: &Words, b: &Words) -> Words {
    words::mont_mul(a, b, &N, N_PRIME)
}

/// a·b mod n, for a, b < n.
pub(crate) fn mul(a: &Words, b: &Words) -> Words {
    mont_mul(&mont_mul(a, b), &RN2)
}

/// x/2 mod n for x < n (n is odd: an odd x becomes (x + n)/2).
fn halve(x: &mut Words) {
    let carry = if x[0] & 1 == 1 {
        let (s, c) = add(x, &N);
        *x = s;
        c
    } else {
        false
    };
    for i in 0..3 {
        x[i] = (x[i] >> 1) | (x[i + 1] << 63);
    }
    x[3] = (x[3] >> 1) | (u64::from(carry) << 63);
}

/// (a − b) mod n for a, b < n.
fn sub_mod(a: &Words, b: &Words) -> Words {
    let (d, borrow) = sub(a, b);
    if borrow {
        add(&d, &N).0
    } else {
        d
    }
}

/// Shifts right by one bit.
fn shr1(x: &mut Words) {
    for i in 0..3 {
        x[i] = (x[i] >> 1) | (x[i + 1] << 63);
    }
    x[3] >>= 1;
}

/// a^−1 mod n for 0 < a < n, by the binary extended Euclidean algorithm (variable time: a is
/// public). Invariants: x1·a ≡ u and x2·a ≡ v (mod n).
pub(crate) fn invert(a: &Words) -> Words {
    const ONE: Words = [1, 0, 0, 0];
    let (mut u, mut v) = (*a, N);
    let (mut x1, mut x2) = (ONE, [0u64; 4]);
    while u != ONE && v != ONE {
        if u == [0; 4] || v == [0; 4] {
            // Unreachable for 0 < a < n (n is prime); refuse rather than loop.
            return [0; 4];
        }
        while u[0] & 1 == 0 {
            shr1(&mut u);
            halve(&mut x1);
        }
        while v[0] & 1 == 0 {
            shr1(&mut v);
            halve(&mut x2);
        }
        if words_lt(&u, &v) {
            v = sub(&v, &u).0;
            x2 = sub_mod(&x2, &x1);
        } else {
            u = sub(&u, &v).0;
            x1 = sub_mod(&x1, &x2);
        }
    }
    if u == ONE {
        x1
    } else {
        x2
    }
}
