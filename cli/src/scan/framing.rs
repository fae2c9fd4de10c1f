//! Framing: the bytes a scanner sends, cut into lines, in bounded memory.
//!
//! A payload ends at CR, LF or CRLF (the scanner's "terminator"; a CRLF is a CR followed by an
//! empty line, and empty lines are skipped). Bytes arrive in pieces of any size — a serial port
//! delivers a few at a time — so a line may span many reads. A line longer than the bound is not
//! kept: its bytes are counted and dropped as they arrive, and it comes out as one
//! [`Line::TooLong`], so a 1 MB line costs the same memory as a short one.
//!
//! Nothing here interprets the bytes (whitespace, prefixes, UTF-8): that is the session's job.

/// One line, without its terminator.
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    /// The bytes of the line (never empty).
    Text(&'a [u8]),
    /// A line longer than the bound; it had this many bytes, none of them kept.
    TooLong(u64),
}

/// Cuts a byte stream into lines of at most `max` bytes.
#[derive(Debug)]
pub struct Framer {
    max: usize,
    /// The start of a line whose end has not arrived yet.
    pending: Vec<u8>,
    /// `pending` was handed out as a line: clear it before the next one.
    handed_out: bool,
    /// While dropping an over-long line: its bytes so far.
    dropping: Option<u64>,
}

impl Framer {
    /// A framer keeping lines of at most `max` bytes, in one buffer of that size allocated here:
    /// the longest line it keeps never makes it grow.
    pub fn new(max: usize) -> Framer {
        Framer {
            max,
            pending: Vec::with_capacity(max),
            handed_out: false,
            dropping: None,
        }
    }

    /// The lines completed by `bytes` (read with [`Feed::next_line`]). Bytes after the last
    /// terminator are kept for the next call.
    pub fn feed<'f, 'b>(&'f mut self, bytes: &'b [u8]) -> Feed<'f, 'b> {
        Feed {
            framer: self,
            rest: bytes,
        }
    }

    /// At end of input: the last line if it had no terminator.
    pub fn finish(&mut self) -> Option<Line<'_>> {
        self.reset_handed_out();
        if let Some(len) = self.dropping.take() {
            return Some(Line::TooLong(len));
        }
        if self.pending.is_empty() {
            return None;
        }
        self.handed_out = true;
        Some(Line::Text(&self.pending))
    }

    fn reset_handed_out(&mut self) {
        if self.handed_out {
            self.pending.clear();
            self.handed_out = false;
        }
    }
}

/// The lines in one piece of input.
pub struct Feed<'f, 'b> {
    framer: &'f mut Framer,
    rest: &'b [u8],
}

