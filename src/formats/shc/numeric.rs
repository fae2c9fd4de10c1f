//! The `shc:/` QR text: numeric mode and chunks.
//!
//! A SMART Health Card QR holds `shc:/` followed by digits; every two digits `nn` are one JWS
//! character, `chr(nn + 45)`, so only pairs `00`–`77` exist (`-` … `z`). A card too large for one
//! QR was split into chunks `shc:/i/n/<digits>` (deprecated by the specification since December
//! 2022, still found on printed cards). Rules applied here, all strict:
//!
//! * the prefix is exactly `shc:/` (lower case); an upper-case `SHC:/` is `prefix_invalid`;
//! * the digits are ASCII, at least one pair, an even count, every pair ≤ 77 (`numeric_invalid`);
//! * a chunk header is `i/n/` with decimal numbers without leading zeros, `2 ≤ n ≤ 32` and
//!   `1 ≤ i ≤ n` (`chunk_invalid`; a header `1/1/` is refused because a card that fits in one QR
//!   is never chunked);
//! * size: a single QR holds at most 1195 JWS characters and a chunk at most 1191 — the
//!   specification's limits for a version-22 QR. A longer QR cannot be a conforming card and is
//!   refused with `chunk_invalid` rather than guessed at;
//! * chunks may come in any order; all must agree on `n`; a missing index is
//!   `chunks_incomplete` (the detail lists the missing indices); the same index twice is
//!   `chunk_invalid`, even when both copies are identical, because one payload should hold each
//!   chunk once.
//!
//! [`ShcChunks`] is the incremental form for a scanner that reads one QR at a time: it reports
//! progress ("2 of 3") and, unlike a single payload, treats an identical re-scan of a chunk as a
//! harmless repeat (a camera sees the same code many times); a *different* chunk under the same
//! index is still `chunk_invalid`.
//!
//! [`ShcChunks::scan`] is the one rule every reader of scanned text follows (the CLI's `verify`
//! and `scan`, the JS package's `ShcChunks.scan`, the demo page), so that a code sequence gives
//! the same verdicts everywhere:
//!
//! * a chunk of a multi-QR card (`shc:/i/n/…` that parses, `n ≥ 2`) is collected; once every
//!   chunk is in, the chunks in order, one per line, are the payload to verify, and collection
//!   starts afresh;
//! * a chunk the card being collected cannot take (another count, or another text under an index
//!   already read) means the person moved on to another card: the old card is given up
//!   (`chunks_incomplete`, naming its missing chunks) and the new one started with this chunk;
//! * anything else — another format, a one-QR card, a text that is not a well-formed chunk — is
//!   verified as it is (the verifier says what is wrong with it), and the card being collected,
//!   if any, is kept: a code read between two chunks does not lose the card.

use crate::error::{Error, ErrorCode};

/// The QR prefix of a SMART Health Card.
pub const PREFIX: &str = "shc:/";
/// Most JWS characters in an unchunked QR (a version-22 QR, per the specification).
pub const MAX_SINGLE_JWS_LEN: usize = 1195;
/// Most JWS characters in one chunk of a multi-QR card.
pub const MAX_CHUNK_JWS_LEN: usize = 1191;
/// Most chunks in one card. The specification sets no number; 32 chunks of 1191 characters is
/// far beyond any card seen, and the bound keeps a forged header from sizing anything.
pub const MAX_CHUNKS: usize = 32;
/// Longest QR text of one chunk: `shc:/32/32/` and two digits per JWS character.
pub const MAX_CHUNK_TEXT_LEN: usize = PREFIX.len() + "32/32/".len() + 2 * MAX_CHUNK_JWS_LEN;
/// Longest payload holding a whole multi-QR card: [`MAX_CHUNKS`] chunk texts of
/// [`MAX_CHUNK_TEXT_LEN`], each followed by a CR LF. A card of more than about 6 full chunks is
/// larger than the default `max_payload_len` (16 KiB), so this bound applies to `shc:/` texts
/// instead when it is the larger (see [`Limits::payload`](crate::Limits::payload)).
pub const MAX_CHUNKED_PAYLOAD_LEN: usize = MAX_CHUNKS * (MAX_CHUNK_TEXT_LEN + 2);
/// Longest compact JWS a multi-QR card assembles to: [`MAX_CHUNKS`] chunks of
/// [`MAX_CHUNK_JWS_LEN`] characters.
pub const MAX_ASSEMBLED_JWS_LEN: usize = MAX_CHUNKS * MAX_CHUNK_JWS_LEN;

