//! The options `verify` and `scan` share: trust files and the policy.

use vneid_verify::{OptionKind, OptionValue, Policy, TrustStore, Verifier, POLICY_OPTIONS};

use crate::args::Parsed;

/// The flags `verify` and the scanner mode share: `--trust`, then the core's policy options
/// ([`POLICY_OPTIONS`], `--at` among them).
pub fn policy_flags() -> Vec<&'static str> {
    std::iter::once("--trust")
        .chain(POLICY_OPTIONS.iter().map(|o| o.flag))
        .collect()
}

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

/// Reads the policy options: each flag's text into an [`OptionValue`], then the core's rules
/// ([`Policy::set_option`]), so that the CLI and JavaScript accept and refuse the same values.
/// `--at` is read by [`crate::clock::Clock::from_arg`].
pub fn policy_from(parsed: &Parsed) -> Result<Policy, String> {
    let mut policy = Policy::default();
    for option in POLICY_OPTIONS {
        let value = match option.kind {
            OptionKind::Time => continue,
            OptionKind::Formats => {
                let names = parsed.all(option.flag);
                if names.is_empty() {
                    continue;
                }
                OptionValue::List(names)
            }
            kind => match parsed.one(option.flag)? {
                Some(text) => OptionValue::from_text(kind, &text),
                None => continue,
            },
        };
        policy.set_option(option, value).map_err(|e| {
            // The core names the option as JavaScript does; say it as the flag.
            let why = e
                .detail()
                .and_then(|d| d.strip_prefix(option.name))
                .and_then(|d| d.strip_prefix(": "))
                .unwrap_or_default();
            format!("{}: {why}", option.flag)
        })?;
    }
    Ok(policy)
}
