//! What the scanner prints: one JSON verdict per line, or one short line a person can read.
//!
//! Human lines start with a fixed word, so a script or a display can key on it:
//!
//! ```text
//! VERIFIED  Nguyễn Văn An  vneid_token level 2  (kid test-key-1)
//! NOT VERIFIED  vneid_token  expired: It has expired
//! UNSIGNED  Nguyễn Văn An  cccd_qr  This QR code has no signature; compare the fields with the card
//! PARTIAL  shc  1 of 3 chunks read; missing 2, 3
//! ```
//!
//! Warnings follow as `  warnings: clock_unset, …`. Text taken from a payload (a name) is shown
//! without control or bidirectional-formatting characters and cut at 64 characters (messages at 240), so an unsigned
//! QR cannot forge a second line or reorder what the agent reads. JSON needs no such care: its
//! encoder escapes control characters.

use vneid_verify::{ErrorCode, Format, Verdict};

use vneid_verify::ChunkProgress;

/// `--output`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// One JSON verdict per line (the same object `verify` prints).
    Json,
    /// One short line per verdict for a person.
    Human,
}

impl Output {
    /// Parses `--output json|human`.
    pub fn parse(value: Option<&str>) -> Result<Output, String> {
        match value {
            None | Some("json") => Ok(Output::Json),
            Some("human") => Ok(Output::Human),
            Some(other) => Err(format!("--output: \"{other}\" is not json or human")),
        }
    }

    /// The line for a partly read multi-QR card, if this output shows progress (human only: a
    /// JSON stream holds verdicts and nothing else).
    pub fn partial(self, progress: &ChunkProgress) -> Option<String> {
        match self {
            Output::Json => None,
            Output::Human => Some(format!(
                "PARTIAL  shc  {} of {} chunks read; missing {}",
                progress.received,
                progress.total,
                join(progress.missing.iter().map(ToString::to_string))
            )),
        }
    }
}

/// The human line for a verdict.
pub fn human(v: &Verdict) -> String {
    let mut line = if v.valid {
        let mut what = v.format.as_str().to_owned();
        if let Some(level) = v.level {
            what.push_str(&format!(" level {level}"));
        }
        if let Some(doc) = &v.document {
            if doc.doc_type != v.format.as_str() {
                what.push_str(&format!(" {}", clean(&doc.doc_type, NAME_MAX)));
            }
        }
        let mut line = format!("VERIFIED  {}  {what}", who(v));
        if let Some(kid) = &v.kid {
            line.push_str(&format!("  (kid {})", clean(kid, NAME_MAX)));
        }
        line
    } else if v.code == Some(ErrorCode::Unsigned) {
        let what = v.document.as_ref().map_or_else(
            || v.format.as_str().to_owned(),
            |d| clean(&d.doc_type, NAME_MAX),
        );
        format!(
            "UNSIGNED  {}  {what}  {}",
            who(v),
            clean(&v.message, MESSAGE_MAX)
        )
    } else {
        let code = v.code.map_or("invalid", ErrorCode::as_str);
        let reason = format!("{code}: {}", clean(&v.message, MESSAGE_MAX));
        match v.format {
            Format::Unknown => format!("NOT VERIFIED  {reason}"),
            format => format!("NOT VERIFIED  {}  {reason}", format.as_str()),
        }
    };
    if !v.warnings.is_empty() {
        line.push_str("  warnings: ");
        line.push_str(&join(v.warnings.iter().map(|w| w.code.as_str().to_owned())));
    }
    line
}

/// The holder's name as the payload gives it (the verdict's `holder`), else the subject.
fn who(v: &Verdict) -> String {
    v.holder
        .as_ref()
        .and_then(|h| h.name.clone())
        .or_else(|| v.subject.clone())
        .map_or_else(|| String::from("(no name)"), |n| clean(&n, NAME_MAX))
}

/// Most characters shown of a name or a document type.
const NAME_MAX: usize = 64;
/// Most characters shown of a message (its detail may quote the payload).
const MESSAGE_MAX: usize = 240;

/// Text made safe for one terminal line: no control or bidi-formatting characters, at most `max`
/// characters.
pub fn clean(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max * 4));
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        out.push(if is_unsafe_on_a_line(c) {
            '\u{fffd}'
        } else {
            c
        });
    }
    out
}