/// One parsed QR text: which chunk it is and the JWS characters it carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// 1-based index (1 for an unchunked QR).
    pub index: usize,
    /// Total number of chunks (1 for an unchunked QR).
    pub total: usize,
    /// The decoded JWS characters of this chunk.
    pub jws_part: String,
}

/// Parses one `shc:/` QR text (one chunk or a whole card).
///
/// # Errors
/// `prefix_invalid`, `chunk_invalid` or `numeric_invalid` (see the module docs).
pub fn parse_chunk(text: &str) -> Result<Chunk, Error> {
    let Some(rest) = text.strip_prefix(PREFIX) else {
        let shown: String = text.chars().take(5).collect();
        return Err(Error::with_detail(
            ErrorCode::PrefixInvalid,
            format!("\"{shown}\"; a SMART Health Card QR starts with \"shc:/\""),
        ));
    };
    let (index, total, digits) = match rest.split_once('/') {
        None => (1, 1, rest),
        Some((index, after)) => {
            let (total, digits) = after.split_once('/').ok_or_else(|| {
                Error::with_detail(ErrorCode::ChunkInvalid, "a chunk header is shc:/i/n/")
            })?;
            let index = header_number(index, "index")?;
            let total = header_number(total, "count")?;
            if !(2..=MAX_CHUNKS).contains(&total) {
                return Err(Error::with_detail(
                    ErrorCode::ChunkInvalid,
                    format!("chunk count {total}; it must be between 2 and {MAX_CHUNKS}"),
                ));
            }
            if index == 0 || index > total {
                return Err(Error::with_detail(
                    ErrorCode::ChunkInvalid,
                    format!("chunk {index} of {total} is out of range"),
                ));
            }
            (index, total, digits)
        }
    };
    let jws_len = digits.len() / 2;
    let limit = if total == 1 {
        MAX_SINGLE_JWS_LEN
    } else {
        MAX_CHUNK_JWS_LEN
    };
    if jws_len > limit {
        return Err(Error::with_detail(
            ErrorCode::ChunkInvalid,
            if total == 1 {
                format!("one QR holds {jws_len} JWS characters; at most {limit} fit a conforming QR, larger cards are split into chunks")
            } else {
                format!("chunk {index} holds {jws_len} JWS characters; at most {limit}")
            },
        ));
    }
    let jws_part = decode_digits(digits).map_err(|e| {
        if total == 1 {
            e
        } else {
            Error::with_detail(
                e.code(),
                format!("chunk {index}: {}", e.detail().unwrap_or_default()),
            )
        }
    })?;
    Ok(Chunk {
        index,
        total,
        jws_part,
    })
}

/// Decodes numeric-mode digits into JWS characters: each pair `nn` is `chr(nn + 45)`.
///
/// # Errors
/// `numeric_invalid` for an empty or odd-length string, a non-digit, or a pair above 77.
pub fn decode_digits(digits: &str) -> Result<String, Error> {
    let bytes = digits.as_bytes();
    if bytes.is_empty() {
        return Err(Error::with_detail(ErrorCode::NumericInvalid, "no digits"));
    }
    if !bytes.len().is_multiple_of(2) {
        return Err(Error::with_detail(
            ErrorCode::NumericInvalid,
            format!("{} digits; the count must be even", bytes.len()),
        ));
    }
    let mut out = String::with_capacity(bytes.len() / 2);
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        let &[hi, lo] = pair else {
            return Err(Error::new(ErrorCode::NumericInvalid));
        };
        if !hi.is_ascii_digit() || !lo.is_ascii_digit() {
            return Err(Error::with_detail(
                ErrorCode::NumericInvalid,
                format!("non-digit at position {}", i * 2),
            ));
        }
        let value = (hi - b'0') * 10 + (lo - b'0');
        if value > 77 {
            return Err(Error::with_detail(
                ErrorCode::NumericInvalid,
                format!(
                    "pair \"{}{}\" at position {} is above 77",
                    char::from(hi),
                    char::from(lo),
                    i * 2
                ),
            ));
        }
        out.push(char::from(value + 45));
    }
    Ok(out)
}

