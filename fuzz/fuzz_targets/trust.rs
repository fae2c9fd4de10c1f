//! Trust loading of any file as users have it (`TrustStore::add_file`), with or without an issuer
//! named, and of signed trust bundles (`TrustStore::from_signed_bundle`) against a pinned root,
//! as the envelope itself or as a payload the root signs. The first byte chooses.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    harness::bounded_memory(|| match flags % 4 {
        0 => vneid_verify::fuzzing::trust(rest, None),
        1 => vneid_verify::fuzzing::trust(rest, Some("https://named.example")),
        mode => harness::signed_bundle(rest, mode == 3),
    });
});
