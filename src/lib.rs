// The README is the crate documentation; its example signs a token, so it needs `issuer`.
#![cfg_attr(feature = "issuer", doc = include_str!("../README.md"))]
#![cfg_attr(
    not(feature = "issuer"),
    doc = "Offline verifier for VNeID tokens and signed document QR codes. See README.md."
)]
#![forbid(unsafe_code)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]
// A build without every format (the npm package's `vneid-verify/tokens`) compiles every module
// and links only what its formats reach (formats::verify): what the others use is unused there.
#![cfg_attr(
    not(feature = "all-formats"),
    allow(dead_code, unused_imports, unused_variables)
)]

extern crate alloc;

// The public API is what is re-exported below, `dangerous`, `time` and (feature `issuer`)
// `issuer`; everything else is internal, so that unused code is found and unverified decoding
// is reachable only through `dangerous`.
mod crypto;
pub mod dangerous;
mod encoding;
mod error;
mod formats;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod holder;
#[cfg(feature = "issuer")]
pub mod issuer;
mod policy;
mod replay;
pub mod time;
mod trust;
mod verdict;
mod vn;

#[cfg(test)]
mod test_vectors;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use crypto::es256::P256Key;
#[cfg(feature = "rsa")]
pub use crypto::rsa::RsaKey;
pub use crypto::PublicKey;
pub use error::{Error, ErrorCode, ErrorDetail};
pub use formats::shc::{ChunkNext, ChunkProgress, ChunkScan, ShcChunks};
pub use formats::vneid_document::DocumentType;
pub use policy::{
    KeyBinding, Level, Limits, OptionKind, OptionValue, Policy, PolicyOption, POLICY_OPTIONS,
};
pub use replay::{ProofId, ReplayCache};
pub use trust::signed::{Accepted, BundleInfo, RootSet, TrustState};
pub use trust::status_list::{StatusList, StatusListToken, StatusReference};
pub use trust::{Anchor, Certificate, KeyLookup, Name, SignatureAlgorithm, TrustStore, TrustedKey};
pub use verdict::{Document, Format, Holder, HolderBinding, Verdict, Warning, WarningCode};

use std::sync::Arc;

/// Verifies payloads against a trust store and a policy. Cheap to share: `verify` takes `&self`,
/// and one bad payload never affects the next. The only state is the replay cache of accepted
/// holder proofs ([`ReplayCache`]), shared by every clone of the verifier.
#[derive(Clone, Debug)]
pub struct Verifier {
    trust: TrustStore,
    policy: Policy,
    replay: Arc<ReplayCache>,
}

impl Verifier {
    /// A verifier trusting `trust` and requiring `policy`, with its own replay cache of
    /// [`ReplayCache::DEFAULT_CAPACITY`] proofs.
    #[must_use]
    pub fn new(trust: TrustStore, policy: Policy) -> Self {
        Verifier {
            trust,
            policy,
            replay: Arc::new(ReplayCache::default()),
        }
    }

    /// This verifier with `cache` as its replay cache: a server that verifies with several
    /// verifiers (one per policy, or one per request with that request's nonce) gives them one
    /// cache, so that a proof accepted by one is refused by all.
    #[must_use]
    pub fn with_replay_cache(mut self, cache: Arc<ReplayCache>) -> Self {
        self.replay = cache;
        self
    }

    /// The replay cache.
    #[must_use]
    pub fn replay_cache(&self) -> &Arc<ReplayCache> {
        &self.replay
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
    /// Top to bottom, as `../shared/design/ARCHITECTURE.md` draws it:
    ///
    /// 1. trust from a signed bundle past its `expires` refuses everything (`trust_expired`);
    ///    then the payload rule: surrounding whitespace (a scanner's CR/LF) is ignored, and the
    ///    size limit is checked before anything else ([`Limits::payload`]);
    /// 2. detection: the format from the payload's shape, keeping what it parsed to tell (a
    ///    JWS header, a JSON object), under the policy's limits; a format `Policy::formats`
    ///    refuses is refused here, unparsed;
    /// 3. the format's module: it decodes the rest, finds its key through one trust lookup of
    ///    the kind it declares, verifies the signature and the format's own rules;
    /// 4. the policy stage, the same for every format: issuer, validity window, age, audience,
    ///    level, revocation, format, holder binding (and, last, the replay cache).
    #[must_use]
    pub fn verify(&self, payload: &str, now: i64) -> Verdict {
        self.verify_with_policy(payload, &self.policy, now)
    }

    /// Verifies one payload as [`Verifier::verify`] does, under `policy` instead of this
    /// verifier's, with the same trust store and replay cache: a server gives each transaction
    /// its own `nonce` this way, and a proof accepted in one is still refused in another.
    #[must_use]
    pub fn verify_with_policy(&self, payload: &str, policy: &Policy, now: i64) -> Verdict {
        if let Err(error) = self.trust.check_fresh(now) {
            return Verdict::rejected(Format::Unknown, &error);
        }
        let payload = match policy.limits.payload(payload) {
            Ok(payload) => payload,
            Err(error) => return Verdict::rejected(Format::Unknown, &error),
        };
        self.verify_detected(formats::detect(payload, &policy.limits), policy, now)
    }

    /// Verifies one payload as `format`, without recognising the format from the payload: a
    /// reader that knows what it scans gets that format's precise error (a card QR with six
    /// fields is `schema_invalid`, not `unknown_format`). Otherwise as [`Verifier::verify`],
    /// `Policy::formats` included. [`Format::Jwt`] and [`Format::VneidToken`] both verify a
    /// compact JWS, which the claims classify; [`Format::Unknown`] is `unknown_format`.
    #[must_use]
    pub fn verify_as(&self, format: Format, payload: &str, now: i64) -> Verdict {
        if let Err(error) = self.trust.check_fresh(now) {
            return Verdict::rejected(format, &error);
        }
        let limits = &self.policy.limits;
        let payload = match limits.payload(payload) {
            Ok(payload) => payload,
            Err(error) => return Verdict::rejected(format, &error),
        };
        self.verify_detected(
            formats::detect_as(format, payload, limits),
            &self.policy,
            now,
        )
    }

    /// Steps 2 (the format allow-list) to 4 of [`Verifier::verify`].
    fn verify_detected(
        &self,
        detected: formats::Detected<'_>,
        policy: &Policy,
        now: i64,
    ) -> Verdict {
        if let Err(error) = policy::allow_format(policy, detected.candidates()) {
            return Verdict::rejected(detected.format(), &error);
        }
        let context = formats::Context {
            limits: &policy.limits,
            now,
            expected_issuer: policy.issuer.as_deref(),
        };
        match formats::verify(detected, &self.trust, &context) {
            formats::Outcome::Verified(verified) => {
                policy::apply(policy, &self.trust, &self.replay, *verified, now)
            }
            formats::Outcome::Unsigned(verdict) => *verdict,
            formats::Outcome::Rejected(format, error) => Verdict::rejected(format, &error),
        }
    }
}
