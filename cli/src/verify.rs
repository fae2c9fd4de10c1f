//! `vneid-verify verify`: one JSON verdict per payload, per line.

use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::Duration;

use vneid_verify::Verdict;

use crate::args::Args;
use crate::clock::Clock;
use crate::options::{policy_flags, verifier_from};
use crate::scan::{self, Config, Framer, Session};

pub fn run(args: Args) -> Result<ExitCode, String> {
    let parsed = args.parse(&policy_flags())?;
    // One time for the whole batch, the trust's load included: `--at`, or the system clock read
    // once.
    let now = Clock::from_arg(parsed.one("--at")?)?.now();
    let (verifier, _) = verifier_from(&parsed, now.unix)?;
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
