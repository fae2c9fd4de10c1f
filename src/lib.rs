// The README is the crate documentation; its example signs a token, so it needs `issuer`.
#![cfg_attr(feature = "issuer", doc = include_str!("../README.md"))]
#![cfg_attr(
    not(feature = "issuer"),
    doc = "Offline verifier for VNeID tokens and signed document QR codes. See README.md."
)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

extern crate alloc;

pub mod crypto;
pub mod dangerous;
pub mod encoding;
pub mod error;
pub mod formats;
#[cfg(feature = "issuer")]
pub mod issuer;
pub mod policy;
pub mod time;
pub mod trust;
pub mod verdict;
pub mod vn;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{Error, ErrorCode};
pub use policy::{Level, Limits, Policy};
pub use trust::{TrustStore, TrustedKey};
pub use verdict::{Document, Format, Verdict, Warning, WarningCode};

/// Verifies payloads against a trust store and a policy. Cheap to share: `verify` takes `&self`
/// and keeps no state between calls, so one bad payload never affects the next.
#[derive(Clone, Debug)]
pub struct Verifier {
    trust: TrustStore,
    policy: Policy,
}

impl Verifier {
    /// A verifier trusting `trust` and requiring `policy`.
    #[must_use]
    pub fn new(trust: TrustStore, policy: Policy) -> Self {
        Verifier { trust, policy }
    }

    /// The trust store.
    #[must_use]
    pub fn trust(&self) -> &TrustStore {
        &self.trust
    }

    /// The policy.
    #[must_use]
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Verifies one payload (a token or a QR code's text) as of `now` (Unix seconds).
    ///
    /// Surrounding whitespace (a scanner's CR/LF) is ignored. The size limit is checked before
    /// anything else. The format is recognised from the payload itself.
    #[must_use]
    pub fn verify(&self, payload: &str, now: i64) -> Verdict {
        let limits = &self.policy.limits;
        if payload.len() > limits.max_payload_len {
            return Verdict::rejected(
                Format::Unknown,
                &Error::with_detail(
                    ErrorCode::PayloadTooLarge,
                    format!("{} bytes; limit {}", payload.len(), limits.max_payload_len),
                ),
            );
        }
        let payload = payload.trim();
        if payload.is_empty() {
            return Verdict::rejected(Format::Unknown, &Error::new(ErrorCode::EmptyPayload));
        }
        match formats::detect(payload) {
            Format::Jwt | Format::VneidToken => {
                formats::token::verify(payload, &self.trust, &self.policy, now)
            }
            Format::VneidDocument => {
                formats::vneid_document::verify(payload, &self.trust, &self.policy, now)
            }
            Format::EuDcc => formats::eu_dcc::verify(payload, &self.trust, &self.policy, now),
            Format::Shc => formats::shc::verify(payload, &self.trust, &self.policy, now),
            Format::CccdQr => formats::cccd_qr::verify(payload, now),
            Format::VdsNc => formats::vds_nc::verify(payload, &self.trust, &self.policy, now),
            _ => Verdict::rejected(Format::Unknown, &Error::new(ErrorCode::UnknownFormat)),
        }
    }
}
