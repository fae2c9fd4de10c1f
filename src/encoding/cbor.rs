//! A bounded CBOR (RFC 8949) reader for untrusted bytes, and the small encoder the COSE layer and
//! the reference issuer need.
//!
//! Why our own: COSE_Sign1 and CWT use a handful of CBOR features, and a general-purpose crate
//! would cost WASM size for serde plumbing we do not need. The reader is about 300 lines and
//! enforces, before allocating anything:
//!
//! - **depth**: containers and tags nest at most `limits.max_depth` deep;
//! - **items**: at most `limits.max_items` data items in the whole document, all levels counted;
//! - **lengths**: a string or container length is checked against the bytes that remain (every
//!   item takes at least one byte), so a 5-byte header cannot ask for a 4 GiB allocation;
//! - **one item, exactly**: trailing bytes are an error;
//! - **well-formedness**: reserved additional-information values (28–30), a stray break, invalid
//!   UTF-8 in text, unassigned simple values and duplicate map keys are errors.
//!
//! Duplicate keys are found in time linear in the input: while a key is read, the reader appends
//! a canonical form of it (and of everything inside it) to one buffer, and at the end of each map
//! the keys' forms are sorted and neighbours compared. Keys are equal as CBOR data items
//! (RFC 8949 §5.6.1), not as bytes: `1` and its non-shortest encodings `0x1801`, `0x190001` are
//! the same key, so are a definite and an indefinite array of the same items, maps holding the
//! same entries in another order, `0.0` and `-0.0`, and any two NaNs (whatever their payload,
//! two NaN keys would let a map silently lose a value). An integer and a float are never equal.
//! Comparing decoded values instead cost a pass over every earlier key (quadratic per map) and
//! recursed into array keys.
//!
//! Indefinite-length strings are always refused (COSE and CWT have no use for them). Indefinite-
//! length arrays and maps are refused unless [`Rules::allow_indefinite`] is set: the EU DCC
//! decoder sets it for the CWT payload, where some issuers' CBOR libraries emit them, and leaves
//! the COSE envelope and headers definite. The VNeID document profile requires definite lengths
//! everywhere.
//!
//! Integers are kept exactly (`i128` covers CBOR's −2⁶⁴ … 2⁶⁴−1). Non-shortest encodings are
//! accepted: signatures cover the bytes as received, never a re-encoding.

use serde_json::{Map, Number, Value as Json};

/// Most elements reserved before they are read (a container's length is attacker-chosen).
const PREALLOCATE_MAX: usize = 16;

/// Markers of the canonical key form (see the module docs): one per kind of item, and one that
/// ends an array or a map. Every form is self-delimiting, so equal forms mean equal items.
mod form {
    pub const INTEGER: u8 = 0;
    pub const BYTES: u8 = 1;
    pub const TEXT: u8 = 2;
    pub const ARRAY: u8 = 3;
    pub const MAP: u8 = 4;
    pub const TAG: u8 = 5;
    pub const FALSE: u8 = 6;
    pub const TRUE: u8 = 7;
    pub const NULL: u8 = 8;
    pub const UNDEFINED: u8 = 9;
    pub const FLOAT: u8 = 10;
    pub const END: u8 = 0xff;
}

use crate::encoding::base64url;
use crate::error::{Error, ErrorCode};
use crate::policy::Limits;

/// A decoded CBOR data item.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// An integer (major types 0 and 1).
    Integer(i128),
    /// A byte string.
    Bytes(Vec<u8>),
    /// A UTF-8 text string.
    Text(String),
    /// An array.
    Array(Vec<Value>),
    /// A map, in encoded order; keys are unique.
    Map(Vec<(Value, Value)>),
    /// A tagged item.
    Tag(u64, Box<Value>),
    /// `false` or `true`.
    Bool(bool),
    /// `null`.
    Null,
    /// `undefined`.
    Undefined,
    /// A half, single or double precision float.
    Float(f64),
}

impl Value {
    /// The text, if this is a text string.
    #[must_use]
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The bytes, if this is a byte string.
    #[must_use]
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The integer, if this is one.
    #[must_use]
    pub fn as_integer(&self) -> Option<i128> {
        match self {
            Value::Integer(n) => Some(*n),
            _ => None,
        }
    }

    /// The entries, if this is a map.
    #[must_use]
    pub fn as_map(&self) -> Option<&[(Value, Value)]> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The value under an integer key, if this is a map that has it.
    #[must_use]
    pub fn get_int(&self, key: i128) -> Option<&Value> {
        self.as_map()?
            .iter()
            .find(|(k, _)| *k == Value::Integer(key))
            .map(|(_, v)| v)
    }

