//! The reference issuer: `keygen` and `issue token`. Test keys only; signing never goes to WASM.

use std::process::ExitCode;

use serde_json::{json, Map, Value};
use vneid_verify::issuer::IssuerKey;

use crate::args::Args;

pub fn keygen(args: Args) -> Result<ExitCode, String> {
    let parsed = args.parse(&["--kid", "--out", "--issuer", "--trust-out"], &[])?;
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
        Some(other) => Err(format!("cannot issue \"{other}\"; try: issue token")),
        None => Err("issue what? try: issue token".into()),
    }
}

fn token(args: Args) -> Result<ExitCode, String> {
    let parsed = args.parse(&["--key", "--claims", "--ttl", "--at"], &[])?;
    let key = load_key(parsed.one("--key")?)?;
    let claims_text = text_or_file(
        &parsed
            .one("--claims")?
            .ok_or("--claims JSON|@FILE is required")?,
    )?;
    let mut claims: Map<String, Value> = serde_json::from_str(&claims_text)
        .map_err(|e| format!("--claims is not a JSON object: {e}"))?;
    if let Some(ttl) = parsed.number("--ttl")? {
        let now = crate::clock::Clock::from_arg(parsed.one("--at")?)?
            .now()
            .unix;
        let exp = now
            .checked_add(i64::try_from(ttl).map_err(|_| "--ttl is too large")?)
            .ok_or("--ttl is too large")?;
        claims.entry("iat").or_insert(now.into());
        claims.entry("exp").or_insert(exp.into());
    }
    println!("{}", key.sign_token(&claims));
    Ok(ExitCode::SUCCESS)
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
