//! `Verifier::verify` on payloads signed by a trusted test key around the fuzzer's bytes, inside
//! valid wrappers (COSE, zlib, base45; JWS; DEFLATE, numeric QR, chunks, file): byte mutation
//! rarely gets through the wrappers and never through a signature, so this is how the claim
//! and document stages are reached. The first byte chooses the format (see `harness::signed`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, body)) = data.split_first() else {
        return;
    };
    let (payload, at) = harness::signed(kind, body);
    harness::verify_checked(&payload, at);
});
