//! `vneid-verify scan`: the scanner mode. Reads payloads continuously — from standard input or
//! `--input PATH` — and prints one verdict line per payload, flushed at once; never exits on bad
//! input; exits 0 at end of input or on SIGTERM/SIGINT.
//!
//! The parts, each testable alone:
//! * [`framing`] cuts bytes into bounded lines (CR, LF, CRLF);
//! * [`session`] is the state machine: prefix/suffix and whitespace, repeat suppression, SMART
//!   Health Card chunk collection with its timeout — pure, with time passed in;
//! * [`output`] formats verdicts (JSON or one human line);
//! * [`input`], [`trust_watch`] and [`hooks`] do the I/O: reading (with signals, natively),
//!   re-reading replaced trust files, running `--on-valid`/`--on-invalid` programs.
//!
//! This file wires them together: the loop below waits for input (with a timeout where the
//! platform allows, so an unfinished card is reported on time), feeds the framer and the session,
//! and verifies what the session asks for with the same [`Verifier`] as `verify`. The session's
//! clock is monotonic ([`Instant`]); verification time is `--at` or the system clock, checked
//! against the build date ([`crate::clock`]).

mod framing;
mod hooks;
mod input;
mod output;
mod session;
mod trust_watch;

use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use vneid_verify::{Verdict, Verifier};

use crate::args::{Args, Parsed};
use crate::clock::Clock;
use crate::options::{policy_flags, verifier_from};
use crate::trust::TrustSource;

pub use framing::{Framer, Line};
use hooks::Hooks;
use input::Event;
use output::Output;
use session::ChunkProgress;
pub use session::{Config, Session, Step};
use trust_watch::TrustWatch;

/// The options `scan` takes besides the policy options.
const SCAN_OPTIONS: [&str; 9] = [
    "--input",
    "--output",
    "--prefix",
    "--suffix",
    "--repeat-window",
    "--chunk-timeout",
    "--trust-check",
    "--on-valid",
    "--on-invalid",
];

/// Defaults, in seconds.
const REPEAT_WINDOW: Duration = Duration::from_secs(3);
const CHUNK_TIMEOUT: Duration = Duration::from_secs(20);
const TRUST_CHECK: Duration = Duration::from_secs(2);

/// Room a line may take beyond the payload limit (prefix, suffix, stray whitespace) before the
/// framer stops keeping it. A payload over the limit is refused either way; this only decides
/// whether the core or the framer says so.
pub const LINE_SLACK: usize = 1024;

pub fn run(args: Args) -> Result<ExitCode, String> {
    let options: Vec<&str> = policy_flags().into_iter().chain(SCAN_OPTIONS).collect();
    let parsed = args.parse(&options)?;
    if let Some(extra) = parsed.positionals.first() {
        return Err(format!(
            "scan takes no payload (\"{extra}\"): it reads standard input or --input PATH"
        ));
    }
    let clock = Clock::from_arg(parsed.one("--at")?)?;
    let watch = TrustWatch::new(
        &parsed.all("--trust"),
        seconds(&parsed, "--trust-check")?.unwrap_or(TRUST_CHECK),
    );
    let (verifier, trust) = verifier_from(&parsed, clock.now().unix)?;
    let output = Output::parse(parsed.one("--output")?.as_deref())?;
    let config = Config {
        prefix: escaped(&parsed, "--prefix")?,
        suffix: escaped(&parsed, "--suffix")?,
        repeat_window: seconds(&parsed, "--repeat-window")?.unwrap_or(REPEAT_WINDOW),
        chunk_timeout: match seconds(&parsed, "--chunk-timeout")? {
            None => Some(CHUNK_TIMEOUT),
            Some(d) if d.is_zero() => None,
            Some(d) => Some(d),
        },
        max_payload_len: verifier.policy().limits.max_payload_len,
    };
    let hooks = Hooks::new(parsed.one("--on-valid")?, parsed.one("--on-invalid")?)?;
    let max_line = config.max_payload_len + config.prefix.len() + config.suffix.len() + LINE_SLACK;
    let source = input::open(parsed.one("--input")?.as_deref())?;

    let stdout = std::io::stdout();
    let mut scanner = Scanner {
        session: Session::new(config),
        verifier,
        trust,
        watch,
        clock,
        output,
        hooks,
        out: stdout.lock(),
        started: Instant::now(),
    };
    let result = scanner.run(source, Framer::new(max_line));
    let Scanner { hooks, .. } = scanner;
    hooks.finish();
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(message) => {
            warn!("{message}");
            Ok(ExitCode::from(1))
        }
    }
}