#[cfg(any(test, feature = "issuer"))]
/// Encodes JWS characters as numeric-mode digits (the inverse of [`decode_digits`]); characters
/// outside `-`…`z` have no encoding and give `None`.
#[must_use]
pub fn encode_digits(jws: &str) -> Option<String> {
    let mut out = String::with_capacity(jws.len() * 2);
    for b in jws.bytes() {
        let value = b.checked_sub(45).filter(|v| *v <= 77)?;
        out.push(char::from(b'0' + value / 10));
        out.push(char::from(b'0' + value % 10));
    }
    Some(out)
}

fn header_number(text: &str, what: &str) -> Result<usize, Error> {
    let canonical = !text.is_empty()
        && text.len() <= 3
        && text.bytes().all(|b| b.is_ascii_digit())
        && !(text.len() > 1 && text.starts_with('0'));
    if !canonical {
        let shown: String = text.chars().take(8).collect();
        return Err(Error::with_detail(
            ErrorCode::ChunkInvalid,
            format!("chunk {what} \"{shown}\" is not a number"),
        ));
    }
    text.parse()
        .map_err(|_| Error::with_detail(ErrorCode::ChunkInvalid, format!("chunk {what}")))
}

/// How far a multi-QR card has been collected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChunkProgress {
    /// Chunks received so far.
    pub received: usize,
    /// Chunks the card has (known once one chunk was read).
    pub total: usize,
    /// The 1-based indices still missing, in order.
    pub missing: Vec<usize>,
}

impl ChunkProgress {
    /// True when every chunk is in.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.total > 0 && self.missing.is_empty()
    }
}

/// Collects the QR codes of one SMART Health Card, one scan at a time, in any order.
///
/// ```
/// use vneid_verify::ShcChunks;
/// let mut chunks = ShcChunks::new();
/// let progress = chunks.add("shc:/2/2/5676").map_err(|e| e.code());
/// assert_eq!(progress.map(|p| (p.received, p.total, p.missing)), Ok((1, 2, vec![1])));
/// // The same QR seen again is not an error; a scanner reads each code many times.
/// assert!(chunks.add("shc:/2/2/5676").is_ok());
/// assert!(chunks.add("shc:/1/2/56").map(|p| p.is_complete()).unwrap_or(false));
/// // Hand the whole card to `Verifier::verify` as one payload.
/// assert_eq!(chunks.payload().as_deref(), Some("shc:/1/2/56\nshc:/2/2/5676"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShcChunks {
    /// The QR texts by index (0-based), as scanned.
    slots: Vec<Option<String>>,
}

impl ShcChunks {
    /// Most chunks one card may be printed as.
    pub const MAX_CHUNKS: usize = MAX_CHUNKS;
    /// Most JWS characters one chunk carries.
    pub const MAX_CHUNK_JWS_LEN: usize = MAX_CHUNK_JWS_LEN;
    /// Longest payload of a whole multi-QR card (every chunk text, one per line) that
    /// `Verifier::verify` reads: longer text is `payload_too_large` unread.
    pub const MAX_PAYLOAD_LEN: usize = MAX_CHUNKED_PAYLOAD_LEN;

    /// An empty collector.
    #[must_use]
    pub fn new() -> Self {
        ShcChunks::default()
    }

    /// True when `qr_text` (surrounding whitespace ignored) is one chunk of a card printed as
    /// several QR codes (`shc:/i/n/…` with `n` > 1): the one rule that tells a reader to collect
    /// it rather than verify it alone.
    #[must_use]
    pub fn is_chunk(qr_text: &str) -> bool {
        let text = qr_text.trim();
        text.starts_with(PREFIX) && parse_chunk(text).is_ok_and(|chunk| chunk.total > 1)
    }

