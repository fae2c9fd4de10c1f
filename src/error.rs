//! Error codes: one closed set, stable `snake_case` strings, messages in English and Vietnamese.
//!
//! Codes are part of the public API. A verdict that is not valid carries exactly one of them; a
//! thrown error (bad options, bad trust file) carries one too. The README lists them all, and a
//! test checks that the list there and [`ErrorCode::ALL`] agree.

use core::fmt;

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $en:literal, $vi:literal; )*) => {
        /// Why a payload was rejected (or, for `unsigned`, why it cannot be trusted).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )*
        }

        impl ErrorCode {
            /// Every code, in documentation order.
            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$variant, )* ];

            /// The stable `snake_case` string of this code.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $( ErrorCode::$variant => $code, )* }
            }

            /// A one-line English description, without context.
            #[must_use]
            pub const fn message_en(self) -> &'static str {
                match self { $( ErrorCode::$variant => $en, )* }
            }

            /// A one-line Vietnamese description, without context.
            #[must_use]
            pub const fn message_vi(self) -> &'static str {
                match self { $( ErrorCode::$variant => $vi, )* }
            }

            /// Parses a code from its stable string.
            #[must_use]
            pub fn from_str_code(s: &str) -> Option<ErrorCode> {
                match s { $( $code => Some(ErrorCode::$variant), )* _ => None }
            }
        }
    };
}

