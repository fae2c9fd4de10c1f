//! Trust loading of any file as users have it (`TrustStore::add_file`), with or without an issuer
//! named (the first byte's low bit).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let issuer = (flags & 1 == 1).then_some("https://named.example");
    harness::bounded_memory(|| vneid_verify::fuzzing::trust(rest, issuer));
});
