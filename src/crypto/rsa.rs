//! RSA signature verification (feature `rsa`): RSASSA-PSS with SHA-256 (COSE PS256, used by EU
//! DCC issuers including Vietnam's) and RSASSA-PKCS1-v1_5 (certificates signed by RSA country
//! CAs), as RFC 8017 §8.1.2 and §8.2.2 specify. Verification only; keys of 2048 to 4096 bits.
//!
//! Our own arithmetic, because verifying needs only `s^e mod n` with a public `s`, `e` and `n`:
//! Montgomery multiplication on 32-bit limbs (products accumulate in `u64`, which wasm32 has),
//! left-to-right square-and-multiply over the exponent's bits. Everything is public, so nothing
//! here needs to run in constant time. RustCrypto's `rsa` crate is the oracle these functions are
//! tested against (differential tests in rsa/tests.rs; Wycheproof has no RSA vectors in ../shared/vectors); it was the
//! implementation before, and cost 38 KB of gzipped WebAssembly (see BENCHMARKS.md, Size).

// Indices are limb positions below the modulus's limb count, which every buffer here has.
#![allow(clippy::indexing_slicing)]
// Limb arithmetic: the low half of a u64 product is the truncation itself.
#![allow(clippy::cast_possible_truncation)]

use sha2::Digest as _;

/// Smallest modulus accepted, in bits.
pub const MIN_BITS: usize = 2048;
/// Largest modulus accepted, in bits.
pub const MAX_BITS: usize = 4096;
/// Largest public exponent accepted: 2^33 - 1, as RustCrypto's `rsa` (and Go's crypto/rsa).
const MAX_EXPONENT: u64 = (1 << 33) - 1;

/// An RSA public key, ready for Montgomery arithmetic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsaKey {
    /// The modulus, little-endian 32-bit limbs.
    n: Vec<u32>,
    /// -n⁻¹ mod 2^32.
    n0_inv: u32,
    /// R² mod n, R = 2^(32·limbs): converts into Montgomery form.
    rr: Vec<u32>,
    /// The public exponent.
    e: u64,
    /// Modulus size in bits.
    bits: usize,
}

/// Digest of a PKCS#1 v1.5 signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pkcs1Hash {
    /// SHA-256
    Sha256,
    /// SHA-384
    Sha384,
    /// SHA-512
    Sha512,
}

impl RsaKey {
    /// A key from its big-endian modulus and exponent.
    ///
    /// # Errors
    /// A reason when the modulus is outside 2048–4096 bits or even, or the exponent is even,
    /// below 3 or above 2^33 - 1.
    pub fn from_components(n: &[u8], e: &[u8]) -> Result<RsaKey, String> {
        let n = strip_zeros(n);
        let bits = n.len() * 8 - n.first().map_or(8, |b| b.leading_zeros() as usize);
        if !(MIN_BITS..=MAX_BITS).contains(&bits) {
            return Err(format!(
                "RSA modulus of {bits} bits (accepted: {MIN_BITS}–{MAX_BITS})"
            ));
        }
        if n.last().is_none_or(|b| b & 1 == 0) {
            return Err("invalid RSA key: invalid modulus".to_owned());
        }
        let e = strip_zeros(e);
        if e.last().is_none_or(|b| b & 1 == 0) {
            return Err("invalid RSA key: invalid exponent".to_owned());
        }
        if e.len() > 8 {
            return Err("invalid RSA key: public exponent too large".to_owned());
        }
        let e = e.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        if e < 3 {
            return Err("invalid RSA key: public exponent too small".to_owned());
        }
        if e > MAX_EXPONENT {
            return Err("invalid RSA key: public exponent too large".to_owned());
        }
        let n = limbs_from_be(n, n.len().div_ceil(4));
        let n0_inv = neg_inverse(n[0]);
        let rr = r_squared(&n, bits);
        Ok(RsaKey {
            n,
            n0_inv,
            rr,
            e,
            bits,
        })
    }

    /// Modulus size in bits.
    #[must_use]
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// Length of a signature in bytes (k in RFC 8017).
    fn len(&self) -> usize {
        self.bits.div_ceil(8)
    }

