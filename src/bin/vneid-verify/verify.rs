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
        let mut chunks = ChunkLines::default();
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
            // The chunks of a multi-QR SMART Health Card, one per line, are one payload.
            if let Some(group) = chunks.push(text.trim()) {
                for payload in group {
                    emit(&payload)?;
                }
                continue;
            }
            emit(&text)?;
        }
        if let Some(payload) = chunks.finish() {
            emit(&payload)?;
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

/// Groups consecutive stdin lines that are chunks `shc:/i/n/…` of one SMART Health Card, so that
/// a scanner can print each QR it reads on its own line. A group ends when it has `n` lines, when
/// a chunk with another `n` or a line that is not a chunk arrives, or at the end of input; an
/// incomplete group is still verified (and reported `chunks_incomplete`).
#[derive(Default)]
struct ChunkLines {
    lines: Vec<String>,
    total: usize,
}

impl ChunkLines {
    /// Takes a line. `None`: not a chunk, verify it alone (after any payloads returned before).
    /// `Some(payloads)`: the line was taken; verify these completed payloads now.
    fn push(&mut self, line: &str) -> Option<Vec<String>> {
        let total = vneid_verify::formats::shc::numeric::parse_chunk(line)
            .ok()
            .map(|c| c.total)
            .filter(|&n| n > 1);
        let mut ready = Vec::new();
        let Some(total) = total else {
            ready.extend(self.finish());
            return if ready.is_empty() {
                None
            } else {
                // Flush the pending group first, then the line itself on its own.
                ready.push(line.to_owned());
                Some(ready)
            };
        };
        if !self.lines.is_empty() && total != self.total {
            ready.extend(self.finish());
        }
        self.total = total;
        self.lines.push(line.to_owned());
        if self.lines.len() == total {
            ready.extend(self.finish());
        }
        Some(ready)
    }

    /// The pending group, if any, as one payload.
    fn finish(&mut self) -> Option<String> {
        if self.lines.is_empty() {
            return None;
        }
        let payload = self.lines.join("\n");
        self.lines.clear();
        Some(payload)
    }
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
