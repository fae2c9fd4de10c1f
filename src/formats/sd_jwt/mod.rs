//! SD-JWT presentations (RFC 9901) and SD-JWT VC (draft-ietf-oauth-sd-jwt-vc):
//! `<issuer-signed JWT>~<disclosure>~…~<disclosure>~[<key-binding JWT>]`, compact serialization
//! only (the JWS JSON serialization of §8 is optional and not supported).
//!
//! The flow, top to bottom (RFC 9901 §7.1, §7.3):
//! 1. split on `~`: the issuer JWT, at most `limits.max_disclosures` disclosures, and the last
//!    component, empty or a key-binding JWT (`token_malformed`, `payload_too_large`);
//! 2. the issuer JWT exactly as a token: structure and ES256 (`alg_not_allowed`...), explicitly
//!    typed with a `typ` ending in `+sd-jwt` (`typ_invalid`): `dc+sd-jwt` (SD-JWT VC), the older
//!    `vc+sd-jwt`, or another profile's such as the RFC's own `example+sd-jwt`; the key from ONE
//!    trust lookup by `iss` + `kid`, the signature verified;
//! 3. the disclosures against the verified payload ([`disclosures`]): digests, exactly once,
//!    arity per slot, reserved names, no overwrite, nesting, decoys, `_sd_alg` top level only;
//! 4. claims that must stay plain: `iss`, `cnf`, `exp`, `nbf` always, and for SD-JWT VC also
//!    `vct` and `status` (`disclosure_invalid`); SD-JWT VC requires `vct`;
//! 5. the processed payload as a token's: `exp` required, `nbf`, `iat`, level (`acr`), `jti`,
//!    the `status.status_list` reference (looked up by the policy stage in the issuer's status
//!    list, as a token's); a key restricted to document types may sign only a `vct` it lists (`key_not_authorized`);
//! 6. the key-binding JWT, when present ([`kb`]): holder key from the issuer-signed `cnf` only,
//!    `typ` `kb+jwt`, ES256 signature, `sd_hash` over the exact `<issuer JWT>~<D1>~…~<Dn>~`.
//!
//! Whether binding is required, the expected `aud` and `nonce`, the proof's age and replay are
//! policy: the policy stage checks them from the returned [`Verified::holder_proof`] (see
//! [`crate::holder`]), with the credential's window, age, level and revocation by `jti`; this
//! module is reached only through [`crate::Verifier::verify`], so that no caller can skip them.
//! A valid verdict's `claims` are the processed payload: plain and disclosed claims only.

pub(crate) mod disclosures;
pub(crate) mod kb;

use serde_json::{Map, Value};

use super::claims::shorten;
use super::jws::{self, JwsRules};
use super::{token, Context, Verified};
use crate::error::{Error, ErrorCode};
use crate::policy::Limits;
use crate::trust::status_list::StatusReference;
use crate::trust::{RevocationId, TrustStore, TrustedKey};
use crate::verdict::{Format, Holder};

/// The `typ` of an SD-JWT VC.
pub const TYP_DC: &str = "dc+sd-jwt";
/// The `typ` of SD-JWT VCs before draft 09 of SD-JWT VC.
pub const TYP_VC_LEGACY: &str = "vc+sd-jwt";
/// Every SD-JWT `typ` ends with this.
pub const TYP_SUFFIX: &str = "+sd-jwt";

/// Claims that are never accepted from a disclosure: the verifier relies on them.
pub(crate) const ALWAYS_PLAIN: [&str; 4] = ["iss", "cnf", "exp", "nbf"];
/// What SD-JWT VC adds to them.
pub(crate) const VC_PLAIN: [&str; 2] = ["vct", "status"];

/// An SD-JWT presentation split on `~`; nothing is decoded yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Parts<'a> {
    /// The issuer-signed JWT.
    pub issuer_jwt: &'a str,
    /// The disclosures, as presented.
    pub disclosures: Vec<&'a str>,
    /// The key-binding JWT, when the last component is not empty.
    pub kb_jwt: Option<&'a str>,
    /// `<issuer JWT>~<D1>~…~<Dn>~`: what `sd_hash` is computed over.
    pub presented: &'a str,
}