    /// Verifies RSASSA-PSS, SHA-256, MGF1-SHA-256, salt length 32 (JWA/COSE PS256).
    #[must_use]
    pub fn verify_pss_sha256(&self, message: &[u8], signature: &[u8]) -> bool {
        const H_LEN: usize = 32;
        const S_LEN: usize = 32;
        let Some(m) = self.public_op(signature) else {
            return false;
        };
        // EM is emLen = ⌈(modBits - 1)/8⌉ bytes: one fewer than k when modBits ≡ 1 (mod 8), and
        // then the representative's first byte must be zero.
        let em_bits = self.bits - 1;
        let em_len = em_bits.div_ceil(8);
        let (zeros, em) = m.split_at(m.len() - em_len);
        if zeros.iter().any(|&b| b != 0) || em_len < H_LEN + S_LEN + 2 {
            return false;
        }
        if em[em_len - 1] != 0xbc {
            return false;
        }
        let (masked_db, h) = em.split_at(em_len - H_LEN - 1);
        let h = &h[..H_LEN];
        // The leftmost 8·emLen - emBits bits must be zero.
        let unused = 8 * em_len - em_bits;
        let top_mask = 0xffu8 >> unused;
        if masked_db[0] & !top_mask != 0 {
            return false;
        }
        let mut db = masked_db.to_vec();
        mgf1_sha256_xor(h, &mut db);
        db[0] &= top_mask;
        let (padding, rest) = db.split_at(em_len - H_LEN - S_LEN - 2);
        if padding.iter().any(|&b| b != 0) || rest[0] != 0x01 {
            return false;
        }
        let salt = &rest[1..];
        let digest = sha2::Sha256::new()
            .chain_update([0u8; 8])
            .chain_update(sha2::Sha256::digest(message))
            .chain_update(salt)
            .finalize();
        digest.as_slice() == h
    }

    /// Verifies RSASSA-PKCS1-v1_5 with the given digest.
    #[must_use]
    pub fn verify_pkcs1v15(&self, hash: Pkcs1Hash, message: &[u8], signature: &[u8]) -> bool {
        let Some(em) = self.public_op(signature) else {
            return false;
        };
        // EM = 00 01 FF…FF 00 ‖ DigestInfo prefix ‖ H, compared as a whole (RFC 8017 §8.2.2
        // step 3 encodes and compares; nothing in EM is parsed).
        let (prefix, digest): (&[u8], Vec<u8>) = match hash {
            Pkcs1Hash::Sha256 => (&SHA256_PREFIX, sha2::Sha256::digest(message).to_vec()),
            Pkcs1Hash::Sha384 => (&SHA384_PREFIX, sha2::Sha384::digest(message).to_vec()),
            Pkcs1Hash::Sha512 => (&SHA512_PREFIX, sha2::Sha512::digest(message).to_vec()),
        };
        let t_len = prefix.len() + digest.len();
        let k = em.len();
        if k < t_len + 11 {
            return false;
        }
        let (head, t) = em.split_at(k - t_len);
        let (t_prefix, t_digest) = t.split_at(prefix.len());
        head[0] == 0
            && head[1] == 1
            && head[2..head.len() - 1].iter().all(|&b| b == 0xff)
            && head[head.len() - 1] == 0
            && t_prefix == prefix
            && t_digest == digest.as_slice()
    }

    /// RSAVP1: `s^e mod n` as k big-endian bytes, for a signature of exactly k bytes whose value
    /// is below n (RFC 8017 §5.2.2 and §8.x.2 step 1).
    pub(crate) fn public_op(&self, signature: &[u8]) -> Option<Vec<u8>> {
        let k = self.len();
        if signature.len() != k {
            return None;
        }
        let s = limbs_from_be(signature, self.n.len());
        if !less_than(&s, &self.n) {
            return None;
        }
        let base = self.mont_mul(&s, &self.rr);
        let mut acc = base.clone();
        let top = 63 - self.e.leading_zeros();
        for bit in (0..top).rev() {
            acc = self.mont_mul(&acc, &acc);
            if (self.e >> bit) & 1 == 1 {
                acc = self.mont_mul(&acc, &base);
            }
        }
        let mut one = vec![0u32; self.n.len()];
        one[0] = 1;
        let m = self.mont_mul(&acc, &one);
        Some(be_from_limbs(&m, k))
    }

