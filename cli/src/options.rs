//! The options `verify` and `scan` share: trust files and the policy.

use vneid_verify::{OptionKind, OptionValue, Policy, TrustStore, Verifier, POLICY_OPTIONS};

use crate::args::Parsed;
use crate::trust::TrustSource;

/// The flags `verify` and the scanner mode share: the trust options, then the core's policy
/// options ([`POLICY_OPTIONS`], `--at` among them).
pub fn policy_flags() -> Vec<&'static str> {
    ["--trust", "--trust-root", "--trust-state"]
        .into_iter()
        .chain(POLICY_OPTIONS.iter().map(|o| o.flag))
        .collect()
}

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