/// Splits a presentation (see the module docs, step 1).
///
/// # Errors
/// `token_malformed` without a `~`; `payload_too_large` beyond `limits.max_disclosures`.
pub(crate) fn split<'a>(payload: &'a str, limits: &Limits) -> Result<Parts<'a>, Error> {
    let (Some(first), Some(last)) = (payload.find('~'), payload.rfind('~')) else {
        return Err(Error::with_detail(
            ErrorCode::TokenMalformed,
            "an SD-JWT has a ~ after the issuer-signed JWT",
        ));
    };
    let count = payload.bytes().filter(|&b| b == b'~').count() - 1;
    if count > limits.max_disclosures {
        return Err(Error::too_large(
            ErrorCode::PayloadTooLarge,
            count,
            limits.max_disclosures,
            "disclosures",
        ));
    }
    let issuer_jwt = payload.get(..first).unwrap_or_default();
    let presented = payload.get(..=last).unwrap_or_default();
    let between = payload.get(first + 1..last).unwrap_or_default();
    let disclosures = if first == last {
        Vec::new()
    } else {
        between.split('~').collect()
    };
    let kb_jwt = payload.get(last + 1..).filter(|kb| !kb.is_empty());
    Ok(Parts {
        issuer_jwt,
        disclosures,
        kb_jwt,
        presented,
    })
}

/// Verifies an SD-JWT presentation (see the module docs): the credential, its disclosures and,
/// when there is a key-binding JWT, the holder's proof, handed to the policy stage as
/// [`Verified::holder_proof`].
///
/// # Errors
/// Every code of the module docs' steps.
pub(crate) fn verify(
    payload: &str,
    trust: &TrustStore,
    cx: &Context<'_>,
) -> Result<Verified, Error> {
    let limits = cx.limits;
    // 1–2. Split, the issuer JWT's structure and type, its key and signature.
    let parts = split(payload, limits)?;
    let jws = jws::decode(parts.issuer_jwt, limits, JwsRules::default())?;
    let typ = sd_jwt_typ(&jws.header)?;
    let is_vc = typ.eq_ignore_ascii_case(TYP_DC) || typ.eq_ignore_ascii_case(TYP_VC_LEGACY);
    let jws::IssuerSigned { claims, key } =
        jws::verify_issuer_signed(&jws, trust, cx).map_err(|(e, _)| e)?;

    // 3. Disclosures; 4–5. what must stay plain, and the credential's claims as a token's.
    let processed = disclosures::process(claims, &parts.disclosures, limits)?;
    let mut verified = credential(
        Format::SdJwtVc,
        processed.claims,
        &processed.disclosed_top_level,
        is_vc,
        key,
        cx,
    )?;

    // 6. The holder's proof: its key only from the issuer-signed cnf. Its audience is the
    // presentation's (the credential itself is for no one in particular).
    if let Some(kb_jwt) = parts.kb_jwt {
        let holder = holder_key_of(&verified)?;
        let proof = kb::verify(kb_jwt, &holder, parts.presented, limits)?;
        verified.audience = Some(vec![proof.audience.clone()]);
        verified.holder_proof = Some(proof);
    }
    Ok(verified)
}

/// The holder key of a verified credential: its issuer-signed `cnf`.
///
/// # Errors
/// `claim_missing` without `cnf`; `claim_invalid` for a `cnf` that is not an EC P-256 JWK.
pub(crate) fn holder_key_of(verified: &Verified) -> Result<crate::crypto::PublicKey, Error> {
    let cnf = verified
        .claims
        .as_ref()
        .and_then(|c| c.get("cnf"))
        .ok_or_else(|| {
            Error::with_detail(
                ErrorCode::ClaimMissing,
                "claim \"cnf\": a holder's proof needs the holder key in the credential",
            )
            .claim("cnf")
        })?;
    kb::holder_key(cnf)
}

/// Steps 4 and 5 for a credential whose signature verified and whose disclosures were processed
/// (an SD-JWT, or the same credential in the compact `VNP1:` form): claims that must stay plain,
/// `vct` and `status`, the key's document types, the times, level, VNeID subject, revocation
/// ids and status-list entry. The result's `claims` are `claims`: plain and disclosed only.
///
/// # Errors
/// `disclosure_invalid`, `claim_missing`, `claim_invalid`, `key_not_authorized`,
/// `personal_id_invalid`.
pub(crate) fn credential(
    format: Format,
    claims: Map<String, Value>,
    disclosed_top_level: &[String],
    is_vc: bool,
    key: &TrustedKey,
    cx: &Context<'_>,
) -> Result<Verified, Error> {
    let plain: &[&str] = if is_vc { &VC_PLAIN } else { &[] };
    if let Some(name) = disclosed_top_level
        .iter()
        .find(|n| ALWAYS_PLAIN.contains(&n.as_str()) || plain.contains(&n.as_str()))
    {
        return Err(Error::with_detail(
            ErrorCode::DisclosureInvalid,
            format!("claim \"{name}\" must not be selectively disclosable"),
        ));
    }
    let vct = match claims.get("vct") {
        Some(Value::String(vct)) => Some(vct.as_str()),
        Some(_) => return Err(Error::claim_invalid("vct", "must be a string")),
        None if is_vc => return Err(Error::claim_missing("vct")),
        None => None,
    };
    if is_vc && claims.get("status").is_some_and(|s| !s.is_object()) {
        return Err(Error::claim_invalid("status", "must be an object"));
    }
    if key.document_types.is_some() {
        key.check_document_type(vct.unwrap_or("(no vct)"))?;
    }
    let mut verified = Verified::new(format, key.issuer.as_str());
    (verified.issued_at, verified.not_before, verified.expires_at) = token::times(&claims)?;
    for name in ["sub", "jti", "acr"] {
        token::optional_string(&claims, name)?;
    }
    verified.level = token::level(&claims)?;
    if vct == Some(VNEID_VCT) && claims.contains_key("sub") {
        token::check_vneid_subject(&claims, cx.now, &mut verified.warnings)?;
    }
    if let Some(jti) = token::optional_string(&claims, "jti")? {
        verified.revocation.push(RevocationId::listed("jti", jti));
    }
    verified.status = StatusReference::from_json_claims(&claims)?;
    verified.kid = key.kid_display();
    verified.subject = token::optional_string(&claims, "sub")?.map(str::to_owned);
    verified.holder = Holder::of(
        token::optional_string(&claims, "name").ok().flatten(),
        token::optional_string(&claims, "birthdate").ok().flatten(),
    );
    verified.claims = Some(Value::Object(claims));
    Ok(verified)
}

