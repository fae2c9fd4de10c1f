//! The policy's options, once for every front end: how JavaScript names each one (`minLevel`),
//! how the CLI spells it (`--min-level`), and the one set of rules that turns a value into a
//! [`Policy`] field ([`Policy::set_option`]). The JavaScript `Verifier` and the CLI's `verify`
//! and `scan` only read their own syntax (a JS value's type, a flag's text) into an
//! [`OptionValue`]; every range, name and default check is here. The README, the TypeScript
//! declarations and the CLI usage are checked against [`POLICY_OPTIONS`] by tests.

use super::{KeyBinding, Level, Policy};
use crate::error::Error;
use crate::verdict::Format;

/// What an option holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    /// A non-empty string.
    Text,
    /// Whole seconds, 0 or more.
    Seconds,
    /// A VNeID level, 1 or 2.
    Level,
    /// `required` or `optional`.
    Binding,
    /// A non-empty list of format names (the CLI's flag is repeated).
    Formats,
    /// The verification time: an argument of `verify`, not part of the [`Policy`]; each front
    /// end reads it in its own form (a JS `Date`, the CLI's RFC 3339 or Unix seconds).
    Time,
}

/// One option, as each front end spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyOption {
    /// The JavaScript name, also the `path` of an `invalid_option` error.
    pub name: &'static str,
    /// The CLI flag.
    pub flag: &'static str,
    /// What it holds.
    pub kind: OptionKind,
    /// Whether it belongs to one transaction, so that JavaScript also takes it per `verify` call.
    pub per_call: bool,
    /// The [`Policy`] field it sets.
    field: Field,
}

/// The [`Policy`] field an option sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Issuer,
    Audience,
    MinLevel,
    ClockTolerance,
    MaxTokenAge,
    Formats,
    Time,
    Nonce,
    HolderBinding,
    MaxProofAge,
}

const fn option(name: &'static str, flag: &'static str, field: Field) -> PolicyOption {
    let kind = match field {
        Field::Issuer | Field::Audience | Field::Nonce => OptionKind::Text,
        Field::ClockTolerance | Field::MaxTokenAge | Field::MaxProofAge => OptionKind::Seconds,
        Field::MinLevel => OptionKind::Level,
        Field::HolderBinding => OptionKind::Binding,
        Field::Formats => OptionKind::Formats,
        Field::Time => OptionKind::Time,
    };
    let per_call = matches!(
        field,
        Field::Time | Field::Nonce | Field::HolderBinding | Field::MaxProofAge
    );
    PolicyOption {
        name,
        flag,
        kind,
        per_call,
        field,
    }
}

/// Every policy option and the verification time, in documentation order.
pub const POLICY_OPTIONS: &[PolicyOption] = &[
    option("issuer", "--issuer", Field::Issuer),
    option("audience", "--audience", Field::Audience),
    option("minLevel", "--min-level", Field::MinLevel),
    option("clockTolerance", "--clock-tolerance", Field::ClockTolerance),
    option("maxTokenAge", "--max-token-age", Field::MaxTokenAge),
    option("formats", "--format", Field::Formats),
    option("currentDate", "--at", Field::Time),
    option("nonce", "--nonce", Field::Nonce),
    option("holderBinding", "--holder-binding", Field::HolderBinding),
    option("maxProofAge", "--max-proof-age", Field::MaxProofAge),
];

impl PolicyOption {
    /// The option JavaScript calls `name`.
    #[must_use]
    pub fn named(name: &str) -> Option<&'static PolicyOption> {
        POLICY_OPTIONS.iter().find(|o| o.name == name)
    }
}

/// An option's value as a front end read it. JavaScript keeps the value's type (a string is
/// [`OptionValue::Text`] even when it holds digits); the CLI's text becomes a number through
/// [`OptionValue::from_text`].
#[derive(Clone, Debug, PartialEq)]
pub enum OptionValue {
    /// A string.
    Text(String),
    /// A number.
    Number(f64),
    /// A list of strings.
    List(Vec<String>),
    /// Anything else, by its type's name (`"null"`, `"a boolean"`…), for the message.
    Other(String),
}

impl OptionValue {
    /// A CLI flag's text as the value of an option of `kind`: a number where one is expected
    /// and the text reads as one; otherwise the text.
    #[must_use]
    pub fn from_text(kind: OptionKind, text: &str) -> OptionValue {
        match kind {
            OptionKind::Seconds | OptionKind::Level => text
                .parse::<f64>()
                .map_or_else(|_| OptionValue::Text(text.to_owned()), OptionValue::Number),
            _ => OptionValue::Text(text.to_owned()),
        }
    }