    /// The value under a text key, if this is a map that has it.
    #[must_use]
    pub fn get_text(&self, key: &str) -> Option<&Value> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_text() == Some(key))
            .map(|(_, v)| v)
    }

    /// A short name of the item's type, for error details.
    #[must_use]
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Integer(_) => "integer",
            Value::Bytes(_) => "byte string",
            Value::Text(_) => "text string",
            Value::Array(_) => "array",
            Value::Map(_) => "map",
            Value::Tag(..) => "tag",
            Value::Bool(_) => "boolean",
            Value::Null => "null",
            Value::Undefined => "undefined",
            Value::Float(_) => "float",
        }
    }

    /// A JSON rendering for display and for `Verdict.claims`: integers stay numbers (as `f64`
    /// beyond ±2⁶⁴), byte strings become base64url text, map keys become text (see
    /// [`Value::key_text`]), tags are dropped (their content kept), `undefined` and non-finite
    /// floats become `null`.
    #[must_use]
    pub fn to_json(&self) -> Json {
        match self {
            Value::Integer(n) => integer_json(*n),
            Value::Bytes(b) => Json::String(base64url::encode(b)),
            Value::Text(s) => Json::String(s.clone()),
            Value::Array(items) => Json::Array(items.iter().map(Value::to_json).collect()),
            Value::Map(entries) => {
                let mut map = Map::new();
                for (k, v) in entries {
                    map.insert(k.key_text(), v.to_json());
                }
                Json::Object(map)
            }
            Value::Tag(_, inner) => inner.to_json(),
            Value::Bool(b) => Json::Bool(*b),
            Value::Null | Value::Undefined => Json::Null,
            Value::Float(f) => Number::from_f64(*f).map_or(Json::Null, Json::Number),
        }
    }

    /// The text of a map key in JSON: text as is, integers in decimal, any other key in CBOR
    /// diagnostic notation (RFC 8949 §8, see [`Value::diagnostic`]).
    ///
    /// Written in one pass: a key that is itself a map of maps costs its own size, never more
    /// (rendering inner keys as JSON text and escaping them again at every level doubled the
    /// text per level: a 66-character QR became hundreds of megabytes).
    #[must_use]
    pub fn key_text(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Integer(n) => n.to_string(),
            other => other.diagnostic(usize::MAX),
        }
    }

    /// The item in CBOR diagnostic notation (RFC 8949 §8: `{1: h'01ff', "a": [true, null]}`,
    /// tags as `18(…)`), at most `max_chars` characters and then `…`. One pass over the item,
    /// stopping as soon as the bound is reached, so the cost is bounded by the smaller of the
    /// item's size and `max_chars`. For details in error messages, which must stay small whatever
    /// the payload holds.
    #[must_use]
    pub fn diagnostic(&self, max_chars: usize) -> String {
        let mut out = Diagnostic {
            text: String::new(),
            chars_left: max_chars,
            truncated: false,
        };
        out.item(self);
        if out.truncated {
            out.text.push('…');
        }
        out.text
    }
}

/// The writer behind [`Value::diagnostic`]: appends until its budget of characters runs out.
struct Diagnostic {
    text: String,
    chars_left: usize,
    truncated: bool,
}

impl Diagnostic {
    fn push(&mut self, s: &str) {
        for c in s.chars() {
            if self.chars_left == 0 {
                self.truncated = true;
                return;
            }
            self.text.push(c);
            self.chars_left -= 1;
        }
    }

    fn item(&mut self, value: &Value) {
        use core::fmt::Write as _;
        if self.truncated {
            return;
        }
        match value {
            Value::Integer(n) => self.push(&n.to_string()),
            Value::Bytes(b) => {
                self.push("h'");
                let mut hex = String::with_capacity(2 * b.len().min(self.chars_left));
                for byte in b.iter().take(self.chars_left.div_ceil(2)) {
                    let _ = write!(hex, "{byte:02x}");
                }
                self.push(&hex);
                self.push("'");
            }
            Value::Text(s) => {
                self.push("\"");
                for c in s.chars() {
                    if self.truncated {
                        return;
                    }
                    match c {
                        '"' => self.push("\\\""),
                        '\\' => self.push("\\\\"),
                        c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                            self.push(&format!("\\u{:04x}", u32::from(c)));
                        }
                        c => self.push(c.encode_utf8(&mut [0; 4])),
                    }
                }
                self.push("\"");
            }
            Value::Array(items) => {
                self.push("[");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.item(item);
                }
                self.push("]");
            }
            Value::Map(entries) => {
                self.push("{");
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.item(k);
                    self.push(": ");
                    self.item(v);
                }
                self.push("}");
            }
            Value::Tag(tag, inner) => {
                self.push(&tag.to_string());
                self.push("(");
                self.item(inner);
                self.push(")");
            }
            Value::Bool(b) => self.push(if *b { "true" } else { "false" }),
            Value::Null => self.push("null"),
            Value::Undefined => self.push("undefined"),
            // serde_json's shortest digits (`1.0`, `1e+300`): `{:?}` would link core's float
            // formatting into the .wasm (tests/js/size.test.mjs).
            Value::Float(f) => match Number::from_f64(*f) {
                Some(n) => self.push(&n.to_string()),
                None if f.is_nan() => self.push("NaN"),
                None if *f > 0.0 => self.push("Infinity"),
                None => self.push("-Infinity"),
            },
        }
    }
}

