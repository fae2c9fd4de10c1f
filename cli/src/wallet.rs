//! The reference wallet: `issue sd-jwt` (an SD-JWT VC with selectively disclosable claims and a
//! holder key, and with `--compact` the same credential in the compact `VNC1:` form) and
//! `present` (chosen disclosures and a holder proof answering a verifier's nonce and audience).
//! Test keys only; signing never goes to WASM.

use std::process::ExitCode;

use serde_json::{Map, Value};
use vneid_verify::issuer::sd_jwt::{self, Binding, Credential, TYP_DC, VNEID_VCT};
use vneid_verify::issuer::vneid_presentation;
use vneid_verify::issuer::IssuerKey;

use crate::args::Args;
use crate::issue::{load_key, text_or_file};

/// Default issuer of test credentials: it names no real authority.
const TEST_ISSUER: &str = "VN-TEST";
/// Default validity of a credential: one year.
const DEFAULT_CREDENTIAL_TTL: u64 = 365 * 24 * 3600;
/// Claims that stay plain unless named in `--disclosable`: the verifier relies on them.
const PLAIN: [&str; 9] = [
    "iss", "iat", "exp", "nbf", "vct", "cnf", "status", "acr", "jti",
];

fn random(buf: &mut [u8]) -> Result<(), vneid_verify::Error> {
    sd_jwt::system_random(buf)
}

/// A holder key file: a private JWK (its public part is used) or a public one, as the bare
/// `{kty, crv, x, y}` written into `cnf`.
fn holder_public_jwk(path: &str) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("--holder-key {path}: {e}"))?;
    if let Ok(key) = IssuerKey::from_jwk(&text) {
        return Ok(key.confirmation_jwk());
    }
    let jwk: Value =
        serde_json::from_str(&text).map_err(|e| format!("--holder-key {path}: not JSON: {e}"))?;
    let member = |name: &str| {
        jwk.get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("--holder-key {path}: an EC P-256 JWK needs \"{name}\""))
    };
    if member("kty")? != "EC" || member("crv")? != "P-256" {
        return Err(format!("--holder-key {path}: must be an EC P-256 JWK"));
    }
    Ok(serde_json::json!({"kty": "EC", "crv": "P-256", "x": member("x")?, "y": member("y")?}))
}