    /// What the value is, for a message.
    fn describe(&self) -> String {
        match self {
            OptionValue::Text(s) => format!("the text \"{}\"", crate::formats::claims::shorten(s)),
            OptionValue::Number(n) => crate::time::format_seconds(*n),
            OptionValue::List(_) => String::from("an array"),
            OptionValue::Other(kind) => kind.clone(),
        }
    }
}

/// The largest whole number JavaScript holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

impl Policy {
    /// Sets `option` (one of [`POLICY_OPTIONS`]) from `value`, with the same rules for every
    /// front end.
    ///
    /// # Errors
    /// `invalid_option`, the option's name as the path: the time (not part of the policy), a
    /// value of the wrong kind, an empty string, a level other than 1 or 2, a negative,
    /// fractional or unsafe number of seconds, an unknown holder binding or format.
    pub fn set_option(&mut self, option: &PolicyOption, value: OptionValue) -> Result<(), Error> {
        let seconds = seconds(&value);
        let level = seconds.and_then(Level::from_number);
        match (option.field, value) {
            (Field::Issuer, OptionValue::Text(s)) if !s.is_empty() => self.issuer = Some(s),
            (Field::Audience, OptionValue::Text(s)) if !s.is_empty() => self.audience = Some(s),
            (Field::Nonce, OptionValue::Text(s)) if !s.is_empty() => self.nonce = Some(s),
            (Field::ClockTolerance, _) if seconds.is_some() => {
                self.clock_tolerance = seconds.unwrap_or_default();
            }
            (Field::MaxTokenAge, _) if seconds.is_some() => self.max_token_age = seconds,
            (Field::MaxProofAge, _) if seconds.is_some() => {
                self.max_proof_age = seconds.unwrap_or_default();
            }
            (Field::MinLevel, _) if level.is_some() => self.min_level = level,
            (Field::HolderBinding, OptionValue::Text(s)) if KeyBinding::from_name(&s).is_some() => {
                self.holder_binding = KeyBinding::from_name(&s).unwrap_or_default();
            }
            (Field::Formats, OptionValue::List(names)) if !names.is_empty() => {
                let mut formats = Vec::with_capacity(names.len());
                for name in &names {
                    match Format::allowable_from_name(name) {
                        Some(format) => formats.push(format),
                        None => return Err(unknown_format(option, name)),
                    }
                }
                self.formats = Some(formats);
            }
            (_, value) => return Err(refusal(option, &value)),
        }
        Ok(())
    }
}

/// `name` is not a format.
fn unknown_format(option: &PolicyOption, name: &str) -> Error {
    let why = format!(
        "\"{}\" is an unknown format; the formats are {}",
        crate::formats::claims::shorten(name),
        Format::allowable_names()
    );
    Error::invalid_option(option.name, &why)
}

/// Why `value` is not one of `option`.
fn refusal(option: &PolicyOption, value: &OptionValue) -> Error {
    // What it must be, and the word before what it is.
    let expected = match (option.field, value) {
        (_, OptionValue::Text(s)) if s.is_empty() && option.kind == OptionKind::Text => {
            return Error::invalid_option(option.name, "must not be empty")
        }
        (Field::Formats, OptionValue::List(_)) => {
            return Error::invalid_option(option.name, "must name at least one format")
        }
        (Field::Time, _) => "given to verify (the time is not part of the policy), not",
        (Field::Issuer | Field::Audience | Field::Nonce, _) => "a string, not",
        (Field::ClockTolerance | Field::MaxTokenAge | Field::MaxProofAge, _) => {
            "a whole number of seconds, 0 or more; got"
        }
        (Field::MinLevel, _) => "1 or 2, not",
        (Field::HolderBinding, _) => "\"required\" or \"optional\", not",
        (Field::Formats, _) => "an array of format names, not",
    };
    let why = format!("must be {expected} {}", value.describe());
    Error::invalid_option(option.name, &why)
}