/// Everything the loop needs besides the framer.
struct Scanner<W: Write> {
    session: Session,
    verifier: Verifier,
    trust: TrustSource,
    watch: TrustWatch,
    clock: Clock,
    output: Output,
    hooks: Hooks,
    out: W,
    started: Instant,
}

impl<W: Write> Scanner<W> {
    /// Runs until end of input or a stop signal; an error ends it when the input cannot be read
    /// or the output cannot be written.
    fn run(
        &mut self,
        mut source: Box<dyn input::Source>,
        mut framer: Framer,
    ) -> Result<(), String> {
        loop {
            let event = source.next(self.wait());
            match event {
                Event::Data(bytes) => {
                    self.reload_trust();
                    let mut feed = framer.feed(&bytes);
                    while let Some(line) = feed.next_line() {
                        self.line(line)?;
                    }
                }
                Event::Boundary => {
                    if let Some(line) = framer.finish() {
                        self.line(line)?;
                    }
                }
                Event::Idle => self.reload_trust(),
                Event::End => {
                    if let Some(line) = framer.finish() {
                        self.line(line)?;
                    }
                    return self.finish();
                }
                Event::Stop => return self.finish(),
                Event::Failed(message) => {
                    self.finish()?;
                    return Err(message);
                }
            }
            if let Some(step) = self.session.tick(self.elapsed()) {
                self.step(step)?;
            }
        }
    }

    fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// How long to wait for input before something else is due: the card's chunk timeout or the
    /// next trust check (`None`: nothing is).
    fn wait(&self) -> Option<Duration> {
        let due = match (self.watch.next_check(), self.session.deadline()) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b)?,
        };
        Some(
            due.saturating_sub(self.elapsed())
                .max(Duration::from_millis(10)),
        )
    }

    fn line(&mut self, line: Line<'_>) -> Result<(), String> {
        for step in self.session.line(line, self.elapsed()) {
            self.step(step)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), String> {
        if let Some(step) = self.session.finish() {
            self.step(step)?;
        }
        Ok(())
    }

    fn step(&mut self, step: Step) -> Result<(), String> {
        let now = self.clock.now();
        let mut verdict = match verdict_of(step, &self.verifier, now.unix) {
            Ok(verdict) => verdict,
            Err(progress) => {
                if let Some(line) = self.output.partial(&progress) {
                    self.print(&line)?;
                }
                return Ok(());
            }
        };
        now.annotate(&mut verdict);
        // Serialised once, and only when printed or handed to a hook.
        let json = match self.output {
            Output::Json => {
                let json = verdict.to_json();
                self.print(&json)?;
                Some(json)
            }
            Output::Human => {
                self.print(&output::human(&verdict))?;
                None
            }
        };
        self.hooks.after(&verdict, json.as_deref());
        Ok(())
    }

    fn print(&mut self, line: &str) -> Result<(), String> {
        writeln!(self.out, "{line}")
            .and_then(|()| self.out.flush())
            .map_err(|e| format!("writing output: {e}"))
    }

    fn reload_trust(&mut self) {
        let Some(contents) = self.watch.poll(self.elapsed()) else {
            return;
        };
        let now = self.clock.now().unix;
        let tolerance = self.verifier.policy().clock_tolerance;
        match self.trust.load(&contents, now, tolerance) {
            Ok(store) => {
                let keys = store.keys().len();
                warn!(
                    "trust reloaded from {} ({keys} key{})",
                    self.watch.files(),
                    if keys == 1 { "" } else { "s" }
                );
                if let Some(note) = crate::trust::bundle_note(&store, now) {
                    warn!("{note}");
                }
                // The accepted holder proofs stay remembered across a trust reload.
                self.verifier = Verifier::new(store, self.verifier.policy().clone())
                    .with_replay_cache(std::sync::Arc::clone(self.verifier.replay_cache()));
            }
            Err(e) => warn!("trust NOT reloaded, the previous trust stays in force: {e}"),
        }
    }
}

