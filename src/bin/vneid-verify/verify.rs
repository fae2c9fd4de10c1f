//! `vneid-verify verify`: one JSON verdict per payload, per line.

use std::io::{Read, Write};
use std::process::ExitCode;

use vneid_verify::{Format, Level, Policy, TrustStore, Verdict, Verifier};

use crate::args::{Args, Parsed};
use crate::clock::Clock;
use crate::scan::{self, Framer, Line};

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
    // One time for the whole batch: `--at`, or the system clock read once.
    let now = Clock::from_arg(parsed.one("--at")?)?.now();
    let limit = verifier.policy().limits.max_payload_len;

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut all_valid = true;
    let mut emit = |mut verdict: Verdict| -> Result<(), String> {
        now.annotate(&mut verdict);
        all_valid &= verdict.valid;
        writeln!(out, "{}", verdict.to_json()).map_err(|e| format!("writing output: {e}"))
    };
    if parsed.positionals.is_empty() {
        // One payload per line, in bounded memory: the scanner's framer (CR, LF or CRLF; a line
        // too long to be a payload is counted, not kept).
        let mut line_verdict = |line: Line<'_>| -> Option<Verdict> {
            match line {
                Line::TooLong(len) => Some(Verdict::rejected(
                    Format::Unknown,
                    &scan::too_large(len, limit),
                )),
                Line::Text(bytes) => match std::str::from_utf8(bytes) {
                    Ok(text) if text.trim().is_empty() => None,
                    Ok(text) => Some(verifier.verify(text, now.unix)),
                    Err(e) => Some(Verdict::rejected(Format::Unknown, &scan::not_utf8(&e))),
                },
            }
        };
        let mut framer = Framer::new(limit + scan::LINE_SLACK);
        let mut stdin = std::io::stdin().lock();
        let mut buf = vec![0; 8192];
        loop {
            let n = match stdin.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(format!("reading input: {e}")),
            };
            let mut feed = framer.feed(buf.get(..n).unwrap_or_default());
            while let Some(line) = feed.next_line() {
                if let Some(verdict) = line_verdict(line) {
                    emit(verdict)?;
                }
            }
        }
        if let Some(verdict) = framer.finish().and_then(&mut line_verdict) {
            emit(verdict)?;
        }
    } else {
        for payload in &parsed.positionals {
            emit(verifier.verify(payload, now.unix))?;
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
