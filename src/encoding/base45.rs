//! Base45 (RFC 9285), the text encoding of the EU DCC and VNeID document QR codes: every two bytes
//! become three characters of the QR alphanumeric alphabet, a last odd byte two characters.
//!
//! Decoding is strict: only the 45 characters of the alphabet (upper case; no lower case, no
//! whitespace), a length that is not `1 (mod 3)`, and no group whose value exceeds what its bytes
//! can hold (65 535 for a triple, 255 for a final pair). Each of these has exactly one encoding,
//! so a decoded value has exactly one text form.

use crate::error::{Error, ErrorCode};

#[cfg(any(test, feature = "issuer"))]
/// The alphabet, in value order (RFC 9285 §4).
const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Value of one character, or `None` outside the alphabet.
fn value(c: u8) -> Option<u32> {
    let v = match c {
        b'0'..=b'9' => c - b'0',
        b'A'..=b'Z' => c - b'A' + 10,
        b' ' => 36,
        b'$' => 37,
        b'%' => 38,
        b'*' => 39,
        b'+' => 40,
        b'-' => 41,
        b'.' => 42,
        b'/' => 43,
        b':' => 44,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Decodes base45 text.
///
/// # Errors
/// `base45_invalid`, with the offset of the first bad character or group.
pub fn decode(text: &str) -> Result<Vec<u8>, Error> {
    let bytes = text.as_bytes();
    if bytes.len() % 3 == 1 {
        return Err(Error::with_detail(
            ErrorCode::Base45Invalid,
            format!("length {} leaves a single character", bytes.len()),
        ));
    }
    let mut out = Vec::with_capacity(bytes.len() / 3 * 2 + 1);
    for (index, group) in bytes.chunks(3).enumerate() {
        let offset = index * 3;
        let mut n: u32 = 0;
        // Characters are little-endian within a group: c + d·45 + e·45².
        for (i, &c) in group.iter().enumerate().rev() {
            let v = value(c).ok_or_else(|| {
                Error::with_detail(
                    ErrorCode::Base45Invalid,
                    format!("character {:?} at offset {}", char::from(c), offset + i),
                )
            })?;
            n = n * 45 + v;
        }
        if group.len() == 3 {
            let pair = u16::try_from(n).map_err(|_| too_large(offset))?;
            out.extend_from_slice(&pair.to_be_bytes());
        } else {
            out.push(u8::try_from(n).map_err(|_| too_large(offset))?);
        }
    }
    Ok(out)
}

fn too_large(offset: usize) -> Error {
    Error::with_detail(
        ErrorCode::Base45Invalid,
        format!("group at offset {offset} is too large"),
    )
}

#[cfg(any(test, feature = "issuer"))]
/// Encodes bytes as base45 text.
#[must_use]
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(2) * 3);
    let mut push = |mut n: usize, count: usize| {
        for _ in 0..count {
            if let Some(&c) = ALPHABET.get(n % 45) {
                out.push(char::from(c));
            }
            n /= 45;
        }
    };
    for pair in bytes.chunks(2) {
        match *pair {
            [a, b] => push(usize::from(a) << 8 | usize::from(b), 3),
            [a] => push(usize::from(a), 2),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Result<Vec<u8>, ErrorCode> {
        decode(s).map_err(|e| e.code())
    }

    #[test]
    fn rfc_9285_examples() {
        // RFC 9285 §4.3 and §4.4.
        assert_eq!(encode(b"AB"), "BB8");
        assert_eq!(encode(b"Hello!!"), "%69 VD92EX0");
        assert_eq!(encode(b"base-45"), "UJCLQE7W581");
        assert_eq!(encode(b"ietf!"), "QED8WEX0");
        assert_eq!(dec("QED8WEX0"), Ok(b"ietf!".to_vec()));
        assert_eq!(dec("%69 VD92EX0"), Ok(b"Hello!!".to_vec()));
        assert_eq!(dec(""), Ok(vec![]));
    }

    #[test]
    fn round_trips_every_byte_pair_boundary() {
        for data in [
            vec![0u8],
            vec![255],
            vec![0, 0],
            vec![255, 255],
            vec![1, 2, 3],
            (0..=255).collect(),
        ] {
            assert_eq!(dec(&encode(&data)), Ok(data));
        }
    }

    #[test]
    fn refuses_what_has_no_canonical_meaning() {
        // RFC 9285 §6: "GGW" is 65 536 + ... > 65 535.
        assert_eq!(dec("GGW"), Err(ErrorCode::Base45Invalid));
        // The largest triple, ":::" = 91 124, is out of range; "FGW" = 65 535 is the largest valid.
        assert_eq!(dec(":::"), Err(ErrorCode::Base45Invalid));
        assert_eq!(dec("FGW"), Ok(vec![255, 255]));
        // A final pair above 255.
        assert_eq!(dec("U5"), Ok(vec![255]));
        assert_eq!(dec("V5"), Err(ErrorCode::Base45Invalid));
        // Length 1 mod 3.
        assert_eq!(dec("A"), Err(ErrorCode::Base45Invalid));
        assert_eq!(dec("BB8A"), Err(ErrorCode::Base45Invalid));
        // Lower case, other characters, non-ASCII.
        assert_eq!(dec("bb8"), Err(ErrorCode::Base45Invalid));
        assert_eq!(dec("BB\n"), Err(ErrorCode::Base45Invalid));
        assert_eq!(dec("BB="), Err(ErrorCode::Base45Invalid));
        assert_eq!(dec("BÀ"), Err(ErrorCode::Base45Invalid));
    }
}
