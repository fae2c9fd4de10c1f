//! Holder binding, a step of the policy stage: is a proof of holding the credential's key
//! required, does the proof answer this verifier's challenge (`nonce`) now (`iat`, maximum proof
//! age), and has it been used before (the replay cache). The proof's `aud` is the presentation's
//! audience, checked with every format's in the policy stage's audience step.
//!
//! Formats do the cryptography: an SD-JWT's key-binding JWT is verified with the issuer-signed
//! `cnf` key and its `sd_hash` checked by [`crate::formats::sd_jwt`], which hands over a
//! [`HolderProof`]. Every other format is bearer data and hands over none. Whether binding is
//! required is [`Policy::holder_binding`], never inferred from the input (RFC 9901 §7.3 step 1).

use crate::error::{Error, ErrorCode};
use crate::formats::claims::shorten;
use crate::policy::{KeyBinding, Policy};
use crate::replay::{ProofId, ReplayCache};
use crate::time::format_seconds;
use crate::verdict::{Format, HolderBinding};

/// A holder's proof whose signature verified with the credential's holder key: what the policy
/// still has to judge.
#[derive(Clone, Debug, PartialEq)]
pub struct HolderProof {
    /// SHA-256 of the proof's signing input: its identity in the replay cache.
    pub id: ProofId,
    /// When the holder made it (`iat`), Unix seconds.
    pub issued_at: f64,
    /// Whom it is for (`aud`).
    pub audience: String,
    /// The challenge it answers (`nonce`).
    pub nonce: String,
    /// The RFC 7638 thumbprint of the holder key.
    pub thumbprint: Option<String>,
}

/// Checks holder binding against the policy at `now`, before anything is remembered.
///
/// # Errors
/// `holder_binding_missing` (required, or a nonce expected, and no proof); `nonce_mismatch`,
/// `issued_in_future`, `too_old` for a proof that does not answer now.
pub(crate) fn check(
    policy: &Policy,
    format: Format,
    proof: Option<&HolderProof>,
    now: i64,
) -> Result<HolderBinding, Error> {
    let Some(proof) = proof else {
        let why = if format == Format::SdJwtVc {
            String::from("no key-binding JWT after the last ~")
        } else if format == Format::VneidPresentation {
            String::from("no holder proof after the disclosures")
        } else {
            format!(
                "a {} payload carries no holder key: whoever shows it passes",
                format.as_str()
            )
        };
        if policy.holder_binding == KeyBinding::Required {
            return Err(Error::with_detail(
                ErrorCode::HolderBindingMissing,
                format!("required; {why}"),
            ));
        }
        if policy.nonce.is_some() {
            return Err(Error::with_detail(
                ErrorCode::HolderBindingMissing,
                format!("a nonce is expected; {why}"),
            ));
        }
        return Ok(HolderBinding::None);
    };
    if let Some(expected) = &policy.nonce {
        if proof.nonce != *expected {
            return Err(Error::with_detail(
                ErrorCode::NonceMismatch,
                format!(
                    "key-binding JWT nonce \"{}\"; expected \"{}\"",
                    shorten(&proof.nonce),
                    shorten(expected)
                ),
            ));
        }
    }
    // Unix seconds and NumericDates below 2^38: f64 arithmetic is exact enough.
    #[allow(clippy::cast_precision_loss)]
    let (now_f, tolerance, max_age) = (
        now as f64,
        policy.clock_tolerance as f64,
        policy.max_proof_age as f64,
    );
    if proof.issued_at > now_f + tolerance {
        return Err(Error::with_detail(
            ErrorCode::IssuedInFuture,
            format!(
                "key-binding JWT iat {}; now {now}; tolerance {}s",
                format_seconds(proof.issued_at),
                policy.clock_tolerance
            ),
        ));
    }
    if now_f - proof.issued_at > max_age + tolerance {
        return Err(Error::with_detail(
            ErrorCode::TooOld,
            format!(
                "key-binding JWT iat {}; maximum proof age {}s; tolerance {}s",
                format_seconds(proof.issued_at),
                policy.max_proof_age,
                policy.clock_tolerance
            ),
        ));
    }
    Ok(HolderBinding::Key)
}

/// The first time from which `proof` is refused as too old: the replay cache need not remember
/// it any longer.
#[must_use]
pub(crate) fn expiry(policy: &Policy, proof: &HolderProof) -> i64 {
    let last = proof.issued_at + f64_from(policy.max_proof_age) + f64_from(policy.clock_tolerance);
    // NumericDates are below 2^38 and the policy's seconds are whole: the sum is finite; a
    // saturating cast keeps absurd policies from wrapping.
    #[allow(clippy::cast_possible_truncation)]
    let last = last.floor() as i64;
    last.saturating_add(1)
}

#[allow(clippy::cast_precision_loss)]
fn f64_from(seconds: u64) -> f64 {
    seconds as f64
}

