//! Work that must grow linearly with what is loaded, measured in bytes allocated: deterministic,
//! unlike time (speed itself is measured in `npm run bench`). This test binary counts every
//! allocation with its own global allocator.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion
#![allow(unsafe_code)] // a counting GlobalAlloc wrapper around the system allocator

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine as _;
use vneid_verify::{ErrorCode, KeyLookup, TrustStore};

struct Counting;

static TOTAL: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; only a counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        TOTAL.fetch_add(layout.size(), Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes allocated in all while `f` runs (freed or not).
fn allocated_by<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = TOTAL.load(Ordering::SeqCst);
    let result = f();
    (TOTAL.load(Ordering::SeqCst) - before, result)
}

/// A real EU DCC signing certificate (DER).
fn dsc() -> Vec<u8> {
    let file = common::json_vector("eu-dcc/AT/2DCode/raw/1.json");
    base64::engine::general_purpose::STANDARD
        .decode(file["TESTCTX"]["CERTIFICATE"].as_str().unwrap())
        .unwrap()
}

/// `n` distinct certificates: the DSC with its last two bytes (inside the signature value, which
/// loading does not check) replaced by a counter, so each has its own key id.
fn certificates(n: u16) -> Vec<String> {
    let der = dsc();
    (0..n)
        .map(|i| {
            let mut der = der.clone();
            let len = der.len();
            der[len - 2..].copy_from_slice(&i.to_be_bytes());
            base64::engine::general_purpose::STANDARD.encode(der)
        })
        .collect()
}

fn bundle(certificates: &[String]) -> String {
    serde_json::json!({"issuers": [{"iss": "AT", "certificates": certificates}]}).to_string()
}

// One test function: the counter is process-wide, and the test harness runs tests in parallel.
#[test]
fn loading_costs_grow_linearly() {
    trust_loading_is_linear_in_certificates();
    a_failed_load_of_many_certificates_changes_nothing();
}

fn trust_loading_is_linear_in_certificates() {
    // The store was copied for every certificate entry: 8 000 certificates took 27 s. Doubling
    // the certificates must about double the work, not quadruple it.
    let small = bundle(&certificates(1000));
    let large = bundle(&certificates(2000));
    let (cost_small, store) = allocated_by(|| TrustStore::from_json(&small).unwrap());
    assert_eq!(store.keys().len(), 1000);
    let (cost_large, store) = allocated_by(|| TrustStore::from_json(&large).unwrap());
    assert_eq!(store.keys().len(), 2000);
    // Byte counts far below 2^52: the conversion is exact.
    #[allow(clippy::cast_precision_loss)]
    let ratio = cost_large as f64 / cost_small as f64;
    assert!(
        ratio < 2.5,
        "1000 certificates: {cost_small} bytes allocated; 2000: {cost_large} ({ratio:.2}×)"
    );
    // Every key is found by its id among the others.
    for key in store.keys().iter().step_by(97) {
        let kid = key.kid.as_deref().unwrap();
        let by_id = store.key(KeyLookup::KeyId(kid)).unwrap();
        assert_eq!(by_id.source, key.source);
        let of_issuer = store.key(KeyLookup::Issuer {
            issuer: "AT",
            kid: Some(kid),
        });
        assert_eq!(of_issuer.unwrap().source, key.source);
    }
}

fn a_failed_load_of_many_certificates_changes_nothing() {
    let mut store = TrustStore::from_json(&bundle(&certificates(500))).unwrap();
    let before = store.clone();
    // The last certificate repeats one already trusted: the whole file is refused.
    let mut more = certificates(1000);
    more.drain(..500);
    more.push(certificates(1).remove(0));
    let error = store.add_json(&bundle(&more), "more.json").unwrap_err();
    assert_eq!(error.code(), ErrorCode::TrustInvalid);
    assert!(
        error.detail().unwrap().contains("used twice"),
        "{:?}",
        error.detail()
    );
    assert_eq!(store, before);
}
