//! Embeds the build date as `VNEID_BUILD_EPOCH` (Unix seconds): the earliest plausible "now" for
//! the command-line tool, which warns `clock_unset` when the system clock reads earlier (a scanner
//! whose real-time clock was never set). The core never reads it: time stays an argument there.
//!
//! Source, in order: `SOURCE_DATE_EPOCH` (reproducible builds), the date of the checked-out
//! commit, the time of the build. The script reruns only when `SOURCE_DATE_EPOCH` or this file
//! changes, so the date may be older than the newest commit — harmless for a lower bound.

use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .or_else(commit_date)
        .unwrap_or_else(build_time);
    println!("cargo:rustc-env=VNEID_BUILD_EPOCH={epoch}");
}

fn commit_date() -> Option<i64> {
    let out = Command::new("git")
        .args(["log", "-1", "--format=%ct"])
        .current_dir(std::env::var_os("CARGO_MANIFEST_DIR")?)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok()?.trim().parse().ok()
}

fn build_time() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}