/// A whole, non-negative number JavaScript holds exactly.
fn seconds(value: &OptionValue) -> Option<u64> {
    match value {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // checked just before
        OptionValue::Number(n) if n.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(n) => {
            Some(*n as u64)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a panic in a test is a failed assertion
    use super::*;
    use crate::error::ErrorCode;

    fn set(name: &str, value: OptionValue) -> Result<Policy, Error> {
        let mut policy = Policy::default();
        let option = PolicyOption::named(name).unwrap();
        policy.set_option(option, value).map(|()| policy)
    }

    fn refused(name: &str, value: OptionValue) -> String {
        let e = set(name, value.clone()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidOption, "{name} {value:?}");
        assert_eq!(
            e.data().and_then(|d| d.path.as_deref()),
            Some(name),
            "{value:?}"
        );
        e.detail().unwrap_or_default().to_owned()
    }

    #[test]
    fn every_option_sets_its_field() {
        let text = |s: &str| OptionValue::Text(s.into());
        let policy = Policy::default();
        assert_eq!(
            set("issuer", text("i")).unwrap().issuer.as_deref(),
            Some("i")
        );
        assert_eq!(
            set("audience", text("a")).unwrap().audience.as_deref(),
            Some("a")
        );
        assert_eq!(set("nonce", text("n")).unwrap().nonce.as_deref(), Some("n"));
        let level = set("minLevel", OptionValue::Number(2.0)).unwrap();
        assert_eq!(level.min_level, Some(Level::Two));
        let n = OptionValue::Number(7.0);
        assert_eq!(set("clockTolerance", n.clone()).unwrap().clock_tolerance, 7);
        assert_eq!(
            set("maxTokenAge", n.clone()).unwrap().max_token_age,
            Some(7)
        );
        assert_eq!(set("maxProofAge", n).unwrap().max_proof_age, 7);
        let binding = set("holderBinding", text("required")).unwrap();
        assert_eq!(binding.holder_binding, KeyBinding::Required);
        let formats = set("formats", OptionValue::List(vec!["eu_dcc".into()])).unwrap();
        assert_eq!(formats.formats, Some(vec![Format::EuDcc]));
        // Nothing else moved.
        assert_eq!(set("issuer", text("i")).unwrap().audience, policy.audience);
    }

    #[test]
    fn bad_values_are_refused_naming_the_option() {
        let text = |s: &str| OptionValue::Text(s.into());
        assert!(refused("issuer", text("")).contains("must not be empty"));
        assert!(refused("audience", OptionValue::List(vec![])).contains("not an array"));
        assert!(refused("issuer", OptionValue::Other("null".into())).contains("not null"));
        for bad in [3.0, 1.5, 0.0, -1.0] {
            assert!(refused("minLevel", OptionValue::Number(bad)).contains("1 or 2"));
        }
        assert!(refused("minLevel", text("2")).contains("the text \"2\""));
        for bad in [-1.0, 1.5, f64::NAN, f64::INFINITY, 2f64.powi(60)] {
            refused("clockTolerance", OptionValue::Number(bad));
        }
        assert!(refused("maxTokenAge", text("60")).contains("whole number"));
        assert!(refused("holderBinding", text("maybe")).contains("\"required\""));
        assert!(refused("formats", OptionValue::List(vec![])).contains("at least one"));
        let unknown = refused("formats", OptionValue::List(vec!["pdf417".into()]));
        assert!(unknown.contains("unknown format") && unknown.contains("vds_nc"));
        refused("formats", OptionValue::List(vec!["unknown".into()]));
        refused("currentDate", OptionValue::Number(1.0));
        assert_eq!(PolicyOption::named("audiance"), None);
    }

    #[test]
    fn cli_text_is_read_as_a_number_only_where_one_is_expected() {
        let n = OptionValue::from_text(OptionKind::Seconds, "60");
        assert_eq!(n, OptionValue::Number(60.0));
        let t = OptionValue::from_text(OptionKind::Text, "60");
        assert_eq!(t, OptionValue::Text("60".into()));
        let x = OptionValue::from_text(OptionKind::Level, "two");
        assert_eq!(x, OptionValue::Text("two".into()));
    }

    #[test]
    fn names_and_flags_are_unique() {
        for (i, a) in POLICY_OPTIONS.iter().enumerate() {
            for b in POLICY_OPTIONS.iter().skip(i + 1) {
                assert!(a.name != b.name && a.flag != b.flag, "{a:?} {b:?}");
            }
            assert!(a.flag.starts_with("--"));
            assert_eq!(
                a.per_call,
                ["currentDate", "nonce", "holderBinding", "maxProofAge"].contains(&a.name)
            );
        }
    }
}
