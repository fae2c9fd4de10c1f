//! The scanner's line framing and session (cli/src/scan/framing.rs and session.rs, compiled here
//! from the CLI's own files): bytes arriving in pieces of any size, as a serial port delivers
//! them. Invariants: the lines do not depend on where the reads split the input; every byte is
//! a line's, a too-long line's or a terminator; no line kept is longer than the bound or holds
//! a terminator; and every payload the session hands to the verifier gets a well-formed,
//! bounded verdict.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;

// At the crate root, so that the session's `super::framing` is this framing.
#[allow(dead_code)]
#[path = "../../cli/src/scan/framing.rs"]
mod framing;
#[allow(dead_code)]
#[path = "../../cli/src/scan/session.rs"]
mod session;

use framing::{Framer, Line};
use session::{Config, Session, Step};

/// A line as owned data, to compare runs.
#[derive(Debug, PartialEq, Eq)]
enum Owned {
    Text(Vec<u8>),
    TooLong(u64),
}

fn own(line: Line<'_>) -> Owned {
    match line {
        Line::Text(bytes) => Owned::Text(bytes.to_vec()),
        Line::TooLong(len) => Owned::TooLong(len),
    }
}

/// The lines of `input` read in pieces of the given sizes (cycled), with a bound of `max`.
fn lines(input: &[u8], pieces: &[usize], max: usize) -> Vec<Owned> {
    let mut framer = Framer::new(max);
    let mut out = Vec::new();
    let mut rest = input;
    let mut sizes = pieces.iter().cycle();
    while !rest.is_empty() {
        let size = sizes
            .next()
            .copied()
            .unwrap_or(rest.len())
            .clamp(1, rest.len());
        let (piece, tail) = rest.split_at(size);
        rest = tail;
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

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else {
        return;
    };
    let Some((&split, input)) = rest.split_first() else {
        return;
    };
    // A small bound, so that short inputs reach the too-long paths too.
    let max = 16 + usize::from(head);
    let pieces: Vec<usize> = [split, split / 3, 1, split / 7, 64]
        .iter()
        .map(|&p| usize::from(p).max(1))
        .collect();
    let whole = lines(input, &[input.len().max(1)], max);
    let split_up = lines(input, &pieces, max);
    assert_eq!(
        whole, split_up,
        "the lines depend on where the reads split the input"
    );
    let bytes_held: u64 = whole
        .iter()
        .map(|l| match l {
            Owned::Text(bytes) => {
                assert!(
                    !bytes.is_empty() && bytes.len() <= max,
                    "a line of {} bytes, bound {max}",
                    bytes.len()
                );
                assert!(
                    !bytes.contains(&b'\n') && !bytes.contains(&b'\r'),
                    "a line holds a terminator"
                );
                bytes.len() as u64
            }
            Owned::TooLong(len) => {
                assert!(
                    *len > max as u64,
                    "a too-long line of {len} bytes, bound {max}"
                );
                *len
            }
        })
        .sum();
    let terminators = input.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64;
    assert_eq!(
        bytes_held + terminators,
        input.len() as u64,
        "bytes lost or invented"
    );

    // The session over the same lines, as `scan` runs it; what it verifies gets a verdict.
    let verifier = harness::verifier();
    let mut session = Session::new(Config {
        prefix: if head & 1 == 1 {
            vec![0x02]
        } else {
            Vec::new()
        },
        suffix: if head & 2 == 2 {
            vec![0x03]
        } else {
            Vec::new()
        },
        repeat_window: Duration::from_secs(u64::from(head % 4)),
        chunk_timeout: (head & 4 == 4).then(|| Duration::from_secs(2)),
        max_payload_len: verifier.policy().limits.max_payload_len,
    });
    let at = harness::times()[usize::from(split) % harness::times().len()];
    let mut steps = Vec::new();
    let mut framer = Framer::new(max);
    let mut feed = framer.feed(input);
    let mut second = 0;
    while let Some(line) = feed.next_line() {
        second += 1;
        steps.extend(session.line(line, Duration::from_secs(second)));
    }
    drop(feed);
    if let Some(line) = framer.finish() {
        steps.extend(session.line(line, Duration::from_secs(second + 1)));
    }
    steps.extend(session.finish());
    for step in steps {
        match step {
            Step::Verify(payload) => {
                assert!(
                    !payload.trim().is_empty(),
                    "the session verifies an empty payload"
                );
                harness::verify_checked(&payload, at);
            }
            Step::Reject(_, error) => assert!(error.message_en().chars().count() <= 400),
            Step::Partial(progress) => assert!(progress.received <= progress.total),
        }
    }
});