fn integer_json(n: i128) -> Json {
    if let Ok(i) = i64::try_from(n) {
        Json::Number(i.into())
    } else if let Ok(u) = u64::try_from(n) {
        Json::Number(u.into())
    } else {
        // Only −2⁶⁴ … −2⁶³−1 reach here; f64 is the closest JSON can say.
        #[allow(clippy::cast_precision_loss)]
        let f = n as f64;
        Number::from_f64(f).map_or(Json::Null, Json::Number)
    }
}

/// Options for [`decode`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rules {
    /// Accept indefinite-length arrays and maps (never strings).
    pub allow_indefinite: bool,
}

/// Decodes exactly one CBOR data item from `bytes`.
///
/// # Errors
/// `cbor_invalid`, with a detail naming the offset and the reason.
pub fn decode(bytes: &[u8], limits: &Limits, rules: Rules) -> Result<Value, Error> {
    let mut reader = Reader {
        bytes,
        pos: 0,
        items_left: limits.max_items,
        max_depth: limits.depth(),
        rules,
        keys: Vec::new(),
        in_key: 0,
    };
    let value = reader.item(0)?;
    if reader.pos != bytes.len() {
        return Err(reader.fail(format!(
            "{} trailing bytes after the item",
            bytes.len() - reader.pos
        )));
    }
    Ok(value)
}

/// What a head (initial byte and argument) says.
enum Head {
    /// A definite argument.
    Arg(u64),
    /// Additional information 31: indefinite length (or break, for major type 7).
    Indefinite,
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    items_left: usize,
    max_depth: usize,
    rules: Rules,
    /// The canonical forms of the map keys being read, and of everything inside them.
    keys: Vec<u8>,
    /// How many map keys enclose the item being read (forms are written while this is > 0).
    in_key: usize,
}

/// Where one map entry's canonical form lies in [`Reader::keys`], and where its key was read.
struct Span {
    key_start: usize,
    key_end: usize,
    entry_end: usize,
    offset: usize,
}

