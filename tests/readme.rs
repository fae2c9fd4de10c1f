//! The README is part of the public API: its error-code and warning tables must list exactly
//! the codes the crate can return.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion

use std::collections::BTreeSet;

use vneid_verify::{ErrorCode, WarningCode};

fn section<'a>(readme: &'a str, heading: &str) -> &'a str {
    let start = readme
        .find(heading)
        .unwrap_or_else(|| panic!("README has no {heading}"));
    let rest = &readme[start + heading.len()..];
    &rest[..rest.find("\n## ").unwrap_or(rest.len())]
}

/// Codes in the first column of the tables: rows that start with "| `code` |".
fn table_codes(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`').map(|(code, _)| code.to_owned()))
        .collect()
}

#[test]
fn readme_lists_every_error_and_warning_code_and_no_other() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let listed = table_codes(section(&readme, "## Error codes"));
    let mut expected: BTreeSet<String> = ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    expected.extend(WarningCode::ALL.iter().map(|c| c.as_str().to_owned()));
    let missing: Vec<_> = expected.difference(&listed).collect();
    let unknown: Vec<_> = listed.difference(&expected).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "README ## Error codes: missing {missing:?}, unknown {unknown:?}"
    );
}
