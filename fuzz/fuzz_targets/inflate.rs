//! Bounded zlib and raw DEFLATE. Invariants: `vneid_verify::fuzzing::inflate`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    harness::bounded_memory(|| vneid_verify::fuzzing::inflate(data));
});
