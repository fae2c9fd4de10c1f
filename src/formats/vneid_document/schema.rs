//! The document types of the VNeID document profile and their field schemas
//! (docs/profiles/vneid-document.md §5).
//!
//! A document's fields are a CBOR map with text keys. Every field has a type; unknown fields,
//! missing required fields and values of the wrong type or format are `schema_invalid`, naming
//! the field (`fields.classes[1].issueDate: not a YYYY-MM-DD date`). A 12-digit personal ID
//! number that is not one (unknown province or country code, birth year in the future) is
//! `personal_id_invalid`. Cross-field rules (dates in order, a BHYT code agreeing with its group
//! and level) are checked after the types; a personal ID number that disagrees with the birth
//! date or sex is a warning, as in the token profile: the signature vouches for both.
//!
//! The validated fields become `Verdict.document.fields` as a JSON object with the same names.

use serde_json::{Map, Value as Json};

use crate::encoding::cbor::Value;
use crate::error::{Error, ErrorCode};
use crate::formats::{Bound, BoundKind};
use crate::time::Date;
use crate::verdict::Warning;
use crate::vn::identifiers::{
    bhyt_card_number, licence_class, licence_number, nine_digits, owner_id, passport_number, plate,
    ten_digits, two_letters,
};
use crate::vn::{self, PersonalId, Sex, Stated, Statement};

/// The document types of the profile, with their stable names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentType {
    /// Chip ID card / Căn cước (`cccd`).
    Cccd,
    /// Driving licence, Giấy phép lái xe (`driving_licence`).
    DrivingLicence,
    /// Vehicle registration certificate, Giấy chứng nhận đăng ký xe (`vehicle_registration`).
    VehicleRegistration,
    /// Health-insurance card, Thẻ bảo hiểm y tế (`health_insurance`).
    HealthInsurance,
    /// Confirmation of residence, Xác nhận thông tin về cư trú (`residence`).
    Residence,
    /// Criminal record certificate, Phiếu lý lịch tư pháp (`criminal_record`).
    CriminalRecord,
}

impl DocumentType {
    /// Every type, in documentation order.
    pub const ALL: [DocumentType; 6] = [
        DocumentType::Cccd,
        DocumentType::DrivingLicence,
        DocumentType::VehicleRegistration,
        DocumentType::HealthInsurance,
        DocumentType::Residence,
        DocumentType::CriminalRecord,
    ];

    /// The stable name (`Document.type`, trust-file `document_types`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            DocumentType::Cccd => "cccd",
            DocumentType::DrivingLicence => "driving_licence",
            DocumentType::VehicleRegistration => "vehicle_registration",
            DocumentType::HealthInsurance => "health_insurance",
            DocumentType::Residence => "residence",
            DocumentType::CriminalRecord => "criminal_record",
        }
    }

    /// The type with this name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<DocumentType> {
        DocumentType::ALL.into_iter().find(|t| t.as_str() == name)
    }

    fn fields(self) -> &'static [Field] {
        match self {
            DocumentType::Cccd => CCCD,
            DocumentType::DrivingLicence => DRIVING_LICENCE,
            DocumentType::VehicleRegistration => VEHICLE_REGISTRATION,
            DocumentType::HealthInsurance => HEALTH_INSURANCE,
            DocumentType::Residence => RESIDENCE,
            DocumentType::CriminalRecord => CRIMINAL_RECORD,
        }
    }
}

/// How one field is checked.
enum Kind {
    /// Text of 1 to `max` characters, without control characters (line breaks too, unless
    /// `multiline`), without leading or trailing white space.
    Text { max: usize, multiline: bool },
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// `male` or `female`.
    Sex,
    /// A 12-digit personal identification number (province or country code, century and sex
    /// digit, birth year not in the future).
    PersonalId,
    /// Text checked by a function returning the reason it is wrong.
    Format(fn(&str) -> Result<(), &'static str>),
    /// An unsigned integer in a range.
    UInt { min: u64, max: u64 },
    /// An array of `min..=max` objects.
    List {
        item: &'static [Field],
        min: usize,
        max: usize,
    },
    /// A nested object.
    Object(&'static [Field]),
}

struct Field {
    name: &'static str,
    required: bool,
    kind: Kind,
}

const fn req(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        required: true,
        kind,
    }
}

const fn opt(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        required: false,
        kind,
    }
}

const NAME: Kind = Kind::Text {
    max: 100,
    multiline: false,
};
const ADDRESS: Kind = Kind::Text {
    max: 200,
    multiline: false,
};
const SHORT: Kind = Kind::Text {
    max: 40,
    multiline: false,
};

