//! 256-bit integers on four little-endian 64-bit words: what the field (modulo p, native
//! shape) and the scalars (modulo n) share: addition, subtraction, Montgomery multiplication.

// Indices are loop counters over fixed-size arrays: in bounds by construction.
#![allow(clippy::indexing_slicing)]
// Limb arithmetic: truncating casts are the arithmetic itself (the low word of a product).
#![allow(clippy::cast_possible_truncation)]

/// A 256-bit integer, little-endian words.
pub(crate) type Words = [u64; 4];

/// a + b and the carry out.
pub(crate) fn add(a: &Words, b: &Words) -> (Words, bool) {
    let mut out = [0u64; 4];
    let mut carry = false;
    for i in 0..4 {
        let (s, c1) = a[i].overflowing_add(b[i]);
        let (s, c2) = s.overflowing_add(u64::from(carry));
        out[i] = s;
        carry = c1 | c2;
    }
    (out, carry)
}

/// a − b and the borrow out.
pub(crate) fn sub(a: &Words, b: &Words) -> (Words, bool) {
    let mut out = [0u64; 4];
    let mut borrow = false;
    for i in 0..4 {
        let (d, b1) = a[i].overflowing_sub(b[i]);
        let (d, b2) = d.overflowing_sub(u64::from(borrow));
        out[i] = d;
        borrow = b1 | b2;
    }
    (out, borrow)
}

/// Montgomery multiplication a·b·2^−256 mod `modulus` (CIOS), for a, b below an odd `modulus`,
/// and `m_prime` = −modulus^−1 mod 2^64. Inlined, so that each modulus gets its own code with its
/// constants folded in (for p, `m_prime` is 1).
#[inline(always)]
pub(crate) fn mont_mul(a: &Words, b: &Words, modulus: &Words, m_prime: u64) -> Words {
    let mut t = [0u64; 6];
    for &bi in b {
        let mut carry = 0u64;
        for j in 0..4 {
            let x = u128::from(t[j]) + u128::from(a[j]) * u128::from(bi) + u128::from(carry);
            t[j] = x as u64;
            carry = (x >> 64) as u64;
        }
        let x = u128::from(t[4]) + u128::from(carry);
        t[4] = x as u64;
        t[5] = (x >> 64) as u64;

        let m = t[0].wrapping_mul(m_prime);
        let x = u128::from(t[0]) + u128::from(m) * u128::from(modulus[0]);
        let mut carry = (x >> 64) as u64;
        for j in 1..4 {
            let x = u128::from(t[j]) + u128::from(m) * u128::from(modulus[j]) + u128::from(carry);
            t[j - 1] = x as u64;
            carry = (x >> 64) as u64;
        }
        let x = u128::from(t[4]) + u128::from(carry);
        t[3] = x as u64;
        t[4] = t[5] + (x >> 64) as u64;
    }
    let r = [t[0], t[1], t[2], t[3]];
    let (d, borrow) = sub(&r, modulus);
    if t[4] != 0 || !borrow {
        d
    } else {
        r
    }
}