    /// a·b·R⁻¹ mod n for a, b < n (CIOS Montgomery multiplication), fully reduced.
    fn mont_mul(&self, a: &[u32], b: &[u32]) -> Vec<u32> {
        let n = &self.n;
        let len = n.len();
        let mut t = vec![0u32; len + 2];
        for &bi in b {
            // t += a·bi
            let mut carry = 0u64;
            for (tj, &aj) in t.iter_mut().zip(a) {
                let sum = u64::from(*tj) + u64::from(aj) * u64::from(bi) + carry;
                *tj = sum as u32;
                carry = sum >> 32;
            }
            let sum = u64::from(t[len]) + carry;
            t[len] = sum as u32;
            t[len + 1] = (sum >> 32) as u32;
            // t = (t + m·n) / 2^32, with m chosen so that the low limb vanishes.
            let m = t[0].wrapping_mul(self.n0_inv);
            let mut carry = (u64::from(t[0]) + u64::from(m) * u64::from(n[0])) >> 32;
            for j in 1..len {
                let sum = u64::from(t[j]) + u64::from(m) * u64::from(n[j]) + carry;
                t[j - 1] = sum as u32;
                carry = sum >> 32;
            }
            let sum = u64::from(t[len]) + carry;
            t[len - 1] = sum as u32;
            t[len] = t[len + 1] + (sum >> 32) as u32;
        }
        // t < 2n: one subtraction at most.
        t.truncate(len + 1);
        if t[len] != 0 || !less_than(&t[..len], n) {
            sub_assign(&mut t, n);
        }
        t.truncate(len);
        t
    }
}

/// `bytes` without its leading zero bytes.
fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[first..]
}

/// Big-endian bytes as `len` little-endian limbs (the bytes fit: checked by the callers).
fn limbs_from_be(bytes: &[u8], len: usize) -> Vec<u32> {
    let mut limbs = vec![0u32; len];
    for (i, &b) in bytes.iter().rev().enumerate() {
        if let Some(limb) = limbs.get_mut(i / 4) {
            *limb |= u32::from(b) << (8 * (i % 4));
        }
    }
    limbs
}

/// Little-endian limbs as `len` big-endian bytes (the value fits: it is below n).
fn be_from_limbs(limbs: &[u32], len: usize) -> Vec<u8> {
    (0..len)
        .rev()
        .map(|i| {
            limbs
                .get(i / 4)
                .map_or(0, |limb| (limb >> (8 * (i % 4))) as u8)
        })
        .collect()
}

/// a < b, both of the same number of limbs.
fn less_than(a: &[u32], b: &[u32]) -> bool {
    a.iter().rev().cmp(b.iter().rev()).is_lt()
}

/// a -= b (a has at least as many limbs as b and is not smaller).
fn sub_assign(a: &mut [u32], b: &[u32]) {
    let mut borrow = 0u64;
    for (i, ai) in a.iter_mut().enumerate() {
        let bi = u64::from(b.get(i).copied().unwrap_or(0));
        let diff = u64::from(*ai).wrapping_sub(bi).wrapping_sub(borrow);
        *ai = diff as u32;
        borrow = (diff >> 63) & 1;
    }
}

/// -x⁻¹ mod 2^32 for odd x (Newton's iteration doubles the correct bits each step).
fn neg_inverse(x: u32) -> u32 {
    let mut inv = x; // correct to 3 bits: x·x ≡ 1 (mod 8) for odd x
    for _ in 0..4 {
        inv = inv.wrapping_mul(2u32.wrapping_sub(x.wrapping_mul(inv)));
    }
    inv.wrapping_neg()
}

/// R² mod n, R = 2^(32·limbs), by doubling: 2^(bits-1) < n, then one modular doubling per bit
/// up to 2^(64·limbs). Once per key.
fn r_squared(n: &[u32], bits: usize) -> Vec<u32> {
    let mut x = vec![0u32; n.len() + 1];
    x[(bits - 1) / 32] = 1 << ((bits - 1) % 32);
    for _ in bits - 1..64 * n.len() {
        // x = 2x mod n, x < n
        let mut carry = 0;
        for limb in &mut x {
            let next = *limb >> 31;
            *limb = (*limb << 1) | carry;
            carry = next;
        }
        if x[n.len()] != 0 || !less_than(&x[..n.len()], n) {
            sub_assign(&mut x, n);
        }
    }
    x.truncate(n.len());
    x
}

/// db ^= MGF1-SHA-256(seed, db.len()) (RFC 8017 B.2.1).
fn mgf1_sha256_xor(seed: &[u8], db: &mut [u8]) {
    for (counter, chunk) in (0u32..).zip(db.chunks_mut(32)) {
        let mask = sha2::Sha256::new()
            .chain_update(seed)
            .chain_update(counter.to_be_bytes())
            .finalize();
        for (b, m) in chunk.iter_mut().zip(mask) {
            *b ^= m;
        }
    }
}

/// DigestInfo DER prefixes (RFC 8017 §9.2, note 1).
const SHA256_PREFIX: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];
const SHA384_PREFIX: [u8; 19] = [
    0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05,
    0x00, 0x04, 0x30,
];
const SHA512_PREFIX: [u8; 19] = [
    0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05,
    0x00, 0x04, 0x40,
];

#[cfg(test)]
mod tests;