/// The verdict a session step reports, or the progress of a card still being collected.
pub fn verdict_of(step: Step, verifier: &Verifier, now: i64) -> Result<Verdict, ChunkProgress> {
    match step {
        Step::Verify(payload) => Ok(verifier.verify(&payload, now)),
        Step::Reject(format, error) => Ok(Verdict::rejected(format, &error)),
        Step::Partial(progress) => Err(progress),
    }
}

/// A duration option in seconds, whole or decimal (`3`, `0.5`), at most a day.
fn seconds(parsed: &Parsed, name: &str) -> Result<Option<Duration>, String> {
    let Some(text) = parsed.one(name)? else {
        return Ok(None);
    };
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let parsed = (!whole.is_empty() && digits(whole) && digits(frac) && frac.len() <= 3)
        .then(|| {
            let ms: u64 = format!("{frac:0<3}").parse().ok()?;
            let secs: u64 = whole.parse().ok()?;
            Some(Duration::from_secs(secs) + Duration::from_millis(ms))
        })
        .flatten()
        .filter(|d| *d <= Duration::from_secs(86_400));
    parsed.map(Some).ok_or_else(|| {
        format!("{name}: \"{text}\" is not a number of seconds (0 to 86400, e.g. 3 or 0.5)")
    })
}

/// A `--prefix`/`--suffix` value: text with `\xHH`, `\t` and `\\` escapes, for the control
/// characters scanners are configured to send (STX `\x02`, ETX `\x03`...). CR and LF end a line,
/// so they cannot be part of one.
fn escaped(parsed: &Parsed, name: &str) -> Result<Vec<u8>, String> {
    let Some(text) = parsed.one(name)? else {
        return Ok(Vec::new());
    };
    let bad = || format!("{name}: \"{text}\": use \\xHH, \\t or \\\\ for special characters");
    let mut out = Vec::new();
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match bytes.next() {
            Some(b'\\') => out.push(b'\\'),
            Some(b't') => out.push(b'\t'),
            Some(b'x') => {
                let hex = [bytes.next().ok_or_else(bad)?, bytes.next().ok_or_else(bad)?];
                let hex = std::str::from_utf8(&hex).map_err(|_| bad())?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| bad())?);
            }
            _ => return Err(bad()),
        }
    }
    if out.contains(&b'\r') || out.contains(&b'\n') {
        return Err(format!(
            "{name}: CR and LF end a payload, so they cannot be part of a {}",
            name.trim_start_matches('-')
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(args: &[&str]) -> Parsed {
        let args = Args::from_vec(args.iter().map(|s| (*s).to_owned()).collect());
        args.parse(&SCAN_OPTIONS).unwrap_or_default()
    }

    #[test]
    fn seconds_are_whole_or_decimal() {
        let s = |v: &str| seconds(&parsed(&["--repeat-window", v]), "--repeat-window");
        assert_eq!(s("3"), Ok(Some(Duration::from_secs(3))));
        assert_eq!(s("0.5"), Ok(Some(Duration::from_millis(500))));
        assert_eq!(s("1.25"), Ok(Some(Duration::from_millis(1250))));
        assert_eq!(s("0"), Ok(Some(Duration::ZERO)));
        for bad in [
            "",
            "-1",
            ".5",
            "1.2345",
            "3s",
            "1e3",
            "86401",
            "99999999999999999999",
        ] {
            assert!(s(bad).is_err(), "{bad}");
        }
        assert_eq!(seconds(&parsed(&[]), "--repeat-window"), Ok(None));
    }

    #[test]
    fn prefix_and_suffix_take_escapes() {
        let e = |v: &str| escaped(&parsed(&["--prefix", v]), "--prefix");
        assert_eq!(e("]Q1"), Ok(b"]Q1".to_vec()));
        assert_eq!(e("\\x02"), Ok(vec![2]));
        assert_eq!(e("\\x02]C1\\t\\\\"), Ok(b"\x02]C1\t\\".to_vec()));
        for bad in ["\\x0", "\\xzz", "\\n", "\\x0d", "\\x0A", "\\"] {
            assert!(e(bad).is_err(), "{bad}");
        }
    }
}
