//! The scanner's logic as a state machine, free of I/O and of clocks.
//!
//! A [`Session`] takes framed lines and the time on a monotonic clock (a [`Duration`] since the
//! scanner started, supplied by the caller), and says what to do with each: verify a payload,
//! report a rejection it made itself, or note progress on a multi-QR card. It never verifies
//! anything — the driver hands [`Step::Verify`] payloads to the core — so it can be tested line
//! by line, with time moved by hand instead of by sleeping.
//!
//! For each line, in order:
//! 1. a line longer than the bound is `payload_too_large` (the framer kept none of it);
//! 2. surrounding whitespace is trimmed, then the configured prefix and suffix are removed when
//!    present (a line without them is taken as it is), then whitespace again; an empty result is
//!    skipped, and so is one that is only Unicode whitespace (the core's rule for a payload);
//! 3. a repeat of a payload seen less than the repeat window ago is suppressed — the window
//!    restarts at every repeat, so a code held under the reader yields one verdict however long
//!    it stays there; different payloads in between do not break the suppression (at most
//!    [`MAX_RECENT`] distinct payloads are remembered, as SHA-256 digests);
//! 4. bytes that are not UTF-8 are `unknown_format`;
//! 5. the text goes through the core's one chunk rule (`ShcChunks::scan`, shared with the JS
//!    package and the demo page): a SMART Health Card chunk (`shc:/i/n/…`, `n ≥ 2`) is
//!    collected, and when the card is complete its chunks go to the core as one payload, in
//!    order, one per line; a chunk that conflicts with the card being collected (another count,
//!    or another text under the same index) means a new card: the old one is reported
//!    `chunks_incomplete` and collection restarts; anything else is a payload to verify, and the
//!    card being collected is kept. When no chunk arrives for the chunk timeout, the card is
//!    reported `chunks_incomplete`, naming the missing chunks; so is an unfinished card at the
//!    end of input.

use std::time::Duration;

use sha2::{Digest as _, Sha256};
pub use vneid_verify::ChunkProgress;
use vneid_verify::{ChunkNext, Error, ErrorCode, Format, ShcChunks};

/// Most distinct payloads remembered for repeat suppression.
pub const MAX_RECENT: usize = 64;

/// How the session treats lines.
#[derive(Clone, Debug)]
pub struct Config {
    /// Removed from the start of a payload when present (a scanner's configured prefix).
    pub prefix: Vec<u8>,
    /// Removed from the end of a payload when present (a scanner's configured suffix).
    pub suffix: Vec<u8>,
    /// A payload seen again within this time is suppressed; zero suppresses nothing.
    pub repeat_window: Duration,
    /// How long a partly read multi-QR card waits for its next chunk; `None` waits until the
    /// card completes, another card starts, or the input ends.
    pub chunk_timeout: Option<Duration>,
    /// The verifier's payload limit, named in `payload_too_large` verdicts made here.
    pub max_payload_len: usize,
}

/// What to do after a line (or a tick of the clock).
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Verify this payload and report the verdict.
    Verify(String),
    /// Report this rejection (made without the core: bad bytes, or an incomplete card).
    Reject(Format, Error),
    /// A chunk of a multi-QR card was stored; the card is not complete yet.
    Partial(ChunkProgress),
}

/// The scanner's state: recent payloads and the card being collected.
#[derive(Debug)]
pub struct Session {
    config: Config,
    recent: Vec<([u8; 32], Duration)>,
    /// The multi-QR card being collected (empty when none is).
    card: ShcChunks,
    /// When its last chunk arrived.
    last_chunk_at: Duration,
}

impl Session {
    /// A session with nothing seen yet.
    pub fn new(config: Config) -> Session {
        Session {
            config,
            recent: Vec::new(),
            card: ShcChunks::new(),
            last_chunk_at: Duration::ZERO,
        }
    }