impl Reader<'_> {
    fn fail(&self, why: impl Into<String>) -> Error {
        Error::with_detail(
            ErrorCode::CborInvalid,
            format!("offset {}: {}", self.pos, why.into()),
        )
    }

    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    fn take(&mut self, n: usize) -> Result<&[u8], Error> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| self.fail("unexpected end of data"))?;
        let slice = self
            .bytes
            .get(self.pos..end)
            .ok_or_else(|| self.fail("unexpected end of data"))?;
        self.pos = end;
        Ok(slice)
    }

    fn byte(&mut self) -> Result<u8, Error> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| self.fail("unexpected end of data"))?;
        self.pos += 1;
        Ok(b)
    }

    fn head(&mut self, info: u8) -> Result<Head, Error> {
        let arg = match info {
            0..=23 => u64::from(info),
            24 => u64::from(self.byte()?),
            25 => self.uint(2)?,
            26 => self.uint(4)?,
            27 => self.uint(8)?,
            31 => return Ok(Head::Indefinite),
            _ => return Err(self.fail(format!("reserved additional information {info}"))),
        };
        Ok(Head::Arg(arg))
    }

    fn uint(&mut self, n: usize) -> Result<u64, Error> {
        let mut v: u64 = 0;
        for &b in self.take(n)? {
            v = v << 8 | u64::from(b);
        }
        Ok(v)
    }

    /// A length that must fit in what remains, each unit taking at least `unit` bytes.
    fn length(&self, n: u64, unit: usize) -> Result<usize, Error> {
        usize::try_from(n)
            .ok()
            .filter(|&n| n.checked_mul(unit).is_some_and(|b| b <= self.remaining()))
            .ok_or_else(|| self.fail(format!("length {n} exceeds the remaining data")))
    }

    fn count_item(&mut self) -> Result<(), Error> {
        self.items_left = self
            .items_left
            .checked_sub(1)
            .ok_or_else(|| self.fail("too many data items"))?;
        Ok(())
    }

    fn item(&mut self, depth: usize) -> Result<Value, Error> {
        if depth > self.max_depth {
            return Err(self.fail(format!("nesting deeper than {}", self.max_depth)));
        }
        self.count_item()?;
        let initial = self.byte()?;
        let (major, info) = (initial >> 5, initial & 0x1f);
        let head = self.head(info)?;
        let value = match (major, head) {
            (0, Head::Arg(n)) => Value::Integer(i128::from(n)),
            (1, Head::Arg(n)) => Value::Integer(-1 - i128::from(n)),
            (2, Head::Arg(n)) => {
                let len = self.length(n, 1)?;
                Value::Bytes(self.take(len)?.to_vec())
            }
            (3, Head::Arg(n)) => {
                let len = self.length(n, 1)?;
                let start = self.pos;
                let raw = self.take(len)?;
                let text = core::str::from_utf8(raw)
                    .map_err(|_| {
                        Error::with_detail(
                            ErrorCode::CborInvalid,
                            format!("offset {start}: text string is not UTF-8"),
                        )
                    })?
                    .to_owned();
                Value::Text(text)
            }
            (2 | 3, Head::Indefinite) => return Err(self.fail("indefinite-length string")),
            (4, Head::Arg(n)) => {
                let len = self.length(n, 1)?;
                self.array(Some(len), depth)?
            }
            (5, Head::Arg(n)) => {
                let len = self.length(n, 2)?;
                self.map(Some(len), depth)?
            }
            (4 | 5, Head::Indefinite) => {
                if !self.rules.allow_indefinite {
                    return Err(self.fail("indefinite-length container"));
                }
                if major == 4 {
                    self.array(None, depth)?
                } else {
                    self.map(None, depth)?
                }
            }
            (6, Head::Arg(tag)) => {
                if self.in_key > 0 {
                    self.keys.push(form::TAG);
                    self.keys.extend_from_slice(&tag.to_be_bytes());
                }
                Value::Tag(tag, Box::new(self.item(depth + 1)?))
            }
            (7, head) => self.simple(info, head)?,
            _ => return Err(self.fail("indefinite length where none is allowed")),
        };
        if self.in_key > 0 {
            self.write_form(&value);
        }
        Ok(value)
    }

    /// Appends the canonical form of a scalar (containers and tags write theirs as they are
    /// read, see [`Reader::array`], [`Reader::map`] and the tag case of [`Reader::item`]).
    fn write_form(&mut self, value: &Value) {
        let out = &mut self.keys;
        match value {
            Value::Integer(n) => {
                out.push(form::INTEGER);
                out.extend_from_slice(&n.to_be_bytes());
            }
            Value::Bytes(b) => {
                out.push(form::BYTES);
                out.extend_from_slice(&(b.len() as u64).to_be_bytes());
                out.extend_from_slice(b);
            }
            Value::Text(t) => {
                out.push(form::TEXT);
                out.extend_from_slice(&(t.len() as u64).to_be_bytes());
                out.extend_from_slice(t.as_bytes());
            }
            Value::Bool(false) => out.push(form::FALSE),
            Value::Bool(true) => out.push(form::TRUE),
            Value::Null => out.push(form::NULL),
            Value::Undefined => out.push(form::UNDEFINED),
            Value::Float(f) => {
                // Every NaN is one key, and 0.0 and -0.0 are equal (RFC 8949 §5.6.1).
                let bits = if f.is_nan() {
                    f64::NAN.to_bits()
                } else if *f == 0.0 {
                    0
                } else {
                    f.to_bits()
                };
                out.push(form::FLOAT);
                out.extend_from_slice(&bits.to_be_bytes());
            }
            Value::Array(_) | Value::Map(_) | Value::Tag(..) => {}
        }
    }

    /// An array of `len` items, or up to a break when `len` is `None`.
    fn array(&mut self, len: Option<usize>, depth: usize) -> Result<Value, Error> {
        if self.in_key > 0 {
            self.keys.push(form::ARRAY);
        }
        // The claimed length is only bounded by the input left: reserve little up front, or 32
        // nested arrays claiming 65 000 items each would reserve ~66 MB.
        let mut items = Vec::with_capacity(len.unwrap_or(0).min(PREALLOCATE_MAX));
        match len {
            Some(len) => {
                for _ in 0..len {
                    items.push(self.item(depth + 1)?);
                }
            }
            None => {
                while !self.at_break()? {
                    items.push(self.item(depth + 1)?);
                }
            }
        }
        if self.in_key > 0 {
            self.keys.push(form::END);
        }
        Ok(Value::Array(items))
    }

    /// A map of `len` entries, or up to a break when `len` is `None`; refuses duplicate keys.
    fn map(&mut self, len: Option<usize>, depth: usize) -> Result<Value, Error> {
        let start = self.keys.len();
        let inside_key = self.in_key > 0;
        if inside_key {
            self.keys.push(form::MAP);
        }
        let capacity = len.unwrap_or(0).min(PREALLOCATE_MAX);
        let mut entries = Vec::with_capacity(capacity);
        let mut spans = Vec::with_capacity(capacity);
        let mut read = 0;
        while len.map_or_else(|| self.at_break().map(|end| !end), |len| Ok(read < len))? {
            let offset = self.pos;
            let key_start = self.keys.len();
            self.in_key += 1;
            let key = self.item(depth + 1);
            self.in_key -= 1;
            let key = key?;
            let key_end = self.keys.len();
            let value = self.item(depth + 1)?;
            spans.push(Span {
                key_start,
                key_end,
                entry_end: self.keys.len(),
                offset,
            });
            entries.push((key, value));
            read += 1;
        }
        let order = self.sorted_keys(&spans)?;
        if inside_key {
            // The map's own form lists its entries in key order: two maps holding the same
            // entries in another order are the same key.
            let mut sorted = Vec::with_capacity(self.keys.len() - start);
            for span in order.iter().filter_map(|&i| spans.get(i)) {
                sorted.extend_from_slice(
                    self.keys
                        .get(span.key_start..span.entry_end)
                        .unwrap_or_default(),
                );
            }
            self.keys.truncate(start + 1);
            self.keys.extend_from_slice(&sorted);
            self.keys.push(form::END);
        } else {
            self.keys.truncate(start);
        }
        Ok(Value::Map(entries))
    }

    /// The entries' indices in the order of their keys' canonical forms.
    ///
    /// # Errors
    /// `cbor_invalid` when two keys are equal, at the offset of the later one.
    fn sorted_keys(&self, spans: &[Span]) -> Result<Vec<usize>, Error> {
        let key = |i: usize| {
            spans
                .get(i)
                .and_then(|s| self.keys.get(s.key_start..s.key_end))
                .unwrap_or_default()
        };
        let mut order: Vec<usize> = (0..spans.len()).collect();
        order.sort_unstable_by(|&a, &b| key(a).cmp(key(b)));
        for pair in order.windows(2) {
            if let &[a, b] = pair {
                if key(a) == key(b) {
                    let at = spans.get(a.max(b)).map_or(0, |s| s.offset);
                    return Err(Error::with_detail(
                        ErrorCode::CborInvalid,
                        format!("offset {at}: duplicate map key"),
                    ));
                }
            }
        }
        Ok(order)
    }

    /// True (and consumes it) when the next byte is a break.
    fn at_break(&mut self) -> Result<bool, Error> {
        match self.bytes.get(self.pos) {
            Some(0xff) => {
                self.pos += 1;
                Ok(true)
            }
            Some(_) => Ok(false),
            None => Err(self.fail("unexpected end of data (missing break)")),
        }
    }

    fn simple(&self, info: u8, head: Head) -> Result<Value, Error> {
        match (info, head) {
            (20, _) => Ok(Value::Bool(false)),
            (21, _) => Ok(Value::Bool(true)),
            (22, _) => Ok(Value::Null),
            (23, _) => Ok(Value::Undefined),
            (25, Head::Arg(bits)) => Ok(Value::Float(half_to_f64(bits))),
            (26, Head::Arg(bits)) => Ok(Value::Float(f64::from(f32::from_bits(
                u32::try_from(bits).unwrap_or(0),
            )))),
            (27, Head::Arg(bits)) => Ok(Value::Float(f64::from_bits(bits))),
            (31, _) => Err(self.fail("unexpected break")),
            _ => Err(self.fail("unassigned simple value")),
        }
    }
}

