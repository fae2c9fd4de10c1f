//! The identifiers printed on Vietnamese documents, checked for their shape: driving licence
//! numbers and classes, vehicle registration plates, owners' ID numbers, health insurance (BHYT)
//! card numbers, and the short codes the document schemas use. Each returns why a value is not
//! one, for the schema's `schema_invalid` detail.

use super::provinces::province_name;
use super::PersonalId;

fn all_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

pub(crate) fn nine_digits(s: &str) -> Result<(), &'static str> {
    all_digits(s, 9).then_some(()).ok_or("not 9 digits")
}

pub(crate) fn ten_digits(s: &str) -> Result<(), &'static str> {
    all_digits(s, 10).then_some(()).ok_or("not 10 digits")
}

pub(crate) fn two_letters(s: &str) -> Result<(), &'static str> {
    (s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase()))
        .then_some(())
        .ok_or("not two capital letters")
}

/// Driving licence classes: those of the 2024 Road Traffic Safety Law (A1, A, B1, B, C1, C, D1,
/// D2, D, BE, C1E, CE, D1E, D2E, DE) and those of the 2008 law still on valid licences (A2, A3,
/// A4, B2, E, FB2, FC, FD, FE).
const LICENCE_CLASSES: [&str; 24] = [
    "A1", "A", "B1", "B", "C1", "C", "D1", "D2", "D", "BE", "C1E", "CE", "D1E", "D2E", "DE", "A2",
    "A3", "A4", "B2", "E", "FB2", "FC", "FD", "FE",
];

pub(crate) fn licence_class(s: &str) -> Result<(), &'static str> {
    LICENCE_CLASSES
        .contains(&s)
        .then_some(())
        .ok_or("not a driving licence class")
}

/// Province codes as two digits (the personal ID number's code without its leading 0).
fn is_province_2(code: &str) -> bool {
    code.parse::<u16>().ok().and_then(province_name).is_some()
}

/// 12 digits; the first two are the issuing province's code (DOMAIN §5.1).
pub(crate) fn licence_number(s: &str) -> Result<(), &'static str> {
    if !all_digits(s, 12) {
        return Err("not 12 digits");
    }
    s.get(..2)
        .filter(|p| is_province_2(p))
        .map(|_| ())
        .ok_or("the first two digits are not a province code")
}

/// A plate as printed (DOMAIN §5.4): locality `11`–`99`, a series, a serial of 4 digits, 5
/// digits, or `NNN.NN`. Cars: `30A-123.45`, `51LD-12345` (series of 1–2 letters joined to the
/// locality). Motorbikes: `29-B1 123.45` (series of a letter and a digit or two letters, after a
/// hyphen, then a space). A single-letter series is never I, O, Q or W.
pub(crate) fn plate(s: &str) -> Result<(), &'static str> {
    const BAD: &str = "not a plate such as 30A-123.45 or 29-B1 123.45";
    let locality = s.get(..2).filter(|l| all_digits(l, 2)).ok_or(BAD)?;
    if locality < "11" {
        return Err("plate locality codes run from 11 to 99");
    }
    let rest = s.get(2..).ok_or(BAD)?;
    let (series, serial) = if let Some(moto) = rest.strip_prefix('-') {
        // Motorbike: series of 2, a space, then the serial.
        let (series, serial) = moto.split_once(' ').ok_or(BAD)?;
        let sb = series.as_bytes();
        let ok = sb.len() == 2
            && sb.first().is_some_and(u8::is_ascii_uppercase)
            && sb
                .get(1)
                .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !ok {
            return Err(BAD);
        }
        (series, serial)
    } else {
        let (series, serial) = rest.split_once('-').ok_or(BAD)?;
        if series.is_empty() || series.len() > 2 || !series.bytes().all(|c| c.is_ascii_uppercase())
        {
            return Err(BAD);
        }
        (series, serial)
    };
    if series.len() == 1 && matches!(series, "I" | "O" | "Q" | "W") {
        return Err("I, O, Q and W are not plate series");
    }
    let serial_ok = all_digits(serial, 4)
        || all_digits(serial, 5)
        || (serial.len() == 6
            && serial.get(3..4) == Some(".")
            && serial.get(..3).is_some_and(|d| all_digits(d, 3))
            && serial.get(4..).is_some_and(|d| all_digits(d, 2)));
    serial_ok.then_some(()).ok_or(BAD)
}

