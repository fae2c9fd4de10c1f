//! The JSON Canonicalization Scheme (RFC 8785): the exact bytes an ICAO VDS-NC seal signs.
//!
//! * Objects: members sorted by their names' UTF-16 code units (not UTF-8 bytes: the orders
//!   differ for characters above U+FFFF against U+E000–U+FFFF), no whitespace.
//! * Strings: `"` and `\` escaped, U+0008/0009/000A/000C/000D as `\b \t \n \f \r`, the other
//!   controls below U+0020 as `\u00xx` (lower-case hex), everything else as UTF-8.
//! * Numbers: the IEEE-754 double's shortest round-trip digits (closest, ties to even), laid out
//!   as ECMAScript's `Number.prototype.toString` does (`1e+21`, `0.000001`, `1e-7`, `-0` as `0`). Integers are
//!   doubles too: `9007199254740993` canonicalises as `9007199254740992`.
//!
//! Input comes from the strict parser, so depth and size are already bounded and every number is
//! finite.

use serde_json::{Map, Value};

/// The canonical form of a JSON value.
#[must_use]
pub fn canonicalize(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, &mut out);
    out
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => {
            // Integers beyond 2^53 and floats alike become the nearest double, as in ECMAScript.
            #[allow(clippy::cast_precision_loss)]
            let x = n
                .as_f64()
                .or_else(|| n.as_i64().map(|i| i as f64))
                .or_else(|| n.as_u64().map(|u| u as f64))
                .unwrap_or(0.0);
            write_number(x, out);
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => write_object(map, out),
    }
}

fn write_object(map: &Map<String, Value>, out: &mut String) {
    // The map iterates in code point order (UTF-8 byte order). UTF-16 code units order the same
    // way except that a character above U+FFFF (a surrogate pair, D800–DFFF) sorts before
    // U+E000–U+FFFF; only names with such characters need reordering, and an insertion sort on
    // the already nearly ordered list does it without linking a general sort.
    let mut members: Vec<(&String, &Value)> = map.iter().collect();
    if members
        .iter()
        .any(|(name, _)| name.chars().any(|c| c > '\u{ffff}'))
    {
        for i in 1..members.len() {
            let mut j = i;
            while j > 0
                && members
                    .get(j - 1)
                    .zip(members.get(j))
                    .is_some_and(|(a, b)| {
                        a.0.encode_utf16().cmp(b.0.encode_utf16()) == core::cmp::Ordering::Greater
                    })
            {
                members.swap(j - 1, j);
                j -= 1;
            }
        }
    }
    out.push('{');
    for (i, (name, value)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(name, out);
        out.push(':');
        write_value(value, out);
    }
    out.push('}');
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// ECMAScript `Number.prototype.toString` (ECMA-262 §6.1.6.1.20) for a finite double.
fn write_number(x: f64, out: &mut String) {
    if x == 0.0 || !x.is_finite() {
        // -0 is "0"; non-finite values cannot come from JSON.
        out.push('0');
        return;
    }
    if x < 0.0 {
        out.push('-');
    }
    let (digits, n) = shortest_digits(x.abs());
    // x = 0.d1d2…dk × 10^n, with k digits.
    let k = i64::try_from(digits.len()).unwrap_or(1);
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(core::iter::repeat_n(
            '0',
            usize::try_from(n - k).unwrap_or(0),
        ));
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(usize::try_from(n).unwrap_or(0).min(digits.len()));
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(core::iter::repeat_n('0', usize::try_from(-n).unwrap_or(0)));
        out.push_str(&digits);
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if n - 1 < 0 { '-' } else { '+' });
        out.push_str(&(n - 1).abs().to_string());
    }
}

