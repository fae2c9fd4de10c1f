//! The 12-digit personal identification number (số định danh cá nhân), Nghị định 137/2015/NĐ-CP
//! Điều 13: `PPP G YY RRRRRR`. `PPP` is the province (001–096) or country (101–295) of birth
//! registration, `G` encodes century and sex (0/1 = 1900s male/female, 2/3 = 2000s, … up to 8/9 =
//! 2300s), `YY` the last two digits of the birth year, and six random digits. There is no check
//! digit, so only the shape can be checked.

use serde::Serialize;

use super::provinces::{province_name, ABROAD_CODES};
use crate::verdict::{Warning, WarningCode};

/// Sex as encoded in the number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    /// Even century digit.
    Male,
    /// Odd century digit.
    Female,
}

impl Sex {
    /// `male` or `female`, the `gender` values of the VNeID token profile.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }

    /// `Nam` or `Nữ`, as Vietnamese documents print it.
    #[must_use]
    pub const fn as_vi(self) -> &'static str {
        match self {
            Sex::Male => "Nam",
            Sex::Female => "Nữ",
        }
    }

    /// `male` or `female`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Sex> {
        match name {
            "male" => Some(Sex::Male),
            "female" => Some(Sex::Female),
            _ => None,
        }
    }
}

/// What a payload states about its holder, for [`PersonalId::disagreements`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Statement<'a> {
    /// A birth year (of a stated date of birth).
    BirthYear(i64, Stated<'a>),
    /// A sex.
    Sex(Sex, Stated<'a>),
}

impl<'a> Statement<'a> {
    /// A payload's birth year, then its sex, each when it states one.
    #[must_use]
    pub fn birth_and_sex(
        birth: Option<(i64, Stated<'a>)>,
        sex: Option<(Sex, Stated<'a>)>,
    ) -> Vec<Statement<'a>> {
        birth
            .map(|(year, stated)| Statement::BirthYear(year, stated))
            .into_iter()
            .chain(sex.map(|(sex, stated)| Statement::Sex(sex, stated)))
            .collect()
    }
}

/// Where a payload states a birth date or a sex, for [`PersonalId::disagreements`]: how to say
/// it in English and Vietnamese, and the value as shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stated<'a> {
    /// E.g. `the date of birth is`, `birthdate is`.
    pub en: &'a str,
    /// E.g. `ngày sinh là`.
    pub vi: &'a str,
    /// The stated value, as the payload has it.
    pub shown: &'a str,
}

/// Why a string is not a personal identification number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonalIdError {
    /// Not exactly 12 ASCII digits.
    NotTwelveDigits,
    /// The first three digits are neither a province code nor a country code.
    UnknownRegistrationCode,
    /// The encoded birth year is after the verification year.
    BirthYearInFuture,
}

impl PersonalIdError {
    /// A short English explanation.
    #[must_use]
    pub const fn explain(self) -> &'static str {
        match self {
            PersonalIdError::NotTwelveDigits => "not 12 digits",
            PersonalIdError::UnknownRegistrationCode => "unknown province or country code",
            PersonalIdError::BirthYearInFuture => "encoded birth year is in the future",
        }
    }
}

/// A parsed personal identification number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PersonalId {
    /// Province code (1–96) or country code (101–295) of birth registration.
    pub registration_code: u16,
    /// Sex encoded in the century digit.
    pub sex: Sex,
    /// Full birth year from the century digit and `YY`.
    pub birth_year: u16,
}

impl PersonalId {
    /// Parses and checks the shape of a number. `current_year`, when given, rejects birth years
    /// after it (a number cannot belong to someone not yet born).
    ///
    /// # Errors
    /// See [`PersonalIdError`].
    pub fn parse(number: &str, current_year: Option<i64>) -> Result<PersonalId, PersonalIdError> {
        let id = PersonalId::decode(number).ok_or(PersonalIdError::NotTwelveDigits)?;
        if !id.has_known_registration_code() {
            return Err(PersonalIdError::UnknownRegistrationCode);
        }
        if current_year.is_some_and(|year| i64::from(id.birth_year) > year) {
            return Err(PersonalIdError::BirthYearInFuture);
        }
        Ok(id)
    }

