//! What every format's claim checks share: the NumericDate range, `claim_missing` and
//! `claim_invalid` errors that name the claim, and claim values shortened for messages.

use serde_json::{Map, Value};

use crate::error::Error;

/// The largest NumericDate accepted: 9999-12-31T23:59:59Z. Anything later (or `1e400`) is not a
/// date any issuer means, and keeps time arithmetic far from overflow.
pub const MAX_NUMERIC_DATE: f64 = 253_402_300_799.0;

/// `seconds` as a NumericDate: finite and in [0, [`MAX_NUMERIC_DATE`]].
pub fn numeric_date_in_range(seconds: f64, name: &str) -> Result<f64, Error> {
    if seconds.is_finite() && (0.0..=MAX_NUMERIC_DATE).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(Error::claim_invalid(
            name,
            "a NumericDate must be a number of seconds between 1970 and 9999",
        ))
    }
}

/// A JSON claim read as a NumericDate: absent, or a JSON number in range; strings, booleans and
/// out-of-range numbers are `claim_invalid`.
pub fn json_numeric_date(claims: &Map<String, Value>, name: &str) -> Result<Option<f64>, Error> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => {
            numeric_date_in_range(n.as_f64().unwrap_or(f64::NAN), name).map(Some)
        }
        Some(_) => Err(Error::claim_invalid(
            name,
            "a NumericDate must be a JSON number",
        )),
    }
}

/// The most characters of an untrusted value a message quotes (then `…`).
pub const SHORT_VALUE_CHARS: usize = 64;

/// A claim value for a message: at most [`SHORT_VALUE_CHARS`] characters, then `…`.
#[must_use]
pub fn shorten(s: &str) -> String {
    if s.chars().count() > SHORT_VALUE_CHARS {
        let head: String = s.chars().take(SHORT_VALUE_CHARS).collect();
        format!("{head}…")
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn read(json: &str) -> Result<Option<f64>, ErrorCode> {
        let claims: Map<String, Value> = serde_json::from_str(json).unwrap_or_default();
        json_numeric_date(&claims, "exp").map_err(|e| e.code())
    }

    #[test]
    fn numeric_dates_are_finite_json_numbers_between_1970_and_9999() {
        assert_eq!(read(r#"{}"#), Ok(None));
        assert_eq!(read(r#"{"exp":0}"#), Ok(Some(0.0)));
        assert_eq!(read(r#"{"exp":1795000000.5}"#), Ok(Some(1_795_000_000.5)));
        assert_eq!(read(r#"{"exp":253402300799}"#), Ok(Some(MAX_NUMERIC_DATE)));
        for bad in [
            r#"{"exp":253402300800}"#,
            r#"{"exp":-1}"#,
            r#"{"exp":"1795000000"}"#,
            r#"{"exp":true}"#,
            r#"{"exp":null}"#,
        ] {
            assert_eq!(read(bad), Err(ErrorCode::ClaimInvalid), "{bad}");
        }
    }

    #[test]
    fn long_values_are_shortened_on_a_character_boundary() {
        assert_eq!(shorten("Nguyễn"), "Nguyễn");
        let long = "ễ".repeat(100);
        assert_eq!(shorten(&long).chars().count(), 65);
        assert!(shorten(&long).ends_with('…'));
    }
}
