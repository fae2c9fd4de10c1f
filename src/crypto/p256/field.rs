//! Arithmetic modulo p = 2^256 − 2^224 + 2^192 + 2^96 − 1, the P-256 field prime, in two shapes:
//! [`Fe64`] (four 64-bit limbs, products in `u128`) where the target multiplies 64×64→128 natively,
//! and [`Fe29`] (nine 29-bit limbs, products summed in `i64` without carries) for wasm32, which
//! has 64-bit multiplies but no 128-bit product. Both keep elements in Montgomery form and run in
//! variable time: every input of a verification is public.

/// The operations the curve code needs. Elements may be kept partially reduced; [`Field::is_zero`],
/// [`Field::to_bytes`] and equality look at the value modulo p.
pub(crate) trait Field: Copy {
    /// 0.
    const ZERO: Self;
    /// 1 (in Montgomery form).
    const ONE: Self;
    /// The curve's b (in Montgomery form).
    const B: Self;

    /// The element of a big-endian 32-byte integer, or `None` when it is not below p.
    fn from_bytes(bytes: &[u8; 32]) -> Option<Self>;
    /// The canonical big-endian encoding (below p).
    fn to_bytes(&self) -> [u8; 32];
    /// self + other.
    #[must_use]
    fn add(&self, other: &Self) -> Self;
    /// self − other.
    #[must_use]
    fn sub(&self, other: &Self) -> Self;
    /// self · other.
    #[must_use]
    fn mul(&self, other: &Self) -> Self;
    /// self².
    #[must_use]
    fn square(&self) -> Self;
    /// self · k for a small k (at most 8).
    #[must_use]
    fn scale(&self, k: u32) -> Self;
    /// Whether self ≡ 0 (mod p).
    fn is_zero(&self) -> bool;

    /// −self.
    #[must_use]
    fn neg(&self) -> Self {
        Self::ZERO.sub(self)
    }

    /// Whether self ≡ other (mod p).
    fn equals(&self, other: &Self) -> bool {
        self.sub(other).is_zero()
    }

    /// self^e for a big-endian exponent (square and multiply; public exponents only).
    #[must_use]
    fn pow(&self, exponent: &[u8; 32]) -> Self {
        let mut acc = Self::ONE;
        for byte in exponent {
            for bit in (0..8).rev() {
                acc = acc.square();
                if (byte >> bit) & 1 == 1 {
                    acc = acc.mul(self);
                }
            }
        }
        acc
    }

    /// self^−1 (self^(p−2)); 0 for 0.
    #[must_use]
    fn invert(&self) -> Self {
        self.pow(&P_MINUS_2)
    }

    /// A square root, when there is one (p ≡ 3 mod 4: self^((p+1)/4)).
    fn sqrt(&self) -> Option<Self> {
        let root = self.pow(&P_PLUS_1_DIV_4);
        root.square().equals(self).then_some(root)
    }
}

/// p − 2, big-endian.
const P_MINUS_2: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfd,
];

/// (p + 1) / 4, big-endian.
const P_PLUS_1_DIV_4: [u8; 32] = [
    0x3f, 0xff, 0xff, 0xff, 0xc0, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
];

/// p, big-endian.
pub(crate) const P_BYTES: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
];

/// Four little-endian 64-bit words of a big-endian 32-byte integer.
pub(crate) fn words_from_be(bytes: &[u8; 32]) -> [u64; 4] {
    let mut w = [0u64; 4];
    for (i, chunk) in bytes.rchunks_exact(8).enumerate() {
        let mut b = [0u8; 8];
        b.copy_from_slice(chunk);
        if let Some(slot) = w.get_mut(i) {
            *slot = u64::from_be_bytes(b);
        }
    }
    w
}

/// The big-endian 32 bytes of four little-endian 64-bit words.
pub(crate) fn be_from_words(w: &[u64; 4]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (chunk, word) in out.rchunks_exact_mut(8).zip(w) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// a < b for little-endian words.
pub(crate) fn words_lt(a: &[u64; 4], b: &[u64; 4]) -> bool {
    for i in (0..4).rev() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
    }
    false
}
