// The README is the crate documentation; its example signs a token, so it needs `issuer`.
#![cfg_attr(feature = "issuer", doc = include_str!("../README.md"))]
#![cfg_attr(
    not(feature = "issuer"),
    doc = "Offline verifier for VNeID tokens and signed document QR codes. See README.md."
)]
#![forbid(unsafe_code)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

extern crate alloc;

// The public API is what is re-exported below, `dangerous`, `time` and (feature `issuer`)
// `issuer`; everything else is internal, so that unused code is found and unverified decoding
// is reachable only through `dangerous`.
mod crypto;
pub mod dangerous;
mod encoding;
mod error;
mod formats;
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

#[cfg(feature = "rsa")]
pub use crypto::rsa::RsaKey;
pub use crypto::PublicKey;
pub use error::{Error, ErrorCode};
pub use formats::shc::{ChunkNext, ChunkProgress, ChunkScan, ShcChunks};
pub use formats::vneid_document::DocumentType;
pub use policy::{KeyBinding, Level, Limits, Policy};
pub use replay::{ProofId, ReplayCache};
pub use trust::signed::{Accepted, BundleInfo, RootSet, TrustState};
pub use trust::status_list::{StatusList, StatusListToken, StatusReference};
pub use trust::{Certificate, Name, SignatureAlgorithm, TrustStore, TrustedKey};
pub use verdict::{Document, Format, HolderBinding, Verdict, Warning, WarningCode};

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
    /// Surrounding whitespace (a scanner's CR/LF) is ignored. Trust from a signed bundle past its
    /// `expires` refuses everything (`trust_expired`) before the payload is read; then the size
    /// limit is checked before anything else ([`Limits::payload`]). The format is recognised from
    /// the payload itself.
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
        let detected = match formats::recognise(payload) {
            Ok(format) => format,
            Err(error) => return Verdict::rejected(Format::Unknown, &error),
        };
        if let Err(error) = check_format_allowed(policy, detected, true) {
            return Verdict::rejected(detected, &error);
        }
        self.verify_detected(detected, payload, policy, now)
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
        let payload = match self.policy.limits.payload(payload) {
            Ok(payload) => payload,
            Err(error) => return Verdict::rejected(format, &error),
        };
        if let Err(error) = check_format_allowed(&self.policy, format, true) {
            return Verdict::rejected(format, &error);
        }
        self.verify_detected(format, payload, &self.policy, now)
    }

    fn verify_detected(
        &self,
        detected: Format,
        payload: &str,
        policy: &Policy,
        now: i64,
    ) -> Verdict {
        let (mut verdict, proof) = match detected {
            Format::SdJwtVc => match formats::sd_jwt::check(payload, &self.trust, policy, now) {
                Ok(checked) => checked,
                Err(error) => return Verdict::rejected(Format::SdJwtVc, &error),
            },
            Format::VneidPresentation => {
                match formats::vneid_presentation::check(payload, &self.trust, policy, now) {
                    Ok(checked) => checked,
                    Err(error) => return Verdict::rejected(Format::VneidPresentation, &error),
                }
            }
            Format::Jwt | Format::VneidToken => (
                formats::token::verify(payload, &self.trust, policy, now),
                None,
            ),
            Format::VneidDocument => (
                formats::vneid_document::verify(payload, &self.trust, policy, now),
                None,
            ),
            Format::EuDcc => (
                formats::eu_dcc::verify(payload, &self.trust, policy, now),
                None,
            ),
            Format::Shc => (
                formats::shc::verify(payload, &self.trust, policy, now),
                None,
            ),
            Format::CccdQr => (formats::cccd_qr::verify(payload, now), None),
            Format::VdsNc => (
                formats::vds_nc::verify(payload, &self.trust, policy, now),
                None,
            ),
            _ => return Verdict::rejected(Format::Unknown, &Error::new(ErrorCode::UnknownFormat)),
        };
        if !verdict.valid {
            return verdict;
        }
        let checked = check_format_allowed(policy, verdict.format, false)
            .and_then(|()| check_common_policy(policy, &verdict, now))
            .and_then(|()| {
                holder::check(
                    policy,
                    verdict.format,
                    proof.as_ref(),
                    now,
                    &mut verdict.warnings,
                )
            })
            // Last, so that a presentation refused for any other reason keeps its proof unused.
            .and_then(|binding| match &proof {
                Some(proof) => holder::remember(policy, proof, &self.replay, now).map(|()| binding),
                None => Ok(binding),
            });
        match checked {
            Ok(binding) => {
                verdict.holder_binding = Some(binding);
                verdict
            }
            Err(error) => Verdict::rejected(verdict.format, &error),
        }
    }
}

/// `Policy::formats`. Before parsing (`detected`), a compact JWS may still turn out to be either
/// token format, so it passes when either is allowed; after, the verified format decides.
fn check_format_allowed(policy: &Policy, format: Format, detected: bool) -> Result<(), Error> {
    let Some(allowed) = &policy.formats else {
        return Ok(());
    };
    let ok = match format {
        Format::Unknown => true,
        Format::Jwt if detected => {
            allowed.contains(&Format::Jwt) || allowed.contains(&Format::VneidToken)
        }
        other => allowed.contains(&other),
    };
    if ok {
        return Ok(());
    }
    let names: Vec<&str> = allowed.iter().map(|f| f.as_str()).collect();
    Err(Error::with_detail(
        ErrorCode::FormatNotAllowed,
        format!("{}; accepted: {}", format.as_str(), names.join(", ")),
    ))
}

/// Configured means required, for every format. Tokens check all of this themselves, with
/// claim-level detail; documents carry no audience and assert no VNeID level, so a policy that
/// asks for either refuses them rather than letting them pass unchecked.
fn check_common_policy(policy: &Policy, verdict: &Verdict, now: i64) -> Result<(), Error> {
    // Tokens and presentations check all of this themselves (a presentation's audience is its
    // key-binding JWT's, checked in the holder step).
    if matches!(
        verdict.format,
        Format::Jwt | Format::VneidToken | Format::SdJwtVc | Format::VneidPresentation
    ) {
        return Ok(());
    }
    let format = verdict.format.as_str();
    if let Some(expected) = &policy.issuer {
        let issuer = verdict.issuer.as_deref().unwrap_or("");
        if issuer != expected {
            return Err(Error::with_detail(
                ErrorCode::IssuerMismatch,
                format!("\"{issuer}\"; expected \"{expected}\""),
            ));
        }
    }
    if policy.audience.is_some() {
        return Err(Error::with_detail(
            ErrorCode::ClaimMissing,
            format!("claim \"aud\": a {format} payload names no audience"),
        ));
    }
    if let Some(min) = policy.min_level {
        if verdict.level.is_none_or(|level| level < min as u8) {
            return Err(Error::with_detail(
                ErrorCode::LevelTooLow,
                format!(
                    "a {format} payload asserts no VNeID level; required {}",
                    min as u8
                ),
            ));
        }
    }
    if let Some(max_age) = policy.max_token_age {
        let iat = verdict
            .issued_at
            .ok_or_else(|| Error::with_detail(ErrorCode::ClaimMissing, "claim \"iat\""))?;
        // Unix seconds below 2^53 convert exactly.
        #[allow(clippy::cast_precision_loss)]
        let (now, limit) = (
            now as f64,
            max_age.saturating_add(policy.clock_tolerance) as f64,
        );
        if now - iat > limit {
            return Err(Error::with_detail(
                ErrorCode::TooOld,
                format!(
                    "issued {}; maximum age {max_age}s",
                    time::format_seconds(iat)
                ),
            ));
        }
    }
    Ok(())
}