error_codes! {
    // ---- Input -------------------------------------------------------------------------------
    /// The payload is empty or only whitespace.
    EmptyPayload = "empty_payload",
        "The payload is empty", "Dữ liệu trống";
    /// The payload is longer than the configured limit; nothing was parsed.
    PayloadTooLarge = "payload_too_large",
        "The payload is larger than the allowed size", "Dữ liệu vượt quá kích thước cho phép";
    /// No supported format recognises the payload.
    UnknownFormat = "unknown_format",
        "The payload is not in a supported format", "Dữ liệu không thuộc định dạng được hỗ trợ";
    /// The payload's format is not among the formats the caller accepts (`Policy::formats`).
    FormatNotAllowed = "format_not_allowed",
        "This kind of payload is not accepted here", "Loại dữ liệu này không được chấp nhận ở đây";

    // ---- JWS / JWT structure -------------------------------------------------------------------
    /// Not a compact JWS: wrong number of segments, empty segment or non-ASCII characters.
    TokenMalformed = "token_malformed",
        "The token is not a well-formed compact JWS", "Mã thông báo không đúng cấu trúc JWS";
    /// A JWE (five segments): encrypted tokens are not supported.
    JweUnsupported = "jwe_unsupported",
        "Encrypted tokens (JWE) are not supported", "Không hỗ trợ mã thông báo được mã hóa (JWE)";
    /// The protected header is larger than the configured limit.
    HeaderTooLarge = "header_too_large",
        "The token header is larger than the allowed size", "Phần đầu mã thông báo vượt quá kích thước cho phép";
    /// A segment is not strict base64url (padding, whitespace, `+`, `/`, non-zero trailing bits).
    Base64Invalid = "base64_invalid",
        "A segment is not valid base64url", "Một phần dữ liệu không phải base64url hợp lệ";
    /// Header or claims are not a strict UTF-8 JSON object (duplicate members, too deep, too many members).
    JsonInvalid = "json_invalid",
        "The JSON is invalid or exceeds the allowed limits", "JSON không hợp lệ hoặc vượt quá giới hạn";
    /// The protected header is missing `alg` or has a member of the wrong type.
    HeaderInvalid = "header_invalid",
        "The token header is invalid", "Phần đầu mã thông báo không hợp lệ";
    /// The algorithm is not ES256 (`none`, HMAC and all others are refused).
    AlgNotAllowed = "alg_not_allowed",
        "The signature algorithm is not allowed", "Thuật toán chữ ký không được phép";
    /// The header has `crit`: no extension is understood.
    CritUnsupported = "crit_unsupported",
        "The token requires an extension that is not supported (crit)", "Mã thông báo yêu cầu phần mở rộng không được hỗ trợ (crit)";
    /// A nested token (`cty: JWT`).
    NestedJwtUnsupported = "nested_jwt_unsupported",
        "Nested tokens are not supported", "Không hỗ trợ mã thông báo lồng nhau";
    /// The signature is not 64 bytes of r‖s (a DER signature, truncated, padded...).
    SignatureMalformed = "signature_malformed",
        "The signature is not a 64-byte r||s value", "Chữ ký không ở dạng r||s 64 byte";
    /// The header's `typ` is not the one this kind of token must carry (`…+sd-jwt` for an
    /// SD-JWT's issuer-signed part, `kb+jwt` for a key-binding JWT).
    TypInvalid = "typ_invalid",
        "The token type (typ) is not the one expected here", "Loại mã thông báo (typ) không đúng như yêu cầu";

    // ---- Selective disclosure (SD-JWT, RFC 9901) ---------------------------------------------
    /// A disclosure is malformed (not base64url of a JSON array of 2 or 3 elements with a string
    /// salt), sits in the wrong kind of slot (3 elements in an array, 2 in an object), is named
    /// `_sd` or `...`, would overwrite a claim, or discloses a claim that must stay plain
    /// (`iss`, `cnf`, `exp`, `nbf`; for SD-JWT VC also `vct`, `status`).
    DisclosureInvalid = "disclosure_invalid",
        "A disclosed claim is malformed or not allowed", "Một thông tin được tiết lộ không hợp lệ hoặc không được phép";
    /// The same disclosure is presented twice, or the same digest appears twice in the credential.
    DisclosureDuplicated = "disclosure_duplicated",
        "A disclosure or a digest appears more than once", "Một thông tin được tiết lộ hoặc mã băm xuất hiện nhiều lần";
    /// A disclosure matches no digest of the credential: forged, or from another credential.
    DisclosureUnreferenced = "disclosure_unreferenced",
        "A disclosed claim does not belong to this credential", "Một thông tin được tiết lộ không thuộc về giấy tờ này";

    // ---- Holder binding ----------------------------------------------------------------------
    /// The policy requires proof that the presenter holds the credential's key, and there is
    /// none: no key-binding JWT, or a payload that names no holder key (bearer formats).
    HolderBindingMissing = "holder_binding_missing",
        "Proof that the presenter is the holder is required but missing", "Thiếu bằng chứng người xuất trình là chủ sở hữu";
    /// The key-binding proof answers another challenge: its `nonce` is not the expected one.
    NonceMismatch = "nonce_mismatch",
        "The proof answers a different challenge (nonce)", "Bằng chứng trả lời một yêu cầu khác (nonce)";
    /// The key-binding JWT's `sd_hash` does not match the credential and disclosures presented.
    SdHashMismatch = "sd_hash_mismatch",
        "The holder's proof was made for a different presentation", "Bằng chứng của chủ sở hữu được tạo cho một lần xuất trình khác";
    /// This holder proof was already accepted once: a replay (or the same QR read twice).
    Replayed = "replayed",
        "This presentation was already used", "Lần xuất trình này đã được sử dụng";
    /// The replay cache is full of proofs still within their maximum age: refused rather than
    /// forgetting one that could then be replayed.
    ReplayCacheFull = "replay_cache_full",
        "Too many presentations at once; try again shortly", "Quá nhiều lượt xuất trình cùng lúc; vui lòng thử lại sau";

    // ---- Document QR encodings ---------------------------------------------------------------
    /// The QR prefix (`HC1:`, `VN1:`, `shc:/`...) is missing or not supported.
    PrefixInvalid = "prefix_invalid",
        "The QR prefix is missing or not supported", "Tiền tố mã QR bị thiếu hoặc không được hỗ trợ";
    /// The base45 text is invalid.
    Base45Invalid = "base45_invalid",
        "The QR text is not valid base45", "Nội dung QR không phải base45 hợp lệ";
    /// The numeric QR text (`shc:/` digits) is invalid.
    NumericInvalid = "numeric_invalid",
        "The numeric QR text is invalid", "Nội dung QR dạng số không hợp lệ";
    /// A multi-part QR chunk is malformed, duplicated or out of range.
    ChunkInvalid = "chunk_invalid",
        "A QR chunk is malformed, duplicated or out of range", "Một phần của mã QR bị lỗi, trùng lặp hoặc sai thứ tự";
    /// Some chunks of a multi-part QR are missing.
    ChunksIncomplete = "chunks_incomplete",
        "Some parts of a multi-part QR code are missing", "Thiếu một số phần của mã QR nhiều phần";
    /// The compressed data could not be inflated.
    InflateFailed = "inflate_failed",
        "The compressed data is corrupt", "Dữ liệu nén bị hỏng";
    /// The data inflates beyond the configured limit (an inflate bomb is refused).
    DecompressedTooLarge = "decompressed_too_large",
        "The data decompresses to more than the allowed size", "Dữ liệu giải nén vượt quá kích thước cho phép";
    /// The CBOR is malformed, too deep or has too many items.
    CborInvalid = "cbor_invalid",
        "The CBOR data is invalid or exceeds the allowed limits", "Dữ liệu CBOR không hợp lệ hoặc vượt quá giới hạn";
    /// The COSE structure is invalid (not a COSE_Sign1, bad headers).
    CoseInvalid = "cose_invalid",
        "The COSE signature structure is invalid", "Cấu trúc chữ ký COSE không hợp lệ";
    /// The document's fields do not match its schema.
    SchemaInvalid = "schema_invalid",
        "The document's fields are invalid", "Các trường của giấy tờ không hợp lệ";
    /// A certificate in the payload or in the trust store is malformed.
    CertificateInvalid = "certificate_invalid",
        "A certificate is malformed", "Chứng thư số không hợp lệ";
    /// The signer certificate does not chain to a trusted authority.
    ChainInvalid = "chain_invalid",
        "The signer certificate is not issued by a trusted authority", "Chứng thư của bên ký không do cơ quan tin cậy cấp";

    // ---- Key selection -----------------------------------------------------------------------
    /// The issuer is not in the trust store.
    UnknownIssuer = "unknown_issuer",
        "The issuer is not trusted", "Bên phát hành không nằm trong danh sách tin cậy";
    /// No trusted key of the issuer matches the key id.
    UnknownKey = "unknown_key",
        "No trusted key matches the key id", "Không có khóa tin cậy nào khớp với mã khóa";
    /// Several trusted keys could match and the payload names none.
    AmbiguousKey = "ambiguous_key",
        "Several trusted keys could match; the payload must name one (kid)", "Có nhiều khóa tin cậy phù hợp; dữ liệu phải chỉ rõ khóa (kid)";
    /// The trusted key's validity has not started at the verification time.
    KeyNotYetValid = "key_not_yet_valid",
        "The signing key is not yet valid", "Khóa ký chưa có hiệu lực";
    /// The trusted key's validity ended before the verification time.
    KeyExpired = "key_expired",
        "The signing key has expired", "Khóa ký đã hết hiệu lực";
    /// The trusted key cannot verify this algorithm (e.g. a P-384 key for ES256, RSA without the `rsa` feature).
    UnsupportedKey = "unsupported_key",
        "The signing key is of a type that cannot verify this signature", "Loại khóa ký không thể xác minh chữ ký này";
    /// The key may not sign this kind of document.
    KeyNotAuthorized = "key_not_authorized",
        "The signing key is not authorised for this kind of document", "Khóa ký không được phép ký loại giấy tờ này";

    // ---- Cryptography (deliberately opaque) --------------------------------------------------
    /// The signature does not verify.
    SignatureInvalid = "signature_invalid",
        "The signature is invalid", "Chữ ký không hợp lệ";

    // ---- Claims and policy -------------------------------------------------------------------
    /// A required claim is absent.
    ClaimMissing = "claim_missing",
        "A required claim is missing", "Thiếu một thông tin bắt buộc";
    /// A claim has the wrong type or an impossible value.
    ClaimInvalid = "claim_invalid",
        "A claim has an invalid value", "Một thông tin có giá trị không hợp lệ";
    /// `iss` is not the expected issuer.
    IssuerMismatch = "issuer_mismatch",
        "The issuer is not the expected one", "Bên phát hành không đúng như yêu cầu";
    /// `aud` does not contain the expected audience.
    AudienceMismatch = "audience_mismatch",
        "The token is not intended for this audience", "Mã thông báo không dành cho bên nhận này";
    /// The payload has expired (`now >= exp + tolerance`).
    Expired = "expired",
        "It has expired", "Đã hết hạn";
    /// The payload is not valid yet (`nbf`).
    NotYetValid = "not_yet_valid",
        "It is not valid yet", "Chưa có hiệu lực";
    /// `iat` is in the future beyond the clock tolerance.
    IssuedInFuture = "issued_in_future",
        "It was issued in the future (check the clock)", "Thời điểm phát hành nằm ở tương lai (kiểm tra đồng hồ)";
    /// Older than the configured maximum age.
    TooOld = "too_old",
        "It is older than the allowed maximum age", "Đã quá thời gian tối đa cho phép kể từ khi phát hành";
    /// The assurance level (`acr`) is missing or below the required level.
    LevelTooLow = "level_too_low",
        "The identity assurance level is too low", "Mức độ định danh điện tử không đủ";
    /// The 12-digit personal identification number is malformed.
    PersonalIdInvalid = "personal_id_invalid",
        "The personal identification number is invalid", "Số định danh cá nhân không hợp lệ";
    /// The trust store lists this token or document as revoked: by id, by an EU DCC revocation
    /// hash, or with status 1 (invalid) in its issuer's status list.
    Revoked = "revoked",
        "It has been revoked", "Đã bị thu hồi";

    // ---- Status lists and trust freshness ----------------------------------------------------
    /// Its issuer's status list gives it status 2 (suspended).
    Suspended = "suspended",
        "It has been suspended", "Đã bị tạm đình chỉ";
    /// Its issuer's status list gives it a status other than valid, revoked or suspended.
    StatusUnknown = "status_unknown",
        "Its status list gives it a status that is not understood", "Danh sách trạng thái ghi nhận một trạng thái không xác định";
    /// It names a status list (`status.status_list.uri`) that the trust store does not hold signed by its issuer.
    StatusListMissing = "status_list_missing",
        "Its status list is not in the trust bundle", "Danh sách trạng thái của nó không có trong gói tin cậy";
    /// Its status list has expired (`exp`): a fresher trust bundle is needed.
    StatusListStale = "status_list_stale",
        "Its status list has expired; a newer trust bundle is needed", "Danh sách trạng thái đã hết hạn; cần gói tin cậy mới hơn";
    /// Its index (`status.status_list.idx`) is outside its status list.
    StatusIndexInvalid = "status_index_invalid",
        "Its status list index is out of range", "Chỉ số trong danh sách trạng thái nằm ngoài phạm vi";
    /// The signed trust bundle has expired at the verification time: nothing is verified until a fresh one is loaded.
    TrustExpired = "trust_expired",
        "The trust bundle has expired; load a newer one", "Gói tin cậy đã hết hạn; hãy nạp gói mới hơn";

    // ---- Unsigned payloads -------------------------------------------------------------------
    /// The payload carries no signature (the ID card QR): its fields cannot be trusted.
    Unsigned = "unsigned",
        "This QR code has no signature; compare the fields with the card", "Mã QR này không có chữ ký; hãy đối chiếu thông tin với thẻ";

    // ---- Thrown by constructors, never in a verdict ------------------------------------------
    /// An option has the wrong type or an impossible value.
    InvalidOption = "invalid_option",
        "An option is invalid", "Tùy chọn không hợp lệ";
    /// A trust file or key is invalid.
    TrustInvalid = "trust_invalid",
        "The trust store is invalid", "Kho khóa tin cậy không hợp lệ";
    /// Trust roots are pinned, and the trust file is not a signed trust bundle.
    TrustUnsigned = "trust_unsigned",
        "The trust file is not a signed trust bundle", "Tệp tin cậy không phải gói tin cậy có chữ ký";
    /// A signature on the trust bundle by a pinned root key does not verify: the bundle was altered.
    TrustSignatureInvalid = "trust_signature_invalid",
        "A root signature on the trust bundle is invalid (the bundle was altered)", "Chữ ký gốc trên gói tin cậy không hợp lệ (gói đã bị sửa đổi)";
    /// No signature on the trust bundle is by a pinned root key.
    TrustUnknownSigner = "trust_unknown_signer",
        "The trust bundle is not signed by a trusted root key", "Gói tin cậy không được ký bằng khóa gốc tin cậy";
    /// Fewer distinct root keys signed the trust bundle than the root set's threshold.
    TrustThresholdNotMet = "trust_threshold_not_met",
        "Too few root keys signed the trust bundle", "Không đủ số khóa gốc ký gói tin cậy";
    /// The trust bundle's version is lower than one this device already accepted (a replayed old bundle).
    TrustRollback = "trust_rollback",
        "The trust bundle is older than one already accepted", "Gói tin cậy cũ hơn gói đã được chấp nhận";
    /// The trust bundle was issued after the verification time (beyond the clock tolerance): the clock is behind.
    TrustIssuedInFuture = "trust_issued_in_future",
        "The trust bundle was issued in the future (check the clock)", "Gói tin cậy được phát hành ở tương lai (kiểm tra đồng hồ)";
    /// The persisted trust state (highest accepted version, current roots) is unreadable or corrupt.
    TrustStateInvalid = "trust_state_invalid",
        "The saved trust state is corrupt", "Trạng thái tin cậy đã lưu bị hỏng";
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A rejection: a stable [`ErrorCode`], a detail naming what was wrong in words (the claim, the
/// key id, the limit; language-neutral: names and numbers), and the same as data
/// ([`ErrorDetail`]: the claim, the path into the payload, the limit) for programs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    detail: Option<String>,
    data: Option<Box<ErrorDetail>>,
}

/// What a rejection is about, as data: the claim (`exp`), the path into the payload
/// (`fields.dateOfBirth`, `dcc.v[0].ci`, `verifiableCredential[1]`), the limit that was
/// exceeded. Each is present only when it applies. A verdict carries it as `detail`, a thrown
/// JavaScript error as its properties, the CLI's JSON as `detail`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ErrorDetail {
    /// The claim (`iss`, `exp`, `aud`, `cnf`, `hcert (-260)`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim: Option<String>,
    /// Where in the payload or file: a dotted path (`fields.classes[0]`, `issuers[0].keys[1]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The limit that was exceeded, in its unit (bytes, characters, items, disclosures).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

impl Error {
    /// An error with no detail.
    #[must_use]
    pub const fn new(code: ErrorCode) -> Self {
        Error {
            code,
            detail: None,
            data: None,
        }
    }

    /// An error with a detail (e.g. `claim "exp"`, `kid "k1"`). A detail longer than
    /// [`Error::MAX_DETAIL_CHARS`] characters is cut there and ends with `…`: details quote
    /// untrusted input, and no message may grow with it.
    #[must_use]
    pub fn with_detail(code: ErrorCode, detail: impl Into<String>) -> Self {
        Error {
            code,
            detail: Some(bounded(detail.into(), Self::MAX_DETAIL_CHARS)),
            data: None,
        }
    }

    /// `claim_missing`, naming the claim in the detail and as data.
    #[must_use]
    pub fn claim_missing(name: &str) -> Self {
        Error::with_detail(ErrorCode::ClaimMissing, format!("claim \"{name}\"")).claim(name)
    }

    /// `claim_invalid`, naming the claim and why, in the detail and (the claim) as data.
    #[must_use]
    pub fn claim_invalid(name: &str, why: &str) -> Self {
        Error::with_detail(ErrorCode::ClaimInvalid, format!("claim \"{name}\": {why}")).claim(name)
    }

    /// `code` at `path` in the payload or file, why in the detail (`schema_invalid` of a
    /// document field, `trust_invalid` of a trust file entry…).
    #[must_use]
    pub fn at(code: ErrorCode, path: &str, why: &str) -> Self {
        Error::with_detail(code, format!("{path}: {why}")).path(path)
    }

    /// `trust_invalid` at `at` in a trust file (`trust.json: issuers[0].keys[1]`), why in the
    /// detail.
    #[must_use]
    pub(crate) fn trust_invalid(at: &str, why: &str) -> Self {
        Error::at(ErrorCode::TrustInvalid, at, why)
    }

    /// `invalid_option`: the option `name` and why (the name as the path).
    #[must_use]
    pub fn invalid_option(name: &str, why: &str) -> Self {
        Error::at(ErrorCode::InvalidOption, name, why)
    }

    /// `cose_invalid`, saying what in the detail.
    #[must_use]
    pub(crate) fn cose_invalid(detail: impl Into<String>) -> Self {
        Error::with_detail(ErrorCode::CoseInvalid, detail)
    }

    /// `schema_invalid`, saying what in the detail.
    #[must_use]
    pub(crate) fn schema(detail: impl Into<String>) -> Self {
        Error::with_detail(ErrorCode::SchemaInvalid, detail)
    }

    /// `schema_invalid` at `path` in a document (`dcc.v[0].ci`, `fields.dateOfBirth`), why in
    /// the detail.
    #[must_use]
    pub(crate) fn schema_invalid(path: &str, why: impl fmt::Display) -> Self {
        Error::at(ErrorCode::SchemaInvalid, path, &why.to_string())
    }

    /// `code` (`payload_too_large`, `header_too_large`, `decompressed_too_large`…) for `size`
    /// over `limit`, both in the detail and the limit as data.
    #[must_use]
    pub fn too_large(code: ErrorCode, size: usize, limit: usize, unit: &str) -> Self {
        Error::with_detail(code, format!("{size} {unit}; limit {limit}")).limit(limit)
    }

    /// This error, naming `name` as the claim it is about.
    #[must_use]
    pub fn claim(mut self, name: &str) -> Self {
        self.data_mut().claim = Some(bounded(name.to_owned(), Self::MAX_DETAIL_CHARS));
        self
    }

    /// This error, at `path` in the payload (an outer path is prefixed: `verifiableCredential[1]`
    /// then `claims`).
    #[must_use]
    pub fn path(mut self, path: &str) -> Self {
        let data = self.data_mut();
        let joined = match data.path.take() {
            Some(inner) => format!("{path}.{inner}"),
            None => path.to_owned(),
        };
        data.path = Some(bounded(joined, Self::MAX_DETAIL_CHARS));
        self
    }

    /// This error, naming the limit that was exceeded.
    #[must_use]
    pub fn limit(mut self, limit: usize) -> Self {
        self.data_mut().limit = Some(limit);
        self
    }

    fn data_mut(&mut self) -> &mut ErrorDetail {
        self.data.get_or_insert_with(Box::default)
    }

    /// The detail as data, if any.
    #[must_use]
    pub fn data(&self) -> Option<&ErrorDetail> {
        self.data.as_deref()
    }

    /// This error with `prefix: ` before its detail (`header: …`), its data kept.
    #[must_use]
    pub fn context(self, prefix: &str) -> Self {
        let detail = match self.detail() {
            Some(d) => format!("{prefix}: {d}"),
            None => prefix.to_owned(),
        };
        Error {
            detail: Some(bounded(detail, Self::MAX_DETAIL_CHARS)),
            ..self
        }
    }

    /// The most characters a detail holds (the last one `…` when it was cut).
    pub const MAX_DETAIL_CHARS: usize = 256;

    /// The stable code.
    #[must_use]
    pub const fn code(&self) -> ErrorCode {
        self.code
    }

    /// The detail, if any.
    #[must_use]
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// The English message, with the detail in parentheses.
    #[must_use]
    pub fn message_en(&self) -> String {
        self.compose(self.code.message_en())
    }

    /// The Vietnamese message, with the detail in parentheses.
    #[must_use]
    pub fn message_vi(&self) -> String {
        self.compose(self.code.message_vi())
    }

    fn compose(&self, base: &str) -> String {
        match &self.detail {
            Some(d) => alloc::format!("{base} ({d})"),
            None => String::from(base),
        }
    }
}

/// `text` cut to at most `max` characters, the last one `…` when it was cut.
pub(crate) fn bounded(mut text: String, max: usize) -> String {
    if let Some((cut, _)) = text.char_indices().nth(max.saturating_sub(1)) {
        if text
            .get(cut..)
            .is_some_and(|rest| rest.chars().nth(1).is_some())
        {
            text.truncate(cut);
            text.push('…');
        }
    }
    text
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message_en())
    }
}