const CCCD: &[Field] = &[
    req("personalId", Kind::PersonalId),
    req("fullName", NAME),
    req("dateOfBirth", Kind::Date),
    req("sex", Kind::Sex),
    opt("nationality", SHORT),
    opt("placeOfOrigin", ADDRESS),
    req("placeOfResidence", ADDRESS),
    req("issueDate", Kind::Date),
    opt("expiryDate", Kind::Date),
    opt("issuingAuthority", NAME),
    opt("previousIdNumber", Kind::Format(nine_digits)),
];

const LICENCE_CLASS: &[Field] = &[
    req("class", Kind::Format(licence_class)),
    req("issueDate", Kind::Date),
    opt("expiryDate", Kind::Date),
];

const DRIVING_LICENCE: &[Field] = &[
    req("number", Kind::Format(licence_number)),
    req("fullName", NAME),
    req("dateOfBirth", Kind::Date),
    opt("personalId", Kind::PersonalId),
    opt("nationality", SHORT),
    opt("placeOfResidence", ADDRESS),
    req(
        "classes",
        Kind::List {
            item: LICENCE_CLASS,
            min: 1,
            max: 16,
        },
    ),
    req("issueDate", Kind::Date),
    opt("issuingAuthority", NAME),
];

const VEHICLE: &[Field] = &[
    req("type", SHORT),
    req("brand", SHORT),
    opt("model", SHORT),
    opt("color", SHORT),
    req("engineNumber", SHORT),
    req("chassisNumber", SHORT),
    opt("seats", Kind::UInt { min: 1, max: 100 }),
    opt(
        "manufactureYear",
        Kind::UInt {
            min: 1900,
            max: 2100,
        },
    ),
];

const VEHICLE_REGISTRATION: &[Field] = &[
    opt("number", SHORT),
    req("plate", Kind::Format(plate)),
    req("ownerName", NAME),
    opt("ownerId", Kind::Format(owner_id)),
    opt("ownerAddress", ADDRESS),
    req("vehicle", Kind::Object(VEHICLE)),
    req("registrationDate", Kind::Date),
    opt("expiryDate", Kind::Date),
    opt("issuingAuthority", NAME),
];

const HEALTH_INSURANCE: &[Field] = &[
    req("cardNumber", Kind::Format(bhyt_card_number)),
    opt("socialInsuranceNumber", Kind::Format(ten_digits)),
    req("fullName", NAME),
    req("dateOfBirth", Kind::Date),
    req("sex", Kind::Sex),
    opt("personalId", Kind::PersonalId),
    opt("address", ADDRESS),
    opt("beneficiaryGroup", Kind::Format(two_letters)),
    opt("benefitLevel", Kind::UInt { min: 1, max: 5 }),
    opt("registeredFacility", ADDRESS),
    req("validFrom", Kind::Date),
    opt("validTo", Kind::Date),
];

const RESIDENCE: &[Field] = &[
    req("personalId", Kind::PersonalId),
    req("fullName", NAME),
    req("dateOfBirth", Kind::Date),
    req("sex", Kind::Sex),
    opt("permanentResidence", ADDRESS),
    opt("temporaryResidence", ADDRESS),
    opt("currentResidence", ADDRESS),
    opt("householdHead", NAME),
    opt("relationshipToHead", SHORT),
    req("issueDate", Kind::Date),
    opt("expiryDate", Kind::Date),
    req("issuingAuthority", NAME),
];

const CRIMINAL_RECORD: &[Field] = &[
    req("number", SHORT),
    req("form", Kind::UInt { min: 1, max: 2 }),
    req("fullName", NAME),
    req("dateOfBirth", Kind::Date),
    req("sex", Kind::Sex),
    opt("placeOfBirth", ADDRESS),
    opt("nationality", SHORT),
    opt("personalId", Kind::PersonalId),
    opt("passportNumber", Kind::Format(passport_number)),
    req(
        "issuingAuthority",
        Kind::Text {
            max: 200,
            multiline: false,
        },
    ),
    req("issueDate", Kind::Date),
    req(
        "summary",
        Kind::Text {
            max: 2000,
            multiline: true,
        },
    ),
];

// ---- Validation ---------------------------------------------------------------------------------

/// Validates a document's fields against its type's schema and returns them as JSON.
///
/// # Errors
/// `schema_invalid` or `personal_id_invalid`, naming the field.
pub fn validate(
    doc_type: DocumentType,
    fields: &Value,
    warnings: &mut Vec<Warning>,
) -> Result<Map<String, Json>, Error> {
    let out = object(fields, doc_type.fields(), "fields")?;
    cross_check(doc_type, &out, warnings)?;
    Ok(out)
}

