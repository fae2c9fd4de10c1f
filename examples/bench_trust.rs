//! Signed trust bundles at fleet scale, native: verifying a bundle of 100 issuers, loading a
//! 1,000,000-entry status list, and looking an entry up, with the memory each takes.
//!
//! ```sh
//! cargo run --release --example bench_trust --features issuer
//! ```
//!
//! Prints sizes (bytes, and gzipped as a static host or CDN would serve them), microseconds per
//! operation and bytes allocated. Nothing here asserts a time (speed is measured in benchmarks,
//! never in tests). Writes the generated files to `target/bench-trust/` for `docs/trust.md`'s
//! publishing section to be checked against.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::print_stdout,
    missing_docs
)] // a measurement tool: a panic is a broken setup, and it prints its measurements

#[path = "../tests/common/counting_alloc.rs"]
mod counting_alloc;

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};
use vneid_verify::issuer::{sign_status_list, sign_trust_bundle, IssuerKey};
use vneid_verify::{RootSet, StatusReference, TrustStore};

const NOW: i64 = 1_790_000_000;
const DAY: i64 = 86_400;
const ENTRIES: usize = 1_000_000;

/// Deterministic keys: the secret scalar is the seed repeated (a benchmark needs no secrecy).
fn key(kid: &str, seed: u32) -> IssuerKey {
    let mut secret = [0u8; 32];
    for (i, b) in secret.iter_mut().enumerate() {
        *b = (seed.wrapping_mul(2_654_435_761).rotate_left(i as u32 % 32) as u8) | 1;
    }
    IssuerKey::from_secret_bytes(kid, &secret).unwrap()
}

/// A small xorshift generator: the revoked indices are the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn gzip_len(bytes: &[u8]) -> usize {
    // DEFLATE at level 9 plus gzip's 18 bytes of header and trailer: what `Content-Encoding:
    // gzip` costs on the wire.
    miniz_oxide::deflate::compress_to_vec(bytes, 9).len() + 18
}

