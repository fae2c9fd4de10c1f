//! PEM (RFC 7468): one labelled block of standard base64, as found in key and certificate files.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

/// Extracts and decodes every PEM block with `label` (e.g. `PUBLIC KEY`, `CERTIFICATE`), in order.
/// Returns `None` when a block is unterminated or its base64 is invalid; an empty vector when the
/// text has no such block.
#[must_use]
pub fn decode_all(text: &str, label: &str) -> Option<Vec<Vec<u8>>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&begin) {
        let after = rest.get(start + begin.len()..)?;
        let stop = after.find(&end)?;
        let body: String = after
            .get(..stop)?
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        blocks.push(STANDARD.decode(body).ok()?);
        rest = after.get(stop + end.len()..)?;
    }
    Some(blocks)
}

/// True when the text looks like PEM (has a `-----BEGIN ` line).
#[must_use]
pub fn is_pem(text: &str) -> bool {
    text.contains("-----BEGIN ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_blocks_in_order() {
        let text = "x\n-----BEGIN A-----\nAQI=\n-----END A-----\n-----BEGIN B-----\nAw==\n-----END B-----\n-----BEGIN A-----\nBA==\n-----END A-----";
        assert_eq!(decode_all(text, "A"), Some(vec![vec![1, 2], vec![4]]));
        assert_eq!(decode_all(text, "C"), Some(vec![]));
        assert_eq!(decode_all("-----BEGIN A-----\nAQI=\n", "A"), None);
        assert_eq!(
            decode_all("-----BEGIN A-----\n!!\n-----END A-----", "A"),
            None
        );
    }
}