impl Feed<'_, '_> {
    /// The next complete line, or `None` when the rest of the piece is an unfinished line
    /// (kept for the next [`Framer::feed`]).
    pub fn next_line(&mut self) -> Option<Line<'_>> {
        let framer = &mut *self.framer;
        framer.reset_handed_out();
        loop {
            if self.rest.is_empty() {
                return None;
            }
            let end = self.rest.iter().position(|&b| b == b'\n' || b == b'\r');
            let (segment, terminated) = match end {
                Some(at) => {
                    let (segment, tail) = self.rest.split_at(at);
                    self.rest = tail.get(1..).unwrap_or_default();
                    (segment, true)
                }
                None => (std::mem::take(&mut self.rest), false),
            };
            if let Some(seen) = framer.dropping {
                let seen = seen.saturating_add(segment.len() as u64);
                if terminated {
                    framer.dropping = None;
                    return Some(Line::TooLong(seen));
                }
                framer.dropping = Some(seen);
                return None;
            }
            let len = framer.pending.len() + segment.len();
            if len > framer.max {
                framer.pending.clear();
                if terminated {
                    return Some(Line::TooLong(len as u64));
                }
                framer.dropping = Some(len as u64);
                return None;
            }
            if !terminated {
                framer.pending.extend_from_slice(segment);
                return None;
            }
            if framer.pending.is_empty() {
                if segment.is_empty() {
                    continue; // an empty line, or the LF of a CRLF
                }
                return Some(Line::Text(segment));
            }
            framer.pending.extend_from_slice(segment);
            framer.handed_out = true;
            return Some(Line::Text(&framer.pending));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Owned lines, for comparing.
    #[derive(Debug, PartialEq, Eq)]
    enum L {
        T(String),
        Long(u64),
    }

    fn own(line: Line<'_>) -> L {
        match line {
            Line::Text(t) => L::T(String::from_utf8_lossy(t).into_owned()),
            Line::TooLong(n) => L::Long(n),
        }
    }

    /// Feeds the pieces in order, then finishes.
    fn frame(max: usize, pieces: &[&[u8]]) -> Vec<L> {
        let mut framer = Framer::new(max);
        let mut out = Vec::new();
        for piece in pieces {
            let mut feed = framer.feed(piece);
            while let Some(line) = feed.next_line() {
                out.push(own(line));
            }
        }
        if let Some(line) = framer.finish() {
            out.push(own(line));
        }
        out
    }

    fn t(s: &str) -> L {
        L::T(s.into())
    }

    #[test]
    fn cr_lf_and_crlf_all_end_a_line_and_empty_lines_vanish() {
        assert_eq!(
            frame(64, &[b"a\rb\nc\r\nd\n\n\r\r\ne"]),
            vec![t("a"), t("b"), t("c"), t("d"), t("e")]
        );
        assert_eq!(frame(64, &[b"\r\n\r\n"]), vec![]);
        assert_eq!(frame(64, &[b""]), vec![]);
    }

    #[test]
    fn a_line_may_arrive_a_byte_at_a_time() {
        let input = b"ab\r\ncd\re";
        let pieces: Vec<&[u8]> = input.chunks(1).collect();
        assert_eq!(frame(64, &pieces), vec![t("ab"), t("cd"), t("e")]);
        // A CRLF split across reads is still one terminator.
        assert_eq!(
            frame(64, &[b"ab\r", b"\ncd\r", b"\n"]),
            vec![t("ab"), t("cd")]
        );
    }

    #[test]
    fn whitespace_and_bytes_are_passed_through_untouched() {
        assert_eq!(
            frame(64, &[b" \tx y \x02\xff\n"]),
            vec![L::T(
                String::from_utf8_lossy(b" \tx y \x02\xff").into_owned()
            )]
        );
    }

    #[test]
    fn over_long_lines_are_counted_and_dropped_then_framing_resumes() {
        assert_eq!(
            frame(4, &[b"abcd\nabcde\nok\n"]),
            vec![t("abcd"), L::Long(5), t("ok")]
        );
        // Spanning reads, and ending at end of input without a terminator.
        assert_eq!(
            frame(4, &[b"ab", b"cde", b"fgh", b"i\rok\r", b"xxxxxxx"]),
            vec![L::Long(9), t("ok"), L::Long(7)]
        );
        // One megabyte in small reads: one TooLong, and nothing kept meanwhile.
        let mut framer = Framer::new(16);
        let block = [b'e'; 4096];
        for _ in 0..256 {
            assert!(framer.feed(&block).next_line().is_none());
            assert_eq!(framer.pending.capacity(), 16);
        }
        let mut feed = framer.feed(b"\nnext\n");
        assert_eq!(feed.next_line().map(own), Some(L::Long(1 << 20)));
        assert_eq!(feed.next_line().map(own), Some(t("next")));
        assert_eq!(feed.next_line().map(own), None);
    }

    #[test]
    fn finish_returns_an_unterminated_last_line_once() {
        let mut framer = Framer::new(8);
        assert!(framer.feed(b"tail").next_line().is_none());
        assert_eq!(framer.finish().map(own), Some(t("tail")));
        assert_eq!(framer.finish().map(own), None);
    }
}
