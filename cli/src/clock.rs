//! Time for the command line: pinned with `--at`, or the system clock — checked against the date
//! this program was built, because a scanner's real-time clock may never have been set.
//!
//! The core never reads a clock; this is where the CLI reads one. A system clock earlier than the
//! build date (embedded by `build.rs`) cannot be right, so every verdict made with it carries the
//! warning `clock_unset`. A time given with `--at` is the operator's statement and is not checked.

use vneid_verify::time::format_rfc3339;
use vneid_verify::{Verdict, Warning, WarningCode};

/// The build date, Unix seconds (see `build.rs`).
pub fn build_epoch() -> i64 {
    env!("VNEID_BUILD_EPOCH").parse().unwrap_or(0)
}

/// Where the verification time comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// `--at`: the same time for every verdict.
    Pinned(i64),
    /// The system clock, read for each verdict.
    System,
}

/// A verification time and whether it is plausible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Now {
    /// Unix seconds.
    pub unix: i64,
    /// True when it came from the system clock and is before the build date.
    pub unset: bool,
}

impl Clock {
    /// `--at TIME` (RFC 3339 or Unix seconds), or the system clock when absent.
    pub fn from_arg(value: Option<String>) -> Result<Clock, String> {
        match value {
            Some(text) => crate::parse_time(&text)
                .map(Clock::Pinned)
                .ok_or_else(|| format!("--at: \"{text}\" is not RFC 3339 or Unix seconds")),
            None => Ok(Clock::System),
        }
    }

    /// The time to verify at.
    pub fn now(self) -> Now {
        match self {
            Clock::Pinned(unix) => Now { unix, unset: false },
            Clock::System => Now::from_system(crate::system_now(), build_epoch()),
        }
    }
}

impl Now {
    /// A system-clock reading, judged against the build date.
    pub fn from_system(unix: i64, built: i64) -> Now {
        Now {
            unix,
            unset: unix < built,
        }
    }

    /// Adds the `clock_unset` warning to a verdict made at an implausible time.
    pub fn annotate(self, verdict: &mut Verdict) {
        if self.unset {
            verdict
                .warnings
                .push(clock_unset_warning(self.unix, build_epoch()));
        }
    }
}

/// The `clock_unset` warning, naming the clock's reading and the build date.
pub fn clock_unset_warning(clock: i64, built: i64) -> Warning {
    let (clock, built) = (format_rfc3339(clock), format_rfc3339(built));
    Warning::new(
        WarningCode::ClockUnset,
        format!(
            "The clock reads {clock}, before this program was built ({built}): it is probably not set, so validity dates cannot be checked; set the clock or pass --at"
        ),
        format!(
            "Đồng hồ đang chỉ {clock}, trước ngày phần mềm này được tạo ({built}): có thể đồng hồ chưa được cài đặt nên không kiểm tra được thời hạn; hãy cài đặt đồng hồ hoặc dùng --at"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use vneid_verify::{ErrorCode, Format};

    #[test]
    fn a_system_clock_before_the_build_date_is_flagged() {
        let built = 1_795_000_000;
        assert!(Now::from_system(5, built).unset);
        assert!(Now::from_system(built - 1, built).unset);
        assert!(!Now::from_system(built, built).unset);
        assert!(
            !Clock::Pinned(5).now().unset,
            "--at is never second-guessed"
        );
    }

    #[test]
    fn the_warning_names_both_dates() {
        let w = clock_unset_warning(0, 1_795_000_000);
        assert_eq!(w.code, WarningCode::ClockUnset);
        assert!(
            w.message.starts_with(
                "The clock reads 1970-01-01T00:00:00Z, before this program was built (2026-11-18T"
            ),
            "{}",
            w.message
        );
        let mut v = Verdict::rejected(Format::Unknown, &ErrorCode::UnknownFormat.into());
        Now {
            unix: 0,
            unset: true,
        }
        .annotate(&mut v);
        assert_eq!(v.warnings.len(), 1);
        Now {
            unix: 0,
            unset: false,
        }
        .annotate(&mut v);
        assert_eq!(v.warnings.len(), 1);
    }

    #[test]
    fn the_build_date_is_embedded() {
        // After 2024-01-01: the project did not exist before, and 0 would disable the check.
        assert!(build_epoch() > 1_704_067_200, "{}", build_epoch());
    }
}
