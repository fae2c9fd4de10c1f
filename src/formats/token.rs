//! ES256 JWTs and the VNeID token profile (docs/profiles/vneid-token.md).
//!
//! The flow, top to bottom: decode the JWS (structure and header, no key yet) → read the
//! unverified `iss` only to choose the issuer → select the key from the trust store by issuer
//! and `kid` → check the key's validity at `now` → verify the signature → check the claims
//! against the policy at `now` → verdict. Claims are returned only when every step passed.

use serde_json::{Map, Value};

use super::claims::{check_window, invalid, json_numeric_date, missing, shorten};
use super::jws::{self, JwsRules};
use crate::error::{Error, ErrorCode};
use crate::policy::{Level, Policy};
use crate::time::{self, Date};
use crate::trust::status_list::StatusReference;
use crate::trust::TrustStore;
use crate::verdict::{Format, Verdict, Warning, WarningCode};
use crate::vn::PersonalId;

/// `acr` values of the VNeID profile start with this.
pub const VNEID_ACR_PREFIX: &str = "urn:vneid:level:";

/// Verifies a compact JWS token. Never panics; every failure is a verdict with a code.
#[must_use]
pub fn verify(token: &str, trust: &TrustStore, policy: &Policy, now: i64) -> Verdict {
    match check(token, trust, policy, now) {
        Ok(verdict) => verdict,
        Err((format, error)) => Verdict::rejected(format, &error),
    }
}

fn check(
    token: &str,
    trust: &TrustStore,
    policy: &Policy,
    now: i64,
) -> Result<Verdict, (Format, Error)> {
    let as_jwt = |e: Error| (Format::Jwt, e);
    let jws = jws::decode(token, &policy.limits, JwsRules::default()).map_err(as_jwt)?;
    let jws::IssuerSigned { claims, key } = jws::verify_issuer_signed(&jws, trust, policy, now)
        .map_err(|(e, claims)| (claims.as_ref().map_or(Format::Jwt, classify), e))?;
    let format = classify(&claims);
    let fail = |e: Error| (format, e);
    let issuer = key.issuer.as_str();
    // A key restricted to document types signs documents, never identity tokens.
    if let Some(types) = &key.document_types {
        return Err(fail(Error::with_detail(
            ErrorCode::KeyNotAuthorized,
            format!("the key may sign only {}; not tokens", types.join(", ")),
        )));
    }

    // From here on the claims are authentic; check them against the policy.
    let mut verdict = Verdict::verified(format);
    let times = check_times(&claims, policy, now).map_err(fail)?;
    check_audience(&claims, policy, &mut verdict.warnings).map_err(fail)?;
    for name in ["sub", "jti", "acr", "nonce", "azp"] {
        optional_string(&claims, name).map_err(fail)?;
    }
    let level = check_level(&claims, policy).map_err(fail)?;
    if format == Format::VneidToken {
        // The profile requires iat: without it a device whose clock fell back to 1970 has
        // nothing to notice that a long-expired token is from its future.
        if times.0.is_none() {
            return Err(fail(missing("iat")));
        }
        check_vneid_subject(&claims, now, &mut verdict.warnings).map_err(fail)?;
    }
    check_revocation(&claims, issuer, trust, policy, now).map_err(fail)?;

    verdict.issuer = Some(issuer.to_owned());
    verdict.kid = key.kid_display();
    verdict.subject = optional_string(&claims, "sub")
        .ok()
        .flatten()
        .map(str::to_owned);
    verdict.level = level.map(|l| l as u8);
    (verdict.issued_at, verdict.not_before, verdict.expires_at) = times;
    verdict.claims = Some(Value::Object(claims));
    Ok(verdict)
}

/// Revocation of a JSON credential (a JWT, an SD-JWT VC) whose signature and own claims
/// verified: its `jti` on the issuer's revocation list, then its entry in the issuer's status
/// list (`status.status_list`, draft-ietf-oauth-status-list §8.3).
///
/// # Errors
/// `revoked`, `suspended`, `status_unknown`, `status_list_missing`, `status_list_stale`,
/// `status_index_invalid`; `claim_invalid` for a malformed `jti` or `status`.
pub(crate) fn check_revocation(
    claims: &Map<String, Value>,
    issuer: &str,
    trust: &TrustStore,
    policy: &Policy,
    now: i64,
) -> Result<(), Error> {
    if let Some(jti) = optional_string(claims, "jti")? {
        if trust.is_revoked(issuer, jti) {
            return Err(Error::with_detail(
                ErrorCode::Revoked,
                format!("jti \"{}\"", shorten(jti)),
            ));
        }
    }
    if let Some(reference) = StatusReference::from_json_claims(claims)? {
        trust.check_status(issuer, &reference, now, policy.clock_tolerance)?;
    }
    Ok(())
}

/// A token whose `acr` claims a VNeID level follows the VNeID profile; any other is a plain JWT.
fn classify(claims: &Map<String, Value>) -> Format {
    match claims.get("acr") {
        Some(Value::String(acr)) if acr.starts_with(VNEID_ACR_PREFIX) => Format::VneidToken,
        _ => Format::Jwt,
    }
}

type Times = (Option<f64>, Option<f64>, Option<f64>);

