//! Strict JSON for untrusted input: UTF-8 only (no BOM), an object at the top, no duplicate
//! member names at any level, bounded nesting depth and a bounded number of values.
//!
//! serde_json does the tokenising (it already refuses lone surrogates, trailing garbage and
//! numbers out of `f64` range such as `1e400`); a seeded visitor adds the checks it leaves out.

use core::cell::Cell;
use core::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::error::{Error, ErrorCode};
use crate::policy::Limits;

/// Parses `bytes` as a strict JSON object.
///
/// # Errors
/// `json_invalid` (with a detail) for invalid UTF-8, invalid JSON, a top level that is not an
/// object, a duplicate member, nesting deeper than [`Limits::depth`], or more than
/// `limits.max_items` values.
pub fn parse_object(bytes: &[u8], limits: &Limits) -> Result<Map<String, Value>, Error> {
    match parse_value(bytes, limits)? {
        Value::Object(map) => Ok(map),
        _ => Err(Error::with_detail(
            ErrorCode::JsonInvalid,
            "not a JSON object",
        )),
    }
}

/// Parses `bytes` as one strict JSON value (see [`parse_object`]).
///
/// # Errors
/// As [`parse_object`], except that any top-level value is allowed.
pub fn parse_value(bytes: &[u8], limits: &Limits) -> Result<Value, Error> {
    let text = core::str::from_utf8(bytes)
        .map_err(|_| Error::with_detail(ErrorCode::JsonInvalid, "not UTF-8"))?;
    let budget = Budget {
        max_depth: limits.depth(),
        items_left: Cell::new(limits.max_items),
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let value = ValueSeed {
        budget: &budget,
        depth: 0,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v))
    .map_err(|e| Error::with_detail(ErrorCode::JsonInvalid, describe(&e)))?;
    Ok(value)
}

fn describe(e: &serde_json::Error) -> String {
    // serde_json's messages end with " at line L column C"; keep the whole message, it is short.
    let s = e.to_string();
    if s.len() > 120 {
        s.chars().take(120).collect()
    } else {
        s
    }
}

struct Budget {
    max_depth: usize,
    items_left: Cell<usize>,
}

impl Budget {
    fn take_item<E: de::Error>(&self) -> Result<(), E> {
        match self.items_left.get().checked_sub(1) {
            Some(left) => {
                self.items_left.set(left);
                Ok(())
            }
            None => Err(E::custom("too many values")),
        }
    }
}

#[derive(Clone, Copy)]
struct ValueSeed<'a> {
    budget: &'a Budget,
    depth: usize,
}

impl ValueSeed<'_> {
    fn enter<E: de::Error>(self) -> Result<Self, E> {
        let depth = self.depth + 1;
        if depth > self.budget.max_depth {
            return Err(E::custom("nested too deeply"));
        }
        Ok(ValueSeed {
            budget: self.budget,
            depth,
        })
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.budget.take_item()?;
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number out of range"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.enter()?;
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(inner)? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let inner = self.enter()?;
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if map.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate member {key:?}")));
            }
            let value = access.next_value_seed(inner)?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str, limits: &Limits) -> Result<Map<String, Value>, ErrorCode> {
        parse_object(text.as_bytes(), limits).map_err(|e| e.code())
    }

    #[test]
    fn accepts_ordinary_objects() {
        let m = code(
            r#" {"a":1,"b":[true,null,"x",1.5],"c":{"d":-2}} "#,
            &Limits::default(),
        )
        .ok();
        assert_eq!(
            m.and_then(|m| m.get("c").cloned()),
            Some(serde_json::json!({"d": -2}))
        );
    }

    #[test]
    fn refuses_duplicates_at_any_depth() {
        let l = Limits::default();
        assert_eq!(
            code(r#"{"iss":"a","iss":"b"}"#, &l),
            Err(ErrorCode::JsonInvalid)
        );
        assert_eq!(
            code(r#"{"x":{"k":1,"k":2}}"#, &l),
            Err(ErrorCode::JsonInvalid)
        );
        // The same name escaped differently is still the same name.
        assert_eq!(
            code(r#"{"iss":"a","\u0069ss":"b"}"#, &l),
            Err(ErrorCode::JsonInvalid)
        );
    }

    #[test]
    fn refuses_what_is_not_strict_json() {
        let l = Limits::default();
        for bad in [
            "[1]",
            "1",
            "\u{feff}{}",
            "{} x",
            r#"{"a":"\ud800"}"#,
            r#"{"e":1e400}"#,
            "{'a':1}",
            "",
        ] {
            assert_eq!(code(bad, &l), Err(ErrorCode::JsonInvalid), "{bad:?}");
        }
        assert_eq!(
            parse_object(b"{\"a\":\"\xff\"}", &l).map_err(|e| e.code()),
            Err(ErrorCode::JsonInvalid)
        );
    }

    #[test]
    fn bounds_depth_and_item_count() {
        let l = Limits {
            max_depth: 3,
            max_items: 6,
            ..Limits::default()
        };
        assert!(code(r#"{"a":{"b":{}}}"#, &l).is_ok());
        assert_eq!(
            code(r#"{"a":{"b":{"c":{}}}}"#, &l),
            Err(ErrorCode::JsonInvalid)
        );
        assert!(code(r#"{"a":[1,2,3,4]}"#, &l).is_ok());
        assert_eq!(
            code(r#"{"a":[1,2,3,4,5]}"#, &l),
            Err(ErrorCode::JsonInvalid)
        );
        // The default depth refuses a deep nest without recursing into a stack overflow.
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(5000), "]".repeat(5000));
        assert_eq!(code(&deep, &Limits::default()), Err(ErrorCode::JsonInvalid));
    }
}
