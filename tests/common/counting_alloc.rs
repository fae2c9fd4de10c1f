//! A global allocator that counts: for the test binaries that measure what hostile input costs.
//! Include it with `#[path = "common/counting_alloc.rs"] mod counting_alloc;` (one allocator per
//! binary, so it is not part of `common`).
#![allow(unsafe_code)] // a counting GlobalAlloc wrapper around the system allocator

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
        PEAK.fetch_max(now, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Peak bytes allocated while `f` runs, above what was allocated before it. The counters are
/// process-wide: a binary using this runs its measurements from one test function.
pub fn peak_during(f: impl FnOnce()) -> usize {
    let base = CURRENT.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    f();
    PEAK.load(Ordering::SeqCst) - base
}

/// Bytes still allocated after `f` runs, above what was allocated before it: what `f` kept.
#[allow(dead_code)] // not every binary that counts needs it
pub fn retained_after(f: impl FnOnce()) -> usize {
    let base = CURRENT.load(Ordering::SeqCst);
    f();
    CURRENT.load(Ordering::SeqCst).saturating_sub(base)
}
