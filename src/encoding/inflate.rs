//! Bounded decompression: zlib (RFC 1950, EU DCC, the VNeID document QR, status lists) and raw
//! DEFLATE (RFC 1951, SMART Health Cards). Output stops at the limit, so an inflate bomb costs at
//! most about `max_len` bytes of memory and is refused with `decompressed_too_large`.
//!
//! The output grows by doubling, never past `max_len` (`reserve_exact`): while it moves to a
//! larger buffer both are alive, so the peak is at most 1.5 × `max_len`, whatever the input
//! claims.

use miniz_oxide::inflate::stream::{inflate, InflateState};
use miniz_oxide::inflate::TINFLStatus;
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

use crate::error::{Error, ErrorCode};

/// Inflates zlib data (header and Adler-32 checked) to at most `max_len` bytes.
///
/// # Errors
/// `decompressed_too_large` past the limit; `inflate_failed` for corrupt or truncated data.
pub fn zlib(data: &[u8], max_len: usize) -> Result<Vec<u8>, Error> {
    bounded(data, max_len, DataFormat::Zlib)
}

/// Inflates raw DEFLATE data to at most `max_len` bytes.
///
/// # Errors
/// `decompressed_too_large` past the limit; `inflate_failed` for corrupt or truncated data.
pub fn raw(data: &[u8], max_len: usize) -> Result<Vec<u8>, Error> {
    bounded(data, max_len, DataFormat::Raw)
}

fn bounded(mut data: &[u8], max_len: usize, format: DataFormat) -> Result<Vec<u8>, Error> {
    let mut state = InflateState::new_boxed(format);
    let mut chunk = vec![0u8; 32 * 1024];
    let mut out: Vec<u8> = Vec::new();
    loop {
        let result = inflate(&mut state, data, &mut chunk, MZFlush::None);
        data = data.get(result.bytes_consumed..).unwrap_or_default();
        let written = chunk.get(..result.bytes_written).unwrap_or_default();
        let needed = out.len() + written.len();
        if needed > max_len {
            return Err(failure(TINFLStatus::HasMoreOutput, max_len));
        }
        if needed > out.capacity() {
            let grown = out.capacity().saturating_mul(2).max(needed).min(max_len);
            out.reserve_exact(grown - out.len());
        }
        out.extend_from_slice(written);
        match result.status {
            Ok(MZStatus::StreamEnd) => return Ok(out),
            Ok(_) if result.bytes_consumed > 0 || result.bytes_written > 0 => {}
            Ok(_) | Err(MZError::Buf) => return Err(failure(TINFLStatus::NeedsMoreInput, max_len)),
            Err(_) => return Err(failure(state.last_status(), max_len)),
        }
    }
}

fn failure(status: TINFLStatus, max_len: usize) -> Error {
    match status {
        TINFLStatus::HasMoreOutput => Error::with_detail(
            ErrorCode::DecompressedTooLarge,
            format!("limit {max_len} bytes"),
        )
        .limit(max_len),
        TINFLStatus::Adler32Mismatch => {
            Error::with_detail(ErrorCode::InflateFailed, "checksum mismatch")
        }
        TINFLStatus::NeedsMoreInput | TINFLStatus::FailedCannotMakeProgress => {
            Error::with_detail(ErrorCode::InflateFailed, "truncated")
        }
        _ => Error::new(ErrorCode::InflateFailed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // zlib of b"hello hello hello hello" (level 9), and the same as raw DEFLATE.
    const ZLIB: [u8; 16] = [
        0x78, 0xda, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x57, 0xc8, 0x40, 0x27, 0x01, 0x68, 0x03, 0x08,
        0xb1,
    ];

    #[test]
    fn inflates_within_the_limit() {
        let zlib_text = zlib(&ZLIB, 1024).map_err(|e| e.code());
        assert_eq!(zlib_text.as_deref(), Ok(&b"hello hello hello hello"[..]));
        let raw_part = ZLIB.get(2..ZLIB.len() - 4).unwrap_or_default();
        assert_eq!(
            raw(raw_part, 1024).map_err(|e| e.code()).as_deref(),
            Ok(&b"hello hello hello hello"[..])
        );
    }

    #[test]
    fn refuses_bombs_corruption_and_truncation() {
        assert_eq!(
            zlib(&ZLIB, 10).map_err(|e| e.code()),
            Err(ErrorCode::DecompressedTooLarge)
        );
        let mut corrupt = ZLIB;
        corrupt[ZLIB.len() - 1] ^= 1;
        assert_eq!(
            zlib(&corrupt, 1024).map_err(|e| e.code()),
            Err(ErrorCode::InflateFailed)
        );
        assert_eq!(
            zlib(ZLIB.get(..8).unwrap_or_default(), 1024).map_err(|e| e.code()),
            Err(ErrorCode::InflateFailed)
        );
        assert_eq!(
            zlib(b"not zlib", 1024).map_err(|e| e.code()),
            Err(ErrorCode::InflateFailed)
        );
        // A megabyte of zeros compresses to about a kilobyte; the limit stops it early.
        let bomb = {
            let zeros = vec![0u8; 1 << 20];
            miniz_oxide::deflate::compress_to_vec_zlib(&zeros, 9)
        };
        assert!(bomb.len() < 2048);
        assert_eq!(
            zlib(&bomb, 64 * 1024).map_err(|e| e.code()),
            Err(ErrorCode::DecompressedTooLarge)
        );
    }
}
