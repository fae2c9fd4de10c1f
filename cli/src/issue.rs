//! The reference issuer: `keygen`, `issue token` and `issue document`. Test keys only; signing
//! never goes to WASM.

use std::process::ExitCode;

use serde_json::{json, Map, Value};
use vneid_verify::issuer::IssuerKey;

use crate::args::Args;

#[allow(clippy::print_stdout, clippy::print_stderr)] // a one-shot command prints its result
pub fn keygen(args: Args) -> Result<ExitCode, String> {
    let parsed = args.parse(&["--kid", "--out", "--issuer", "--trust-out"])?;
    let kid = parsed.one("--kid")?.unwrap_or_else(|| "test-key-1".into());
    let key = IssuerKey::generate(&kid).map_err(|e| e.message_en())?;
    let private = format!("{:#}\n", key.private_jwk());
    match parsed.one("--out")? {
        Some(path) => write_new(&path, &private)?,
        None => print!("{private}"),
    }
    match (parsed.one("--issuer")?, parsed.one("--trust-out")?) {
        (Some(issuer), Some(path)) => {
            let trust = json!({"issuers": [{"iss": issuer, "name": "Test issuer (not for production)", "keys": [key.public_jwk()]}]});
            write_new(&path, &format!("{trust:#}\n"))?;
        }
        (None, None) => {}
        _ => return Err("--issuer and --trust-out go together".into()),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run(mut args: Args) -> Result<ExitCode, String> {
    match args.next_positional().as_deref() {
        Some("token") => token(args),
        Some("document") => document(args),
        Some("sd-jwt") => crate::wallet::issue_sd_jwt(args),
        Some(other) => Err(format!(
            "cannot issue \"{other}\"; try: issue token, issue document, issue sd-jwt"
        )),
        None => Err("issue what? try: issue token, issue document, issue sd-jwt".into()),
    }
}

#[allow(clippy::print_stdout, clippy::print_stderr)] // a one-shot command prints its result
fn token(args: Args) -> Result<ExitCode, String> {
    let parsed = args.parse(&["--key", "--claims", "--ttl", "--at"])?;
    let key = load_key(parsed.one("--key")?)?;
    let claims_text = text_or_file(
        &parsed
            .one("--claims")?
            .ok_or("--claims JSON|@FILE is required")?,
    )?;
    let mut claims: Map<String, Value> = serde_json::from_str(&claims_text)
        .map_err(|e| format!("--claims is not a JSON object: {e}"))?;
    // `iat` and `exp` unless the claims give them: the profile requires both, so a token made
    // without them would be refused by every verifier.
    let ttl = parsed.number("--ttl")?.unwrap_or(DEFAULT_TOKEN_TTL);
    let now = crate::clock::Clock::from_arg(parsed.one("--at")?)?
        .now()
        .unix;
    let exp = now
        .checked_add(i64::try_from(ttl).map_err(|_| "--ttl is too large")?)
        .ok_or("--ttl is too large")?;
    claims.entry("iat").or_insert(now.into());
    claims.entry("exp").or_insert(exp.into());
    println!("{}", key.sign_token(&claims));
    Ok(ExitCode::SUCCESS)
}

/// Default validity of a token: ten minutes, a sign-in's worth.
const DEFAULT_TOKEN_TTL: u64 = 600;
/// Default issuer of test documents: it names no real authority.
const TEST_ISSUER: &str = "VN-TEST";
/// Default validity of a document QR: one year.
const DEFAULT_DOCUMENT_TTL: u64 = 365 * 24 * 3600;

#[allow(clippy::print_stdout, clippy::print_stderr)] // a one-shot command prints its result
fn document(args: Args) -> Result<ExitCode, String> {
    use vneid_verify::issuer::document::{self as issue, DocumentType};

    let parsed = args.parse(&[
        "--type",
        "--key",
        "--fields",
        "--issuer",
        "--ttl",
        "--id",
        "--at",
        "--png",
        "--svg",
        "--status-uri",
        "--status-idx",
    ])?;
    let type_name = parsed.one("--type")?.ok_or_else(|| {
        format!(
            "--type TYPE is required: one of {}",
            DocumentType::ALL.map(DocumentType::as_str).join(", ")
        )
    })?;
    let doc_type = DocumentType::from_name(&type_name).ok_or_else(|| {
        format!(
            "--type \"{type_name}\" is not a document type: one of {}",
            DocumentType::ALL.map(DocumentType::as_str).join(", ")
        )
    })?;
    let key = load_key(parsed.one("--key")?)?;
    if key.kid().is_empty() {
        return Err(
            "--key: the JWK needs a \"kid\": the VN1 profile puts it in the protected header"
                .into(),
        );
    }
    let fields_text = text_or_file(
        &parsed
            .one("--fields")?
            .ok_or("--fields JSON|@FILE is required (the document's fields; see docs/profiles/vneid-document.md)")?,
    )?;
    let fields: Value =
        serde_json::from_str(&fields_text).map_err(|e| format!("--fields is not JSON: {e}"))?;
    // Refuse to sign what a verifier would reject; warnings are shown but do not stop signing.
    let warnings = issue::validate_fields(doc_type, &fields)
        .map_err(|e| format!("--fields: {}: {}", e.code(), e.message_en()))?;
    for warning in warnings {
        eprintln!("warning: {}: {}", warning.code.as_str(), warning.message);
    }
    let issuer = parsed
        .one("--issuer")?
        .unwrap_or_else(|| TEST_ISSUER.to_owned());
    let now = crate::clock::Clock::from_arg(parsed.one("--at")?)?
        .now()
        .unix;
    let ttl = parsed.number("--ttl")?.unwrap_or(DEFAULT_DOCUMENT_TTL);
    let expires_at = i64::try_from(ttl)
        .ok()
        .and_then(|ttl| now.checked_add(ttl))
        .ok_or("--ttl is too large")?;
    let status = match (parsed.one("--status-uri")?, parsed.number("--status-idx")?) {
        (Some(uri), Some(idx)) => Some(vneid_verify::StatusReference { idx, uri }),
        (None, None) => None,
        _ => return Err("--status-uri and --status-idx go together".into()),
    };
    let id = match parsed.one("--id")? {
        Some(id) => id,
        None => random_id(doc_type.as_str())?,
    };
    let claims = issue::DocumentClaims {
        issuer: &issuer,
        id: &id,
        issued_at: now,
        expires_at,
        not_before: None,
        doc_type,
        fields: &fields,
        status,
    };
    let text = issue::sign(&key, &claims).map_err(|e| e.message_en())?;
    if let Some(path) = parsed.one("--svg")? {
        let code = crate::qr_image::encode(&text)?;
        std::fs::write(&path, crate::qr_image::svg(&code))
            .map_err(|e| format!("--svg {path}: {e}"))?;
    }
    if let Some(path) = parsed.one("--png")? {
        let code = crate::qr_image::encode(&text)?;
        std::fs::write(&path, crate::qr_image::png(&code)?)
            .map_err(|e| format!("--png {path}: {e}"))?;
    }
    println!("{text}");
    Ok(ExitCode::SUCCESS)
}

/// A fresh document id: the type and 8 random bytes in hex.
fn random_id(type_name: &str) -> Result<String, String> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes)
        .map_err(|_| "no system randomness for --id; pass --id ID".to_owned())?;
    Ok(format!(
        "{type_name}-{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
}

/// Reads a private JWK file.
pub fn load_key(path: Option<String>) -> Result<IssuerKey, String> {
    let path = path.ok_or("--key FILE (a private JWK from `vneid-verify keygen`) is required")?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("--key {path}: {e}"))?;
    IssuerKey::from_jwk(&text).map_err(|e| format!("--key {path}: {}", e.message_en()))
}

/// `@FILE` reads a file; anything else is the text itself.
pub fn text_or_file(arg: &str) -> Result<String, String> {
    match arg.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}")),
        None => Ok(arg.to_owned()),
    }
}

/// Writes a file that must not exist yet (keys are never overwritten by accident).
fn write_new(path: &str, text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| format!("{path}: {e}"))?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("{path}: {e}"))
}