fn object(value: &Value, spec: &[Field], path: &str) -> Result<Map<String, Json>, Error> {
    let Value::Map(entries) = value else {
        return Err(Error::schema_invalid(
            path,
            format!("must be a map, found a {}", value.type_name()),
        ));
    };
    let mut out = Map::new();
    for (key, v) in entries {
        let Value::Text(name) = key else {
            return Err(Error::schema_invalid(path, "field names must be text"));
        };
        let field = spec.iter().find(|f| f.name == name).ok_or_else(|| {
            Error::schema_invalid(path, format!("unknown field \"{}\"", shorten(name)))
        })?;
        let at = format!("{path}.{name}");
        out.insert(name.clone(), check(v, &field.kind, &at)?);
    }
    if let Some(missing) = spec
        .iter()
        .find(|f| f.required && !out.contains_key(f.name))
    {
        return Err(Error::schema_invalid(
            path,
            format!("missing field \"{}\"", missing.name),
        ));
    }
    Ok(out)
}

fn check(value: &Value, kind: &Kind, at: &str) -> Result<Json, Error> {
    let text = || {
        value.as_text().ok_or_else(|| {
            Error::schema_invalid(at, format!("must be text, found a {}", value.type_name()))
        })
    };
    match kind {
        Kind::Text { max, multiline } => {
            let s = text()?;
            let count = s.chars().count();
            if count == 0 || count > *max {
                return Err(Error::schema_invalid(
                    at,
                    format!("must be 1 to {max} characters"),
                ));
            }
            if s.chars()
                .any(|c| c.is_control() && !(*multiline && c == '\n'))
            {
                return Err(Error::schema_invalid(at, "contains a control character"));
            }
            if s.trim() != s {
                return Err(Error::schema_invalid(
                    at,
                    "has leading or trailing white space",
                ));
            }
            Ok(Json::String(s.to_owned()))
        }
        Kind::Date => {
            let s = text()?;
            Date::parse_iso(s).ok_or_else(|| Error::schema_invalid(at, "not a YYYY-MM-DD date"))?;
            Ok(Json::String(s.to_owned()))
        }
        Kind::Sex => match text()? {
            s @ ("male" | "female") => Ok(Json::String(s.to_owned())),
            _ => Err(Error::schema_invalid(at, "must be \"male\" or \"female\"")),
        },
        Kind::PersonalId => {
            let s = text()?;
            PersonalId::parse(s, None).map_err(|e| {
                Error::with_detail(
                    ErrorCode::PersonalIdInvalid,
                    format!("{at}: {}", e.explain()),
                )
            })?;
            Ok(Json::String(s.to_owned()))
        }
        Kind::Format(f) => {
            let s = text()?;
            f(s).map_err(|why| Error::schema_invalid(at, why))?;
            Ok(Json::String(s.to_owned()))
        }
        Kind::UInt { min, max } => match value {
            Value::Integer(n) if (i128::from(*min)..=i128::from(*max)).contains(n) => {
                Ok(Json::Number(u64::try_from(*n).unwrap_or(0).into()))
            }
            _ => Err(Error::schema_invalid(
                at,
                format!("must be an integer from {min} to {max}"),
            )),
        },
        Kind::List { item, min, max } => {
            let Value::Array(items) = value else {
                return Err(Error::schema_invalid(
                    at,
                    format!("must be an array, found a {}", value.type_name()),
                ));
            };
            if items.len() < *min || items.len() > *max {
                return Err(Error::schema_invalid(
                    at,
                    format!("must have {min} to {max} entries"),
                ));
            }
            items
                .iter()
                .enumerate()
                .map(|(i, v)| object(v, item, &format!("{at}[{i}]")).map(Json::Object))
                .collect::<Result<Vec<_>, _>>()
                .map(Json::Array)
        }
        Kind::Object(spec) => object(value, spec, at).map(Json::Object),
    }
}

fn shorten(s: &str) -> String {
    s.chars().take(40).collect()
}

// ---- Cross-field rules ----------------------------------------------------------------------------

fn date(fields: &Map<String, Json>, name: &str) -> Option<Date> {
    fields
        .get(name)
        .and_then(Json::as_str)
        .and_then(Date::parse_iso)
}

fn text<'a>(fields: &'a Map<String, Json>, name: &str) -> Option<&'a str> {
    fields.get(name).and_then(Json::as_str)
}

