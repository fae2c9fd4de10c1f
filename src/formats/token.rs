//! ES256 JWTs and the VNeID token profile (docs/profiles/vneid-token.md).
//!
//! The flow, top to bottom, on the JWS detection decoded (structure and header, no key yet):
//! the key, one lookup of the issuer's key with the header's `kid`: the issuer the caller
//! expects, when it names one (the signature is then checked before the payload is parsed), or
//! else the unverified `iss`, which only narrows the keys to that issuer's → the signature → the
//! key's validity at `now` and its authorisation (a key restricted to document types signs no
//! token) → the claims: `iss` is the key's issuer, `exp` is required, NumericDates and types are
//! checked, `acr` gives the level, and a VNeID token's own rules (`iat` required, `sub` a
//! personal ID number, `birthdate`/`gender` consistent with it). The caller's policy (window,
//! age, audience, level, revocation by `jti`) is the policy stage's.

use serde_json::{Map, Value};

use super::claims::json_numeric_date;
use super::jws::{self, CompactJws, IssuerSigned, JwsRules};
use super::{Context, Verified};
use crate::error::{Error, ErrorCode};
use crate::policy::Level;
use crate::time::{self, Date};
use crate::trust::status_list::StatusReference;
use crate::trust::{RevocationId, TrustStore};
use crate::verdict::{Format, Holder, Warning};
use crate::vn::{PersonalId, Sex, Stated, Statement};

/// `acr` values of the VNeID profile start with this.
pub const VNEID_ACR_PREFIX: &str = "urn:vneid:level:";

/// Tokens are never compressed: `zip` is refused.
pub(crate) const JWS_RULES: JwsRules = JwsRules { allow_zip: false };

/// Verifies a decoded compact JWS as a token (see the module docs). A failure says which token
/// format it is, as far as the claims were read.
///
/// # Errors
/// The codes of the steps above.
pub(crate) fn verify(
    jws: &CompactJws<'_>,
    trust: &TrustStore,
    cx: &Context<'_>,
) -> Result<Verified, (Format, Error)> {
    let IssuerSigned { claims, key } = jws::verify_issuer_signed(jws, trust, cx)
        .map_err(|(e, claims)| (claims.as_ref().map_or(Format::Jwt, classify), e))?;
    let format = classify(&claims);
    let fail = |e: Error| (format, e);
    // A key restricted to document types signs documents, never identity tokens.
    if let Some(types) = &key.document_types {
        return Err(fail(Error::with_detail(
            ErrorCode::KeyNotAuthorized,
            format!("the key may sign only {}; not tokens", types.join(", ")),
        )));
    }

    // From here on the claims are authentic: the format's own rules.
    let mut verified = Verified::new(format, key.issuer.as_str());
    (verified.issued_at, verified.not_before, verified.expires_at) =
        times(&claims).map_err(fail)?;
    verified.audience = audience(&claims).map_err(fail)?;
    for name in ["sub", "jti", "acr", "nonce", "azp"] {
        optional_string(&claims, name).map_err(fail)?;
    }
    verified.level = level(&claims).map_err(fail)?;
    if format == Format::VneidToken {
        // The profile requires iat: without it a device whose clock fell back to 1970 has
        // nothing to notice that a long-expired token is from its future.
        if verified.issued_at.is_none() {
            return Err(fail(Error::claim_missing("iat")));
        }
        check_vneid_subject(&claims, cx.now, &mut verified.warnings).map_err(fail)?;
    }
    if let Some(jti) = optional_string(&claims, "jti").map_err(fail)? {
        verified.revocation.push(RevocationId::listed("jti", jti));
    }
    verified.status = StatusReference::from_json_claims(&claims).map_err(fail)?;
    verified.kid = key.kid_display();
    verified.subject = optional_string(&claims, "sub")
        .ok()
        .flatten()
        .map(str::to_owned);
    verified.holder = Holder::of(
        optional_string(&claims, "name").ok().flatten(),
        optional_string(&claims, "birthdate").ok().flatten(),
    );
    verified.claims = Some(Value::Object(claims));
    Ok(verified)
}

/// `iat`, `nbf` and `exp`, Unix seconds.
pub(crate) type Times = (Option<f64>, Option<f64>, Option<f64>);

/// `iat`, `nbf` and `exp` (required): NumericDates, for the policy stage's window.
///
/// # Errors
/// `claim_missing` (`exp`), `claim_invalid`.
pub(crate) fn times(claims: &Map<String, Value>) -> Result<Times, Error> {
    let exp = json_numeric_date(claims, "exp")?.ok_or_else(|| Error::claim_missing("exp"))?;
    Ok((
        json_numeric_date(claims, "iat")?,
        json_numeric_date(claims, "nbf")?,
        Some(exp),
    ))
}

/// A token whose `acr` claims a VNeID level follows the VNeID profile; any other is a plain JWT.
fn classify(claims: &Map<String, Value>) -> Format {
    match claims.get("acr") {
        Some(Value::String(acr)) if acr.starts_with(VNEID_ACR_PREFIX) => Format::VneidToken,
        _ => Format::Jwt,
    }
}

/// `aud`: absent, a string, or a non-empty array of strings.
fn audience(claims: &Map<String, Value>) -> Result<Option<Vec<String>>, Error> {
    match claims.get("aud") {
        None => Ok(None),
        Some(Value::String(a)) => Ok(Some(vec![a.clone()])),
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(Some)
            .ok_or_else(|| Error::claim_invalid("aud", "an array must hold only strings")),
        Some(_) => Err(Error::claim_invalid(
            "aud",
            "must be a string or a non-empty array of strings",
        )),
    }
}

/// `acr` → the VNeID level, when `acr` names one.
pub(crate) fn level(claims: &Map<String, Value>) -> Result<Option<Level>, Error> {
    match optional_string(claims, "acr")? {
        Some(acr) if acr.starts_with(VNEID_ACR_PREFIX) => {
            Level::from_acr(acr).map(Some).ok_or_else(|| {
                Error::claim_invalid("acr", "not urn:vneid:level:1 or urn:vneid:level:2")
            })
        }
        _ => Ok(None),
    }
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
    let birth = match optional_string(claims, "birthdate")? {
        Some(birthdate) => {
            let date = Date::parse_iso(birthdate)
                .ok_or_else(|| Error::claim_invalid("birthdate", "not a YYYY-MM-DD date"))?;
            Some((
                date.year,
                Stated {
                    en: "birthdate is",
                    vi: "birthdate là",
                    shown: birthdate,
                },
            ))
        }
        None => None,
    };
    let sex = match optional_string(claims, "gender")? {
        Some(gender) => Some((
            Sex::from_name(gender)
                .ok_or_else(|| Error::claim_invalid("gender", "must be \"male\" or \"female\""))?,
            Stated {
                en: "gender is",
                vi: "gender là",
                shown: gender,
            },
        )),
        None => None,
    };
    warnings.extend(id.disagreements(&Statement::birth_and_sex(birth, sex), false));
    Ok(())
}

fn required_string<'a>(claims: &'a Map<String, Value>, name: &str) -> Result<&'a str, Error> {
    optional_string(claims, name)?.ok_or_else(|| Error::claim_missing(name))
}

pub(crate) fn optional_string<'a>(
    claims: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a str>, Error> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::claim_invalid(name, "must be a string")),
    }
}
