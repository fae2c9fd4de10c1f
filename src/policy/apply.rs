//! The policy stage: one place where the caller's [`Policy`] judges what a format module
//! verified, the same rules in the same order for every format.
//!
//! 1. issuer: `Policy::issuer` against the format's issuer identity (`issuer_mismatch`);
//! 2. the validity window, with `Policy::clock_tolerance`: `exp` (`expired`), `nbf`
//!    (`not_yet_valid`), `iat` (`issued_in_future`), then the document's own dates;
//! 3. age: `Policy::max_token_age` since `iat` (`claim_missing` without one, `too_old`);
//! 4. holder binding ([`crate::holder`]): a holder's proof required (`holder_binding_missing`),
//!    its `nonce` (`nonce_mismatch`), its age (`issued_in_future`, `too_old`);
//! 5. audience: `Policy::audience` in `aud` (a presentation's is its holder's proof's)
//!    (`claim_missing`, `audience_mismatch`); `aud` with no audience configured is the warning
//!    `audience_not_checked`;
//! 6. level: `Policy::min_level` (`level_too_low`);
//! 7. revocation: every id the format read, under its issuer identity (`revoked`), then its
//!    status-list entry (`status_list_missing`, `status_list_stale`, `revoked`, `suspended`…);
//! 8. format: `Policy::formats`, once the exact format is known (`format_not_allowed`);
//! 9. last, the replay cache remembers an accepted holder proof (`replayed`), so that a
//!    presentation refused for any other reason keeps its proof unused.
//!
//! Configured means required, for every format: a document names no audience and asserts no
//! level, so a policy that asks for either refuses it rather than letting it pass unchecked.

use crate::error::{Error, ErrorCode};
use crate::formats::claims::shorten;
use crate::formats::{BoundKind, Verified};
use crate::holder;
use crate::replay::ReplayCache;
use crate::time::format_seconds;
use crate::trust::TrustStore;
use crate::verdict::{Format, HolderBinding, Verdict, Warning, WarningCode};

use super::Policy;

/// Judges `verified` against `policy` at `now` and makes the verdict; an accepted holder proof
/// is remembered in `replay`.
pub(crate) fn apply(
    policy: &Policy,
    trust: &TrustStore,
    replay: &ReplayCache,
    verified: Verified,
    now: i64,
) -> Verdict {
    let mut verified = verified;
    let checked = check(policy, trust, &mut verified, now).and_then(|binding| {
        // Last, so that a presentation refused for any other reason keeps its proof unused.
        if let Some(proof) = &verified.holder_proof {
            holder::remember(policy, proof, replay, now)?;
        }
        Ok(binding)
    });
    match checked {
        Ok(binding) => {
            let mut verdict = verdict(verified);
            verdict.holder_binding = Some(binding);
            verdict
        }
        Err(error) => Verdict::rejected(verified.format, &error),
    }
}

/// `Policy::formats`: refuses a payload whose format the caller does not accept, as soon as the
/// format is known. Before a token is verified it may still be either token format
/// (`candidates` holds both), so it passes when either is accepted; the policy stage then
/// checks the exact one. An unrecognised payload (no candidate) is left to say so.
///
/// # Errors
/// `format_not_allowed`, naming the accepted formats.
pub(crate) fn allow_format(policy: &Policy, candidates: &[Format]) -> Result<(), Error> {
    let Some(allowed) = &policy.formats else {
        return Ok(());
    };
    let Some(first) = candidates.first() else {
        return Ok(());
    };
    if candidates.iter().any(|f| allowed.contains(f)) {
        return Ok(());
    }
    let names: Vec<&str> = allowed.iter().map(|f| f.as_str()).collect();
    Err(Error::with_detail(
        ErrorCode::FormatNotAllowed,
        format!("{}; accepted: {}", first.as_str(), names.join(", ")),
    ))
}

