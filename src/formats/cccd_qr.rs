//! The QR on the chip ID card (Căn cước công dân, 2021–06/2024) and on the Căn cước card (from
//! 07/2024): plain `|`-separated UTF-8 text with **no signature**.
//!
//! ```text
//! <ID 12 digits>|<old CMND 9 digits or empty>|<full name>|<birth ddmmyyyy>|<Nam|Nữ>|<address>|<issue ddmmyyyy>[|…]
//! ```
//!
//! Seven fields is the chip CCCD; ten or more the Căn cước card (the fields after the seventh
//! are kept as received: their meaning is not published). Anyone can print such a QR, so the
//! verdict is **always** `valid: false` with the code `unsigned`: it never says "verified". What
//! it adds is the parsed fields, typed (ISO dates, `male`/`female`), and every inconsistency
//! found, so that a person comparing them with the card knows what to look at. Labels for
//! display are the caller's (the demo's are in `www-demo/lib/documents.js`, with every other
//! format's): the core carries no display text but its messages.
//!
//! Structure is required, and a payload that breaks it is rejected without fields
//! (`personal_id_invalid` for a first field that is not 12 digits, `schema_invalid` otherwise):
//! 7 to [`MAX_FIELDS`] fields, no control characters, field 1 empty or 9 digits, a non-empty
//! name, dates that exist, sex `Nam` or `Nữ`. The sex is compared by canonical equivalence, so a
//! decomposed (NFD) `Nữ` is accepted; names and addresses are returned exactly as received
//! (not normalised).
//!
//! Consistency is reported as warnings (`inconsistent`), never as a rejection: the sex digit of
//! the ID number against the sex field; the century and year digits against the birth year; the
//! province or country code of birth registration; a birth or issue date after today (in
//! Vietnam, UTC+7); an issue date before the birth date; and a field count that is neither
//! card's (8 or 9).
//!
//! Scanner libraries that decode the QR's bytes as Latin-1 or Windows-1252 instead of UTF-8
//! produce mojibake (`Nữ` read as `NÃ¡Â»Â¯`-like text). Such text is repaired before parsing
//! when, and only when, it maps back to valid UTF-8; `document.fields.encodingRepaired` then says
//! so.

use serde_json::{Map, Value};

use crate::error::{Error, ErrorCode};
use crate::formats::object;
use crate::time::Date;
use crate::verdict::{Document, Format, Holder, Verdict, Warning, WarningCode};
use crate::vn::provinces::{province_name, ABROAD_CODES};
use crate::vn::{self, PersonalId, Sex, Stated, Statement};

/// Fewest fields of a card QR.
pub const MIN_FIELDS: usize = 7;
/// Most fields accepted (the newest card has 11).
pub const MAX_FIELDS: usize = 20;

/// True when the text has the card QR's shape: 12 ASCII digits, `|`, at least seven fields, one
/// line. Other text (payment QRs, URLs, tokens) does not start with twelve digits and a bar.
#[must_use]
pub fn looks_like(payload: &str) -> bool {
    let b = payload.as_bytes();
    b.len() > 12
        && b.get(..12)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
        && b.get(12) == Some(&b'|')
        && b.iter().filter(|&&c| c == b'|').count() >= MIN_FIELDS - 1
        && !b.iter().any(|&c| c == b'\n' || c == b'\r')
}

/// Reads a card QR. The verdict is never valid: `unsigned` with the fields and warnings, or a
/// rejection when the text is not a well-formed card QR. No policy applies: nothing is verified.
#[must_use]
pub(crate) fn read(payload: &str, now: i64) -> Verdict {
    match parse_card(payload.trim(), now) {
        Ok((document, warnings)) => {
            let mut verdict = Verdict::rejected(Format::CccdQr, &Error::new(ErrorCode::Unsigned));
            let field = |name: &str| document.fields.get(name).and_then(Value::as_str);
            // Unsigned, as the document beside it: for comparing with the card, not verified.
            verdict.holder = Holder::of(field("fullName"), field("dateOfBirth"));
            verdict.document = Some(document);
            verdict.warnings = warnings;
            verdict
        }
        Err(error) => Verdict::rejected(Format::CccdQr, &error),
    }
}

/// The parsed card fields.
struct Card<'a> {
    personal_id: &'a str,
    old_id: &'a str,
    name: &'a str,
    birth: Date,
    female: bool,
    sex_text: &'a str,
    address: &'a str,
    issued: Date,
    extra: Vec<&'a str>,
}