/// Remembers an accepted proof; the second acceptance of the same proof is refused. Call it last,
/// when every other check passed, so that a refused presentation never uses up its proof.
///
/// # Errors
/// `replayed`, `replay_cache_full`.
pub(crate) fn remember(
    policy: &Policy,
    proof: &HolderProof,
    cache: &ReplayCache,
    now: i64,
) -> Result<(), Error> {
    cache.check_and_remember(&proof.id, expiry(policy, proof), now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proof(iat: f64) -> HolderProof {
        HolderProof {
            id: [7; 32],
            issued_at: iat,
            audience: String::from("https://bank.example"),
            nonce: String::from("n-1"),
            thumbprint: None,
        }
    }

    /// The whole policy stage on a verified payload of `format` carrying proof `p`: an
    /// SD-JWT's proof is its audience, as the format module hands it over.
    fn through_policy(
        policy: &Policy,
        format: Format,
        p: Option<&HolderProof>,
        now: i64,
    ) -> Result<crate::Verdict, ErrorCode> {
        let mut v = crate::formats::Verified::new(format, "https://issuer.example");
        if let Some(p) = p {
            v.audience = Some(vec![p.audience.clone()]);
            v.holder_proof = Some(p.clone());
        }
        let cache = ReplayCache::new(16);
        let verdict = crate::policy::apply(policy, &crate::TrustStore::new(), &cache, v, now);
        match verdict.code {
            Some(code) => Err(code),
            None => Ok(verdict),
        }
    }

    fn at(policy: &Policy, p: Option<&HolderProof>, now: i64) -> Result<HolderBinding, ErrorCode> {
        through_policy(policy, Format::SdJwtVc, p, now)
            .map(|v| v.holder_binding.unwrap_or(HolderBinding::None))
    }

    #[test]
    fn binding_is_policy_not_input() {
        let optional = Policy::default();
        let required = Policy {
            holder_binding: KeyBinding::Required,
            ..Policy::default()
        };
        assert_eq!(at(&optional, None, 1000), Ok(HolderBinding::None));
        assert_eq!(
            at(&required, None, 1000),
            Err(ErrorCode::HolderBindingMissing)
        );
        assert_eq!(
            through_policy(&required, Format::EuDcc, None, 1000).map(|_| ()),
            Err(ErrorCode::HolderBindingMissing)
        );
        let p = proof(1000.0);
        assert_eq!(at(&optional, Some(&p), 1000), Ok(HolderBinding::Key));
        assert_eq!(at(&required, Some(&p), 1000), Ok(HolderBinding::Key));
        // Configured means required: a nonce or (for a presentation) an audience needs a proof.
        let nonce = Policy {
            nonce: Some("n-1".into()),
            ..Policy::default()
        };
        assert_eq!(at(&nonce, None, 1000), Err(ErrorCode::HolderBindingMissing));
        let audience = Policy {
            audience: Some("https://bank.example".into()),
            ..Policy::default()
        };
        assert_eq!(at(&audience, None, 1000), Err(ErrorCode::ClaimMissing));
    }

    #[test]
    fn the_proof_answers_this_verifier_now() {
        let policy = Policy {
            audience: Some("https://bank.example".into()),
            nonce: Some("n-1".into()),
            max_proof_age: 60,
            ..Policy::default()
        };
        let p = proof(1000.0);
        assert_eq!(at(&policy, Some(&p), 1000), Ok(HolderBinding::Key));
        let other_aud = HolderProof {
            audience: "https://evil.example".into(),
            ..p.clone()
        };
        assert_eq!(
            at(&policy, Some(&other_aud), 1000),
            Err(ErrorCode::AudienceMismatch)
        );
        let other_nonce = HolderProof {
            nonce: "n-2".into(),
            ..p.clone()
        };
        assert_eq!(
            at(&policy, Some(&other_nonce), 1000),
            Err(ErrorCode::NonceMismatch)
        );
        // 60 s plus the 60 s tolerance, and no more.
        assert_eq!(at(&policy, Some(&p), 1120), Ok(HolderBinding::Key));
        assert_eq!(at(&policy, Some(&p), 1121), Err(ErrorCode::TooOld));
        assert_eq!(at(&policy, Some(&p), 940), Ok(HolderBinding::Key));
        assert_eq!(at(&policy, Some(&p), 939), Err(ErrorCode::IssuedInFuture));
        // The cache forgets it exactly when it becomes too old.
        assert_eq!(expiry(&policy, &p), 1121);
    }

    #[test]
    fn an_unchecked_audience_is_a_warning() {
        let verdict = through_policy(
            &Policy::default(),
            Format::SdJwtVc,
            Some(&proof(1000.0)),
            1000,
        )
        .ok();
        assert_eq!(
            verdict.as_ref().and_then(|v| v.holder_binding),
            Some(HolderBinding::Key)
        );
        assert_eq!(
            verdict.map(|v| v.warnings.iter().map(|w| w.code).collect::<Vec<_>>()),
            Some(vec![crate::WarningCode::AudienceNotChecked])
        );
    }

    #[test]
    fn a_proof_is_remembered_once() {
        let policy = Policy::default();
        let cache = ReplayCache::new(4);
        let p = proof(1000.0);
        assert!(remember(&policy, &p, &cache, 1000).is_ok());
        assert_eq!(
            remember(&policy, &p, &cache, 1001).map_err(|e| e.code()),
            Err(ErrorCode::Replayed)
        );
    }
}