fn check(
    policy: &Policy,
    trust: &TrustStore,
    v: &mut Verified,
    now: i64,
) -> Result<HolderBinding, Error> {
    let format = v.format.as_str();
    if let Some(expected) = &policy.issuer {
        if v.issuer != *expected {
            return Err(Error::with_detail(
                ErrorCode::IssuerMismatch,
                format!("\"{}\"; expected \"{expected}\"", shorten(&v.issuer)),
            ));
        }
    }
    check_window(v, policy.clock_tolerance, now)?;
    if let Some(max_age) = policy.max_token_age {
        let iat = v.issued_at.ok_or_else(|| Error::claim_missing("iat"))?;
        // Unix seconds and NumericDates below 2^38: f64 arithmetic is exact.
        #[allow(clippy::cast_precision_loss)]
        let (now_f, limit) = (
            now as f64,
            max_age.saturating_add(policy.clock_tolerance) as f64,
        );
        if now_f - iat > limit {
            return Err(Error::with_detail(
                ErrorCode::TooOld,
                format!("iat {}; maximum age {max_age}s", format_seconds(iat)),
            ));
        }
    }
    // Before the audience: without a holder's proof a presentation names no audience, and the
    // precise reason is the missing proof.
    let binding = holder::check(policy, v.format, v.holder_proof.as_ref(), now)?;
    match (&policy.audience, &v.audience) {
        (Some(expected), Some(list)) if list.contains(expected) => {}
        (Some(expected), Some(_)) => {
            return Err(Error::with_detail(
                ErrorCode::AudienceMismatch,
                format!("expected \"{expected}\""),
            ))
        }
        (Some(_), None) if matches!(v.format, Format::Jwt | Format::VneidToken) => {
            return Err(Error::claim_missing("aud"))
        }
        (Some(_), None) => {
            return Err(Error::with_detail(
                ErrorCode::ClaimMissing,
                format!("claim \"aud\": a {format} payload names no audience"),
            ))
        }
        (None, Some(_)) if v.holder_proof.is_some() => v.warnings.push(Warning::new(
            WarningCode::AudienceNotChecked,
            "The holder's proof names an audience (aud) but no expected audience was configured",
            "Bằng chứng của chủ sở hữu có bên nhận (aud) nhưng chưa cấu hình bên nhận mong đợi",
        )),
        (None, Some(_)) => v.warnings.push(Warning::new(
            WarningCode::AudienceNotChecked,
            "The token names an audience (aud) but no expected audience was configured",
            "Mã thông báo có bên nhận (aud) nhưng chưa cấu hình bên nhận mong đợi",
        )),
        (None, None) => {}
    }
    if let Some(min) = policy.min_level {
        match v.level {
            Some(level) if level >= min => {}
            Some(level) => {
                return Err(Error::with_detail(
                    ErrorCode::LevelTooLow,
                    format!("level {}; required {}", level as u8, min as u8),
                ))
            }
            None => {
                return Err(Error::with_detail(
                    ErrorCode::LevelTooLow,
                    format!(
                        "a {format} payload asserts no VNeID level (acr); required {}",
                        min as u8
                    ),
                ))
            }
        }
    }
    if let Some(why) = v
        .revocation
        .iter()
        .find_map(|id| trust.revocation_of(&v.issuer, id))
    {
        return Err(Error::with_detail(ErrorCode::Revoked, why));
    }
    if let Some(reference) = &v.status {
        trust.check_status(&v.issuer, reference, now, policy.clock_tolerance)?;
    }
    allow_format(policy, &[v.format])?;
    Ok(binding)
}

/// The validity window with the clock tolerance, in this order: `now >= exp + tolerance` is
/// `expired`, `now + tolerance < nbf` is `not_yet_valid`, `iat > now + tolerance` is
/// `issued_in_future`; then the document's own bounds, alike. An absent date is not checked
/// (each format requires the ones its profile does).
///
/// # Errors
/// `expired`, `not_yet_valid` or `issued_in_future`, naming the date, now and the tolerance.
pub(crate) fn check_window(v: &Verified, tolerance: u64, now: i64) -> Result<(), Error> {
    // Both sides are integers or NumericDates below 2^38, so f64 arithmetic is exact enough.
    #[allow(clippy::cast_precision_loss)]
    let (now_f, tol) = (now as f64, tolerance as f64);
    let outside = |code, what: &str| {
        Error::with_detail(code, format!("{what}; now {now}; tolerance {tolerance}s"))
    };
    if let Some(exp) = v.expires_at.filter(|&exp| now_f >= exp + tol) {
        return Err(outside(
            ErrorCode::Expired,
            &format!("exp {}", format_seconds(exp)),
        ));
    }
    if let Some(nbf) = v.not_before.filter(|&nbf| now_f + tol < nbf) {
        return Err(outside(
            ErrorCode::NotYetValid,
            &format!("nbf {}", format_seconds(nbf)),
        ));
    }
    if let Some(iat) = v.issued_at.filter(|&iat| iat > now_f + tol) {
        return Err(outside(
            ErrorCode::IssuedInFuture,
            &format!("iat {}", format_seconds(iat)),
        ));
    }
    for bound in &v.bounds {
        match bound.kind {
            BoundKind::NotAfter if now_f >= bound.at + tol => {
                return Err(outside(ErrorCode::Expired, &bound.what))
            }
            BoundKind::NotBefore if now_f + tol < bound.at => {
                return Err(outside(ErrorCode::NotYetValid, &bound.what))
            }
            _ => {}
        }
    }
    Ok(())
}