    /// Handles one framed line read at `now`.
    pub fn line(&mut self, line: super::framing::Line<'_>, now: Duration) -> Vec<Step> {
        let mut steps: Vec<Step> = self.tick(now).into_iter().collect();
        let bytes = match line {
            super::framing::Line::TooLong(len) => {
                steps.push(Step::Reject(
                    Format::Unknown,
                    too_large(len, self.config.max_payload_len),
                ));
                return steps;
            }
            super::framing::Line::Text(bytes) => bytes,
        };
        let payload = self.normalize(bytes);
        if payload.is_empty() || self.is_repeat(payload, now) {
            return steps;
        }
        let text = match std::str::from_utf8(payload) {
            Ok(text) => text,
            Err(e) => {
                steps.push(Step::Reject(Format::Unknown, not_utf8(&e)));
                return steps;
            }
        };
        // Blank by the core's rule too (Unicode whitespace, e.g. a no-break space): skipped like
        // an empty line, rather than reported as an empty payload.
        if text.trim().is_empty() {
            return steps;
        }
        let scan = self.card.scan(text);
        steps.extend(scan.abandoned.map(|e| Step::Reject(Format::Shc, e)));
        match scan.next {
            ChunkNext::Verify(payload) => steps.push(Step::Verify(payload)),
            ChunkNext::Partial(progress) => {
                self.last_chunk_at = now;
                steps.push(Step::Partial(progress));
            }
        }
        steps
    }

    /// Reports a card whose chunk timeout has passed at `now`.
    pub fn tick(&mut self, now: Duration) -> Option<Step> {
        let deadline = self.deadline()?;
        if now >= deadline {
            return self.abandon();
        }
        None
    }

    /// When [`tick`](Self::tick) will next have something to report, on the session's clock.
    pub fn deadline(&self) -> Option<Duration> {
        let timeout = self.config.chunk_timeout?;
        (self.card.progress().total > 0).then(|| self.last_chunk_at + timeout)
    }

    /// At end of input: an unfinished card is reported.
    pub fn finish(&mut self) -> Option<Step> {
        self.abandon()
    }

    /// Gives up the card being collected, if any: `chunks_incomplete`, naming what is missing.
    fn abandon(&mut self) -> Option<Step> {
        self.card
            .abandon()
            .map(|error| Step::Reject(Format::Shc, error))
    }

    fn normalize<'a>(&self, bytes: &'a [u8]) -> &'a [u8] {
        let mut payload = bytes.trim_ascii();
        if !self.config.prefix.is_empty() {
            payload = payload
                .strip_prefix(self.config.prefix.as_slice())
                .unwrap_or(payload);
        }
        if !self.config.suffix.is_empty() {
            payload = payload
                .strip_suffix(self.config.suffix.as_slice())
                .unwrap_or(payload);
        }
        payload.trim_ascii()
    }

    /// True when `payload` was seen less than the repeat window ago; remembers it either way.
    fn is_repeat(&mut self, payload: &[u8], now: Duration) -> bool {
        let window = self.config.repeat_window;
        if window.is_zero() {
            return false;
        }
        let digest: [u8; 32] = Sha256::digest(payload).into();
        self.recent
            .retain(|(_, seen)| now.saturating_sub(*seen) < window);
        if let Some(entry) = self.recent.iter_mut().find(|(d, _)| *d == digest) {
            entry.1 = now;
            return true;
        }
        if self.recent.len() >= MAX_RECENT {
            // The entry seen longest ago makes room.
            if let Some(oldest) = self
                .recent
                .iter()
                .enumerate()
                .min_by_key(|(_, (_, seen))| *seen)
                .map(|(i, _)| i)
            {
                self.recent.swap_remove(oldest);
            }
        }
        self.recent.push((digest, now));
        false
    }
}

/// The rejection of a line too long to keep: `payload_too_large`, as the core says it.
pub fn too_large(len: u64, limit: usize) -> Error {
    Error::with_detail(
        ErrorCode::PayloadTooLarge,
        format!("{len} bytes; limit {limit}"),
    )
}

/// The rejection of a line that is not UTF-8: no supported format is anything but text.
pub fn not_utf8(e: &std::str::Utf8Error) -> Error {
    Error::with_detail(
        ErrorCode::UnknownFormat,
        format!("not UTF-8 text (byte {} is invalid)", e.valid_up_to()),
    )
}

#[cfg(test)]
mod tests {
    use super::super::framing::Line;
    use super::*;

    const S: Duration = Duration::from_secs(1);

    fn config() -> Config {
        Config {
            prefix: Vec::new(),
            suffix: Vec::new(),
            repeat_window: 3 * S,
            chunk_timeout: Some(20 * S),
            max_payload_len: 16_384,
        }
    }

    fn verify(p: &str) -> Step {
        Step::Verify(p.into())
    }

