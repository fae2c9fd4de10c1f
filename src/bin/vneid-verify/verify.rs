//! `vneid-verify verify`: one JSON verdict per payload, per line.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use vneid_verify::{Level, Policy, TrustStore, Verifier};

use crate::args::{Args, Parsed};

/// Options shared by `verify` and the scanner mode: trust files and policy.
pub const POLICY_OPTIONS: [&str; 7] = [
    "--trust",
    "--at",
    "--audience",
    "--issuer",
    "--min-level",
    "--clock-tolerance",
    "--max-token-age",
];

pub fn run(args: Args) -> Result<ExitCode, String> {
    let parsed = args.parse(&POLICY_OPTIONS, &[])?;
    let verifier = verifier_from(&parsed)?;
    let now = crate::time_arg(parsed.one("--at")?)?;

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut all_valid = true;
    let mut emit = |payload: &str| -> Result<(), String> {
        let verdict = verifier.verify(payload, now);
        all_valid &= verdict.valid;
        writeln!(out, "{}", verdict.to_json()).map_err(|e| format!("writing output: {e}"))
    };
    if parsed.positionals.is_empty() {
        let stdin = std::io::stdin();
        let mut reader = stdin.lock();
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = reader
                .read_until(b'\n', &mut line)
                .map_err(|e| format!("reading input: {e}"))?;
            if n == 0 {
                break;
            }
            // A line that is not UTF-8 is still a payload: it gets its own verdict.
            let text = String::from_utf8_lossy(&line);
            if text.trim().is_empty() {
                continue;
            }
            emit(&text)?;
        }
    } else {
        for payload in &parsed.positionals {
            emit(payload)?;
        }
    }
    Ok(if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

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
    let mut store = TrustStore::new();
    for file in files {
        let text = std::fs::read_to_string(file).map_err(|e| format!("--trust {file}: {e}"))?;
        store
            .add_json(&text, file)
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
    Ok(policy)
}