fn parse_card(payload: &str, now: i64) -> Result<(Document, Vec<Warning>), Error> {
    let repaired = repair_mojibake(payload);
    let text = repaired.as_deref().unwrap_or(payload);
    let card = parse(text)?;
    let mut warnings = Vec::new();
    // `parse` checked the number is 12 digits; what it encodes is compared, never required.
    let Some(id) = PersonalId::decode(card.personal_id) else {
        return Err(Error::with_detail(
            ErrorCode::PersonalIdInvalid,
            "field 0 must be the 12-digit personal ID number",
        ));
    };
    check_consistency(&card, &id, now, &mut warnings);

    let card_type = match card.extra.len() + MIN_FIELDS {
        MIN_FIELDS => "cccd",
        n if n >= 10 => "can_cuoc",
        _ => "unknown",
    };
    let sex = if card.female { "female" } else { "male" };
    let old_id = (!card.old_id.is_empty()).then_some(card.old_id);
    let mut fields = Map::new();
    fields.insert("cardType".into(), card_type.into());
    fields.insert("personalId".into(), card.personal_id.into());
    fields.insert("oldIdNumber".into(), old_id.into());
    fields.insert("fullName".into(), card.name.into());
    fields.insert("dateOfBirth".into(), card.birth.to_iso().into());
    fields.insert("sex".into(), sex.into());
    fields.insert("address".into(), card.address.into());
    fields.insert("issueDate".into(), card.issued.to_iso().into());
    fields.insert("additionalFields".into(), card.extra.clone().into());
    fields.insert(
        "personalIdDecoded".into(),
        object(vec![
            ("registrationCode", card.personal_id.get(..3).into()),
            ("province", province_name(id.registration_code).into()),
            (
                "bornAbroad",
                ABROAD_CODES.contains(&id.registration_code).into(),
            ),
            ("sex", id.sex.as_str().into()),
            ("birthYear", id.birth_year.into()),
        ]),
    );
    fields.insert("encodingRepaired".into(), repaired.is_some().into());
    Ok((
        Document {
            doc_type: "cccd".into(),
            fields: Value::Object(fields),
        },
        warnings,
    ))
}

fn parse(text: &str) -> Result<Card<'_>, Error> {
    let fields: Vec<&str> = text.split('|').collect();
    if !(MIN_FIELDS..=MAX_FIELDS).contains(&fields.len()) {
        return Err(Error::schema(format!(
            "{} fields; the card QR has {MIN_FIELDS} to {MAX_FIELDS}",
            fields.len()
        )));
    }
    if let Some(i) = fields.iter().position(|f| f.chars().any(char::is_control)) {
        return Err(Error::schema(format!(
            "field {i} contains a control character"
        )));
    }
    let field = |i: usize| fields.get(i).copied().unwrap_or_default();
    let personal_id = field(0);
    if personal_id.len() != 12 || !personal_id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::with_detail(
            ErrorCode::PersonalIdInvalid,
            "field 0 must be the 12-digit personal ID number",
        ));
    }
    let old_id = field(1);
    if !old_id.is_empty() && (old_id.len() != 9 || !old_id.bytes().all(|b| b.is_ascii_digit())) {
        return Err(Error::schema(
            "field 1 (old ID number) must be empty or 9 digits",
        ));
    }
    let name = field(2);
    if name.trim().is_empty() {
        return Err(Error::schema("field 2 (full name) is empty"));
    }
    let birth = Date::parse_ddmmyyyy(field(3)).ok_or_else(|| {
        Error::schema("field 3 (date of birth) must be an existing ddmmyyyy date")
    })?;
    let sex_text = field(4);
    let female = match sex_text {
        "Nam" => false,
        // "Nữ" precomposed (NFC), and its decomposed forms (ư + combining tilde; u + horn + tilde).
        "N\u{1EEF}" | "N\u{01B0}\u{0303}" | "Nu\u{031B}\u{0303}" => true,
        _ => return Err(Error::schema("field 4 (sex) must be \"Nam\" or \"Nữ\"")),
    };
    let issued = Date::parse_ddmmyyyy(field(6)).ok_or_else(|| {
        Error::schema("field 6 (date of issue) must be an existing ddmmyyyy date")
    })?;
    Ok(Card {
        personal_id,
        old_id,
        name,
        birth,
        female,
        sex_text,
        address: field(5),
        issued,
        extra: fields.get(MIN_FIELDS..).unwrap_or_default().to_vec(),
    })
}

