//! The P-256 field with four 64-bit limbs (native targets): Montgomery form with R = 2^256,
//! elements always fully reduced (below p).

// Indices are loop counters over fixed-size arrays: in bounds by construction.
#![allow(clippy::indexing_slicing)]
// Limb arithmetic: truncating and sign-reinterpreting casts are the arithmetic itself (the low
// word of a product, a limb of an accumulator known to be in range).
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap
)]

use super::field::{be_from_words, words_from_be, words_lt, Field};
use super::words::{self, add as add_words, sub as sub_words};

/// p, little-endian words.
const P: [u64; 4] = [0xffff_ffff_ffff_ffff, 0xffff_ffff, 0, 0xffff_ffff_0000_0001];
/// R² mod p, to enter Montgomery form.
const R2: Fe64 = Fe64([
    3,
    0xffff_fffb_ffff_ffff,
    0xffff_ffff_ffff_fffe,
    0x4_ffff_fffd,
]);

/// A field element: a·2^256 mod p, little-endian words, below p.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fe64([u64; 4]);

/// Montgomery multiplication a·b·2^−256 mod p (−p^−1 ≡ 1 mod 2^64).
fn mont_mul(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    words::mont_mul(a, b, &P, 1)
}

impl Field for Fe64 {
    const ZERO: Self = Fe64([0; 4]);
    const ONE: Self = Fe64([1, 0xffff_ffff_0000_0000, 0xffff_ffff_ffff_ffff, 0xffff_fffe]);
    const B: Self = Fe64([
        0xd89c_df62_29c4_bddf,
        0xacf0_05cd_7884_3090,
        0xe5a2_20ab_f721_2ed6,
        0xdc30_061d_0487_4834,
    ]);

    fn from_bytes(bytes: &[u8; 32]) -> Option<Self> {
        let w = words_from_be(bytes);
        words_lt(&w, &P).then(|| Fe64(mont_mul(&w, &R2.0)))
    }

    fn to_bytes(&self) -> [u8; 32] {
        be_from_words(&mont_mul(&self.0, &[1, 0, 0, 0]))
    }

    #[inline]
    fn add(&self, other: &Self) -> Self {
        let (s, carry) = add_words(&self.0, &other.0);
        let (d, borrow) = sub_words(&s, &P);
        Fe64(if carry || !borrow { d } else { s })
    }

    #[inline]
    fn sub(&self, other: &Self) -> Self {
        let (d, borrow) = sub_words(&self.0, &other.0);
        Fe64(if borrow { add_words(&d, &P).0 } else { d })
    }

    #[inline]
    fn mul(&self, other: &Self) -> Self {
        Fe64(mont_mul(&self.0, &other.0))
    }

    #[inline]
    fn square(&self) -> Self {
        Fe64(mont_mul(&self.0, &self.0))
    }

    fn scale(&self, k: u32) -> Self {
        if k == 0 {
            return Self::ZERO;
        }
        let mut acc = *self;
        for bit in (0..31 - k.leading_zeros()).rev() {
            acc = acc.add(&acc);
            if (k >> bit) & 1 == 1 {
                acc = acc.add(self);
            }
        }
        acc
    }

    fn is_zero(&self) -> bool {
        self.0 == [0; 4]
    }
}
