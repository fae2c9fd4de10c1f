//! Our own P-256 ECDSA verification (variable time, every input is public), behind
//! [`crate::crypto::es256`]: field arithmetic shaped for the target ([`fe64`] natively, [`fe29`]
//! on wasm32), Jacobian points, and precomputed fixed-window tables that turn u1·G + u2·Q into
//! additions only. RustCrypto's `p256` is the oracle it is tested against (p256/tests.rs, crypto/es256_diff.rs).

// Indices are loop counters over fixed-size arrays and table offsets bounded by construction.
#![allow(clippy::indexing_slicing)]
// Limb arithmetic: truncating and sign-reinterpreting casts are the arithmetic itself (the low
// word of a product, a limb of an accumulator known to be in range).
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap
)]

#[cfg(any(test, target_arch = "wasm32"))]
pub(crate) mod fe29;
#[cfg(any(test, not(target_arch = "wasm32")))]
pub(crate) mod fe64;
pub(crate) mod field;
pub(crate) mod point;
pub(crate) mod scalar;
mod words;

use field::{be_from_words, words_from_be, words_lt, Field, P_BYTES};
use point::{Affine, Jacobian};
use scalar::Words;

/// The field representation of this target.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) type Fe = fe64::Fe64;
/// The field representation of this target.
#[cfg(target_arch = "wasm32")]
pub(crate) type Fe = fe29::Fe29;

/// The generator's affine coordinates, big-endian.
const G_X: [u8; 32] = [
    0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5, 0x63, 0xa4, 0x40, 0xf2,
    0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96,
];
const G_Y: [u8; 32] = [
    0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a, 0x7c, 0x0f, 0x9e, 0x16,
    0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce, 0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5,
];

/// The generator.
pub(crate) fn generator<F: Field>() -> Affine<F> {
    point_from_coordinates(&G_X, &G_Y).unwrap_or(Affine {
        x: F::ZERO,
        y: F::ZERO,
    })
}

/// The affine point (x, y), when both coordinates are below p and it lies on the curve (the
/// identity has no affine coordinates, so it is never returned).
pub(crate) fn point_from_coordinates<F: Field>(x: &[u8; 32], y: &[u8; 32]) -> Option<Affine<F>> {
    let p = Affine {
        x: F::from_bytes(x)?,
        y: F::from_bytes(y)?,
    };
    p.is_on_curve().then_some(p)
}

/// The point with abscissa x whose ordinate has parity `odd` (SEC1 compressed form).
pub(crate) fn decompress<F: Field>(x: &[u8; 32], odd: bool) -> Option<Affine<F>> {
    let xf = F::from_bytes(x)?;
    let rhs = xf.square().mul(&xf).sub(&xf.scale(3)).add(&F::B);
    let y = rhs.sqrt()?;
    let y_odd = y.to_bytes()[31] & 1 == 1;
    let y = if y_odd == odd { y } else { y.neg() };
    Some(Affine { x: xf, y })
}

/// Multiples of one point for fixed-window multiplication without doublings: with windows of
/// `w` bits, entry (j, k) is k·2^(w·j)·P for k = 1 … 2^(w−1), and a scalar recoded into signed
/// digits in [−2^(w−1), 2^(w−1)] costs one mixed addition per non-zero digit.
pub(crate) struct Table<F> {
    w: u32,
    windows: usize,
    points: Vec<Affine<F>>,
}

impl<F: Field> Table<F> {
    /// The table of `base` with `w`-bit windows (2 ≤ w ≤ 8): ⌈257/w⌉ windows, enough for the
    /// carry out of the top digit of a 256-bit scalar.
    pub(crate) fn new(base: &Affine<F>, w: u32) -> Self {
        let windows = 257_usize.div_ceil(w as usize);
        let half = 1usize << (w - 1);
        let mut jacobian = Vec::with_capacity(windows * half);
        let mut b = base.to_jacobian();
        for j in 0..windows {
            let mut e = b;
            jacobian.push(e);
            for k in 2..=half {
                e = if k == 2 { b.double() } else { e.add(&b) };
                jacobian.push(e);
            }
            if j + 1 < windows {
                b = e.double();
            }
        }
        Table {
            w,
            windows,
            points: point::normalize_all(&jacobian),
        }
    }

    /// acc + k·P.
    pub(crate) fn mul_add(&self, mut acc: Jacobian<F>, k: &Words) -> Jacobian<F> {
        let half = 1u32 << (self.w - 1);
        let mut carry = 0u32;
        for j in 0..self.windows {
            let bits = window(k, j * self.w as usize, self.w) + carry;
            let (digit, negative) = if bits > half {
                carry = 1;
                ((1 << self.w) - bits, true)
            } else {
                carry = 0;
                (bits, false)
            };
            if digit != 0 {
                let entry = &self.points[j * half as usize + digit as usize - 1];
                acc = if negative {
                    acc.add_affine(&entry.neg())
                } else {
                    acc.add_affine(entry)
                };
            }
        }
        acc
    }
}