/// `earlier` must not be after `later` when both are present.
fn in_order(
    fields: &Map<String, Json>,
    earlier: &str,
    later: &str,
    strict: bool,
) -> Result<(), Error> {
    if let (Some(a), Some(b)) = (date(fields, earlier), date(fields, later)) {
        if a > b || (strict && a == b) {
            return Err(Error::schema_invalid(
                "fields",
                format!(
                    "{earlier} {} is {} {later} {}",
                    a.to_iso(),
                    if strict { "not before" } else { "after" },
                    b.to_iso()
                ),
            ));
        }
    }
    Ok(())
}

fn cross_check(
    doc_type: DocumentType,
    fields: &Map<String, Json>,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    identity_warnings(fields, warnings);
    match doc_type {
        DocumentType::Cccd => {
            in_order(fields, "dateOfBirth", "issueDate", false)?;
            in_order(fields, "issueDate", "expiryDate", true)?;
        }
        DocumentType::DrivingLicence => {
            in_order(fields, "dateOfBirth", "issueDate", false)?;
            let classes = fields.get("classes").and_then(Json::as_array);
            let mut seen: Vec<&str> = Vec::new();
            for (i, class) in classes.into_iter().flatten().enumerate() {
                let Some(class) = class.as_object() else {
                    continue;
                };
                let name = text(class, "class").unwrap_or("");
                if seen.contains(&name) {
                    return Err(Error::schema_invalid(
                        "fields.classes",
                        format!("class {name} is listed twice"),
                    ));
                }
                seen.push(name);
                in_order(class, "issueDate", "expiryDate", true).map_err(|e| {
                    Error::schema_invalid(&format!("fields.classes[{i}]"), e.detail().unwrap_or(""))
                })?;
                if let (Some(dob), Some(issued)) =
                    (date(fields, "dateOfBirth"), date(class, "issueDate"))
                {
                    if issued < dob {
                        return Err(Error::schema_invalid(
                            &format!("fields.classes[{i}]"),
                            "issueDate is before dateOfBirth",
                        ));
                    }
                }
            }
        }
        DocumentType::VehicleRegistration => {
            in_order(fields, "registrationDate", "expiryDate", true)?;
        }
        DocumentType::HealthInsurance => {
            in_order(fields, "dateOfBirth", "validTo", false)?;
            in_order(fields, "validFrom", "validTo", false)?;
            bhyt_consistency(fields)?;
        }
        DocumentType::Residence => {
            in_order(fields, "dateOfBirth", "issueDate", false)?;
            in_order(fields, "issueDate", "expiryDate", true)?;
            if [
                "permanentResidence",
                "temporaryResidence",
                "currentResidence",
            ]
            .iter()
            .all(|f| !fields.contains_key(*f))
            {
                return Err(Error::schema_invalid(
                    "fields",
                    "needs at least one of permanentResidence, temporaryResidence, currentResidence",
                ));
            }
        }
        DocumentType::CriminalRecord => {
            in_order(fields, "dateOfBirth", "issueDate", false)?;
            if !fields.contains_key("personalId") && !fields.contains_key("passportNumber") {
                return Err(Error::schema_invalid(
                    "fields",
                    "needs personalId or passportNumber",
                ));
            }
        }
    }
    Ok(())
}

/// The group, level and social-insurance number printed beside a 15-character BHYT code must
/// agree with it; beside a 10-digit code, the social-insurance number must equal it.
fn bhyt_consistency(fields: &Map<String, Json>) -> Result<(), Error> {
    let card = text(fields, "cardNumber").unwrap_or("");
    let number = if card.len() == 15 {
        card.get(5..)
    } else {
        Some(card)
    };
    if let Some(si) = text(fields, "socialInsuranceNumber") {
        if number != Some(si) {
            return Err(Error::schema_invalid(
                "fields.socialInsuranceNumber",
                "disagrees with cardNumber",
            ));
        }
    }
    if card.len() == 15 {
        if let Some(group) = text(fields, "beneficiaryGroup") {
            if card.get(..2) != Some(group) {
                return Err(Error::schema_invalid(
                    "fields.beneficiaryGroup",
                    "disagrees with cardNumber",
                ));
            }
        }
        if let Some(level) = fields.get("benefitLevel").and_then(Json::as_u64) {
            if card.get(2..3) != Some(level.to_string().as_str()) {
                return Err(Error::schema_invalid(
                    "fields.benefitLevel",
                    "disagrees with cardNumber",
                ));
            }
        }
    }
    Ok(())
}

