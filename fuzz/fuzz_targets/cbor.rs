//! The CBOR reader, its renderings and its encoder. Invariants: `vneid_verify::fuzzing::cbor`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    harness::bounded_memory(|| vneid_verify::fuzzing::cbor(data));
});
