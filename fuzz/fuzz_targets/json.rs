//! The strict JSON reader and RFC 8785 canonicalisation. Invariants: `vneid_verify::fuzzing::json`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    harness::bounded_memory(|| vneid_verify::fuzzing::json(data));
});
