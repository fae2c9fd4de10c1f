//! SMART Health Card QR text: chunks, assembly and the incremental collector. Invariants: `vneid_verify::fuzzing::shc_chunks`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    harness::bounded_memory(|| vneid_verify::fuzzing::shc_chunks(data));
});