/// Warnings when `personalId` disagrees with `dateOfBirth` or `sex` (as for tokens).
fn identity_warnings(fields: &Map<String, Json>, warnings: &mut Vec<Warning>) {
    let Some(id) = text(fields, "personalId").and_then(|s| PersonalId::parse(s, None).ok()) else {
        return;
    };
    let dob = text(fields, "dateOfBirth");
    let birth = dob.and_then(Date::parse_iso).zip(dob).map(|(d, shown)| {
        let stated = Stated {
            en: "dateOfBirth is",
            vi: "dateOfBirth là",
            shown,
        };
        (d.year, stated)
    });
    let sex = text(fields, "sex").and_then(|shown| {
        let stated = Stated {
            en: "sex is",
            vi: "sex là",
            shown,
        };
        Sex::from_name(shown).map(|sex| (sex, stated))
    });
    warnings.extend(id.disagreements(&Statement::birth_and_sex(birth, sex), false));
}

// ---- Validity of the document itself --------------------------------------------------------------

/// The document's own validity dates as bounds of the validity window: a document is valid from
/// the start of its first day to the end of its last day, Vietnam time (the policy stage applies
/// them with the clock tolerance, after `exp`, `nbf` and `iat`).
///
/// - `cccd`, `vehicle_registration`, `residence`: `expiryDate` when present;
/// - `driving_licence`: the latest class `expiryDate`, when every class has one (a licence with a
///   class that never expires does not expire);
/// - `health_insurance`: `validFrom` and `validTo`;
/// - `criminal_record`: no validity dates (how recent it must be is the relying party's rule).
pub(crate) fn validity_bounds(doc_type: DocumentType, fields: &Map<String, Json>) -> Vec<Bound> {
    // Unix seconds of Vietnamese calendar days: integers far below 2^53.
    #[allow(clippy::cast_precision_loss)]
    let bound = |kind, at: i64, field: &str, d: Date| Bound {
        kind,
        at: at as f64,
        what: format!("document {field} {}", d.to_iso()),
    };
    // A last day has ended at the start of the next one.
    let until =
        |field: &str, d: Date| bound(BoundKind::NotAfter, vn::start_of(d) + 86_400, field, d);
    match doc_type {
        DocumentType::Cccd | DocumentType::VehicleRegistration | DocumentType::Residence => {
            date(fields, "expiryDate")
                .map(|d| until("expiryDate", d))
                .into_iter()
                .collect()
        }
        DocumentType::DrivingLicence => {
            let expiries: Option<Vec<Date>> = fields
                .get("classes")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
                .filter_map(Json::as_object)
                .map(|c| date(c, "expiryDate"))
                .collect();
            expiries
                .and_then(|e| e.into_iter().max())
                .map(|last| until("classes[].expiryDate", last))
                .into_iter()
                .collect()
        }
        DocumentType::HealthInsurance => {
            let from = date(fields, "validFrom")
                .map(|d| bound(BoundKind::NotBefore, vn::start_of(d), "validFrom", d));
            let to = date(fields, "validTo").map(|d| until("validTo", d));
            from.into_iter().chain(to).collect()
        }
        DocumentType::CriminalRecord => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document's own dates, through the policy stage's window with no tolerance.
    fn check_validity(
        doc_type: DocumentType,
        fields: &Map<String, Json>,
        now: i64,
        tolerance: u64,
    ) -> Result<(), Error> {
        let mut verified = crate::formats::Verified::new(crate::Format::VneidDocument, "VN-TEST");
        verified.bounds = validity_bounds(doc_type, fields);
        crate::policy::check_window(&verified, tolerance, now)
    }

    #[test]
    fn validity_is_counted_in_vietnam_time() {
        let mut f = Map::new();
        f.insert("expiryDate".into(), Json::String("2030-01-01".into()));
        // 2030-01-02 00:00 ICT = 2030-01-01 17:00 UTC.
        let end = crate::time::parse_rfc3339("2030-01-01T17:00:00Z").unwrap_or(0);
        let code = |now| check_validity(DocumentType::Cccd, &f, now, 0).map_err(|e| e.code());
        assert_eq!(code(end - 1), Ok(()));
        assert_eq!(code(end), Err(ErrorCode::Expired));
        let mut h = Map::new();
        h.insert("validFrom".into(), Json::String("2026-01-01".into()));
        let start = crate::time::parse_rfc3339("2025-12-31T17:00:00Z").unwrap_or(0);
        let code =
            |now| check_validity(DocumentType::HealthInsurance, &h, now, 0).map_err(|e| e.code());
        assert_eq!(code(start - 1), Err(ErrorCode::NotYetValid));
        assert_eq!(code(start), Ok(()));
    }
}
