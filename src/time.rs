//! Calendar arithmetic on Unix seconds, without a clock: the core never asks what time it is.
//!
//! Public: [`parse_rfc3339`] and [`format_rfc3339`], for callers that take a verification time as
//! text (the CLI's `--at`) or show one.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
#[must_use]
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `(year, month, day)` of a count of days since 1970-01-01.
#[must_use]
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // month is 1..=12 and day 1..=31 by construction.
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

/// The calendar year (UTC) of a Unix time.
#[must_use]
pub(crate) fn year_of(unix_seconds: i64) -> i64 {
    civil_from_days(unix_seconds.div_euclid(86_400)).0
}

/// Days in a month of a year.
#[must_use]
pub(crate) fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// A calendar date checked for existence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Date {
    /// Year.
    pub year: i64,
    /// Month, 1–12.
    pub month: u32,
    /// Day, 1–31.
    pub day: u32,
}

impl Date {
    /// A date if it exists in the calendar.
    #[must_use]
    pub fn new(year: i64, month: u32, day: u32) -> Option<Date> {
        (day >= 1 && day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD` exactly (ASCII digits, existing date).
    #[must_use]
    pub fn parse_iso(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        Date::new(
            digits(text.get(0..4)?)?,
            u32::try_from(digits(text.get(5..7)?)?).ok()?,
            u32::try_from(digits(text.get(8..10)?)?).ok()?,
        )
    }

    /// Parses `ddmmyyyy` (the ID card QR's date form).
    #[must_use]
    pub fn parse_ddmmyyyy(text: &str) -> Option<Date> {
        if text.len() != 8 {
            return None;
        }
        Date::new(
            digits(text.get(4..8)?)?,
            u32::try_from(digits(text.get(2..4)?)?).ok()?,
            u32::try_from(digits(text.get(0..2)?)?).ok()?,
        )
    }

    /// Unix seconds at 00:00 UTC of this date.
    #[must_use]
    pub fn to_unix(self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * 86_400
    }

    /// `YYYY-MM-DD`.
    #[must_use]
    pub fn to_iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses an RFC 3339 date-time (`2026-11-22T10:00:00Z`, `…+07:00`, fractional seconds ignored)
/// to Unix seconds. Used by the CLI's `--at`; the core itself takes seconds.
#[must_use]
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let (date, rest) = (text.get(0..10)?, text.get(10..)?);
    let date = Date::parse_iso(date)?;
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let hh = digits(rest.get(0..2)?)?;
    let mm = digits(rest.get(3..5)?)?;
    let ss = digits(rest.get(6..8)?)?;
    if rest.get(2..3)? != ":" || rest.get(5..6)? != ":" || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    let mut zone = rest.get(8..)?;
    if let Some(frac) = zone.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        zone = frac.get(n..)?;
    }
    let offset = match zone {
        "Z" | "z" => 0,
        _ => {
            let sign = match zone.get(0..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            if zone.len() != 6 || zone.get(3..4)? != ":" {
                return None;
            }
            let (oh, om) = (digits(zone.get(1..3)?)?, digits(zone.get(4..6)?)?);
            if oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 3600 + om * 60)
        }
    };
    Some(date.to_unix() + hh * 3600 + mm * 60 + ss.min(59) - offset)
}

/// Formats Unix seconds as RFC 3339 UTC (`2026-11-22T10:00:00Z`).
#[must_use]
pub fn format_rfc3339(unix_seconds: i64) -> String {
    let (y, m, d) = civil_from_days(unix_seconds.div_euclid(86_400));
    let s = unix_seconds.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        (s / 60) % 60,
        s % 60
    )
}

/// A NumericDate (seconds, possibly fractional) for messages: `1700000000`, `1700000000.5`.
///
/// Whole values print as integers; others through `serde_json`'s float formatter, which the
/// crate links anyway. `format!("{}", f64)` would pull core's float formatting into the .wasm
/// (about 19 KB raw, 8 KB gzipped; see BENCHMARKS.md).
#[must_use]
pub(crate) fn format_seconds(t: f64) -> String {
    if t.fract() == 0.0 && t.abs() < 9.0e15 {
        // Exact: a whole number below 2^53.
        #[allow(clippy::cast_possible_truncation)]
        let whole = t as i64;
        whole.to_string()
    } else {
        match serde_json::Number::from_f64(t) {
            Some(n) => n.to_string(),
            None if t.is_nan() => String::from("NaN"),
            None if t > 0.0 => String::from("Infinity"),
            None => String::from("-Infinity"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [-800_000, -1, 0, 1, 11_016, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(year_of(1_300_819_380), 2011);
    }

    #[test]
    fn dates_must_exist() {
        assert_eq!(
            Date::parse_iso("2024-02-29").map(Date::to_iso),
            Some("2024-02-29".into())
        );
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-1-01",
            "2024/01/01",
            "２０２４-01-01",
            "2024-01-01 ",
        ] {
            assert_eq!(Date::parse_iso(bad), None, "{bad}");
        }
        assert_eq!(Date::parse_ddmmyyyy("15031999"), Date::new(1999, 3, 15));
        assert_eq!(Date::parse_ddmmyyyy("31041999"), None);
    }

    #[test]
    fn rfc3339() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2011-03-22T18:43:00Z"), Some(1_300_819_380));
        assert_eq!(
            parse_rfc3339("2011-03-23T01:43:00.250+07:00"),
            Some(1_300_819_380)
        );
        for bad in [
            "2011-03-22",
            "2011-03-22T18:43Z",
            "2011-03-22T25:00:00Z",
            "2011-03-22T18:43:00",
            "2011-03-22T18:43:00+7",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
        assert_eq!(format_rfc3339(1_300_819_380), "2011-03-22T18:43:00Z");
    }

    #[test]
    fn seconds_print_whole_values_as_integers() {
        assert_eq!(format_seconds(1_700_000_000.0), "1700000000");
        assert_eq!(format_seconds(-5.0), "-5");
        assert_eq!(format_seconds(1_700_000_000.5), "1700000000.5");
        assert_eq!(format_seconds(f64::NAN), "NaN");
        assert_eq!(format_seconds(f64::NEG_INFINITY), "-Infinity");
    }
}