    /// Adds one scanned QR text (surrounding whitespace ignored) and reports the progress. On
    /// error the collector is unchanged, so a misread can simply be scanned again.
    ///
    /// # Errors
    /// The codes of [`parse_chunk`]; `chunk_invalid` when the QR belongs to a card with another
    /// chunk count, or when another QR was already read under the same index.
    pub fn add(&mut self, qr_text: &str) -> Result<ChunkProgress, Error> {
        let text = qr_text.trim();
        let chunk = parse_chunk(text)?;
        if !self.slots.is_empty() && self.slots.len() != chunk.total {
            return Err(Error::with_detail(
                ErrorCode::ChunkInvalid,
                format!(
                    "this QR is chunk {} of {}, but the card being collected has {} chunks",
                    chunk.index,
                    chunk.total,
                    self.slots.len()
                ),
            ));
        }
        if self.slots.is_empty() {
            self.slots = vec![None; chunk.total];
        }
        let slot = self.slots.get_mut(chunk.index - 1).ok_or_else(|| {
            Error::with_detail(ErrorCode::ChunkInvalid, "chunk index out of range")
        })?;
        match slot {
            Some(existing) if existing != text => {
                return Err(Error::with_detail(
                    ErrorCode::ChunkInvalid,
                    if chunk.total == 1 {
                        "another card was already read; clear the collector to start over".into()
                    } else {
                        format!(
                            "a different QR was already read as chunk {} of {}",
                            chunk.index, chunk.total
                        )
                    },
                ))
            }
            Some(_) => {}
            None => *slot = Some(text.to_owned()),
        }
        Ok(self.progress())
    }

    /// The progress so far (`total` is 0 before the first chunk).
    #[must_use]
    pub fn progress(&self) -> ChunkProgress {
        let missing: Vec<usize> = self
            .slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.is_none())
            .map(|(i, _)| i + 1)
            .collect();
        ChunkProgress {
            received: self.slots.len() - missing.len(),
            total: self.slots.len(),
            missing,
        }
    }

    /// The collected QR texts in order, one per line: the payload to verify. `None` until every
    /// chunk is in.
    #[must_use]
    pub fn payload(&self) -> Option<String> {
        if self.slots.is_empty() {
            return None;
        }
        let parts: Option<Vec<&str>> = self.slots.iter().map(Option::as_deref).collect();
        parts.map(|p| p.join("\n"))
    }

    /// Forgets everything collected (to start on another card).
    pub fn clear(&mut self) {
        self.slots.clear();
    }

    /// Takes one scanned text by the rule of the module docs: collect it when it is a chunk of a
    /// multi-QR card, else hand it on to be verified as it is. Never fails: what cannot be
    /// collected is verified, and the verifier names what is wrong with it.
    ///
    /// ```
    /// use vneid_verify::{ChunkNext, ShcChunks};
    /// let mut chunks = ShcChunks::new();
    /// assert!(matches!(chunks.scan("shc:/2/2/5676").next, ChunkNext::Partial(_)));
    /// // Another code in between is verified on its own; the card is kept.
    /// assert_eq!(chunks.scan("HC1:XYZ").next, ChunkNext::Verify("HC1:XYZ".into()));
    /// let done = chunks.scan("shc:/1/2/56");
    /// assert_eq!(done.next, ChunkNext::Verify("shc:/1/2/56\nshc:/2/2/5676".into()));
    /// assert!(done.abandoned.is_none());
    /// ```
    pub fn scan(&mut self, text: &str) -> ChunkScan {
        if !ShcChunks::is_chunk(text) {
            return ChunkScan {
                abandoned: None,
                next: ChunkNext::Verify(text.to_owned()),
            };
        }
        let mut abandoned = None;
        let added = match self.add(text) {
            Ok(progress) => Ok(progress),
            Err(_) => {
                abandoned = self.abandon();
                self.add(text)
            }
        };
        let next = match added {
            Ok(progress) if progress.is_complete() => {
                let payload = self.payload().unwrap_or_else(|| text.to_owned());
                self.clear();
                ChunkNext::Verify(payload)
            }
            Ok(progress) => ChunkNext::Partial(progress),
            // Not reached: the text parsed as a chunk and the collector is empty. Verifying it
            // is still the right answer.
            Err(_) => ChunkNext::Verify(text.to_owned()),
        };
        ChunkScan { abandoned, next }
    }

    /// Gives up the card being collected, if any (a scanner's timeout, the end of its input):
    /// `chunks_incomplete`, naming the chunks that are missing. The collector is then empty.
    pub fn abandon(&mut self) -> Option<Error> {
        let p = self.progress();
        if p.total == 0 {
            return None;
        }
        self.clear();
        let missing: Vec<String> = p.missing.iter().map(ToString::to_string).collect();
        Some(incomplete(p.received, p.total, &missing))
    }
}

