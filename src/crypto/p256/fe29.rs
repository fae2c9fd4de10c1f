//! The P-256 field with nine 29-bit limbs, shaped for wasm32: a 29×29-bit product is below 2^58,
//! so the nine products of a column add up in an `i64` without carries, and the Montgomery
//! reduction (R = 2^261) needs no multiplication at all, because p ≡ −1 (mod 2^29) and p's other
//! terms are powers of two: each step adds shifted copies of one limb.
//!
//! An element is stored as nine `u32` limbs, each below 2^29 (the top one below 2^25), with a
//! value below 2^257: not necessarily below p. Every operation accepts and returns that form.

// Indices are loop counters over fixed-size arrays: in bounds by construction.
#![allow(clippy::indexing_slicing)]
// Limb arithmetic: truncating and sign-reinterpreting casts are the arithmetic itself (the low
// word of a product, a limb of an accumulator known to be in range).
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap
)]

use super::field::{be_from_words, words_from_be, words_lt, Field, P_BYTES};

const BITS: u32 = 29;
const MASK: i64 = (1 << BITS) - 1;
/// p in limbs.
const P: [i64; 9] = [
    0x1fff_ffff,
    0x1fff_ffff,
    0x1fff_ffff,
    0x1ff,
    0,
    0,
    0x4_0000,
    0x1fe0_0000,
    0xff_ffff,
];
/// 4p in limbs: added before a subtraction so that the result stays positive.
const P4: [i64; 9] = [
    0x1fff_fffc,
    0x1fff_ffff,
    0x1fff_ffff,
    0x7ff,
    0,
    0,
    0x10_0000,
    0x1f80_0000,
    0x3ff_ffff,
];
/// R² mod p (R = 2^261), to enter Montgomery form.
const R2: Fe29 = Fe29([
    0xc00,
    0,
    0x1fff_0000,
    0x1fdf_ffff,
    0x1fbf_ffff,
    0x1fff_ffff,
    0x1fff_ffff,
    0x1fff_fffe,
    0x13,
]);

/// A field element: a·2^261 mod p, up to adding a multiple of p (value below 2^257).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fe29([u32; 9]);

#[inline(always)]
fn widen(a: &Fe29) -> [i64; 9] {
    a.0.map(i64::from)
}

/// Propagates carries (signed) through limbs 0..8; limb 8 keeps the rest.
#[inline(always)]
fn carry(t: &mut [i64; 9]) {
    for i in 0..8 {
        let c = t[i] >> BITS;
        t[i] &= MASK;
        t[i + 1] += c;
    }
}

/// Limbs of a non-negative value below 2^261 → the stored form (value below 2^257), folding the
/// bits from 2^256 up with 2^256 ≡ 2^224 − 2^192 − 2^96 + 1 (mod p).
#[inline(always)]
fn fold(mut t: [i64; 9]) -> Fe29 {
    carry(&mut t);
    let h = t[8] >> 24;
    t[8] &= (1 << 24) - 1;
    t[0] += h;
    t[3] -= h << 9;
    t[6] -= h << 18;
    t[7] += h << 21;
    carry(&mut t);
    Fe29(t.map(|l| l as u32))
}

/// Montgomery reduction of an 18-column product: (T + M·p) / 2^261, below 2^257 for inputs below
/// 2^257. With m the low limb, adding m·p = m·(2^256 − 2^224 + 2^192 + 2^96 − 1) at limb i
/// clears that limb; 2^96, 2^192, 2^224 and 2^256 sit 3, 6, 7 and 8 limbs up, shifted by 9, 18,
/// 21 and 24 bits.
#[inline(always)]
fn reduce(mut t: [i64; 18]) -> Fe29 {
    for i in 0..9 {
        let m = t[i] & MASK;
        t[i + 1] += (t[i] - m) >> BITS;
        t[i + 3] += m << 9;
        t[i + 6] += m << 18;
        t[i + 7] -= m << 21;
        t[i + 8] += m << 24;
    }
    let mut r = [0i64; 9];
    r.copy_from_slice(&t[9..]);
    carry(&mut r);
    Fe29(r.map(|l| l as u32))
}

