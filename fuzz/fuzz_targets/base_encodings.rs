//! Strict base45 and base64url. Invariants: `vneid_verify::fuzzing::base_encodings`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    harness::bounded_memory(|| vneid_verify::fuzzing::base_encodings(data));
});
