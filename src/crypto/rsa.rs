//! RSA signature verification (feature `rsa`): RSASSA-PSS with SHA-256 (COSE PS256, used by EU
//! DCC issuers including Vietnam's) and RSASSA-PKCS1-v1_5 (certificates signed by RSA country
//! CAs). Verification only, through RustCrypto's `rsa` crate; keys of 2048 to 4096 bits.

use rsa::signature::Verifier as _;
use rsa::{BoxedUint, RsaPublicKey};

/// Smallest modulus accepted, in bits.
pub const MIN_BITS: usize = 2048;
/// Largest modulus accepted, in bits.
pub const MAX_BITS: usize = 4096;

/// An RSA public key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsaKey {
    key: RsaPublicKey,
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
    /// A reason when the modulus is outside 2048–4096 bits or the exponent is not acceptable.
    pub fn from_components(n: &[u8], e: &[u8]) -> Result<RsaKey, String> {
        let n = n.strip_prefix(&[0u8]).unwrap_or(n);
        let bits = n.len() * 8 - n.first().map_or(8, |b| b.leading_zeros() as usize);
        if !(MIN_BITS..=MAX_BITS).contains(&bits) {
            return Err(format!(
                "RSA modulus of {bits} bits (accepted: {MIN_BITS}–{MAX_BITS})"
            ));
        }
        let precision = u32::try_from(n.len() * 8).map_err(|_| "modulus too large".to_owned())?;
        let modulus =
            BoxedUint::from_be_slice(n, precision).map_err(|_| "invalid modulus".to_owned())?;
        let exponent = BoxedUint::from_be_slice_vartime(e);
        let key =
            RsaPublicKey::new(modulus, exponent).map_err(|e| format!("invalid RSA key: {e}"))?;
        Ok(RsaKey { key, bits })
    }

    /// Modulus size in bits.
    #[must_use]
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// Verifies RSASSA-PSS, SHA-256, MGF1-SHA-256, salt length 32 (JWA/COSE PS256).
    #[must_use]
    pub fn verify_pss_sha256(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(sig) = rsa::pss::Signature::try_from(signature) else {
            return false;
        };
        rsa::pss::VerifyingKey::<sha2::Sha256>::new(self.key.clone())
            .verify(message, &sig)
            .is_ok()
    }

    /// Verifies RSASSA-PKCS1-v1_5 with the given digest.
    #[must_use]
    pub fn verify_pkcs1v15(&self, hash: Pkcs1Hash, message: &[u8], signature: &[u8]) -> bool {
        let Ok(sig) = rsa::pkcs1v15::Signature::try_from(signature) else {
            return false;
        };
        let key = self.key.clone();
        match hash {
            Pkcs1Hash::Sha256 => rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key)
                .verify(message, &sig)
                .is_ok(),
            Pkcs1Hash::Sha384 => rsa::pkcs1v15::VerifyingKey::<sha2::Sha384>::new(key)
                .verify(message, &sig)
                .is_ok(),
            Pkcs1Hash::Sha512 => rsa::pkcs1v15::VerifyingKey::<sha2::Sha512>::new(key)
                .verify(message, &sig)
                .is_ok(),
        }
    }
}