/// Bits [offset, offset + w) of k (w ≤ 8; bits past 255 are 0).
fn window(k: &Words, offset: usize, w: u32) -> u32 {
    if offset >= 256 {
        return 0;
    }
    let (word, shift) = (offset / 64, offset % 64);
    let mut v = k[word] >> shift;
    if shift + w as usize > 64 && word + 1 < 4 {
        v |= k[word + 1] << (64 - shift);
    }
    (v & ((1 << w) - 1)) as u32
}

/// Width of the w-NAF digits on the path without tables.
const WNAF: u32 = 5;

/// The width-5 NAF of k < 2^256: digits odd or zero, |digit| < 16, least significant first.
fn wnaf(k: &Words) -> [i8; 257] {
    let mut digits = [0i8; 257];
    let mut k = *k;
    let mut i = 0;
    while k != [0; 4] && i < digits.len() {
        if k[0] & 1 == 1 {
            let mut d = (k[0] & ((1 << WNAF) - 1)) as i64;
            if d >= 1 << (WNAF - 1) {
                d -= 1 << WNAF;
            }
            // k − d: d is small; k < n leaves room for adding up to 15.
            k = if d >= 0 {
                scalar::sub(&k, &[d as u64, 0, 0, 0]).0
            } else {
                scalar::add(&k, &[(-d) as u64, 0, 0, 0]).0
            };
            digits[i] = d as i8;
        }
        for w in 0..3 {
            k[w] = (k[w] >> 1) | (k[w + 1] << 63);
        }
        k[3] >>= 1;
        i += 1;
    }
    digits
}

/// Σ kᵢ·Pᵢ by interleaved w-NAF (Straus): 256 doublings shared by the terms, odd multiples of
/// each point computed on the spot. The path for keys and a generator without tables.
fn straus<F: Field>(terms: &[(Words, Affine<F>)]) -> Jacobian<F> {
    const ODD: usize = 1 << (WNAF - 2);
    let prepared: Vec<([i8; 257], [Jacobian<F>; ODD])> = terms
        .iter()
        .map(|(k, p)| {
            let p = p.to_jacobian();
            let twice = p.double();
            let mut odd = [p; ODD];
            for i in 1..ODD {
                odd[i] = odd[i - 1].add(&twice);
            }
            (wnaf(k), odd)
        })
        .collect();
    let mut acc = Jacobian::IDENTITY;
    for i in (0..257).rev() {
        acc = acc.double();
        for (digits, odd) in &prepared {
            let d = digits[i];
            if d > 0 {
                acc = acc.add(&odd[(d / 2) as usize]);
            } else if d < 0 {
                acc = acc.add(&odd[(-d / 2) as usize].neg());
            }
        }
    }
    acc
}

/// (r + n) when it is below p, the other x-coordinate that reduces to r modulo n.
fn r_plus_n(r: &Words) -> Option<Words> {
    let (sum, carry) = scalar::add(r, &scalar::N);
    (!carry && words_lt(&sum, &words_from_be(&P_BYTES))).then_some(sum)
}

/// ECDSA verification of (r, s) over the digest integer z (already truncated to 256 bits) with
/// public key q: the x-coordinate of u1·G + u2·Q, compared with r in projective form
/// (X = r·Z², or (r + n)·Z²) so that no field inversion is needed. Tables, where given, replace
/// the doublings.
pub(crate) fn verify<F: Field>(
    q: &Affine<F>,
    q_table: Option<&Table<F>>,
    g_table: Option<&Table<F>>,
    z: &Words,
    r: &Words,
    s: &Words,
) -> bool {
    if !scalar::in_range(r) || !scalar::in_range(s) {
        return false;
    }
    let e = scalar::reduce(z);
    let w = scalar::invert(s);
    let u1 = scalar::mul(&e, &w);
    let u2 = scalar::mul(r, &w);

    let mut acc = Jacobian::IDENTITY;
    let mut rest: Vec<(Words, Affine<F>)> = Vec::new();
    match g_table {
        Some(t) => acc = t.mul_add(acc, &u1),
        None => rest.push((u1, generator())),
    }
    match q_table {
        Some(t) => acc = t.mul_add(acc, &u2),
        None => rest.push((u2, *q)),
    }
    if !rest.is_empty() {
        acc = acc.add(&straus(&rest));
    }
    if acc.infinity {
        return false;
    }
    let z2 = acc.z.square();
    let matches =
        |x: &Words| F::from_bytes(&be_from_words(x)).is_some_and(|xf| acc.x.equals(&xf.mul(&z2)));
    matches(r) || r_plus_n(r).is_some_and(|rn| matches(&rn))
}

#[cfg(test)]
pub(crate) mod cases;
#[cfg(test)]
mod tests;
