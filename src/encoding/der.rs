//! A strict reader for the DER subset that X.509 certificates use: single-byte tags, definite
//! minimal lengths, and nothing past the end. Every read is bounds-checked against the input.

/// A DER parse failure, with a short reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DerError(pub &'static str);

/// Universal tags used by X.509.
pub mod tag {
    /// BOOLEAN
    pub const BOOLEAN: u8 = 0x01;
    /// INTEGER
    pub const INTEGER: u8 = 0x02;
    /// BIT STRING
    pub const BIT_STRING: u8 = 0x03;
    /// OCTET STRING
    pub const OCTET_STRING: u8 = 0x04;
    /// OBJECT IDENTIFIER
    pub const OID: u8 = 0x06;
    /// UTCTime
    pub const UTC_TIME: u8 = 0x17;
    /// GeneralizedTime
    pub const GENERALIZED_TIME: u8 = 0x18;
    /// SEQUENCE (constructed)
    pub const SEQUENCE: u8 = 0x30;
    /// SET (constructed)
    pub const SET: u8 = 0x31;
}

/// One TLV element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Element<'a> {
    /// The identifier octet.
    pub tag: u8,
    /// The contents.
    pub content: &'a [u8],
    /// The whole encoding (identifier, length and contents).
    pub raw: &'a [u8],
}

/// A cursor over DER elements.
#[derive(Clone, Copy, Debug)]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader over `input`.
    #[must_use]
    pub const fn new(input: &'a [u8]) -> Self {
        Reader { rest: input }
    }

    /// True when nothing is left.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The tag of the next element, without consuming it.
    #[must_use]
    pub fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Reads the next element.
    ///
    /// # Errors
    /// Truncation, a multi-byte tag, an indefinite or non-minimal length.
    pub fn read(&mut self) -> Result<Element<'a>, DerError> {
        let input = self.rest;
        let (&tag, after_tag) = input.split_first().ok_or(DerError("truncated"))?;
        if tag & 0x1f == 0x1f {
            return Err(DerError("multi-byte tags are not used in certificates"));
        }
        let (&first, mut after_len) = after_tag.split_first().ok_or(DerError("truncated"))?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let count = usize::from(first & 0x7f);
            if count == 0 {
                return Err(DerError("indefinite length"));
            }
            if count > 4 {
                return Err(DerError("length too large"));
            }
            let (bytes, rest) = after_len
                .split_at_checked(count)
                .ok_or(DerError("truncated"))?;
            after_len = rest;
            let len = bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            if bytes.first() == Some(&0) || len < 0x80 {
                return Err(DerError("non-minimal length"));
            }
            len
        };
        let (content, rest) = after_len
            .split_at_checked(len)
            .ok_or(DerError("truncated"))?;
        let header_len = input.len() - after_len.len();
        let raw = input.get(..header_len + len).ok_or(DerError("truncated"))?;
        self.rest = rest;
        Ok(Element { tag, content, raw })
    }

    /// Reads the next element and checks its tag.
    ///
    /// # Errors
    /// As [`Reader::read`], or an unexpected tag.
    pub fn expect(&mut self, tag: u8, what: &'static str) -> Result<Element<'a>, DerError> {
        let element = self.read()?;
        if element.tag == tag {
            Ok(element)
        } else {
            Err(DerError(what))
        }
    }

    /// Reads the next element if it has `tag`.
    ///
    /// # Errors
    /// As [`Reader::read`].
    pub fn optional(&mut self, tag: u8) -> Result<Option<Element<'a>>, DerError> {
        if self.peek_tag() == Some(tag) {
            self.read().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Fails unless the input is exhausted.
    ///
    /// # Errors
    /// `trailing data`.
    pub fn finish(&self) -> Result<(), DerError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(DerError("trailing data"))
        }
    }
}

/// The bytes of a BIT STRING with no unused bits (keys and signatures).
///
/// # Errors
/// When the first octet (unused bits) is not zero.
pub fn bit_string_bytes(content: &[u8]) -> Result<&[u8], DerError> {
    match content.split_first() {
        Some((0, bytes)) => Ok(bytes),
        _ => Err(DerError("bit string with unused bits")),
    }
}

/// The magnitude of a non-negative DER INTEGER, without the sign octet.
///
/// # Errors
/// Empty, negative or non-minimal encodings.
pub fn unsigned_integer(content: &[u8]) -> Result<&[u8], DerError> {
    match content {
        [] => Err(DerError("empty integer")),
        [b, ..] if b & 0x80 != 0 => Err(DerError("negative integer")),
        [0, b, ..] if b & 0x80 == 0 => Err(DerError("non-minimal integer")),
        [0, rest @ ..] if !rest.is_empty() => Ok(rest),
        _ => Ok(content),
    }
}

/// Dotted-decimal text of an OBJECT IDENTIFIER's contents.
///
/// # Errors
/// Empty or non-minimal arcs, or arcs beyond 64 bits.
pub fn oid_string(content: &[u8]) -> Result<String, DerError> {
    let mut arcs: Vec<u64> = Vec::new();
    let mut value: u64 = 0;
    let mut in_arc = false;
    for &b in content {
        if !in_arc && b == 0x80 {
            return Err(DerError("non-minimal OID arc"));
        }
        value = value
            .checked_mul(128)
            .ok_or(DerError("OID arc too large"))?
            | u64::from(b & 0x7f);
        in_arc = b & 0x80 != 0;
        if !in_arc {
            arcs.push(value);
            value = 0;
        }
    }
    if in_arc || arcs.is_empty() {
        return Err(DerError("truncated OID"));
    }
    let mut out = String::new();
    let first = arcs.first().copied().unwrap_or(0);
    let (a, b) = if first < 40 {
        (0, first)
    } else if first < 80 {
        (1, first - 40)
    } else {
        (2, first - 80)
    };
    out.push_str(&format!("{a}.{b}"));
    for arc in arcs.iter().skip(1) {
        out.push_str(&format!(".{arc}"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nested_elements_strictly() {
        // SEQUENCE { INTEGER 5, OID 1.2.840.10045.2.1 }
        let der = [
            0x30, 0x0c, 0x02, 0x01, 0x05, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
        ];
        let mut r = Reader::new(&der);
        let seq = r.expect(tag::SEQUENCE, "seq");
        assert!(r.finish().is_ok());
        let mut inner = Reader::new(seq.map(|s| s.content).unwrap_or_default());
        assert_eq!(
            inner.expect(tag::INTEGER, "int").map(|e| e.content),
            Ok(&[5u8][..])
        );
        let oid = inner.expect(tag::OID, "oid").map(|e| oid_string(e.content));
        assert_eq!(oid, Ok(Ok("1.2.840.10045.2.1".into())));
    }

    #[test]
    fn refuses_non_der() {
        for bad in [
            &[0x30, 0x80, 0, 0][..],
            &[0x30, 0x81, 0x05, 1, 2, 3, 4, 5],
            &[0x30, 0x05, 1],
            &[0x1f, 0x01, 0x00],
        ] {
            assert!(Reader::new(bad).read().is_err(), "{bad:?}");
        }
        assert!(unsigned_integer(&[0x00, 0x7f]).is_err());
        assert!(unsigned_integer(&[0x80]).is_err());
        assert_eq!(unsigned_integer(&[0x00, 0x80]), Ok(&[0x80u8][..]));
        assert!(oid_string(&[0x2a, 0x80, 0x01]).is_err());
        assert_eq!(oid_string(&[0x2a, 0x81, 0x01]), Ok("1.2.129".into()));
        assert!(oid_string(&[0x2a, 0x86]).is_err());
    }
}
