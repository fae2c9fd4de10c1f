//! Strict decoders for untrusted bytes. Each refuses anything that is not canonical.

pub mod base64url;
pub mod der;
pub mod inflate;
pub mod jcs;
pub mod json;
pub mod pem;
