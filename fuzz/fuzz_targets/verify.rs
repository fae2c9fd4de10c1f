//! `Verifier::verify` on any text, at the time one of the known-good payloads is valid at (the
//! first byte chooses), seeded with a valid payload of every format.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let times = harness::times();
    let at = times[usize::from(selector) % times.len()];
    harness::verify_checked(&String::from_utf8_lossy(rest), at);
});
