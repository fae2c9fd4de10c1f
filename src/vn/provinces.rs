//! Province codes of birth registration, as used in the first three digits of the personal
//! identification number (Thông tư 07/2016/TT-BCA, Phụ lục 1). These are the 63 provinces as they
//! stood before the 2025 merger: the code records the province at birth registration and existing
//! numbers never change, so all 63 stay valid.

/// `(code, name)` for the 63 legacy provinces, sorted by code.
pub const PROVINCES: &[(u16, &str)] = &[
    (1, "Hà Nội"),
    (2, "Hà Giang"),
    (4, "Cao Bằng"),
    (6, "Bắc Kạn"),
    (8, "Tuyên Quang"),
    (10, "Lào Cai"),
    (11, "Điện Biên"),
    (12, "Lai Châu"),
    (14, "Sơn La"),
    (15, "Yên Bái"),
    (17, "Hòa Bình"),
    (19, "Thái Nguyên"),
    (20, "Lạng Sơn"),
    (22, "Quảng Ninh"),
    (24, "Bắc Giang"),
    (25, "Phú Thọ"),
    (26, "Vĩnh Phúc"),
    (27, "Bắc Ninh"),
    (30, "Hải Dương"),
    (31, "Hải Phòng"),
    (33, "Hưng Yên"),
    (34, "Thái Bình"),
    (35, "Hà Nam"),
    (36, "Nam Định"),
    (37, "Ninh Bình"),
    (38, "Thanh Hóa"),
    (40, "Nghệ An"),
    (42, "Hà Tĩnh"),
    (44, "Quảng Bình"),
    (45, "Quảng Trị"),
    (46, "Thừa Thiên Huế"),
    (48, "Đà Nẵng"),
    (49, "Quảng Nam"),
    (51, "Quảng Ngãi"),
    (52, "Bình Định"),
    (54, "Phú Yên"),
    (56, "Khánh Hòa"),
    (58, "Ninh Thuận"),
    (60, "Bình Thuận"),
    (62, "Kon Tum"),
    (64, "Gia Lai"),
    (66, "Đắk Lắk"),
    (67, "Đắk Nông"),
    (68, "Lâm Đồng"),
    (70, "Bình Phước"),
    (72, "Tây Ninh"),
    (74, "Bình Dương"),
    (75, "Đồng Nai"),
    (77, "Bà Rịa–Vũng Tàu"),
    (79, "TP Hồ Chí Minh"),
    (80, "Long An"),
    (82, "Tiền Giang"),
    (83, "Bến Tre"),
    (84, "Trà Vinh"),
    (86, "Vĩnh Long"),
    (87, "Đồng Tháp"),
    (89, "An Giang"),
    (91, "Kiên Giang"),
    (92, "Cần Thơ"),
    (93, "Hậu Giang"),
    (94, "Sóc Trăng"),
    (95, "Bạc Liêu"),
    (96, "Cà Mau"),
];

/// First and last country code used for births registered abroad (e.g. 175 = USA, 232 = Japan).
pub const ABROAD_CODES: core::ops::RangeInclusive<u16> = 101..=295;

/// The province name of a legacy code, if it is one.
#[must_use]
pub fn province_name(code: u16) -> Option<&'static str> {
    PROVINCES
        .binary_search_by_key(&code, |&(c, _)| c)
        .ok()
        .and_then(|i| PROVINCES.get(i))
        .map(|&(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_63_sorted_codes() {
        assert_eq!(PROVINCES.len(), 63);
        assert!(PROVINCES
            .windows(2)
            .all(|w| matches!(w, [a, b] if a.0 < b.0)));
        assert_eq!(province_name(79), Some("TP Hồ Chí Minh"));
        assert_eq!(province_name(87), Some("Đồng Tháp"));
        assert_eq!(province_name(3), None);
        assert_eq!(province_name(97), None);
    }
}
