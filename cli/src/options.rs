//! The options `verify` and `scan` share: trust files and the policy.

use vneid_verify::{Format, KeyBinding, Level, Policy, TrustStore, Verifier};

use crate::args::Parsed;

/// Options shared by `verify` and the scanner mode: trust files and policy.
pub const POLICY_OPTIONS: [&str; 11] = [
    "--trust",
    "--format",
    "--at",
    "--audience",
    "--issuer",
    "--min-level",
    "--clock-tolerance",
    "--max-token-age",
    "--nonce",
    "--holder-binding",
    "--max-proof-age",
];

/// Builds a verifier from `--trust` files and the policy options.
pub fn verifier_from(parsed: &Parsed) -> Result<Verifier, String> {
    let policy = policy_from(parsed)?;
    Ok(Verifier::new(
        trust_from(&parsed.all("--trust"), policy.issuer.as_deref())?,
        policy,
    ))
}

/// Loads every trust file into one store. Each is a trust bundle, a JWKS, or signing
/// certificates in PEM or DER ([`TrustStore::add_file`]); `issuer` (`--issuer`) binds the keys
/// of a file that names no issuer itself.
pub fn trust_from(files: &[String], issuer: Option<&str>) -> Result<TrustStore, String> {
    if files.is_empty() {
        return Err("at least one --trust FILE is required".into());
    }
    let contents: Vec<_> = files.iter().map(|f| read_trust_file(f)).collect();
    store_from(files, &contents, issuer)
}

/// One trust file's bytes (a DER certificate is binary), or why it cannot be read.
pub fn read_trust_file(file: &str) -> Result<Vec<u8>, String> {
    std::fs::read(file).map_err(|e| format!("--trust {file}: {e}"))
}

/// One store from trust files already read (`contents[i]` is `files[i]`).
pub fn store_from(
    files: &[String],
    contents: &[Result<Vec<u8>, String>],
    issuer: Option<&str>,
) -> Result<TrustStore, String> {
    let mut store = TrustStore::new();
    for (file, bytes) in files.iter().zip(contents) {
        store
            .add_file(bytes.as_ref().map_err(Clone::clone)?, file, issuer)
            .map_err(|e| format!("{}: {}", e.code(), e.message_en()))?;
    }
    Ok(store)
}

/// Reads the policy options.
pub fn policy_from(parsed: &Parsed) -> Result<Policy, String> {
    let mut policy = Policy {
        issuer: parsed.one("--issuer")?,
        audience: parsed.one("--audience")?,
        ..Policy::default()
    };
    if let Some(n) = parsed.number("--min-level")? {
        policy.min_level = Some(Level::from_number(n).ok_or("--min-level must be 1 or 2")?);
    }
    if let Some(secs) = parsed.number("--clock-tolerance")? {
        policy.clock_tolerance = secs;
    }
    policy.max_token_age = parsed.number("--max-token-age")?;
    policy.nonce = parsed.one("--nonce")?;
    if let Some(binding) = parsed.one("--holder-binding")? {
        policy.holder_binding = KeyBinding::from_name(&binding)
            .ok_or_else(|| format!("--holder-binding {binding}: must be required or optional"))?;
    }
    if let Some(secs) = parsed.number("--max-proof-age")? {
        policy.max_proof_age = secs;
    }
    let formats = parsed.all("--format");
    if !formats.is_empty() {
        let parsed_formats = formats
            .iter()
            .map(|name| {
                Format::allowable_from_name(name).ok_or_else(|| {
                    format!(
                        "--format {name}: unknown format; one of {}",
                        Format::allowable_names()
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        policy.formats = Some(parsed_formats);
    }
    Ok(policy)
}
