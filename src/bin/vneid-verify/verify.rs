//! `vneid-verify verify`: one JSON verdict per payload, per line.

use std::io::{Read, Write};
use std::process::ExitCode;

use vneid_verify::{Format, Level, Policy, TrustStore, Verdict, Verifier};

use crate::args::{Args, Parsed};
use crate::clock::Clock;
use crate::scan::{self, Framer, Line};

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
        // One payload per line, in bounded memory: the scanner's framer (CR, LF or CRLF; a line
        // too long to be a payload is counted, not kept).
        let mut framer = Framer::new(limit + scan::LINE_SLACK);
        let mut chunks = ChunkLines::default();
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
                for verdict in line_verdicts(line, &mut chunks, &verifier, now.unix) {
                    emit(verdict)?;
                }
            }
        }
        if let Some(line) = framer.finish() {
            for verdict in line_verdicts(line, &mut chunks, &verifier, now.unix) {
                emit(verdict)?;
            }
        }
        if let Some(payload) = chunks.finish() {
            emit(verifier.verify(&payload, now.unix))?;
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

/// The verdicts one line of standard input completes, in order: a group of SMART Health Card
/// chunk lines it ends, then the line's own verdict (none for a chunk line that continues a group,
/// or a blank line).
fn line_verdicts(
    line: Line<'_>,
    chunks: &mut ChunkLines,
    verifier: &Verifier,
    now: i64,
) -> Vec<Verdict> {
    let limit = verifier.policy().limits.max_payload_len;
    let mut rejected = |error| {
        let mut verdicts: Vec<Verdict> = chunks
            .finish()
            .map(|group| verifier.verify(&group, now))
            .into_iter()
            .collect();
        verdicts.push(Verdict::rejected(Format::Unknown, &error));
        verdicts
    };
    let text = match line {
        Line::TooLong(len) => return rejected(scan::too_large(len, limit)),
        Line::Text(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => return rejected(scan::not_utf8(&e)),
        },
    };
    if text.trim().is_empty() {
        return Vec::new();
    }
    // The chunks of a multi-QR SMART Health Card, one per line, are one payload.
    match chunks.push(text.trim()) {
        Some(group) => group.iter().map(|p| verifier.verify(p, now)).collect(),
        None => vec![verifier.verify(text, now)],
    }
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