/// The `vct` of the VNeID identity credential (docs/profiles/vneid-presentation.md): its `sub`,
/// when disclosed, is a personal ID number checked as in the token profile.
pub const VNEID_VCT: &str = "urn:vneid:identity:1";

/// The issuer JWT's `typ`: present and ending in `+sd-jwt` (case-insensitive, as media types).
fn sd_jwt_typ(header: &Map<String, Value>) -> Result<&str, Error> {
    match header.get("typ").and_then(Value::as_str) {
        Some(typ)
            if typ.len() > TYP_SUFFIX.len()
                && typ
                    .get(typ.len() - TYP_SUFFIX.len()..)
                    .is_some_and(|end| end.eq_ignore_ascii_case(TYP_SUFFIX)) =>
        {
            Ok(typ)
        }
        Some(typ) => Err(Error::with_detail(
            ErrorCode::TypInvalid,
            format!(
                "typ \"{}\"; an SD-JWT's is \"{TYP_DC}\" or another ending in \"{TYP_SUFFIX}\"",
                shorten(typ)
            ),
        )),
        None => Err(Error::with_detail(
            ErrorCode::TypInvalid,
            format!("no typ; an SD-JWT's is \"{TYP_DC}\" or another ending in \"{TYP_SUFFIX}\""),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_tildes() {
        let l = Limits::default();
        let p = split("a.b.c~", &l).ok();
        assert_eq!(
            p,
            Some(Parts {
                issuer_jwt: "a.b.c",
                disclosures: vec![],
                kb_jwt: None,
                presented: "a.b.c~"
            })
        );
        let p = split("a.b.c~d1~d2~k.b.j", &l).ok();
        assert_eq!(
            p,
            Some(Parts {
                issuer_jwt: "a.b.c",
                disclosures: vec!["d1", "d2"],
                kb_jwt: Some("k.b.j"),
                presented: "a.b.c~d1~d2~"
            })
        );
        let p = split("a.b.c~k.b.j", &l).ok();
        assert_eq!(
            p.map(|p| (p.disclosures.len(), p.kb_jwt)),
            Some((0, Some("k.b.j")))
        );
        // An empty disclosure between two tildes is kept, to be refused as such.
        let p = split("a.b.c~~d~", &l).ok();
        assert_eq!(p.map(|p| p.disclosures), Some(vec!["", "d"]));
        assert_eq!(
            split("a.b.c", &l).map_err(|e| e.code()),
            Err(ErrorCode::TokenMalformed)
        );
        let many = format!("a.b.c~{}", "d~".repeat(257));
        assert_eq!(
            split(&many, &l).map_err(|e| e.code()),
            Err(ErrorCode::PayloadTooLarge)
        );
        assert!(split(&format!("a.b.c~{}", "d~".repeat(256)), &l).is_ok());
    }

    #[test]
    fn typ_must_end_in_sd_jwt() {
        let typ = |t: Option<&str>| {
            let mut h = Map::new();
            if let Some(t) = t {
                h.insert("typ".into(), Value::from(t));
            }
            sd_jwt_typ(&h).map(str::to_owned).map_err(|e| e.code())
        };
        assert_eq!(typ(Some("dc+sd-jwt")), Ok("dc+sd-jwt".into()));
        assert_eq!(typ(Some("example+SD-JWT")), Ok("example+SD-JWT".into()));
        for bad in [
            None,
            Some("JWT"),
            Some("kb+jwt"),
            Some("+sd-jwt"),
            Some("sd-jwt"),
        ] {
            assert_eq!(typ(bad), Err(ErrorCode::TypInvalid), "{bad:?}");
        }
    }
}
