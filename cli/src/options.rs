//! The options `verify` and `scan` share: trust files and the policy.

use vneid_verify::{Format, Level, Policy, TrustStore, Verifier};

use crate::args::Parsed;

/// Options shared by `verify` and the scanner mode: trust files and policy.
pub const POLICY_OPTIONS: [&str; 8] = [
    "--trust",
    "--format",
    "--at",
    "--audience",
    "--issuer",
    "--min-level",
    "--clock-tolerance",
    "--max-token-age",
];

/// Builds a verifier from `--trust` files and the policy options.
pub fn verifier_from(parsed: &Parsed) -> Result<Verifier, String> {
    Ok(Verifier::new(
        trust_from(&parsed.all("--trust"))?,
        policy_from(parsed)?,
    ))
}

/// Loads every trust file into one store.
pub fn trust_from(files: &[String]) -> Result<TrustStore, String> {
    if files.is_empty() {
        return Err("at least one --trust FILE is required".into());
    }
    let texts: Vec<_> = files.iter().map(|f| read_trust_file(f)).collect();
    store_from(files, &texts)
}

/// One trust file's text, or why it cannot be read.
pub fn read_trust_file(file: &str) -> Result<String, String> {
    std::fs::read_to_string(file).map_err(|e| format!("--trust {file}: {e}"))
}

/// One store from trust files already read (`texts[i]` is `files[i]`).
pub fn store_from(
    files: &[String],
    texts: &[Result<String, String>],
) -> Result<TrustStore, String> {
    let mut store = TrustStore::new();
    for (file, text) in files.iter().zip(texts) {
        store
            .add_json(text.as_ref().map_err(Clone::clone)?, file)
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
