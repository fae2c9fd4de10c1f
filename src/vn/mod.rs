//! Vietnamese domain rules: the 12-digit personal identification number and what it says about
//! its holder, province codes, the identifiers printed on documents, and the Vietnamese calendar
//! day (UTC+07:00).

pub(crate) mod identifiers;
pub(crate) mod personal_id;
pub(crate) mod provinces;

pub(crate) use personal_id::{PersonalId, Sex, Stated, Statement};

use crate::time::{civil_from_days, Date};

/// Vietnam's offset from UTC: UTC+07:00, with no daylight saving. Documents' dates are
/// Vietnamese calendar days.
pub(crate) const UTC_OFFSET: i64 = 7 * 3600;

/// Unix time at which a date starts in Vietnam.
pub(crate) fn start_of(date: Date) -> i64 {
    date.to_unix() - UTC_OFFSET
}

/// The date in Vietnam at `now` (Unix seconds).
pub(crate) fn today(now: i64) -> Date {
    let (year, month, day) = civil_from_days(now.saturating_add(UTC_OFFSET).div_euclid(86_400));
    Date { year, month, day }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vietnamese_day_starts_at_17_utc_the_day_before() {
        let new_year = Date::new(2026, 1, 1).map(start_of);
        assert_eq!(new_year, crate::time::parse_rfc3339("2025-12-31T17:00:00Z"));
        let at = |t: &str| crate::time::parse_rfc3339(t).map(today);
        assert_eq!(at("2025-12-31T16:59:59Z"), Date::new(2025, 12, 31));
        assert_eq!(at("2025-12-31T17:00:00Z"), Date::new(2026, 1, 1));
    }
}
