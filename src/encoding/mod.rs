//! Strict decoders for untrusted bytes. Each refuses anything that is not canonical.

pub(crate) mod base45;
pub(crate) mod base64url;
pub(crate) mod cbor;
pub(crate) mod der;
pub(crate) mod inflate;
pub(crate) mod jcs;
pub(crate) mod json;
pub(crate) mod pem;