impl Fe29 {
    /// The value below p, as limbs.
    fn canonical(&self) -> [i64; 9] {
        let mut v = widen(self);
        // The value is below 2^257 < 3p: at most two subtractions.
        for _ in 0..2 {
            let mut d = [0i64; 9];
            for i in 0..9 {
                d[i] = v[i] - P[i];
            }
            carry(&mut d);
            if d[8] >= 0 {
                v = d;
            }
        }
        v
    }

    fn from_words(w: &[u64; 4]) -> [i64; 9] {
        let mut t = [0i64; 9];
        for (i, limb) in t.iter_mut().enumerate() {
            let bit = BITS as usize * i;
            let (word, shift) = (bit / 64, bit % 64);
            let mut v = w[word] >> shift;
            if shift > 64 - BITS as usize && word + 1 < 4 {
                v |= w[word + 1] << (64 - shift);
            }
            *limb = (v as i64) & MASK;
        }
        t
    }

    fn to_words(t: &[i64; 9]) -> [u64; 4] {
        let mut w = [0u64; 4];
        for (i, &limb) in t.iter().enumerate() {
            let bit = BITS as usize * i;
            let (word, shift) = (bit / 64, bit % 64);
            let v = limb as u64;
            w[word] |= v << shift;
            if shift > 64 - BITS as usize && word + 1 < 4 {
                w[word + 1] |= v >> (64 - shift);
            }
        }
        w
    }
}

impl Field for Fe29 {
    const ZERO: Self = Fe29([0; 9]);
    const ONE: Self = Fe29([
        0x20,
        0,
        0,
        0x1fff_c000,
        0x1fff_ffff,
        0x1fff_ffff,
        0x1f7f_ffff,
        0x3ff_ffff,
        0,
    ]);
    const B: Self = Fe29([
        0x1897_bbfb,
        0x1cdf_6229,
        0x184_86c4,
        0x173_2821,
        0x1dad_59e0,
        0xabf_7212,
        0x1a06_d110,
        0x1772_1d20,
        0x86_00c3,
    ]);

    fn from_bytes(bytes: &[u8; 32]) -> Option<Self> {
        let w = words_from_be(bytes);
        if !words_lt(&w, &words_from_be(&P_BYTES)) {
            return None;
        }
        let raw = Fe29(Self::from_words(&w).map(|l| l as u32));
        Some(raw.mul(&R2))
    }

    fn to_bytes(&self) -> [u8; 32] {
        let mut one = [0u32; 9];
        one[0] = 1;
        let plain = self.mul(&Fe29(one));
        be_from_words(&Self::to_words(&plain.canonical()))
    }

    #[inline]
    fn add(&self, other: &Self) -> Self {
        let (a, b) = (widen(self), widen(other));
        let mut t = [0i64; 9];
        for i in 0..9 {
            t[i] = a[i] + b[i];
        }
        fold(t)
    }

    #[inline]
    fn sub(&self, other: &Self) -> Self {
        let (a, b) = (widen(self), widen(other));
        let mut t = [0i64; 9];
        for i in 0..9 {
            t[i] = a[i] - b[i] + P4[i];
        }
        fold(t)
    }

    #[inline]
    fn mul(&self, other: &Self) -> Self {
        let (a, b) = (widen(self), widen(other));
        let mut t = [0i64; 18];
        for i in 0..9 {
            for j in 0..9 {
                t[i + j] += a[i] * b[j];
            }
        }
        reduce(t)
    }

    #[inline]
    fn square(&self) -> Self {
        let a = widen(self);
        let mut t = [0i64; 18];
        for i in 0..9 {
            t[2 * i] += a[i] * a[i];
            let twice = 2 * a[i];
            for j in i + 1..9 {
                t[i + j] += twice * a[j];
            }
        }
        reduce(t)
    }

    fn scale(&self, k: u32) -> Self {
        fold(widen(self).map(|l| l * i64::from(k)))
    }

    fn is_zero(&self) -> bool {
        self.canonical() == [0; 9]
    }
}