    fn reject(format: Format, code: ErrorCode, detail: &str) -> Step {
        Step::Reject(format, Error::with_detail(code, detail))
    }

    fn partial(received: usize, total: usize, missing: &[usize]) -> Step {
        Step::Partial(ChunkProgress {
            received,
            total,
            missing: missing.to_vec(),
        })
    }

    #[test]
    fn whitespace_prefix_and_suffix_are_removed_when_present() {
        let mut s = Session::new(Config {
            prefix: b"\x02]Q1".to_vec(),
            suffix: b"\x03".to_vec(),
            repeat_window: Duration::ZERO,
            ..config()
        });
        for (line, want) in [
            ("\x02]Q1abc\x03", "abc"),
            (" \t\x02]Q1 abc \x03 ", "abc"),
            ("abc", "abc"),
            ("]Q1abc", "]Q1abc"),
            ("\x02]Q1abc", "abc"),
        ] {
            assert_eq!(
                s.line(Line::Text(line.as_bytes()), S),
                vec![verify(want)],
                "{line:?}"
            );
        }
        // Blank by the core's rule too: a no-break space, a next-line or line separator.
        for blank in [
            " ",
            "\t \x0c",
            "\x02]Q1\x03",
            "\x02]Q1 \x03",
            "\u{a0}",
            " \u{85}\u{2028} ",
        ] {
            assert_eq!(s.line(Line::Text(blank.as_bytes()), S), vec![], "{blank:?}");
        }
    }

    #[test]
    fn bad_bytes_cost_one_rejection_each() {
        let mut s = Session::new(config());
        assert_eq!(
            s.line(Line::TooLong(1 << 20), S),
            vec![reject(
                Format::Unknown,
                ErrorCode::PayloadTooLarge,
                "1048576 bytes; limit 16384"
            )]
        );
        assert_eq!(
            s.line(Line::Text(b"ok\xff\xfe"), S),
            vec![reject(
                Format::Unknown,
                ErrorCode::UnknownFormat,
                "not UTF-8 text (byte 2 is invalid)"
            )]
        );
        assert_eq!(s.line(Line::Text(b"next"), S), vec![verify("next")]);
    }

    #[test]
    fn a_repeat_within_the_window_is_suppressed_and_the_window_slides() {
        let mut s = Session::new(config());
        let mut at = |line: &str, secs: f64| s.line(Line::Text(line.as_bytes()), S.mul_f64(secs));
        assert_eq!(at("A", 0.0), vec![verify("A")]);
        assert_eq!(at("A", 2.9), vec![]);
        assert_eq!(at("B", 3.0), vec![verify("B")], "other payloads pass");
        assert_eq!(
            at("A\r", 5.8),
            vec![],
            "held under the reader: each read restarts the window"
        );
        assert_eq!(
            at(" A ", 8.8),
            vec![verify("A")],
            "3 s after the last read it counts again"
        );
        assert_eq!(at("B", 8.9), vec![verify("B")]);
    }

    #[test]
    fn suppression_remembers_a_bounded_number_of_payloads() {
        let mut s = Session::new(config());
        for i in 0..(MAX_RECENT + 10) {
            let p = i.to_string();
            assert_eq!(s.line(Line::Text(p.as_bytes()), S), vec![verify(&p)]);
            assert!(s.recent.len() <= MAX_RECENT);
        }
        // The oldest were forgotten; the newest are still suppressed.
        assert_eq!(s.line(Line::Text(b"0"), S), vec![verify("0")]);
        let last = (MAX_RECENT + 9).to_string();
        assert_eq!(s.line(Line::Text(last.as_bytes()), S), vec![]);
        // A zero window suppresses nothing and remembers nothing.
        let mut s = Session::new(Config {
            repeat_window: Duration::ZERO,
            ..config()
        });
        assert_eq!(s.line(Line::Text(b"A"), S), vec![verify("A")]);
        assert_eq!(s.line(Line::Text(b"A"), S), vec![verify("A")]);
        assert!(s.recent.is_empty());
        // Bad bytes repeated are suppressed like any payload.
        let mut s = Session::new(config());
        assert_eq!(s.line(Line::Text(b"\xff"), S).len(), 1);
        assert_eq!(s.line(Line::Text(b"\xff"), S), vec![]);
    }