fn is_unsafe_on_a_line(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200b}'..='\u{200f}' // zero-width, LRM, RLM
            | '\u{2028}'..='\u{202e}' // line/paragraph separators, bidi embeddings and overrides
            | '\u{2060}'..='\u{2069}' // word joiner, bidi isolates
            | '\u{feff}')
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use vneid_verify::{Document, Error, Holder, Warning, WarningCode};

    fn named(name: &str) -> Option<Holder> {
        Holder::of(Some(name), None)
    }

    fn token(name: Option<&str>) -> Verdict {
        let mut v = Verdict::verified(Format::VneidToken);
        v.subject = Some("079305004321".into());
        v.level = Some(2);
        v.kid = Some("test-key-1".into());
        v.claims = Some(match name {
            Some(n) => json!({"sub": "079305004321", "name": n}),
            None => json!({"sub": "079305004321"}),
        });
        v.holder = name.and_then(named);
        v
    }

    #[test]
    fn verified_lines_name_the_holder_the_document_and_the_key() {
        assert_eq!(
            human(&token(Some("Nguyễn Văn An"))),
            "VERIFIED  Nguyễn Văn An  vneid_token level 2  (kid test-key-1)"
        );
        assert_eq!(
            human(&token(None)),
            "VERIFIED  079305004321  vneid_token level 2  (kid test-key-1)"
        );
        let mut v = Verdict::verified(Format::Shc);
        v.document = Some(Document {
            doc_type: "shc".into(),
            fields: json!({"patient": {"name": "John B. Anyperson"}}),
        });
        v.holder = named("John B. Anyperson");
        assert_eq!(human(&v), "VERIFIED  John B. Anyperson  shc");
        let mut v = Verdict::verified(Format::VdsNc);
        v.kid = Some("18AD".into());
        v.document = Some(Document {
            doc_type: "vds_nc".into(),
            fields: json!({"person": {"name": "CITIZEN  JANE SUE"}}),
        });
        v.holder = named("CITIZEN  JANE SUE");
        assert_eq!(human(&v), "VERIFIED  CITIZEN  JANE SUE  vds_nc  (kid 18AD)");
        let mut v = Verdict::verified(Format::EuDcc);
        v.document = Some(Document {
            doc_type: "eu_dcc".into(),
            fields: json!({"familyNameTransliterated": "NGUYEN", "givenNameTransliterated": "VAN<AN"}),
        });
        v.holder = named("NGUYEN VAN<AN");
        assert_eq!(human(&v), "VERIFIED  NGUYEN VAN<AN  eu_dcc");
        let mut v = Verdict::verified(Format::VneidDocument);
        v.document = Some(Document {
            doc_type: "driving_licence".into(),
            fields: json!({"fullName": "Trần Thị Bình"}),
        });
        v.holder = named("Trần Thị Bình");
        assert_eq!(
            human(&v),
            "VERIFIED  Trần Thị Bình  vneid_document driving_licence"
        );
    }

    #[test]
    fn rejections_say_what_and_why() {
        let v = Verdict::rejected(
            Format::VneidToken,
            &Error::with_detail(ErrorCode::Expired, "exp 2026-11-22T01:10:00Z"),
        );
        assert_eq!(
            human(&v),
            "NOT VERIFIED  vneid_token  expired: It has expired (exp 2026-11-22T01:10:00Z)"
        );
        let v = Verdict::rejected(Format::Unknown, &ErrorCode::UnknownFormat.into());
        assert_eq!(
            human(&v),
            "NOT VERIFIED  unknown_format: The payload is not in a supported format"
        );
        let mut v = Verdict::rejected(Format::CccdQr, &ErrorCode::Unsigned.into());
        v.document = Some(Document {
            doc_type: "cccd".into(),
            fields: json!({"fullName": "Nguyễn Văn An"}),
        });
        v.holder = named("Nguyễn Văn An");
        assert_eq!(
            human(&v),
            "UNSIGNED  Nguyễn Văn An  cccd  This QR code has no signature; compare the fields with the card"
        );
    }

    #[test]
    fn warnings_are_listed_by_code() {
        let mut v = token(Some("An"));
        v.warnings
            .push(Warning::new(WarningCode::ClockUnset, "en", "vi"));
        v.warnings
            .push(Warning::new(WarningCode::GenderMismatch, "en", "vi"));
        assert_eq!(
            human(&v),
            "VERIFIED  An  vneid_token level 2  (kid test-key-1)  warnings: clock_unset, gender_mismatch"
        );
    }

    #[test]
    fn payload_text_cannot_break_or_reorder_the_line() {
        let mut v = Verdict::rejected(Format::CccdQr, &ErrorCode::Unsigned.into());
        v.document = Some(Document {
            doc_type: "cccd".into(),
            fields: json!({"fullName": "An\r\nVERIFIED  Someone\u{202e}x\u{1b}[2J"}),
        });
        v.holder = named("An\r\nVERIFIED  Someone\u{202e}x\u{1b}[2J");
        let line = human(&v);
        assert!(!line.contains(['\r', '\n', '\u{202e}', '\u{1b}']), "{line}");
        assert!(line.starts_with(
            "UNSIGNED  An\u{fffd}\u{fffd}VERIFIED  Someone\u{fffd}x\u{fffd}[2J  cccd"
        ));
        assert_eq!(clean(&"x".repeat(100), 64).chars().count(), 65);
    }

    #[test]
    fn progress_is_shown_to_people_only() {
        let p = ChunkProgress {
            received: 1,
            total: 3,
            missing: vec![2, 3],
        };
        assert_eq!(Output::Json.partial(&p), None);
        assert_eq!(
            Output::Human.partial(&p).as_deref(),
            Some("PARTIAL  shc  1 of 3 chunks read; missing 2, 3")
        );
        assert_eq!(Output::parse(None), Ok(Output::Json));
        assert_eq!(Output::parse(Some("human")), Ok(Output::Human));
        assert!(Output::parse(Some("xml")).is_err());
    }
}