    /// What a 12-digit number encodes, judging nothing (the unsigned card QR reports an unknown
    /// registration code as a warning, not a rejection); `None` when it is not 12 ASCII digits.
    #[must_use]
    pub fn decode(number: &str) -> Option<PersonalId> {
        let digits = number.as_bytes();
        let [p1, p2, p3, g, y1, y2, ..] = *digits else {
            return None;
        };
        if digits.len() != 12 || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let d = |b: u8| u16::from(b - b'0');
        let century_digit = d(g);
        Some(PersonalId {
            registration_code: d(p1) * 100 + d(p2) * 10 + d(p3),
            sex: if century_digit % 2 == 0 {
                Sex::Male
            } else {
                Sex::Female
            },
            birth_year: (19 + century_digit / 2) * 100 + d(y1) * 10 + d(y2),
        })
    }

    /// True when the registration code is a province's or a country's of birth registration.
    #[must_use]
    pub fn has_known_registration_code(&self) -> bool {
        province_name(self.registration_code).is_some()
            || ABROAD_CODES.contains(&self.registration_code)
    }

    /// The warnings where what a payload states disagrees with what this number encodes, in the
    /// order of `statements`: the one rule for tokens, document QRs and the card QR. A signed
    /// payload's disagreements are `birthdate_mismatch` / `gender_mismatch`; an unsigned one's
    /// (`unsigned`) are `inconsistent`, as every other inconsistency of the card QR.
    #[must_use]
    pub fn disagreements(&self, statements: &[Statement<'_>], unsigned: bool) -> Vec<Warning> {
        statements
            .iter()
            .filter_map(|statement| match *statement {
                Statement::BirthYear(year, stated) if year != i64::from(self.birth_year) => {
                    Some(Warning::new(
                        if unsigned {
                            WarningCode::Inconsistent
                        } else {
                            WarningCode::BirthdateMismatch
                        },
                        format!(
                            "The personal ID number encodes birth year {}, but {} {}",
                            self.birth_year, stated.en, stated.shown
                        ),
                        format!(
                            "Số định danh mã hóa năm sinh {}, nhưng {} {}",
                            self.birth_year, stated.vi, stated.shown
                        ),
                    ))
                }
                Statement::Sex(sex, stated) if sex != self.sex => Some(Warning::new(
                    if unsigned {
                        WarningCode::Inconsistent
                    } else {
                        WarningCode::GenderMismatch
                    },
                    format!(
                        "The personal ID number encodes sex {}, but {} {}",
                        self.sex.as_str(),
                        stated.en,
                        stated.shown
                    ),
                    format!(
                        "Số định danh mã hóa giới tính {}, nhưng {} {}",
                        self.sex.as_vi(),
                        stated.vi,
                        stated.shown
                    ),
                )),
                _ => None,
            })
            .collect()
    }

    /// The province name of birth registration, or `None` for a birth registered abroad.
    #[must_use]
    #[cfg(test)]
    pub fn province(&self) -> Option<&'static str> {
        province_name(self.registration_code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_province_sex_and_century() {
        // The worked example of the sources: Đồng Tháp, male, born 1984.
        let id = PersonalId::parse("087084000999", Some(2026)).ok();
        assert_eq!(
            id,
            Some(PersonalId {
                registration_code: 87,
                sex: Sex::Male,
                birth_year: 1984
            })
        );
        assert_eq!(id.and_then(|i| i.province()), Some("Đồng Tháp"));
        let id = PersonalId::parse("079305004321", Some(2026)).ok();
        assert_eq!(id.map(|i| (i.sex, i.birth_year)), Some((Sex::Female, 2005)));
        // Registered abroad (175 = USA): valid, no province.
        let id = PersonalId::parse("175190123456", Some(2026)).ok();
        assert_eq!(id.map(|i| (i.province(), i.birth_year)), Some((None, 1990)));
    }

    #[test]
    fn rejects_bad_shapes() {
        use PersonalIdError::*;
        for (n, e) in [
            ("08708400099", NotTwelveDigits),
            ("0870840009990", NotTwelveDigits),
            ("08708400099a", NotTwelveDigits),
            ("０87084000999", NotTwelveDigits),
            ("", NotTwelveDigits),
            ("003084000999", UnknownRegistrationCode),
            ("097084000999", UnknownRegistrationCode),
            ("296084000999", UnknownRegistrationCode),
            ("001330000001", BirthYearInFuture),
        ] {
            assert_eq!(PersonalId::parse(n, Some(2026)), Err(e), "{n}");
        }
        // Without a year, a 2033 birth year is only a shape question.
        assert!(PersonalId::parse("001330000001", None).is_ok());
    }
}