/// The verdict of a payload the policy accepted.
fn verdict(v: Verified) -> Verdict {
    let mut verdict = Verdict::verified(v.format);
    verdict.issuer = Some(v.issuer);
    verdict.kid = v.kid;
    verdict.subject = v.subject;
    verdict.level = v.level.map(|l| l as u8);
    verdict.issued_at = v.issued_at;
    verdict.not_before = v.not_before;
    verdict.expires_at = v.expires_at;
    verdict.claims = v.claims;
    verdict.document = v.document;
    verdict.holder = v.holder;
    verdict.warnings = v.warnings;
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(exp: Option<f64>, nbf: Option<f64>, iat: Option<f64>, now: i64) -> Result<(), ErrorCode> {
        let mut v = Verified::new(Format::Jwt, "https://a");
        (v.expires_at, v.not_before, v.issued_at) = (exp, nbf, iat);
        check_window(&v, Policy::default().clock_tolerance, now).map_err(|e| e.code())
    }

    #[test]
    fn the_window_allows_the_tolerance_and_no_more() {
        // The default tolerance: 60 s.
        assert_eq!(at(Some(1000.0), None, None, 1059), Ok(()));
        assert_eq!(at(Some(1000.0), None, None, 1060), Err(ErrorCode::Expired));
        assert_eq!(at(None, Some(1000.0), None, 940), Ok(()));
        assert_eq!(
            at(None, Some(1000.0), None, 939),
            Err(ErrorCode::NotYetValid)
        );
        assert_eq!(at(None, None, Some(1000.0), 940), Ok(()));
        assert_eq!(
            at(None, None, Some(1000.0), 939),
            Err(ErrorCode::IssuedInFuture)
        );
        assert_eq!(at(None, None, None, i64::MAX), Ok(()));
        let mut v = Verified::new(Format::Jwt, "https://a");
        v.expires_at = Some(1000.5);
        let e = check_window(&v, 60, 2000).err();
        assert_eq!(
            e.as_ref().and_then(Error::detail),
            Some("exp 1000.5; now 2000; tolerance 60s")
        );
    }

    #[test]
    fn exp_nbf_and_iat_in_this_order() {
        // A CWT's three dates: exp 1000, nbf 500, iat 400.
        let all = |now| at(Some(1000.0), Some(500.0), Some(400.0), now);
        assert_eq!(all(1059), Ok(()));
        assert_eq!(all(1060), Err(ErrorCode::Expired));
        assert_eq!(all(440), Ok(()));
        assert_eq!(all(439), Err(ErrorCode::NotYetValid));
        assert_eq!(
            at(Some(2000.0), None, Some(400.0), 339),
            Err(ErrorCode::IssuedInFuture)
        );
    }

    #[test]
    fn a_document_bound_is_applied_like_exp_and_nbf() {
        let mut v = Verified::new(Format::VneidDocument, "VN-TEST");
        v.bounds = vec![
            crate::formats::Bound {
                kind: BoundKind::NotBefore,
                at: 500.0,
                what: "document validFrom".into(),
            },
            crate::formats::Bound {
                kind: BoundKind::NotAfter,
                at: 1000.0,
                what: "document validTo".into(),
            },
        ];
        let code = |now| check_window(&v, 60, now).map_err(|e| e.code());
        assert_eq!(code(439), Err(ErrorCode::NotYetValid));
        assert_eq!(code(440), Ok(()));
        assert_eq!(code(1059), Ok(()));
        assert_eq!(code(1060), Err(ErrorCode::Expired));
    }

    #[test]
    fn the_allow_list_takes_either_token_format_before_the_claims_are_read() {
        let only = |f: Format| Policy {
            formats: Some(vec![f]),
            ..Policy::default()
        };
        let tokens = [Format::Jwt, Format::VneidToken];
        assert!(allow_format(&only(Format::VneidToken), &tokens).is_ok());
        assert!(allow_format(&only(Format::Jwt), &tokens).is_ok());
        assert_eq!(
            allow_format(&only(Format::Jwt), &[Format::VneidToken]).map_err(|e| e.code()),
            Err(ErrorCode::FormatNotAllowed)
        );
        assert!(allow_format(&only(Format::Jwt), &[]).is_ok());
        assert!(allow_format(&Policy::default(), &[Format::EuDcc]).is_ok());
    }
}
