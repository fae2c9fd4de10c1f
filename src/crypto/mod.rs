//! Signature verification: typed public keys in, a yes or no out. Nothing here parses payloads.

pub(crate) mod es256;
#[cfg(test)]
mod es256_diff;
pub(crate) mod p256;
#[cfg(feature = "rsa")]
pub(crate) mod rsa;
#[cfg(test)]
mod wycheproof;

/// A public key from the trust store.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublicKey {
    /// An ECDSA P-256 key: verifies ES256.
    P256(es256::P256Key),
    /// An RSA key (feature `rsa`): verifies PS256 and RSA-signed certificates.
    #[cfg(feature = "rsa")]
    Rsa(rsa::RsaKey),
    /// A key this build recognises but cannot verify with (e.g. EC P-384, or RSA without the
    /// `rsa` feature). Kept so that a payload signed with it is reported as `unsupported_key`
    /// rather than `unknown_key`.
    Unsupported(String),
}

impl PublicKey {
    /// A short description of the key type, e.g. `EC P-256`.
    #[must_use]
    pub fn description(&self) -> &str {
        match self {
            PublicKey::P256(_) => "EC P-256",
            #[cfg(feature = "rsa")]
            PublicKey::Rsa(_) => "RSA",
            PublicKey::Unsupported(d) => d,
        }
    }
}

/// SHA-256 of `bytes`.
#[must_use]
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes).into()
}
