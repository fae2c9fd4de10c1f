//! The options `verify` and `scan` share: trust files and the policy.

use vneid_verify::{Format, KeyBinding, Level, Policy, TrustStore, Verifier};

use crate::args::Parsed;
use crate::trust::TrustSource;

/// Options shared by `verify` and the scanner mode: trust files and policy.
pub const POLICY_OPTIONS: [&str; 13] = [
    "--trust",
    "--trust-root",
    "--trust-state",
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

/// Builds a verifier from the trust options (`--trust`, or a signed bundle with `--trust-root`
/// and `--trust-state`) and the policy options, loading the trust at `now`. Also returns the
/// trust source, to reload from.
pub fn verifier_from(parsed: &Parsed, now: i64) -> Result<(Verifier, TrustSource), String> {
    let policy = policy_from(parsed)?;
    let mut source = TrustSource::from_args(parsed)?;
    let store = source.load_files(now, policy.clock_tolerance)?;
    if let Some(note) = crate::trust::bundle_note(&store, now) {
        warn!("{note}");
    }
    Ok((Verifier::new(store, policy), source))
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
            .map_err(|e| crate::trust::describe(&e))?;
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
