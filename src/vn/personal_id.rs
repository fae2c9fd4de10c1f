//! The 12-digit personal identification number (số định danh cá nhân), Nghị định 137/2015/NĐ-CP
//! Điều 13: `PPP G YY RRRRRR`. `PPP` is the province (001–096) or country (101–295) of birth
//! registration, `G` encodes century and sex (0/1 = 1900s male/female, 2/3 = 2000s, … up to 8/9 =
//! 2300s), `YY` the last two digits of the birth year, and six random digits. There is no check
//! digit, so only the shape can be checked.

use serde::Serialize;

use super::provinces::{province_name, ABROAD_CODES};

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
        let digits = number.as_bytes();
        let [p1, p2, p3, g, y1, y2, ..] = *digits else {
            return Err(PersonalIdError::NotTwelveDigits);
        };
        if digits.len() != 12 || !digits.iter().all(u8::is_ascii_digit) {
            return Err(PersonalIdError::NotTwelveDigits);
        }
        let d = |b: u8| u16::from(b - b'0');
        let registration_code = d(p1) * 100 + d(p2) * 10 + d(p3);
        if province_name(registration_code).is_none() && !ABROAD_CODES.contains(&registration_code)
        {
            return Err(PersonalIdError::UnknownRegistrationCode);
        }
        let century_digit = d(g);
        let sex = if century_digit % 2 == 0 {
            Sex::Male
        } else {
            Sex::Female
        };
        let birth_year = (19 + century_digit / 2) * 100 + d(y1) * 10 + d(y2);
        if current_year.is_some_and(|year| i64::from(birth_year) > year) {
            return Err(PersonalIdError::BirthYearInFuture);
        }
        Ok(PersonalId {
            registration_code,
            sex,
            birth_year,
        })
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