fn list(value: Option<String>) -> Vec<String> {
    value
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// `issue sd-jwt`.
#[allow(clippy::print_stdout, clippy::print_stderr)] // a one-shot command prints its result
pub fn issue_sd_jwt(args: Args) -> Result<ExitCode, String> {
    let parsed = args.parse(&[
        "--key",
        "--claims",
        "--holder-key",
        "--disclosable",
        "--vct",
        "--issuer",
        "--ttl",
        "--at",
        "--decoys",
        "--form",
    ])?;
    let key = load_key(parsed.one("--key")?)?;
    let claims_text = text_or_file(
        &parsed
            .one("--claims")?
            .ok_or("--claims JSON|@FILE is required (the credential's claims)")?,
    )?;
    let mut claims: Map<String, Value> = serde_json::from_str(&claims_text)
        .map_err(|e| format!("--claims is not a JSON object: {e}"))?;
    let now = crate::clock::Clock::from_arg(parsed.one("--at")?)?
        .now()
        .unix;
    let ttl = parsed.number("--ttl")?.unwrap_or(DEFAULT_CREDENTIAL_TTL);
    let exp = i64::try_from(ttl)
        .ok()
        .and_then(|ttl| now.checked_add(ttl))
        .ok_or("--ttl is too large")?;
    let issuer = parsed
        .one("--issuer")?
        .unwrap_or_else(|| TEST_ISSUER.to_owned());
    claims.entry("iss").or_insert(issuer.into());
    claims.entry("iat").or_insert(now.into());
    claims.entry("exp").or_insert(exp.into());
    let vct = parsed.one("--vct")?.unwrap_or_else(|| VNEID_VCT.to_owned());
    claims.entry("vct").or_insert(vct.into());
    let holder = match parsed.one("--holder-key")? {
        Some(path) => Some(holder_public_jwk(&path)?),
        None => None,
    };
    let named = list(parsed.one("--disclosable")?);
    let disclosable: Vec<&str> = if named.is_empty() {
        claims
            .keys()
            .map(String::as_str)
            .filter(|n| !PLAIN.contains(n))
            .collect()
    } else {
        named.iter().map(String::as_str).collect()
    };
    let decoys = usize::try_from(parsed.number("--decoys")?.unwrap_or(2))
        .map_err(|_| "--decoys is too large")?;
    let (sd_jwt_form, compact) = match parsed.one("--form")?.as_deref() {
        None | Some("both") => (true, true),
        Some("sd-jwt") => (true, false),
        Some("compact") => (false, true),
        Some(other) => return Err(format!("--form {other}: sd-jwt, compact or both")),
    };
    if sd_jwt_form {
        let issued = sd_jwt::issue(
            &key,
            &Credential {
                typ: TYP_DC,
                claims: &claims,
                disclosable: &disclosable,
                holder: holder.as_ref(),
                decoys,
            },
            &mut random,
        )
        .map_err(|e| format!("{}: {}", e.code(), e.message_en()))?;
        println!("{issued}");
    }
    if compact {
        let stored =
            vneid_presentation::issue(&key, &claims, &disclosable, holder.as_ref(), &mut random)
                .map_err(|e| format!("{}: {}", e.code(), e.message_en()))?;
        println!("{stored}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `present`.
#[allow(clippy::print_stdout, clippy::print_stderr)] // a one-shot command prints its result
pub fn present(args: Args) -> Result<ExitCode, String> {
    let parsed = args.parse(&[
        "--credential",
        "--holder-key",
        "--disclose",
        "--nonce",
        "--audience",
        "--at",
        "--form",
        "--png",
        "--svg",
    ])?;
    let path = parsed
        .one("--credential")?
        .ok_or("--credential FILE is required (what `issue sd-jwt` printed)")?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("--credential {path}: {e}"))?;
    let compact = match parsed.one("--form")?.as_deref() {
        None | Some("sd-jwt") => false,
        Some("compact") => true,
        Some(other) => return Err(format!("--form {other}: sd-jwt or compact")),
    };
    let credential = text
        .lines()
        .map(str::trim)
        .find(|l| {
            if compact {
                l.starts_with(vneid_presentation::CREDENTIAL_PREFIX)
            } else {
                l.contains('~')
            }
        })
        .ok_or_else(|| {
            format!(
                "--credential {path}: no {} credential (issue it with `issue sd-jwt`)",
                if compact { "compact VNC1:" } else { "SD-JWT" },
            )
        })?;
    let disclose = list(parsed.one("--disclose")?);
    let disclose: Vec<&str> = disclose.iter().map(String::as_str).collect();
    let holder = match parsed.one("--holder-key")? {
        Some(path) => Some(load_key(Some(path))?),
        None => None,
    };
    let nonce = match parsed.one("--nonce")? {
        Some(nonce) => nonce,
        None => {
            // A one-way presentation: the wallet's own nonce, 128 random bits.
            let mut bytes = [0u8; 16];
            random(&mut bytes).map_err(|e| e.message_en())?;
            vneid_verify::issuer::encode::base64url(&bytes)
        }
    };
    let audience = parsed.one("--audience")?;
    let now = crate::clock::Clock::from_arg(parsed.one("--at")?)?
        .now()
        .unix;
    let binding = match (&holder, &audience) {
        (Some(_), Some(audience)) => Some(Binding {
            audience,
            nonce: &nonce,
            issued_at: now,
        }),
        (Some(_), None) => {
            return Err(
                "--audience AUD is required with --holder-key: the proof names its verifier".into(),
            )
        }
        (None, _) => None,
    };
    let presentation = if compact {
        vneid_presentation::present(credential, &disclose, holder.as_ref(), binding.as_ref())
    } else {
        sd_jwt::present(credential, &disclose, holder.as_ref(), binding.as_ref())
    }
    .map_err(|e| format!("{}: {}", e.code(), e.message_en()))?;
    let svg = parsed.one("--svg")?;
    let png = parsed.one("--png")?;
    if svg.is_some() || png.is_some() {
        let code = crate::qr_image::encode(&presentation)?;
        eprintln!(
            "QR code: {}, {} characters",
            crate::qr_image::describe(&code),
            presentation.len()
        );
        if let Some(path) = svg {
            std::fs::write(&path, crate::qr_image::svg(&code))
                .map_err(|e| format!("--svg {path}: {e}"))?;
        }
        if let Some(path) = png {
            std::fs::write(&path, crate::qr_image::png(&code)?)
                .map_err(|e| format!("--png {path}: {e}"))?;
        }
    }
    println!("{presentation}");
    Ok(ExitCode::SUCCESS)
}
