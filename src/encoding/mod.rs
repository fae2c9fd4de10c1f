//! Strict decoders for untrusted bytes. Each refuses anything that is not canonical.

pub mod base45;
pub mod base64url;
pub mod cbor;
pub mod der;
pub mod inflate;
pub mod jcs;
pub mod json;
pub mod pem;