fn check_consistency(card: &Card<'_>, id: &PersonalId, now: i64, warnings: &mut Vec<Warning>) {
    let code = card.personal_id.get(..3).unwrap_or_default();
    if !id.has_known_registration_code() {
        warnings.push(Warning::new(
            WarningCode::Inconsistent,
            format!("The ID number starts with {code}, which is neither a province nor a country code of birth registration"),
            format!("Số định danh bắt đầu bằng {code}, không phải mã tỉnh hoặc mã quốc gia đăng ký khai sinh"),
        ));
    }
    let sex = if card.female { Sex::Female } else { Sex::Male };
    let birth = display_date(card.birth);
    let born = Stated {
        en: "the date of birth is",
        vi: "ngày sinh là",
        shown: &birth,
    };
    let says = Stated {
        en: "the card says",
        vi: "thẻ ghi",
        shown: card.sex_text,
    };
    // In the number's own order: the sex digit, then the year.
    warnings.extend(id.disagreements(
        &[
            Statement::Sex(sex, says),
            Statement::BirthYear(card.birth.year, born),
        ],
        true,
    ));
    let mut warn = |en: String, vi: String| {
        warnings.push(Warning::new(WarningCode::Inconsistent, en, vi));
    };
    let today = vn::today(now);
    if card.birth > today {
        warn(
            format!(
                "The date of birth {} is in the future",
                display_date(card.birth)
            ),
            format!("Ngày sinh {} nằm ở tương lai", display_date(card.birth)),
        );
    }
    if card.issued > today {
        warn(
            format!(
                "The date of issue {} is in the future",
                display_date(card.issued)
            ),
            format!("Ngày cấp {} nằm ở tương lai", display_date(card.issued)),
        );
    }
    if card.issued < card.birth {
        warn(
            format!(
                "The date of issue {} is before the date of birth {}",
                display_date(card.issued),
                display_date(card.birth)
            ),
            format!(
                "Ngày cấp {} trước ngày sinh {}",
                display_date(card.issued),
                display_date(card.birth)
            ),
        );
    }
    let count = card.extra.len() + MIN_FIELDS;
    if count == 8 || count == 9 {
        warn(
            format!("The QR has {count} fields; the chip ID card has 7 and the Căn cước card 10 or more"),
            format!("Mã QR có {count} trường; thẻ CCCD gắn chip có 7, thẻ căn cước có từ 10 trường"),
        );
    }
}

/// `dd/mm/yyyy`, as printed on the card.
fn display_date(date: Date) -> String {
    format!("{:02}/{:02}/{:04}", date.day, date.month, date.year)
}

/// Windows-1252's printable characters in 0x80–0x9F (the other bytes of that range decode to
/// the C1 control of the same value, as in Latin-1).
const CP1252_HIGH: [(char, u8); 27] = [
    ('\u{20AC}', 0x80),
    ('\u{201A}', 0x82),
    ('\u{0192}', 0x83),
    ('\u{201E}', 0x84),
    ('\u{2026}', 0x85),
    ('\u{2020}', 0x86),
    ('\u{2021}', 0x87),
    ('\u{02C6}', 0x88),
    ('\u{2030}', 0x89),
    ('\u{0160}', 0x8A),
    ('\u{2039}', 0x8B),
    ('\u{0152}', 0x8C),
    ('\u{017D}', 0x8E),
    ('\u{2018}', 0x91),
    ('\u{2019}', 0x92),
    ('\u{201C}', 0x93),
    ('\u{201D}', 0x94),
    ('\u{2022}', 0x95),
    ('\u{2013}', 0x96),
    ('\u{2014}', 0x97),
    ('\u{02DC}', 0x98),
    ('\u{2122}', 0x99),
    ('\u{0161}', 0x9A),
    ('\u{203A}', 0x9B),
    ('\u{0153}', 0x9C),
    ('\u{017E}', 0x9E),
    ('\u{0178}', 0x9F),
];

/// Undoes UTF-8 text that was decoded as Latin-1 or Windows-1252: when every character maps back
/// to one byte, at least one is non-ASCII, and the bytes are valid UTF-8, returns that text.
/// Correct Vietnamese text always has characters beyond that byte range (ư, ạ, ễ…) or is ASCII,
/// so it is never changed.
#[must_use]
pub fn repair_mojibake(text: &str) -> Option<String> {
    if text.is_ascii() {
        return None;
    }
    let mut bytes = Vec::with_capacity(text.len());
    for c in text.chars() {
        let byte = match u8::try_from(u32::from(c)) {
            Ok(b) => b,
            Err(_) => CP1252_HIGH.iter().find(|(ch, _)| *ch == c)?.1,
        };
        bytes.push(byte);
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_detection_is_narrow() {
        assert!(looks_like(
            "001099001234|012345678|A|15031999|Nam|X|10052021"
        ));
        assert!(looks_like("001099001234||A|15031999|Nam|X|10052021||||"));
        for other in [
            "001099001234|A|B|C|D|E",
            "00109900123|012345678|A|15031999|Nam|X|10052021",
            "0010990012345|012345678|A|15031999|Nam|X|10052021",
            "DN4010123456789|4e677579656e|01011990|1|x|y|z|w",
            "001099001234|012345678|A|15031999|Nam|X\n|10052021",
            "00020101021138570010A000000727",
            "https://example.vn/?a=1|2|3|4|5|6|7",
            "",
        ] {
            assert!(!looks_like(other), "{other}");
        }
    }

    #[test]
    fn repairs_latin1_and_cp1252_mojibake_only() {
        let original = "Nữ|Nguyễn Văn An";
        let latin1: String = original.bytes().map(char::from).collect();
        assert_eq!(repair_mojibake(&latin1).as_deref(), Some(original));
        let cp1252: String = original
            .bytes()
            .map(|b| {
                CP1252_HIGH
                    .iter()
                    .find(|(_, byte)| *byte == b)
                    .map_or(char::from(b), |(c, _)| *c)
            })
            .collect();
        assert_eq!(repair_mojibake(&cp1252).as_deref(), Some(original));
        for fine in ["Nguyễn Văn An", "Nam", "Lê Thị", "café"] {
            assert_eq!(repair_mojibake(fine), None, "{fine}");
        }
    }
}