/// IEEE 754 half precision to f64 (RFC 8949 Appendix D).
fn half_to_f64(bits: u64) -> f64 {
    let exp = (bits >> 10) & 0x1f;
    let mant = bits & 0x3ff;
    let magnitude = match exp {
        0 => f64::from(u32::try_from(mant).unwrap_or(0)) * 2f64.powi(-24),
        31 if mant == 0 => f64::INFINITY,
        31 => f64::NAN,
        _ => {
            f64::from(u32::try_from(mant + 1024).unwrap_or(0))
                * 2f64.powi(i32::try_from(exp).unwrap_or(0) - 25)
        }
    };
    if bits & 0x8000 == 0 {
        magnitude
    } else {
        -magnitude
    }
}

// ---- Encoding ------------------------------------------------------------------------------------

#[cfg(any(test, feature = "issuer"))]
/// Encodes a value with definite lengths and shortest arguments (the preferred serialisation
/// of RFC 8949 §4.1; map entries keep their order). Used for the COSE `Sig_structure`, which must
/// be encoded exactly this way, and by the reference issuer.
#[must_use]
pub fn encode(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    encode_into(value, &mut out);
    out
}

#[cfg(any(test, feature = "issuer"))]
fn encode_into(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Integer(n) => {
            if *n >= 0 {
                head(0, u64::try_from(*n).unwrap_or(u64::MAX), out);
            } else {
                head(1, u64::try_from(-1 - *n).unwrap_or(u64::MAX), out);
            }
        }
        Value::Bytes(b) => {
            head(2, b.len() as u64, out);
            out.extend_from_slice(b);
        }
        Value::Text(s) => {
            head(3, s.len() as u64, out);
            out.extend_from_slice(s.as_bytes());
        }
        Value::Array(items) => {
            head(4, items.len() as u64, out);
            for item in items {
                encode_into(item, out);
            }
        }
        Value::Map(entries) => {
            head(5, entries.len() as u64, out);
            for (k, v) in entries {
                encode_into(k, out);
                encode_into(v, out);
            }
        }
        Value::Tag(tag, inner) => {
            head(6, *tag, out);
            encode_into(inner, out);
        }
        Value::Bool(false) => out.push(0xf4),
        Value::Bool(true) => out.push(0xf5),
        Value::Null => out.push(0xf6),
        Value::Undefined => out.push(0xf7),
        Value::Float(f) => {
            out.push(0xfb);
            out.extend_from_slice(&f.to_bits().to_be_bytes());
        }
    }
}