/// The shortest digits that read back as `x` (positive, finite), without leading or trailing
/// zeros, and `n` such that `x = 0.digits × 10^n`. The digits come from `zmij` (already linked for
/// serde_json's number output), which, like ECMAScript, picks among the shortest candidates the
/// closest to `x` and breaks an exact tie towards the even digit.
fn shortest_digits(x: f64) -> (String, i64) {
    let mut buffer = zmij::Buffer::new();
    let text = buffer.format_finite(x);
    let (mantissa, exponent) = text.split_once(['e', 'E']).unwrap_or((text, "0"));
    let exponent: i64 = exponent.trim_start_matches('+').parse().unwrap_or(0);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all: String = int.chars().chain(frac.chars()).collect();
    let leading = all.len() - all.trim_start_matches('0').len();
    let digits = all.trim_start_matches('0').trim_end_matches('0').to_owned();
    let point = i64::try_from(int.len()).unwrap_or(0) - i64::try_from(leading).unwrap_or(0);
    (digits, point + exponent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::json;
    use crate::policy::Limits;

    fn number(x: f64) -> String {
        let mut s = String::new();
        write_number(x, &mut s);
        s
    }

    /// RFC 8785 Appendix B: IEEE-754 bit patterns and their canonical text (as Node prints them).
    const APPENDIX_B: [(u64, &str); 24] = [
        (0x0000_0000_0000_0000, "0"),
        (0x8000_0000_0000_0000, "0"),
        (0x0000_0000_0000_0001, "5e-324"),
        (0x8000_0000_0000_0001, "-5e-324"),
        (0x7fef_ffff_ffff_ffff, "1.7976931348623157e+308"),
        (0xffef_ffff_ffff_ffff, "-1.7976931348623157e+308"),
        (0x4340_0000_0000_0000, "9007199254740992"),
        (0xc340_0000_0000_0000, "-9007199254740992"),
        (0x4430_0000_0000_0000, "295147905179352830000"),
        (0x44b5_2d02_c7e1_4af5, "9.999999999999997e+22"),
        (0x44b5_2d02_c7e1_4af6, "1e+23"),
        (0x44b5_2d02_c7e1_4af7, "1.0000000000000001e+23"),
        (0x444b_1ae4_d6e2_ef4e, "999999999999999700000"),
        (0x444b_1ae4_d6e2_ef4f, "999999999999999900000"),
        (0x444b_1ae4_d6e2_ef50, "1e+21"),
        (0x3eb0_c6f7_a0b5_ed8c, "9.999999999999997e-7"),
        (0x3eb0_c6f7_a0b5_ed8d, "0.000001"),
        (0x41b3_de43_5555_5553, "333333333.3333332"),
        (0x41b3_de43_5555_5554, "333333333.33333325"),
        (0x41b3_de43_5555_5555, "333333333.3333333"),
        (0x41b3_de43_5555_5556, "333333333.3333334"),
        (0x41b3_de43_5555_5557, "333333333.33333343"),
        (0xbecb_f647_612f_3696, "-0.0000033333333333333333"),
        (0x4314_3ff3_c1cb_0959, "1424953923781206.2"),
    ];

    #[test]
    fn numbers_follow_ecmascript() {
        for (bits, want) in APPENDIX_B {
            assert_eq!(number(f64::from_bits(bits)), want, "{bits:#x}");
        }
        for (x, want) in [
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (0.1, "0.1"),
            (100.0, "100"),
            (4.5, "4.5"),
            (0.002, "0.002"),
            (1e30, "1e+30"),
            (-1e-7, "-1e-7"),
            (1.0, "1"),
        ] {
            assert_eq!(number(x), want, "{x}");
        }
    }

    #[test]
    fn parsed_numbers_keep_their_exact_value() {
        // The canonical text of every Appendix B value parses back to the same bits, so a seal
        // whose data holds such numbers is canonicalised exactly as its signer did.
        for (bits, text) in APPENDIX_B {
            let doc = format!("{{\"n\":{text}}}");
            let parsed = json::parse_object(doc.as_bytes(), &Limits::default())
                .ok()
                .and_then(|m| m.get("n").and_then(Value::as_f64));
            assert_eq!(
                parsed.map(f64::to_bits),
                Some(bits & !(u64::from(text == "0") << 63)),
                "{text}"
            );
        }
        assert_eq!(
            canonicalize(&serde_json::json!([9_007_199_254_740_993_u64, -1, 7])),
            "[9007199254740992,-1,7]"
        );
    }

    #[test]
    fn rfc_8785_example_object() {
        // RFC 8785 §3.2.2's input and output.
        let input = br#"{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/","literals":[null,true,false]}"#;
        let value = json::parse_value(input, &Limits::default()).ok();
        assert_eq!(
            value.as_ref().map(canonicalize).as_deref(),
            Some(
                r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
            )
        );
    }

    #[test]
    fn members_sort_by_utf16_code_units() {
        // RFC 8785 §3.2.3's sorting example: UTF-8 byte order would put U+FB33 before the emoji.
        let input = r#"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#;
        let value = json::parse_value(input.as_bytes(), &Limits::default()).ok();
        let expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\"\u{f6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20ac}\":\"Euro Sign\",\"\u{1f600}\":\"Emoji: Grinning Face\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}";
        assert_eq!(value.as_ref().map(canonicalize).as_deref(), Some(expected));
    }

    #[test]
    fn reordering_matches_a_utf16_sort() {
        let names = [
            "\u{ffff}",
            "\u{1f600}",
            "\u{e000}x",
            "a",
            "\u{10000}",
            "\u{fb33}",
            "\u{1f600}a",
            "\u{ffff}\u{10ffff}",
            "\u{ffff}\u{e000}",
            "",
            "z\u{1f600}",
            "z\u{ff00}",
        ];
        let mut map = Map::new();
        for (i, n) in names.iter().enumerate() {
            map.insert((*n).to_owned(), Value::from(i));
        }
        let mut expected: Vec<&str> = names.to_vec();
        expected.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
        let text = canonicalize(&Value::Object(map.clone()));
        let order: Vec<usize> = expected
            .iter()
            .filter_map(|n| {
                text.find(&format!(
                    "\"{n}\":{}",
                    map.get(*n).map(Value::to_string).unwrap_or_default()
                ))
            })
            .collect();
        assert_eq!(order.len(), names.len(), "{text}");
        assert!(
            order.windows(2).all(|w| matches!(w, [a, b] if a < b)),
            "{text}"
        );
    }

    #[test]
    fn controls_are_escaped_lowercase() {
        assert_eq!(
            canonicalize(&Value::String("\u{1}\u{1f}\u{7f}é/".into())),
            "\"\\u0001\\u001f\u{7f}é/\""
        );
    }
}
