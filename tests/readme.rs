//! The README is part of the public API: its error-code and warning tables must list exactly
//! the codes the crate can return, its option tables the core's options ([`POLICY_OPTIONS`]), its
//! command line every flag and format; docs/trust.md names the issuer identity of every format.
//! A format, code or option added to the core without its documentation fails here.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion

use std::collections::BTreeSet;

use vneid_verify::{ErrorCode, Format, WarningCode, POLICY_OPTIONS};

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

/// Fails naming what `listed` lacks of `expected` and what it has beyond it.
fn assert_lists(expected: &BTreeSet<String>, listed: &BTreeSet<String>, what: &str) {
    let missing: Vec<_> = expected.difference(listed).collect();
    let unknown: Vec<_> = listed.difference(expected).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "{what}: missing {missing:?}, unknown {unknown:?}"
    );
}

#[test]
fn readme_lists_every_error_and_warning_code_and_no_other() {
    let readme = file("README.md");
    let listed = table_codes(section(&readme, "## Error codes"));
    let mut expected: BTreeSet<String> = ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    expected.extend(WarningCode::ALL.iter().map(|c| c.as_str().to_owned()));
    assert_lists(&expected, &listed, "README ## Error codes");
}

/// The backticked names in the first cell of each table row of `text`.
fn first_cells(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('|').next())
        .flat_map(|cell| {
            format!("`{cell}")
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// `text` from `heading` to the next heading of any level.
fn subsection<'a>(text: &'a str, heading: &str) -> &'a str {
    let start = text.find(heading).unwrap_or_else(|| panic!("no {heading}"));
    let rest = &text[start + heading.len()..];
    &rest[..rest.find("\n#").unwrap_or(rest.len())]
}

/// Whether `text` has `word` not followed by more of a flag or name (`--at` is not `--attach`).
fn names(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        !text[i + word.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    })
}

fn file(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn readme_documents_every_javascript_option_and_no_other() {
    let readme = file("README.md");
    let listed = table_codes(subsection(&readme, "### `new Verifier(trust, options?)`"));
    let expected: BTreeSet<String> = POLICY_OPTIONS
        .iter()
        .map(|o| o.name)
        .chain(["trustRoots", "trustState"])
        .map(str::to_owned)
        .collect();
    assert_lists(&expected, &listed, "README, the options of new Verifier");
    // The options of one call are named where `verify` is.
    let call = subsection(&readme, "### `verifier.verify(");
    for option in POLICY_OPTIONS.iter().filter(|o| o.per_call) {
        assert!(names(call, option.name), "README, verify: {}", option.name);
    }
}

#[test]
fn readme_command_line_names_every_policy_flag_and_format() {
    let readme = file("README.md");
    let cli = section(&readme, "## Command line");
    for option in POLICY_OPTIONS {
        assert!(
            names(cli, option.flag),
            "README ## Command line: {}",
            option.flag
        );
    }
    for format in Format::ALL.iter().filter(|f| **f != Format::Unknown) {
        assert!(
            cli.contains(&format!("`{}`", format.as_str())),
            "README ## Command line, --format: {}",
            format.as_str()
        );
    }
}

#[test]
fn docs_trust_names_the_issuer_identity_of_every_format() {
    let trust = file("docs/trust.md");
    let listed = first_cells(section(&trust, "## Issuer identity"));
    let expected: BTreeSet<String> = Format::ALL
        .iter()
        .filter(|f| **f != Format::Unknown)
        .map(|f| f.as_str().to_owned())
        .collect();
    assert_lists(&expected, &listed, "docs/trust.md ## Issuer identity");
}
