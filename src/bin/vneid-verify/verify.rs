//! `vneid-verify verify`: one JSON verdict per payload, per line.

use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::Duration;

use vneid_verify::{Format, Level, Policy, TrustStore, Verdict, Verifier};

use crate::args::{Args, Parsed};
use crate::clock::Clock;
use crate::scan::{self, Config, Framer, Session};

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

pub fn run(args: Args) -> Result<ExitCode, String> {
    let parsed = args.parse(&POLICY_OPTIONS)?;
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
        // One payload per line, in bounded memory, through the scanner's framer and session
        // (CR, LF or CRLF; a line too long to be a payload is counted, not kept; the chunks of
        // a multi-QR SMART Health Card collected into one card), without its repeat window.
        let mut framer = Framer::new(limit + scan::LINE_SLACK);
        let mut session = Session::new(Config {
            prefix: Vec::new(),
            suffix: Vec::new(),
            repeat_window: Duration::ZERO,
            chunk_timeout: None,
            max_payload_len: limit,
        });
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
                for step in session.line(line, Duration::ZERO) {
                    if let Ok(verdict) = scan::verdict_of(step, &verifier, now.unix) {
                        emit(verdict)?;
                    }
                }
            }
        }
        let last = framer.finish();
        let steps = last.map(|line| session.line(line, Duration::ZERO));
        for step in steps.into_iter().flatten().chain(session.finish()) {
            if let Ok(verdict) = scan::verdict_of(step, &verifier, now.unix) {
                emit(verdict)?;
            }
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