impl std::error::Error for Error {}

impl From<ErrorCode> for Error {
    fn from(code: ErrorCode) -> Self {
        Error::new(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for &code in ErrorCode::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "duplicate code {s}");
            assert!(
                s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{s}"
            );
            assert_eq!(ErrorCode::from_str_code(s), Some(code));
            assert!(!code.message_en().is_empty() && !code.message_vi().is_empty());
        }
        assert_eq!(ErrorCode::from_str_code("nope"), None);
    }

    #[test]
    fn details_are_cut_to_a_small_bound() {
        let long = "é".repeat(10_000);
        let e = Error::with_detail(ErrorCode::ClaimInvalid, long);
        let detail = e.detail().unwrap_or_default();
        assert_eq!(detail.chars().count(), Error::MAX_DETAIL_CHARS);
        assert!(detail.ends_with("é…"), "{detail}");
        let exact = "x".repeat(Error::MAX_DETAIL_CHARS);
        let e = Error::with_detail(ErrorCode::ClaimInvalid, exact.clone());
        assert_eq!(e.detail(), Some(exact.as_str()));
    }

    #[test]
    fn messages_carry_the_detail() {
        let e = Error::with_detail(ErrorCode::ClaimMissing, "claim \"exp\"");
        assert_eq!(
            e.message_en(),
            "A required claim is missing (claim \"exp\")"
        );
        assert!(e.message_vi().ends_with("(claim \"exp\")"));
    }
}