    #[test]
    fn shc_chunks_are_collected_in_any_order_and_verified_as_one_payload() {
        let mut s = Session::new(config());
        let mut at = |line: &str, secs: u32| s.line(Line::Text(line.as_bytes()), secs * S);
        assert_eq!(at("shc:/2/3/22", 0), vec![partial(1, 3, &[1, 3])]);
        assert_eq!(at("shc:/3/3/33", 1), vec![partial(2, 3, &[1])]);
        assert_eq!(at("shc:/2/3/22", 2), vec![], "a re-read within the window");
        assert_eq!(
            at("shc:/2/3/22", 6),
            vec![partial(2, 3, &[1])],
            "a re-read after the window is harmless"
        );
        assert_eq!(
            at("shc:/1/3/11", 6),
            vec![verify("shc:/1/3/11\nshc:/2/3/22\nshc:/3/3/33")]
        );
        // A one-QR card and malformed headers go straight to the core.
        assert_eq!(at("shc:/5676", 7), vec![verify("shc:/5676")]);
        for odd in [
            "shc:/1/1/56",
            "shc:/4/3/56",
            "shc:/01/3/56",
            "shc:/1/33/56",
            "shc:/1/3",
        ] {
            assert_eq!(at(odd, 7), vec![verify(odd)], "{odd}");
        }
    }

    #[test]
    fn an_unfinished_card_times_out_naming_the_missing_chunks() {
        let mut s = Session::new(config());
        assert_eq!(s.deadline(), None);
        s.line(Line::Text(b"shc:/1/4/11"), S);
        s.line(Line::Text(b"shc:/3/4/33"), 10 * S);
        assert_eq!(s.deadline(), Some(30 * S), "measured from the last chunk");
        assert_eq!(s.tick(29 * S), None);
        let timed_out = reject(
            Format::Shc,
            ErrorCode::ChunksIncomplete,
            "2 of 4 chunks; missing 2, 4",
        );
        assert_eq!(s.tick(30 * S), Some(timed_out.clone()));
        assert_eq!(s.tick(31 * S), None);
        assert_eq!(s.deadline(), None);

        // Without a tick (WASI reads block), the next line reports it first.
        s.line(Line::Text(b"shc:/1/4/11"), 40 * S);
        s.line(Line::Text(b"shc:/3/4/33"), 41 * S);
        assert_eq!(
            s.line(Line::Text(b"next"), 61 * S),
            vec![timed_out.clone(), verify("next")]
        );

        // At end of input.
        s.line(Line::Text(b"shc:/2/2/22"), 70 * S);
        assert_eq!(
            s.finish(),
            Some(reject(
                Format::Shc,
                ErrorCode::ChunksIncomplete,
                "1 of 2 chunks; missing 1"
            ))
        );
        assert_eq!(s.finish(), None);

        // With no timeout, a card waits.
        let mut s = Session::new(Config {
            chunk_timeout: None,
            ..config()
        });
        s.line(Line::Text(b"shc:/2/2/22"), S);
        assert_eq!(s.deadline(), None);
        assert_eq!(s.tick(1_000_000 * S), None);
        assert_eq!(
            s.line(Line::Text(b"shc:/1/2/11"), 1_000_000 * S),
            vec![verify("shc:/1/2/11\nshc:/2/2/22")]
        );
    }

    #[test]
    fn a_chunk_of_another_card_abandons_the_one_being_collected() {
        let mut s = Session::new(config());
        s.line(Line::Text(b"shc:/1/3/11"), S);
        assert_eq!(
            s.line(Line::Text(b"shc:/1/2/44"), 2 * S),
            vec![
                reject(
                    Format::Shc,
                    ErrorCode::ChunksIncomplete,
                    "1 of 3 chunks; missing 2, 3"
                ),
                partial(1, 2, &[2])
            ]
        );
        assert_eq!(
            s.line(Line::Text(b"shc:/1/2/55"), 3 * S),
            vec![
                reject(
                    Format::Shc,
                    ErrorCode::ChunksIncomplete,
                    "1 of 2 chunks; missing 2"
                ),
                partial(1, 2, &[2])
            ],
            "same count, another text under the same number"
        );
        // Other payloads in between do not disturb the card.
        assert_eq!(s.line(Line::Text(b"token"), 4 * S), vec![verify("token")]);
        assert_eq!(
            s.line(Line::Text(b"shc:/2/2/66"), 5 * S),
            vec![verify("shc:/1/2/55\nshc:/2/2/66")]
        );
    }
}