/// Writes an initial byte and its argument in the shortest form.
pub fn head(major: u8, arg: u64, out: &mut Vec<u8>) {
    let m = major << 5;
    match arg {
        0..=23 => out.push(m | u8::try_from(arg).unwrap_or(0)),
        24..=0xff => {
            out.push(m | 24);
            out.push(u8::try_from(arg).unwrap_or(0));
        }
        0x100..=0xffff => {
            out.push(m | 25);
            out.extend_from_slice(&u16::try_from(arg).unwrap_or(0).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(m | 26);
            out.extend_from_slice(&u32::try_from(arg).unwrap_or(0).to_be_bytes());
        }
        _ => {
            out.push(m | 27);
            out.extend_from_slice(&arg.to_be_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(s.get(i..i + 2).unwrap_or("zz"), 16).unwrap_or(0))
            .collect()
    }

    fn dec(h: &str) -> Result<Value, ErrorCode> {
        decode(&hex(h), &Limits::default(), Rules::default()).map_err(|e| e.code())
    }

    fn dec_indef(h: &str) -> Result<Value, ErrorCode> {
        let rules = Rules {
            allow_indefinite: true,
        };
        decode(&hex(h), &Limits::default(), rules).map_err(|e| e.code())
    }

    #[test]
    fn rfc_8949_appendix_a_examples() {
        use Value::*;
        assert_eq!(dec("00"), Ok(Integer(0)));
        assert_eq!(dec("17"), Ok(Integer(23)));
        assert_eq!(dec("1818"), Ok(Integer(24)));
        assert_eq!(dec("1903e8"), Ok(Integer(1000)));
        assert_eq!(
            dec("1bffffffffffffffff"),
            Ok(Integer(18_446_744_073_709_551_615))
        );
        assert_eq!(
            dec("3bffffffffffffffff"),
            Ok(Integer(-18_446_744_073_709_551_616))
        );
        assert_eq!(dec("20"), Ok(Integer(-1)));
        assert_eq!(dec("3903e7"), Ok(Integer(-1000)));
        assert_eq!(dec("f93c00"), Ok(Float(1.0)));
        assert_eq!(dec("f97bff"), Ok(Float(65504.0)));
        assert_eq!(dec("f90001"), Ok(Float(5.960_464_477_539_063e-8)));
        assert_eq!(dec("f9c400"), Ok(Float(-4.0)));
        assert_eq!(dec("fa47c35000"), Ok(Float(100_000.0)));
        assert_eq!(dec("fb3ff199999999999a"), Ok(Float(1.1)));
        assert_eq!(dec("f4"), Ok(Bool(false)));
        assert_eq!(dec("f6"), Ok(Null));
        assert_eq!(dec("40"), Ok(Bytes(vec![])));
        assert_eq!(dec("4401020304"), Ok(Bytes(vec![1, 2, 3, 4])));
        assert_eq!(dec("6449455446"), Ok(Text("IETF".into())));
        assert_eq!(dec("62c3bc"), Ok(Text("ü".into())));
        assert_eq!(
            dec("8301820203820405"),
            Ok(Array(vec![
                Integer(1),
                Array(vec![Integer(2), Integer(3)]),
                Array(vec![Integer(4), Integer(5)])
            ]))
        );
        assert_eq!(
            dec("a201020304"),
            Ok(Map(vec![
                (Integer(1), Integer(2)),
                (Integer(3), Integer(4))
            ]))
        );
        assert_eq!(
            dec("c074323031332d30332d32315432303a30343a30305a"),
            Ok(Tag(0, Box::new(Text("2013-03-21T20:04:00Z".into()))))
        );
    }

    #[test]
    fn indefinite_lengths_only_where_allowed() {
        // [_ 1, [2, 3], [_ 4, 5]] and {_ "a": 1}
        assert_eq!(dec("9f018202039f0405ffff"), Err(ErrorCode::CborInvalid));
        assert!(dec_indef("9f018202039f0405ffff").is_ok());
        assert_eq!(
            dec_indef("bf616101ff"),
            Ok(Value::Map(vec![(
                Value::Text("a".into()),
                Value::Integer(1)
            )]))
        );
        // Indefinite strings are never accepted.
        assert_eq!(dec_indef("5f42010243030405ff"), Err(ErrorCode::CborInvalid));
        assert_eq!(
            dec_indef("7f657374726561646d696e67ff"),
            Err(ErrorCode::CborInvalid)
        );
        // Missing break.
        assert_eq!(dec_indef("9f0102"), Err(ErrorCode::CborInvalid));
    }

    #[test]
    fn refuses_malformed_items() {
        for bad in [
            "",                   // nothing
            "0000",               // trailing bytes
            "18",                 // truncated argument
            "1c",                 // reserved additional information
            "ff",                 // stray break
            "f818",               // simple value 24: unassigned two-byte simple
            "e0",                 // simple value 0
            "62c3",               // text shorter than its length
            "62c328",             // invalid UTF-8
            "5bffffffffffffffff", // a length no input can hold
            "9bffffffffffffffff", // the same for an array
            "a2010201",           // map missing a value
            "a201020103",         // duplicate key
        ] {
            assert_eq!(dec(bad), Err(ErrorCode::CborInvalid), "{bad}");
        }
    }

    #[test]
    fn duplicate_keys_are_equal_values_not_equal_bytes() {
        for (why, bad) in [
            ("1 and its two-byte encoding", "a20100180102"),
            ("1 and its five-byte encoding", "a201001a0000000102"),
            ("two half-precision NaNs", "a2f97e0001f97e0002"),
            ("NaNs of different payloads", "a2f97e0001f97e0102"),
            ("NaNs of different widths", "a2f97e0001fb7ff800000000000102"),
            ("0.0 and -0.0", "a2f9000001f9800002"),
            (
                "1.0 as half and as double",
                "a2f93c0001fb3ff000000000000002",
            ),
            ("a text twice", "a2616101616102"),
            ("a definite and an indefinite array", "a2820102f69f0102fff6"),
            (
                "maps with the same entries in another order",
                "a2a201020304f6a203040102f6",
            ),
            ("tagged items", "a2c16161f6c16161f6"),
            ("arrays of arrays", "a2818101f6818101f6"),
        ] {
            assert_eq!(dec_indef(bad), Err(ErrorCode::CborInvalid), "{why}");
        }
        for (why, good) in [
            ("an integer and a float of the same value", "a201f6f93c00f6"),
            ("a text and bytes of the same value", "a26161f64161f6"),
            ("tags of different numbers", "a2c10000c20000"),
            ("maps with different values", "a2a10102f6a10103f6"),
            ("arrays of different lengths", "a28101f6820101f6"),
            ("a NaN and an infinity", "a2f97e00f6f97c00f6"),
        ] {
            assert!(dec_indef(good).is_ok(), "{why}");
        }
    }

    #[test]
    fn duplicate_keys_are_found_among_many_and_deep_keys() {
        // The most keys a document may hold, each an array nested as deep as allowed; the last
        // repeats the first. Comparing decoded values made this quadratic and recursive.
        let limits = Limits::default();
        let deep_key = |n: u16| {
            let mut key = Value::Integer(i128::from(n));
            for _ in 0..limits.depth() - 2 {
                key = Value::Array(vec![key]);
            }
            key
        };
        let keys = 150;
        let mut entries: Vec<(Value, Value)> =
            (0..keys).map(|n| (deep_key(n), Value::Null)).collect();
        let unique = encode(&Value::Map(entries.clone()));
        assert!(decode(&unique, &limits, Rules::default()).is_ok());
        entries.push((deep_key(0), Value::Null));
        let repeated = encode(&Value::Map(entries));
        let error = decode(&repeated, &limits, Rules::default()).err();
        assert_eq!(
            error.as_ref().map(Error::code),
            Some(ErrorCode::CborInvalid)
        );
        assert!(
            error
                .as_ref()
                .and_then(Error::detail)
                .is_some_and(|d| d.ends_with("duplicate map key")),
            "{error:?}"
        );
        // Flat: the most items a document may hold, in one map of integer keys.
        let flat: Vec<(Value, Value)> = (0..4999)
            .map(|n| (Value::Integer(n), Value::Null))
            .collect();
        assert!(decode(&encode(&Value::Map(flat)), &limits, Rules::default()).is_ok());
    }

    #[test]
    fn a_raised_depth_limit_stops_at_the_ceiling() {
        let limits = Limits {
            max_depth: usize::MAX,
            ..Limits::default()
        };
        assert_eq!(limits.depth(), Limits::MAX_DEPTH);
        let nested = |levels: usize| hex(&("81".repeat(levels) + "00"));
        assert!(decode(&nested(Limits::MAX_DEPTH - 1), &limits, Rules::default()).is_ok());
        assert_eq!(
            decode(&nested(Limits::MAX_DEPTH + 1), &limits, Rules::default()).map_err(|e| e.code()),
            Err(ErrorCode::CborInvalid)
        );
    }

    #[test]
    fn bounds_depth_and_items() {
        let limits = Limits {
            max_depth: 2,
            max_items: 6,
            ..Limits::default()
        };
        let code = |h: &str| {
            decode(&hex(h), &limits, Rules::default())
                .map(|_| ())
                .map_err(|e| e.code())
        };
        assert_eq!(code("818100"), Ok(())); // [[0]]: the 0 is at depth 2
        assert_eq!(code("81818100"), Err(ErrorCode::CborInvalid)); // [[[0]]]: depth 3
        assert_eq!(code("c1c100"), Ok(()));
        assert_eq!(code("c1c1c100"), Err(ErrorCode::CborInvalid)); // tags nest too
        assert_eq!(code("850000000000"), Ok(())); // 6 items
        assert_eq!(code("86000000000000"), Err(ErrorCode::CborInvalid)); // 7 items
                                                                         // The default depth limit stops a long chain of tags.
        let deep = "c6".repeat(100) + "00";
        assert_eq!(
            decode(&hex(&deep), &Limits::default(), Rules::default()).map_err(|e| e.code()),
            Err(ErrorCode::CborInvalid)
        );
    }

    #[test]
    fn encoder_round_trips_and_uses_shortest_heads() {
        let value = Value::Array(vec![
            Value::Text("Signature1".into()),
            Value::Bytes(vec![0xa1, 0x01, 0x26]),
            Value::Bytes(vec![]),
            Value::Map(vec![
                (Value::Integer(-260), Value::Integer(1_000_000)),
                (Value::Integer(-1), Value::Bool(true)),
            ]),
            Value::Tag(18, Box::new(Value::Null)),
            Value::Float(1.5),
        ]);
        let bytes = encode(&value);
        assert_eq!(
            decode(&bytes, &Limits::default(), Rules::default()).ok(),
            Some(value)
        );
        assert_eq!(encode(&Value::Integer(24)), hex("1818"));
        assert_eq!(encode(&Value::Integer(-65537)), hex("3a00010000"));
        assert_eq!(encode(&Value::Integer(65535)), hex("19ffff"));
    }

    /// A map whose only key is a map whose only key is ... `depth` levels, the innermost `{"k": 1}`.
    fn map_keyed_by_maps(depth: usize) -> Value {
        let mut value = Value::Map(vec![(Value::Text("k\"\\".into()), Value::Integer(1))]);
        for _ in 0..depth {
            value = Value::Map(vec![(value, Value::Integer(0))]);
        }
        value
    }

    #[test]
    fn keys_that_are_maps_of_maps_render_in_their_own_size() {
        // Rendered as JSON text and escaped again at each level, 31 levels made gigabytes.
        for depth in [1, 10, 31] {
            let value = map_keyed_by_maps(depth);
            let encoded = encode(&value).len();
            let json = value.to_json().to_string();
            assert!(
                json.len() <= 16 * encoded,
                "depth {depth}: {} bytes of JSON from {encoded} bytes of CBOR",
                json.len()
            );
        }
        let one = map_keyed_by_maps(1).to_json().to_string();
        assert_eq!(one, r#"{"{\"k\\\"\\\\\": 1}":0}"#);
    }

    #[test]
    fn diagnostic_notation_is_bounded_and_marks_truncation() {
        let v = dec("a3016241420443010203390103f6").unwrap_or(Value::Null);
        assert_eq!(v.diagnostic(100), r#"{1: "AB", 4: h'010203', -260: null}"#);
        assert_eq!(v.diagnostic(8), "{1: \"AB\"…");
        let deep = map_keyed_by_maps(31);
        assert_eq!(deep.diagnostic(64).chars().count(), 65);
        assert_eq!(Value::Bytes(vec![0xab; 1000]).diagnostic(10), "h'abababab…");
        assert_eq!(
            Value::Text("a\u{2028}\n".into()).diagnostic(100),
            r#""a\u2028\u000a""#
        );
        assert_eq!(
            Value::Tag(1, Box::new(Value::Float(f64::NAN))).diagnostic(100),
            "1(NaN)"
        );
        let floats = Value::Array(vec![
            Value::Float(1.0),
            Value::Float(-0.5),
            Value::Float(f64::NEG_INFINITY),
        ]);
        assert_eq!(floats.diagnostic(100), "[1.0, -0.5, -Infinity]");
    }

    #[test]
    fn json_rendering() {
        let v = dec("a3016241420443010203390103f6").unwrap_or(Value::Null);
        assert_eq!(
            v.to_json(),
            serde_json::json!({"1": "AB", "4": "AQID", "-260": null})
        );
    }
}