/// Runs `f` repeatedly for about `budget`; microseconds per call (median of 5 rounds).
fn time(budget: Duration, mut f: impl FnMut()) -> f64 {
    f();
    let mut rounds: Vec<f64> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let mut n = 0u32;
            while start.elapsed() < budget / 5 {
                f();
                n += 1;
            }
            start.elapsed().as_secs_f64() * 1e6 / f64::from(n)
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[2]
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

fn main() {
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-trust");
    std::fs::create_dir_all(&out).unwrap();
    let roots_keys = [key("root-a", 1), key("root-b", 2), key("root-c", 3)];
    let roots_json = json!({"keys": roots_keys.iter().map(IssuerKey::public_jwk).collect::<Vec<_>>(), "threshold": 2});
    let roots = RootSet::from_json(&roots_json.to_string(), "roots").unwrap();
    std::fs::write(out.join("roots.json"), roots_json.to_string()).unwrap();
    let signers = [&roots_keys[0], &roots_keys[1]];

    // ---- 100 issuers, two keys each ------------------------------------------------------------
    let issuers: Vec<Value> = (0..100u32)
        .map(|i| {
            json!({"iss": format!("https://issuer-{i:03}.gov.vn"), "name": format!("Issuer {i}"),
                   "keys": [key(&format!("k{i}-2026"), 100 + 2 * i).public_jwk(),
                            key(&format!("k{i}-2027"), 101 + 2 * i).public_jwk()]})
        })
        .collect();
    let payload =
        json!({"version": 1, "issued": NOW - DAY, "expires": NOW + 30 * DAY, "issuers": issuers});
    let bundle = sign_trust_bundle(payload.to_string().as_bytes(), &signers);
    std::fs::write(out.join("bundle-100-issuers.json"), &bundle).unwrap();
    let mut accepted = None;
    let memory = counting_alloc::retained_after(|| {
        accepted =
            Some(TrustStore::from_signed_bundle(bundle.as_bytes(), &roots, None, NOW, 60).unwrap());
    });
    let peak = counting_alloc::peak_during(|| {
        black_box(
            TrustStore::from_signed_bundle(bundle.as_bytes(), &roots, None, NOW, 60).unwrap(),
        );
    });
    let verify_us = time(Duration::from_secs(2), || {
        black_box(
            TrustStore::from_signed_bundle(bundle.as_bytes(), &roots, None, NOW, 60).unwrap(),
        );
    });
    println!("bundle of 100 issuers (200 keys), 2 of 3 root signatures");
    println!(
        "  size {} ({} bytes), gzipped {}",
        kib(bundle.len()),
        bundle.len(),
        kib(gzip_len(bundle.as_bytes()))
    );
    println!(
        "  verify + load: {verify_us:.0} µs; peak {} allocated, store holds {}",
        kib(peak),
        kib(memory)
    );
    drop(accepted);

    // ---- A 1,000,000-entry status list, 1 % revoked ----------------------------------------------
    let issuer = key("status-key", 7);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut statuses = vec![0u8; ENTRIES];
    for _ in 0..ENTRIES / 100 {
        statuses[(rng.next() % ENTRIES as u64) as usize] = 1;
    }
    let uri = "https://id.gov.vn/status/1";
    let claims: Map<String, Value> =
        json!({"iss": "https://id.gov.vn", "exp": NOW + 7 * DAY, "ttl": 43_200})
            .as_object()
            .cloned()
            .unwrap();
    let list = sign_status_list(&issuer, uri, 1, &statuses, NOW - DAY, &claims).unwrap();
    std::fs::write(out.join("status-list-1m.jwt"), &list).unwrap();
    let list_payload = json!({"version": 1, "issued": NOW - DAY, "expires": NOW + 30 * DAY,
        "issuers": [{"iss": "https://id.gov.vn", "keys": [issuer.public_jwk()]}], "status_lists": [list]});
    let list_bundle = sign_trust_bundle(list_payload.to_string().as_bytes(), &signers);
    std::fs::write(out.join("bundle-status-list-1m.json"), &list_bundle).unwrap();
    let mut store = None;
    let retained = counting_alloc::retained_after(|| {
        store = Some(
            TrustStore::from_signed_bundle(list_bundle.as_bytes(), &roots, None, NOW, 60)
                .unwrap()
                .store,
        );
    });
    let load_peak = counting_alloc::peak_during(|| {
        black_box(
            TrustStore::from_signed_bundle(list_bundle.as_bytes(), &roots, None, NOW, 60).unwrap(),
        );
    });
    let load_us = time(Duration::from_secs(3), || {
        black_box(
            TrustStore::from_signed_bundle(list_bundle.as_bytes(), &roots, None, NOW, 60).unwrap(),
        );
    });
    let store = store.unwrap();
    let mut probe = Rng(42);
    let mut reference = StatusReference {
        idx: 0,
        uri: uri.to_owned(),
    };
    let lookup_us = time(Duration::from_secs(2), || {
        reference.idx = probe.next() % ENTRIES as u64;
        black_box(
            store
                .check_status("https://id.gov.vn", &reference, NOW, 60)
                .is_ok(),
        );
    });
    let revoked = statuses.iter().filter(|s| **s == 1).count();
    println!("status list of {ENTRIES} entries, 1 bit, {revoked} revoked");
    println!(
        "  token {} ({} bytes), in a signed bundle {}, bundle gzipped {}",
        kib(list.len()),
        list.len(),
        kib(list_bundle.len()),
        kib(gzip_len(list_bundle.as_bytes()))
    );
    println!(
        "  load (bundle verify, list signature, inflate): {:.1} ms; peak {} allocated, store holds {}",
        load_us / 1000.0,
        kib(load_peak),
        kib(retained)
    );
    println!("  lookup after load: {:.3} µs", lookup_us);
}