/// `exp` (required), `nbf`, `iat`; `now >= exp + tolerance` is expired.
pub(crate) fn check_times(
    claims: &Map<String, Value>,
    policy: &Policy,
    now: i64,
) -> Result<Times, Error> {
    let exp = json_numeric_date(claims, "exp")?.ok_or_else(|| missing("exp"))?;
    let nbf = json_numeric_date(claims, "nbf")?;
    let iat = json_numeric_date(claims, "iat")?;
    check_window(Some(exp), nbf, iat, policy, now)?;
    if let Some(max_age) = policy.max_token_age {
        let iat = iat.ok_or_else(|| missing("iat"))?;
        // Integers and NumericDates below 2^38: f64 arithmetic is exact enough.
        #[allow(clippy::cast_precision_loss)]
        let (now_f, max_age_f, tolerance) =
            (now as f64, max_age as f64, policy.clock_tolerance as f64);
        if now_f - iat > max_age_f + tolerance {
            return Err(Error::with_detail(
                ErrorCode::TooOld,
                format!("iat {}; maximum age {max_age}s", time::format_seconds(iat)),
            ));
        }
    }
    Ok((iat, nbf, Some(exp)))
}

/// `aud`: a string or a non-empty array of strings; when an audience is configured it is
/// required and must contain it.
fn check_audience(
    claims: &Map<String, Value>,
    policy: &Policy,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    let audiences: Option<Vec<&str>> = match claims.get("aud") {
        None => None,
        Some(Value::String(a)) => Some(vec![a.as_str()]),
        Some(Value::Array(items)) if !items.is_empty() => Some(
            items
                .iter()
                .map(Value::as_str)
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| invalid("aud", "an array must hold only strings"))?,
        ),
        Some(_) => {
            return Err(invalid(
                "aud",
                "must be a string or a non-empty array of strings",
            ))
        }
    };
    match (&policy.audience, audiences) {
        (Some(expected), Some(list)) if list.contains(&expected.as_str()) => Ok(()),
        (Some(expected), Some(_)) => Err(Error::with_detail(
            ErrorCode::AudienceMismatch,
            format!("expected \"{expected}\""),
        )),
        (Some(_), None) => Err(missing("aud")),
        (None, Some(_)) => {
            warnings.push(Warning::new(
                WarningCode::AudienceNotChecked,
                "The token names an audience (aud) but no expected audience was configured",
                "Mã thông báo có bên nhận (aud) nhưng chưa cấu hình bên nhận mong đợi",
            ));
            Ok(())
        }
        (None, None) => Ok(()),
    }
}

/// `acr` → level; `min_level` makes it required.
pub(crate) fn check_level(
    claims: &Map<String, Value>,
    policy: &Policy,
) -> Result<Option<Level>, Error> {
    let level = match optional_string(claims, "acr")? {
        Some(acr) if acr.starts_with(VNEID_ACR_PREFIX) => Some(
            Level::from_acr(acr)
                .ok_or_else(|| invalid("acr", "not urn:vneid:level:1 or urn:vneid:level:2"))?,
        ),
        _ => None,
    };
    if let Some(min) = policy.min_level {
        match level {
            Some(l) if l >= min => {}
            Some(l) => {
                return Err(Error::with_detail(
                    ErrorCode::LevelTooLow,
                    format!("level {}; required {}", l as u8, min as u8),
                ))
            }
            None => {
                return Err(Error::with_detail(
                    ErrorCode::LevelTooLow,
                    format!("no VNeID level (acr); required {}", min as u8),
                ))
            }
        }
    }
    Ok(level)
}

/// The VNeID profile's subject rules: `sub` is a 12-digit personal ID number; `birthdate` and
/// `gender`, when present, are well-formed, and a disagreement with the number is a warning.
pub(crate) fn check_vneid_subject(
    claims: &Map<String, Value>,
    now: i64,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    let sub = required_string(claims, "sub")?;
    let id = PersonalId::parse(sub, Some(time::year_of(now))).map_err(|e| {
        Error::with_detail(
            ErrorCode::PersonalIdInvalid,
            format!("sub: {}", e.explain()),
        )
    })?;
    optional_string(claims, "name")?;
    if let Some(birthdate) = optional_string(claims, "birthdate")? {
        let date = Date::parse_iso(birthdate)
            .ok_or_else(|| invalid("birthdate", "not a YYYY-MM-DD date"))?;
        if date.year != i64::from(id.birth_year) {
            warnings.push(Warning::new(
                WarningCode::BirthdateMismatch,
                format!("birthdate {birthdate} disagrees with the birth year {} in the personal ID number", id.birth_year),
                format!("Ngày sinh {birthdate} không khớp với năm sinh {} trong số định danh", id.birth_year),
            ));
        }
    }
    if let Some(gender) = optional_string(claims, "gender")? {
        if gender != "male" && gender != "female" {
            return Err(invalid("gender", "must be \"male\" or \"female\""));
        }
        if gender != id.sex.as_str() {
            warnings.push(Warning::new(
                WarningCode::GenderMismatch,
                format!("gender \"{gender}\" disagrees with the sex encoded in the personal ID number ({})", id.sex.as_str()),
                format!("Giới tính \"{gender}\" không khớp với giới tính trong số định danh"),
            ));
        }
    }
    Ok(())
}

fn required_string<'a>(claims: &'a Map<String, Value>, name: &str) -> Result<&'a str, Error> {
    optional_string(claims, name)?.ok_or_else(|| missing(name))
}

pub(crate) fn optional_string<'a>(
    claims: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a str>, Error> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(invalid(name, "must be a string")),
    }
}