/// What [`ShcChunks::scan`] made of one scanned text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChunkScan {
    /// The unfinished card this text made the collector give up (it was a chunk of another
    /// card): `chunks_incomplete`, naming the missing chunks, to be reported before `next`.
    pub abandoned: Option<Error>,
    /// What to do with the text.
    pub next: ChunkNext,
}

/// The step after a scanned text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChunkNext {
    /// Verify this payload: the scanned text as it is, or a completed card's chunks in order,
    /// one per line.
    Verify(String),
    /// A chunk of a multi-QR card was stored; the card is not complete yet.
    Partial(ChunkProgress),
}

/// `chunks_incomplete`: `received` of `total` chunks, the missing ones named.
fn incomplete(received: usize, total: usize, missing: &[String]) -> Error {
    Error::with_detail(
        ErrorCode::ChunksIncomplete,
        format!(
            "{received} of {total} chunks; missing {}",
            missing.join(", ")
        ),
    )
}

/// Assembles a compact JWS from the QR texts of one payload: one unchunked `shc:/` text, or the
/// chunks of one card in any order, separated by whitespace.
///
/// # Errors
/// The codes of [`parse_chunk`]; `chunk_invalid` for mixed chunk counts, an unchunked QR mixed
/// with chunks, or a repeated index; `chunks_incomplete` naming the missing indices.
pub fn assemble(payload: &str) -> Result<String, Error> {
    let mut texts = payload.split_ascii_whitespace();
    let first = parse_chunk(texts.next().unwrap_or_default())?;
    if first.total == 1 {
        return match texts.next() {
            None => Ok(first.jws_part),
            Some(_) => Err(Error::with_detail(
                ErrorCode::ChunkInvalid,
                "an unchunked shc:/ QR must be alone in the payload",
            )),
        };
    }
    let total = first.total;
    let mut slots: Vec<Option<String>> = vec![None; total];
    for chunk in core::iter::once(Ok(first)).chain(texts.map(parse_chunk)) {
        let chunk = chunk?;
        if chunk.total != total {
            return Err(Error::with_detail(
                ErrorCode::ChunkInvalid,
                format!(
                    "chunk counts disagree ({} and {}): the QRs are from different cards",
                    total, chunk.total
                ),
            ));
        }
        let slot = slots.get_mut(chunk.index - 1).ok_or_else(|| {
            Error::with_detail(ErrorCode::ChunkInvalid, "chunk index out of range")
        })?;
        if slot.is_some() {
            return Err(Error::with_detail(
                ErrorCode::ChunkInvalid,
                format!("chunk {} of {total} appears twice", chunk.index),
            ));
        }
        *slot = Some(chunk.jws_part);
    }
    let missing: Vec<String> = slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_none())
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    if !missing.is_empty() {
        return Err(incomplete(total - missing.len(), total, &missing));
    }
    Ok(slots.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code<T>(r: Result<T, Error>) -> Result<T, ErrorCode> {
        r.map_err(|e| e.code())
    }

    #[test]
    fn digits_round_trip_and_bounds() {
        let jws = "eyJ6aXAiOiJERUYifQ.abc-_.xyz";
        let digits = encode_digits(jws).unwrap_or_default();
        assert_eq!(code(decode_digits(&digits)).as_deref(), Ok(jws));
        assert_eq!(code(decode_digits("0077")).as_deref(), Ok("-z"));
        for bad in ["", "5", "567", "78", "99", "5a", "５６"] {
            assert_eq!(
                code(decode_digits(bad)),
                Err(ErrorCode::NumericInvalid),
                "{bad}"
            );
        }
        assert_eq!(encode_digits("{"), None);
        assert_eq!(encode_digits(","), None);
    }

    #[test]
    fn chunk_headers_are_strict() {
        assert_eq!(
            code(parse_chunk("shc:/2/3/5676")).map(|c| (c.index, c.total, c.jws_part)),
            Ok((2, 3, "ey".into()))
        );
        assert_eq!(code(parse_chunk("shc:/5676")).map(|c| c.total), Ok(1));
        for (bad, want) in [
            ("SHC:/5676", ErrorCode::PrefixInvalid),
            ("shc:5676", ErrorCode::PrefixInvalid),
            ("shc:/0/3/56", ErrorCode::ChunkInvalid),
            ("shc:/4/3/56", ErrorCode::ChunkInvalid),
            ("shc:/1/1/56", ErrorCode::ChunkInvalid),
            ("shc:/1/33/56", ErrorCode::ChunkInvalid),
            ("shc:/01/3/56", ErrorCode::ChunkInvalid),
            ("shc:/1/3", ErrorCode::ChunkInvalid),
            ("shc:/a/3/56", ErrorCode::ChunkInvalid),
            ("shc:/1/99999999999999999999/56", ErrorCode::ChunkInvalid),
            ("shc:/1/3/", ErrorCode::NumericInvalid),
            ("shc:/1/3/567", ErrorCode::NumericInvalid),
            ("shc:/", ErrorCode::NumericInvalid),
        ] {
            assert_eq!(code(parse_chunk(bad)).map(|_| ()), Err(want), "{bad}");
        }
    }

    #[test]
    fn single_qr_and_chunk_size_limits() {
        let at_limit = format!("shc:/{}", "56".repeat(MAX_SINGLE_JWS_LEN));
        assert!(parse_chunk(&at_limit).is_ok());
        let over = format!("shc:/{}", "56".repeat(MAX_SINGLE_JWS_LEN + 1));
        assert_eq!(code(parse_chunk(&over)), Err(ErrorCode::ChunkInvalid));
        let chunk_at = format!("shc:/1/2/{}", "56".repeat(MAX_CHUNK_JWS_LEN));
        assert!(parse_chunk(&chunk_at).is_ok());
        let chunk_over = format!("shc:/1/2/{}", "56".repeat(MAX_CHUNK_JWS_LEN + 1));
        assert_eq!(code(parse_chunk(&chunk_over)), Err(ErrorCode::ChunkInvalid));
    }

    #[test]
    fn assembles_in_any_order_and_names_what_is_missing() {
        assert_eq!(
            code(assemble("shc:/3/3/77 shc:/1/3/56\nshc:/2/3/76")).as_deref(),
            Ok("eyz")
        );
        let missing = assemble("shc:/3/4/77 shc:/1/4/56").err();
        assert_eq!(
            missing.as_ref().map(Error::code),
            Some(ErrorCode::ChunksIncomplete)
        );
        assert_eq!(
            missing.as_ref().and_then(Error::detail),
            Some("2 of 4 chunks; missing 2, 4")
        );
        for bad in [
            "shc:/1/2/56 shc:/1/2/56 shc:/2/2/56",
            "shc:/1/2/56 shc:/2/3/56",
            "shc:/5676 shc:/1/2/56",
            "shc:/1/2/56 shc:/5676",
        ] {
            assert_eq!(code(assemble(bad)), Err(ErrorCode::ChunkInvalid), "{bad}");
        }
    }

    #[test]
    fn collector_reports_progress_and_tolerates_rescans() {
        let mut c = ShcChunks::new();
        assert_eq!(c.progress().total, 0);
        assert_eq!(c.payload(), None);
        assert_eq!(
            code(c.add("shc:/3/3/77")).map(|p| (p.received, p.missing)),
            Ok((1, vec![1, 2]))
        );
        assert!(c.add(" shc:/3/3/77\n").is_ok());
        let before = c.clone();
        assert_eq!(code(c.add("shc:/3/3/76")), Err(ErrorCode::ChunkInvalid));
        assert_eq!(code(c.add("shc:/1/2/56")), Err(ErrorCode::ChunkInvalid));
        assert_eq!(code(c.add("shc:/1/3/5")), Err(ErrorCode::NumericInvalid));
        assert_eq!(c, before);
        assert!(c.add("shc:/1/3/56").is_ok());
        assert_eq!(
            code(c.add("shc:/2/3/76")).map(|p| p.is_complete()),
            Ok(true)
        );
        let payload = c.payload().unwrap_or_default();
        assert_eq!(code(assemble(&payload)).as_deref(), Ok("eyz"));
        c.clear();
        assert_eq!(code(c.add("shc:/5676")).map(|p| p.is_complete()), Ok(true));
        assert_eq!(c.payload().as_deref(), Some("shc:/5676"));
    }

    fn partial(received: usize, total: usize, missing: &[usize]) -> ChunkNext {
        ChunkNext::Partial(ChunkProgress {
            received,
            total,
            missing: missing.to_vec(),
        })
    }

    fn verify(payload: &str) -> ChunkNext {
        ChunkNext::Verify(payload.into())
    }

    #[test]
    fn scan_collects_chunks_and_hands_on_everything_else() {
        let mut c = ShcChunks::new();
        // Not chunks of a multi-QR card: verified as they are, nothing collected.
        for other in [
            "HC1:XYZ",
            "shc:/5676",
            "shc:/1/1/56",
            "shc:/1/2/5",
            "SHC:/1/2/56",
            "",
        ] {
            let scan = c.scan(other);
            assert_eq!(
                scan,
                ChunkScan {
                    abandoned: None,
                    next: verify(other)
                },
                "{other:?}"
            );
            assert_eq!(c.progress().total, 0, "{other:?}");
        }
        assert_eq!(c.scan("shc:/2/3/76").next, partial(1, 3, &[1, 3]));
        assert_eq!(
            c.scan(" shc:/2/3/76\n").next,
            partial(1, 3, &[1, 3]),
            "a re-scan"
        );
        // A code read between two chunks is verified on its own; the card is kept.
        assert_eq!(c.scan("eyJhbGciOi").next, verify("eyJhbGciOi"));
        assert_eq!(c.scan("shc:/5676").next, verify("shc:/5676"));
        assert_eq!(c.scan("shc:/1/3/56").next, partial(2, 3, &[3]));
        let done = c.scan("shc:/3/3/77");
        assert_eq!(done.abandoned, None);
        assert_eq!(done.next, verify("shc:/1/3/56\nshc:/2/3/76\nshc:/3/3/77"));
        assert_eq!(c.progress().total, 0, "a completed card starts afresh");
    }

    #[test]
    fn scan_gives_up_a_card_for_another_and_names_what_was_missing() {
        let mut c = ShcChunks::new();
        assert_eq!(c.scan("shc:/1/3/56").next, partial(1, 3, &[2, 3]));
        assert_eq!(c.scan("shc:/3/3/77").next, partial(2, 3, &[2]));
        // Another count: another card.
        let scan = c.scan("shc:/2/2/5676");
        assert_eq!(
            scan.abandoned,
            Some(Error::with_detail(
                ErrorCode::ChunksIncomplete,
                "2 of 3 chunks; missing 2"
            ))
        );
        assert_eq!(scan.next, partial(1, 2, &[1]));
        // Another text under an index already read: another card too.
        let scan = c.scan("shc:/2/2/7777");
        assert_eq!(
            scan.abandoned.map(|e| e.code()),
            Some(ErrorCode::ChunksIncomplete)
        );
        assert_eq!(scan.next, partial(1, 2, &[1]));
        assert_eq!(
            c.abandon().map(|e| e.to_string().contains("missing 1")),
            Some(true)
        );
        assert_eq!(c.abandon(), None, "nothing left to give up");
    }
}
