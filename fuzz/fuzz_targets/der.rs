//! The X.509 certificate reader (DER and PEM). Invariants: `vneid_verify::fuzzing::der`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    harness::bounded_memory(|| vneid_verify::fuzzing::der(data));
});