/// The owner of a vehicle: a 12-digit personal ID number, or a 10-digit or 13-character
/// (`NNNNNNNNNN-NNN`) tax code.
pub(crate) fn owner_id(s: &str) -> Result<(), &'static str> {
    if all_digits(s, 12) {
        return PersonalId::parse(s, None)
            .map(|_| ())
            .map_err(|e| e.explain());
    }
    let tax = all_digits(s, 10)
        || (s.len() == 14
            && s.get(10..11) == Some("-")
            && s.get(..10).is_some_and(|d| all_digits(d, 10))
            && s.get(11..).is_some_and(|d| all_digits(d, 3)));
    tax.then_some(())
        .ok_or("not a personal ID number (12 digits) or a tax code")
}

/// BHYT card number (DOMAIN §5.2): the 15-character form (2 letters of beneficiary group, a
/// benefit level 1–5, 2 digits of the issuing province 01–99, the 10-digit social-insurance
/// number) or the 10-digit form of cards issued from 1 April 2021.
pub(crate) fn bhyt_card_number(s: &str) -> Result<(), &'static str> {
    if all_digits(s, 10) {
        return Ok(());
    }
    let b = s.as_bytes();
    let ok = b.len() == 15
        && b.get(..2)
            .is_some_and(|g| g.iter().all(u8::is_ascii_uppercase))
        && b.get(2).is_some_and(|l| (b'1'..=b'5').contains(l))
        && s.get(3..5).is_some_and(|p| all_digits(p, 2) && p != "00")
        && s.get(5..).is_some_and(|n| all_digits(n, 10));
    ok.then_some(())
        .ok_or("not a BHYT card number (10 digits, or 2 letters, level 1-5, province, 10 digits)")
}

pub(crate) fn passport_number(s: &str) -> Result<(), &'static str> {
    ((6..=12).contains(&s.len())
        && s.bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
    .then_some(())
    .ok_or("not 6-12 capital letters and digits")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        for ok in [
            "30A-123.45",
            "51G-12345",
            "51LD-1234",
            "29-B1 123.45",
            "59-X3 1234",
            "29-MD 123.45",
        ] {
            assert_eq!(plate(ok), Ok(()), "{ok}");
        }
        for bad in [
            "30A12345",
            "10A-123.45",
            "30I-123.45",
            "30a-123.45",
            "30A-12.345",
            "29-B1-123.45",
            "30ABC-1234",
            "3OA-1234",
            "29-B 1234",
            "30A-123456",
        ] {
            assert!(plate(bad).is_err(), "{bad}");
        }
        for ok in [
            "DN4010123456789",
            "HS4010120878811",
            "TE1790000000001",
            "0123456789",
        ] {
            assert_eq!(bhyt_card_number(ok), Ok(()), "{ok}");
        }
        for bad in [
            "DN6010123456789",
            "DN4000123456789",
            "dn4010123456789",
            "DN401012345678",
            "012345678",
            "D14010123456789",
        ] {
            assert!(bhyt_card_number(bad).is_err(), "{bad}");
        }
        assert_eq!(licence_number("790123456789"), Ok(()));
        assert!(licence_number("030123456789").is_err()); // 03 is not a province
        assert!(licence_number("79012345678").is_err());
        assert_eq!(owner_id("001099001234"), Ok(()));
        assert_eq!(owner_id("0312345678"), Ok(()));
        assert_eq!(owner_id("0312345678-001"), Ok(()));
        assert!(owner_id("003099001234").is_err());
        assert!(
            licence_class("B2").is_ok()
                && licence_class("C1E").is_ok()
                && licence_class("X").is_err()
        );
    }
}
