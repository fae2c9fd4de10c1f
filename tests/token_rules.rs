//! The token rules of issue 2 as a specification: one test per rule, each asserting the exact
//! error code. Tokens are made with the reference issuer (`issuer` feature) and test keys.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion
#![allow(clippy::cast_precision_loss)] // test arithmetic on small known values (bytes, offsets, NumericDates)
#![cfg(feature = "issuer")]

mod common;

use common::base64url;
use serde_json::{json, Map, Value};
use vneid_verify::issuer::IssuerKey;
use vneid_verify::{
    ErrorCode, Format, Level, Limits, Policy, TrustStore, Verdict, Verifier, WarningCode,
};

const ISS: &str = "https://id.vneid.test";
const NOW: i64 = 1_795_000_000; // 2026-11-18
const HOUR: i64 = 3600;

/// A deterministic test key (never trusted outside these tests).
fn key(kid: &str, seed: u8) -> IssuerKey {
    IssuerKey::from_secret_bytes(kid, &[seed; 32]).expect("test key")
}

fn trust_for(keys: &[(&str, &IssuerKey)]) -> TrustStore {
    let mut store = TrustStore::new();
    for (issuer, k) in keys {
        store
            .add_jwk(issuer, &k.public_jwk(), "test")
            .expect("test key imports");
    }
    store
}

fn vneid_claims() -> Map<String, Value> {
    json!({
        "iss": ISS, "sub": "001099001234", "aud": "bank.example", "iat": NOW - 60, "nbf": NOW - 60,
        "exp": NOW + HOUR, "jti": "t-1", "acr": "urn:vneid:level:2", "name": "Nguyễn Văn An",
        "birthdate": "1999-03-15", "gender": "male"
    })
    .as_object()
    .cloned()
    .expect("object")
}

fn with(mut claims: Map<String, Value>, changes: Value) -> Map<String, Value> {
    for (k, v) in changes.as_object().expect("object") {
        if v.is_null() {
            claims.remove(k);
        } else {
            claims.insert(k.clone(), v.clone());
        }
    }
    claims
}

struct Fixture {
    key: IssuerKey,
    verifier: Verifier,
}

impl Fixture {
    fn new(policy: Policy) -> Fixture {
        let key = key("k1", 1);
        let verifier = Verifier::new(trust_for(&[(ISS, &key)]), policy);
        Fixture { key, verifier }
    }

    fn bank() -> Fixture {
        Fixture::new(Policy {
            audience: Some("bank.example".into()),
            ..Policy::default()
        })
    }

    fn token(&self, claims: &Map<String, Value>) -> String {
        self.key.sign_token(claims)
    }

    fn verify(&self, token: &str) -> Verdict {
        self.verifier.verify(token, NOW)
    }

    fn code(&self, token: &str) -> Option<ErrorCode> {
        self.verify(token).code
    }

    fn code_of(&self, claims: Map<String, Value>) -> Option<ErrorCode> {
        self.code(&self.token(&claims))
    }

    /// Signs an arbitrary header and payload text (for malformed-header tests).
    fn raw(&self, header: &str, payload: &str) -> String {
        self.key.sign_jws(header, payload.as_bytes())
    }
}

fn segments(token: &str) -> [String; 3] {
    let parts: Vec<&str> = token.split('.').collect();
    [parts[0].into(), parts[1].into(), parts[2].into()]
}

// ---- The happy path ------------------------------------------------------------------------

#[test]
fn a_valid_vneid_token_yields_its_verified_identity() {
    let f = Fixture::bank();
    let v = f.verify(&f.token(&vneid_claims()));
    assert!(v.valid, "{v:?}");
    assert_eq!(v.code, None);
    assert_eq!(v.format, Format::VneidToken);
    assert_eq!(v.issuer.as_deref(), Some(ISS));
    assert_eq!(v.kid.as_deref(), Some("k1"));
    assert_eq!(v.subject.as_deref(), Some("001099001234"));
    assert_eq!(v.level, Some(2));
    assert_eq!(v.expires_at, Some((NOW + HOUR) as f64));
    assert_eq!(
        v.claims.as_ref().map(|c| c["name"].clone()),
        Some(json!("Nguyễn Văn An"))
    );
    assert!(v.warnings.is_empty());
    assert_eq!(
        (v.message.as_str(), v.message_vi.as_str()),
        ("Verified", "Đã xác minh")
    );
}

#[test]
fn any_es256_jwt_is_accepted_when_no_vneid_policy_is_asked() {
    let f = Fixture::new(Policy::default());
    let oidc =
        json!({"iss": ISS, "sub": "user-42@example", "aud": "client", "exp": NOW + 60, "iat": NOW})
            .as_object()
            .cloned()
            .expect("object");
    let v = f.verify(&f.token(&oidc));
    assert!(v.valid, "{v:?}");
    assert_eq!(
        (v.format, v.level, v.subject.as_deref()),
        (Format::Jwt, None, Some("user-42@example"))
    );
    // aud is present but not configured: accepted, with a warning saying it was not checked.
    assert_eq!(
        v.warnings.iter().map(|w| w.code).collect::<Vec<_>>(),
        vec![WarningCode::AudienceNotChecked]
    );
}

#[test]
fn surrounding_whitespace_from_a_scanner_is_ignored() {
    let f = Fixture::bank();
    let token = f.token(&vneid_claims());
    assert!(f.verify(&format!("  {token}\r\n")).valid);
}

// ---- Size and structure, before any parsing ------------------------------------------------

#[test]
fn size_is_checked_before_parsing() {
    let f = Fixture::bank();
    assert_eq!(
        f.code(&"e".repeat(16 * 1024 + 1)),
        Some(ErrorCode::PayloadTooLarge)
    );
    let big = with(vneid_claims(), json!({"pad": "x".repeat(13_000)}));
    assert_eq!(f.code_of(big), Some(ErrorCode::PayloadTooLarge));
    let big_header = f.raw(
        &format!(r#"{{"alg":"ES256","kid":"k1","x":"{}"}}"#, "y".repeat(1600)),
        "{}",
    );
    assert_eq!(f.code(&big_header), Some(ErrorCode::HeaderTooLarge));
    let small = Fixture::new(Policy {
        limits: Limits {
            max_payload_len: 100,
            ..Limits::default()
        },
        ..Policy::default()
    });
    assert_eq!(
        small.code(&small.token(&vneid_claims())),
        Some(ErrorCode::PayloadTooLarge)
    );
}

#[test]
fn exactly_three_segments() {
    let f = Fixture::bank();
    let [h, p, s] = segments(&f.token(&vneid_claims()));
    assert_eq!(f.code(&format!("{h}.{p}")), Some(ErrorCode::TokenMalformed));
    assert_eq!(
        f.code(&format!("{h}.{p}.{s}.{s}")),
        Some(ErrorCode::TokenMalformed)
    );
    assert_eq!(
        f.code(&format!("{h}.{p}.{s}.{s}.{s}")),
        Some(ErrorCode::JweUnsupported)
    );
    assert_eq!(
        f.code(&format!("{h}.{p}.{s}é")),
        Some(ErrorCode::TokenMalformed)
    );
    assert_eq!(f.code(""), Some(ErrorCode::EmptyPayload));
    assert_eq!(f.code(" \r\n"), Some(ErrorCode::EmptyPayload));
    assert_eq!(f.code("hello"), Some(ErrorCode::UnknownFormat));
}

#[test]
fn base64url_is_strict_in_every_segment() {
    let f = Fixture::bank();
    let [h, p, s] = segments(&f.token(&vneid_claims()));
    let mut bad = vec![
        format!("{h}=.{p}.{s}"),
        format!("{h}.{p}=.{s}"),
        format!("{h}.{p}.{s}=="),
        format!("{h}.{p} .{s}"),
        format!("{h}.{p}.{}+{}", &s[..10], &s[11..]),
        format!("{h}.{p}.{}/{}", &s[..10], &s[11..]),
    ];
    // Non-zero trailing bits: the last character of an 86-character signature carries 4
    // unused bits; setting one of them decodes to the same bytes in a lenient decoder.
    let last = s.chars().last().expect("sig");
    let idx = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        .find(last)
        .expect("b64");
    let sibling = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".as_bytes()
        [idx | 1] as char;
    if sibling != last {
        bad.push(format!("{h}.{p}.{}{sibling}", &s[..s.len() - 1]));
    }
    for token in bad {
        assert_eq!(f.code(&token), Some(ErrorCode::Base64Invalid), "{token}");
    }
}

// ---- The signature: exactly 64 bytes r‖s ---------------------------------------------------

#[test]
fn signature_is_exactly_64_bytes_of_r_s() {
    let f = Fixture::bank();
    let token = f.token(&vneid_claims());
    let [h, p, s] = segments(&token);
    let sig = base64url::decode(&s).expect("sig");
    let with_sig = |bytes: &[u8]| format!("{h}.{p}.{}", base64url::encode(bytes));

    assert_eq!(
        f.code(&with_sig(&sig[..63])),
        Some(ErrorCode::SignatureMalformed)
    );
    assert_eq!(
        f.code(&with_sig(&[&sig[..], &[0]].concat())),
        Some(ErrorCode::SignatureMalformed)
    );
    assert_eq!(
        f.code(&format!("{h}.{p}.")),
        Some(ErrorCode::SignatureMalformed)
    );
    // The same signature DER-encoded is refused, not converted.
    let der = der_encode(&sig);
    assert_eq!(f.code(&with_sig(&der)), Some(ErrorCode::SignatureMalformed));

    // r = 0, s = 0, r = n: out of range, and a failed verification says nothing more.
    let n = hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    for forged in [
        [&[0u8; 32][..], &sig[32..]].concat(),
        [&sig[..32], &[0u8; 32][..]].concat(),
        [&n[..], &sig[32..]].concat(),
    ] {
        assert_eq!(
            f.code(&with_sig(&forged)),
            Some(ErrorCode::SignatureInvalid)
        );
    }
    let mut flipped = sig.clone();
    flipped[10] ^= 1;
    assert_eq!(
        f.code(&with_sig(&flipped)),
        Some(ErrorCode::SignatureInvalid)
    );
}

#[test]
fn a_high_s_twin_is_valid_because_es256_does_not_require_low_s() {
    let f = Fixture::bank();
    let [h, p, s] = segments(&f.token(&vneid_claims()));
    let sig = base64url::decode(&s).expect("sig");
    let n = hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    let twin_s = sub_be(&n, &sig[32..]);
    let twin = format!(
        "{h}.{p}.{}",
        base64url::encode(&[&sig[..32], &twin_s[..]].concat())
    );
    assert_ne!(twin, format!("{h}.{p}.{s}"));
    assert!(f.verify(&twin).valid);
}

#[test]
fn the_signed_bytes_are_the_received_ascii() {
    let f = Fixture::bank();
    let [h, p, s] = segments(&f.token(&vneid_claims()));
    // Re-encoding the claims with the same meaning (here: reordered members) breaks the signature.
    let claims: Value = serde_json::from_slice(&base64url::decode(&p).expect("p")).expect("json");
    let mut reordered: Vec<(String, Value)> =
        claims.as_object().expect("o").clone().into_iter().collect();
    reordered.reverse();
    let text = format!(
        "{{{}}}",
        reordered
            .iter()
            .map(|(k, v)| format!("{}:{}", json!(k), v))
            .collect::<Vec<_>>()
            .join(",")
    );
    assert_eq!(
        f.code(&format!("{h}.{}.{s}", base64url::encode(text.as_bytes()))),
        Some(ErrorCode::SignatureInvalid)
    );
}

// ---- The header: algorithms and extensions, before any key is looked up --------------------

#[test]
fn only_es256_and_nothing_reaches_a_key_first() {
    // An unknown issuer would be `unknown_issuer`; a refused alg is reported before that.
    let f = Fixture::new(Policy::default());
    let stranger = with(vneid_claims(), json!({"iss": "https://stranger"}));
    let claims = serde_json::to_string(&stranger).expect("json");
    for alg in [
        "none", "None", "NONE", "nOnE", "HS256", "HS384", "HS512", "RS256", "PS256", "ES384",
        "ES512", "EdDSA", "es256", "",
    ] {
        let token = f.raw(&format!(r#"{{"alg":"{alg}","kid":"k1"}}"#), &claims);
        assert_eq!(
            f.code(&token),
            Some(ErrorCode::AlgNotAllowed),
            "alg {alg:?}"
        );
    }
    // alg none with an empty signature, the classic.
    let none = format!(
        "{}.{}.",
        base64url::encode(br#"{"alg":"none"}"#),
        base64url::encode(claims.as_bytes())
    );
    assert_eq!(f.code(&none), Some(ErrorCode::AlgNotAllowed));
    // An HS256 header naming the trusted key's kid (the confusion attack): refused on the
    // header alone, so no MAC is ever computed with the public key's bytes.
    let hs = f.raw(
        r#"{"alg":"HS256","kid":"k1","typ":"JWT"}"#,
        &serde_json::to_string(&vneid_claims()).expect("json"),
    );
    assert_eq!(f.code(&hs), Some(ErrorCode::AlgNotAllowed));
    assert_eq!(
        f.code(&f.raw(r#"{"kid":"k1"}"#, &claims)),
        Some(ErrorCode::HeaderInvalid)
    );
    assert_eq!(
        f.code(&f.raw(r#"{"alg":["ES256"]}"#, &claims)),
        Some(ErrorCode::HeaderInvalid)
    );
}

#[test]
fn crit_b64_nested_and_zip_headers_are_refused() {
    let f = Fixture::bank();
    let claims = serde_json::to_string(&vneid_claims()).expect("json");
    let code = |header: &str| f.code(&f.raw(header, &claims));
    assert_eq!(
        code(r#"{"alg":"ES256","kid":"k1","crit":["exp"],"exp":1}"#),
        Some(ErrorCode::CritUnsupported)
    );
    assert_eq!(
        code(r#"{"alg":"ES256","kid":"k1","crit":[]}"#),
        Some(ErrorCode::CritUnsupported)
    );
    assert_eq!(
        code(r#"{"alg":"ES256","kid":"k1","crit":["b64"],"b64":false}"#),
        Some(ErrorCode::CritUnsupported)
    );
    assert_eq!(
        code(r#"{"alg":"ES256","kid":"k1","b64":true}"#),
        Some(ErrorCode::HeaderInvalid)
    );
    assert_eq!(
        code(r#"{"alg":"ES256","kid":"k1","cty":"JWT"}"#),
        Some(ErrorCode::NestedJwtUnsupported)
    );
    assert_eq!(
        code(r#"{"alg":"ES256","kid":"k1","cty":"jwt"}"#),
        Some(ErrorCode::NestedJwtUnsupported)
    );
    assert_eq!(
        code(r#"{"alg":"ES256","kid":"k1","zip":"DEF"}"#),
        Some(ErrorCode::HeaderInvalid)
    );
    assert_eq!(
        code(r#"{"alg":"ES256","kid":7}"#),
        Some(ErrorCode::HeaderInvalid)
    );
    assert_eq!(
        code(r#"{"alg":"ES256","kid":"k1","typ":1}"#),
        Some(ErrorCode::HeaderInvalid)
    );
    // A harmless header is fine: typ, cty other than JWT.
    assert_eq!(
        code(r#"{"alg":"ES256","kid":"k1","typ":"JWT","cty":"json"}"#),
        None
    );
}

#[test]
fn embedded_keys_in_the_header_never_choose_the_key() {
    let f = Fixture::bank();
    let attacker = key("k1", 9);
    let claims = serde_json::to_string(&vneid_claims()).expect("json");
    let jwk = attacker.public_jwk().to_string();
    for header in [
        format!(r#"{{"alg":"ES256","kid":"k1","jwk":{jwk}}}"#),
        r#"{"alg":"ES256","kid":"k1","jku":"https://attacker/jwks.json"}"#.to_owned(),
        r#"{"alg":"ES256","kid":"k1","x5u":"https://attacker/cert.pem"}"#.to_owned(),
        r#"{"alg":"ES256","kid":"k1","x5c":["MIIB"]}"#.to_owned(),
    ] {
        // Signed by the attacker's key, pointing at it: the trusted key decides, and refuses.
        assert_eq!(
            f.code(&attacker.sign_jws(&header, claims.as_bytes())),
            Some(ErrorCode::SignatureInvalid),
            "{header}"
        );
        // Signed by the trusted key: the extra header is simply not used.
        assert_eq!(f.code(&f.raw(&header, &claims)), None, "{header}");
    }
}

#[test]
fn json_is_strict_in_header_and_claims() {
    let f = Fixture::bank();
    let claims = serde_json::to_string(&vneid_claims()).expect("json");
    let code = |header: &str, payload: &str| f.code(&f.raw(header, payload));
    let h = r#"{"alg":"ES256","kid":"k1"}"#;
    assert_eq!(
        code(r#"{"alg":"ES256","alg":"ES256","kid":"k1"}"#, &claims),
        Some(ErrorCode::JsonInvalid)
    );
    assert_eq!(
        code(r#"{"alg":"ES256","kid":"k1","kid":"k2"}"#, &claims),
        Some(ErrorCode::JsonInvalid)
    );
    let duplicate_iss = claims.replacen('{', r#"{"iss":"https://evil","#, 1);
    assert_eq!(code(h, &duplicate_iss), Some(ErrorCode::JsonInvalid));
    assert_eq!(code(h, "[1,2]"), Some(ErrorCode::JsonInvalid));
    assert_eq!(
        code(h, &format!("\u{feff}{claims}")),
        Some(ErrorCode::JsonInvalid)
    );
    let deep = claims.replacen(
        '{',
        &format!(r#"{{"x":{}1{},"#, "[".repeat(40), "]".repeat(40)),
        1,
    );
    assert_eq!(code(h, &deep), Some(ErrorCode::JsonInvalid));
    let many = claims.replacen('{', &format!(r#"{{"x":[{}0],"#, "0,".repeat(10_000)), 1);
    let wide = Fixture::new(Policy {
        limits: Limits {
            max_payload_len: 1 << 20,
            ..Limits::default()
        },
        ..Policy::default()
    });
    assert_eq!(wide.code(&wide.raw(h, &many)), Some(ErrorCode::JsonInvalid));
    // Invalid UTF-8 in the claims.
    let latin1 = f.key.sign_jws(h, b"{\"iss\":\"h\xe9\"}");
    assert_eq!(f.code(&latin1), Some(ErrorCode::JsonInvalid));
}

// ---- Keys come only from the trust store ---------------------------------------------------

#[test]
fn key_selection_by_issuer_and_kid() {
    let k1 = key("k1", 1);
    let k2 = key("k2", 2);
    let other = key("k3", 3);
    let store = trust_for(&[(ISS, &k1), (ISS, &k2), ("https://other", &other)]);
    let verifier = Verifier::new(store, Policy::default());
    let code = |k: &IssuerKey, claims: Map<String, Value>| {
        verifier.verify(&k.sign_token(&claims), NOW).code
    };

    assert_eq!(code(&k2, vneid_claims()), None);
    assert_eq!(
        code(&key("k9", 1), vneid_claims()),
        Some(ErrorCode::UnknownKey)
    );
    assert_eq!(
        code(&k1, with(vneid_claims(), json!({"iss": "https://nobody"}))),
        Some(ErrorCode::UnknownIssuer)
    );
    // A key of another issuer is never used, even when its kid is named.
    assert_eq!(code(&other, vneid_claims()), Some(ErrorCode::UnknownKey));
    let claims = serde_json::to_string(&vneid_claims()).expect("json");
    let no_kid = k1.sign_jws(r#"{"alg":"ES256"}"#, claims.as_bytes());
    assert_eq!(
        verifier.verify(&no_kid, NOW).code,
        Some(ErrorCode::AmbiguousKey)
    );
    // Without a kid, an issuer with exactly one key is unambiguous.
    let single = Verifier::new(trust_for(&[(ISS, &k1)]), Policy::default());
    assert_eq!(single.verify(&no_kid, NOW).code, None);
}

#[test]
fn trusted_key_validity_is_checked_at_now() {
    let k = key("k1", 1);
    let mut jwk = k.public_jwk();
    jwk["nbf"] = json!(NOW - 10);
    jwk["exp"] = json!(NOW + 10);
    let mut store = TrustStore::new();
    store.add_jwk(ISS, &jwk, "test").expect("imports");
    let verifier = Verifier::new(store, Policy::default());
    let token = k.sign_token(&vneid_claims());
    assert_eq!(verifier.verify(&token, NOW).code, None);
    assert_eq!(
        verifier.verify(&token, NOW - 11).code,
        Some(ErrorCode::KeyNotYetValid)
    );
    assert_eq!(
        verifier.verify(&token, NOW + 10).code,
        Some(ErrorCode::KeyExpired)
    );
}

// ---- Claims: configured means required -----------------------------------------------------

#[test]
fn issuer_is_required_exact_and_typed() {
    let f = Fixture::new(Policy {
        issuer: Some(ISS.into()),
        ..Policy::default()
    });
    assert_eq!(f.code_of(vneid_claims()), None);
    assert_eq!(
        f.code_of(with(vneid_claims(), json!({"iss": null}))),
        Some(ErrorCode::ClaimMissing)
    );
    assert_eq!(
        f.code_of(with(vneid_claims(), json!({"iss": 7}))),
        Some(ErrorCode::ClaimInvalid)
    );
    assert_eq!(
        f.code_of(with(vneid_claims(), json!({"iss": format!("{ISS}/")}))),
        Some(ErrorCode::IssuerMismatch)
    );
    assert_eq!(
        f.code_of(with(vneid_claims(), json!({"iss": ISS.to_uppercase()}))),
        Some(ErrorCode::IssuerMismatch)
    );
    // Without a configured issuer, iss is still required: the trust store is keyed by issuer.
    let open = Fixture::new(Policy::default());
    assert_eq!(
        open.code_of(with(vneid_claims(), json!({"iss": null}))),
        Some(ErrorCode::ClaimMissing)
    );
}

#[test]
fn audience_is_required_and_must_contain_ours_when_configured() {
    let f = Fixture::bank();
    let aud = |v: Value| f.code_of(with(vneid_claims(), json!({ "aud": v })));
    assert_eq!(aud(json!("bank.example")), None);
    assert_eq!(aud(json!(["clinic.example", "bank.example"])), None);
    assert_eq!(aud(Value::Null), Some(ErrorCode::ClaimMissing));
    assert_eq!(
        aud(json!("clinic.example")),
        Some(ErrorCode::AudienceMismatch)
    );
    assert_eq!(
        aud(json!(["clinic.example"])),
        Some(ErrorCode::AudienceMismatch)
    );
    assert_eq!(aud(json!([])), Some(ErrorCode::ClaimInvalid));
    assert_eq!(
        aud(json!(["bank.example", 5])),
        Some(ErrorCode::ClaimInvalid)
    );
    assert_eq!(aud(json!(5)), Some(ErrorCode::ClaimInvalid));
    assert_eq!(
        aud(json!({"bank.example": true})),
        Some(ErrorCode::ClaimInvalid)
    );
}

#[test]
fn string_claims_have_string_types() {
    let f = Fixture::bank();
    for claim in ["sub", "jti", "acr", "nonce", "azp", "name"] {
        assert_eq!(
            f.code_of(with(vneid_claims(), json!({ claim: 12 }))),
            Some(ErrorCode::ClaimInvalid),
            "{claim}"
        );
    }
}

// ---- Time is an argument -------------------------------------------------------------------

#[test]
fn exp_is_required_and_expired_means_now_at_or_after_exp_plus_tolerance() {
    let f = Fixture::bank();
    let exp = |v: Value| {
        f.code_of(with(
            vneid_claims(),
            json!({ "exp": v, "iat": NOW - 2 * HOUR, "nbf": null }),
        ))
    };
    assert_eq!(exp(Value::Null), Some(ErrorCode::ClaimMissing));
    assert_eq!(exp(json!(NOW - 60)), Some(ErrorCode::Expired));
    assert_eq!(exp(json!(NOW - 59)), None);
    assert_eq!(exp(json!(NOW as f64 - 59.5)), None);
    assert_eq!(exp(json!(NOW as f64 - 60.5)), Some(ErrorCode::Expired));
    let strict = Fixture::new(Policy {
        clock_tolerance: 0,
        audience: Some("bank.example".into()),
        ..Policy::default()
    });
    assert_eq!(
        strict.code_of(with(vneid_claims(), json!({"exp": NOW}))),
        Some(ErrorCode::Expired)
    );
    assert_eq!(
        strict.code_of(with(vneid_claims(), json!({"exp": NOW + 1}))),
        None
    );
}

#[test]
fn numeric_dates_are_finite_non_negative_numbers_in_range() {
    let f = Fixture::bank();
    for claim in ["exp", "nbf", "iat"] {
        for bad in [
            json!("1795003600"),
            json!(true),
            json!(-1),
            json!(1e20),
            json!([NOW]),
            json!({"t": NOW}),
        ] {
            assert_eq!(
                f.code_of(with(vneid_claims(), json!({ claim: bad.clone() }))),
                Some(ErrorCode::ClaimInvalid),
                "{claim} = {bad}"
            );
        }
    }
    // 1e400 is not a finite number: the strict JSON parser refuses it outright.
    let h = r#"{"alg":"ES256","kid":"k1"}"#;
    let text = serde_json::to_string(&vneid_claims())
        .expect("json")
        .replacen(&format!("{}", NOW + HOUR), "1e400", 1);
    assert_eq!(f.code(&f.raw(h, &text)), Some(ErrorCode::JsonInvalid));
}

#[test]
fn nbf_and_iat_with_tolerance() {
    let f = Fixture::bank();
    let code = |changes: Value| f.code_of(with(vneid_claims(), changes));
    assert_eq!(code(json!({"nbf": NOW + 60})), None);
    assert_eq!(code(json!({"nbf": NOW + 61})), Some(ErrorCode::NotYetValid));
    assert_eq!(code(json!({"iat": NOW + 60})), None);
    assert_eq!(
        code(json!({"iat": NOW + 61})),
        Some(ErrorCode::IssuedInFuture)
    );
}

#[test]
fn maximum_token_age_requires_iat() {
    let f = Fixture::new(Policy {
        max_token_age: Some(300),
        audience: Some("bank.example".into()),
        ..Policy::default()
    });
    let code = |changes: Value| f.code_of(with(vneid_claims(), changes));
    assert_eq!(code(json!({"iat": NOW - 360})), None);
    assert_eq!(code(json!({"iat": NOW - 361})), Some(ErrorCode::TooOld));
    assert_eq!(code(json!({"iat": null})), Some(ErrorCode::ClaimMissing));
}

// ---- VNeID policy --------------------------------------------------------------------------

#[test]
fn minimum_level() {
    let level2 = Fixture::new(Policy {
        min_level: Some(Level::Two),
        audience: Some("bank.example".into()),
        ..Policy::default()
    });
    let code = |acr: Value| level2.code_of(with(vneid_claims(), json!({ "acr": acr })));
    assert_eq!(code(json!("urn:vneid:level:2")), None);
    assert_eq!(
        code(json!("urn:vneid:level:1")),
        Some(ErrorCode::LevelTooLow)
    );
    assert_eq!(code(Value::Null), Some(ErrorCode::LevelTooLow));
    assert_eq!(
        code(json!("urn:mace:incommon:iap:silver")),
        Some(ErrorCode::LevelTooLow)
    );
    assert_eq!(
        code(json!("urn:vneid:level:3")),
        Some(ErrorCode::ClaimInvalid)
    );
    let level1 = Fixture::new(Policy {
        min_level: Some(Level::One),
        audience: Some("bank.example".into()),
        ..Policy::default()
    });
    assert_eq!(level1.code_of(vneid_claims()), None);
}

#[test]
fn vneid_subject_is_a_well_formed_personal_id_number() {
    let f = Fixture::bank();
    let code = |sub: Value| f.code_of(with(vneid_claims(), json!({ "sub": sub })));
    assert_eq!(code(Value::Null), Some(ErrorCode::ClaimMissing));
    for bad in [
        "00109900123",
        "0010990012345",
        "00109900123x",
        "003099001234",
        "097099001234",
        "001330000001",
    ] {
        assert_eq!(
            code(json!(bad)),
            Some(ErrorCode::PersonalIdInvalid),
            "{bad}"
        );
    }
    // Registered abroad (country code 175) is well formed.
    assert_eq!(code(json!("175199001234")), None);
}

#[test]
fn birthdate_and_gender_are_checked_against_the_number() {
    let f = Fixture::bank();
    let warnings = |changes: Value| -> Vec<WarningCode> {
        let v = f.verify(&f.token(&with(vneid_claims(), changes)));
        assert!(v.valid, "{v:?}");
        v.warnings.iter().map(|w| w.code).collect()
    };
    assert_eq!(warnings(json!({})), Vec::<WarningCode>::new());
    assert_eq!(
        warnings(json!({"birthdate": "1998-03-15"})),
        vec![WarningCode::BirthdateMismatch]
    );
    assert_eq!(
        warnings(json!({"gender": "female"})),
        vec![WarningCode::GenderMismatch]
    );
    assert_eq!(
        warnings(json!({"birthdate": "2001-01-01", "gender": "female"})),
        vec![WarningCode::BirthdateMismatch, WarningCode::GenderMismatch]
    );
    assert_eq!(
        warnings(json!({"birthdate": null, "gender": null})),
        Vec::<WarningCode>::new()
    );
    // Malformed values are errors, not warnings.
    let code = |changes: Value| f.code_of(with(vneid_claims(), changes));
    assert_eq!(
        code(json!({"birthdate": "15/03/1999"})),
        Some(ErrorCode::ClaimInvalid)
    );
    assert_eq!(
        code(json!({"birthdate": "1999-02-30"})),
        Some(ErrorCode::ClaimInvalid)
    );
    assert_eq!(
        code(json!({"gender": "nam"})),
        Some(ErrorCode::ClaimInvalid)
    );
}

#[test]
fn revoked_tokens_are_refused_by_jti() {
    let k = key("k1", 1);
    let mut store = trust_for(&[(ISS, &k)]);
    store.revoke(ISS, "t-1");
    let verifier = Verifier::new(store, Policy::default());
    assert_eq!(
        verifier.verify(&k.sign_token(&vneid_claims()), NOW).code,
        Some(ErrorCode::Revoked)
    );
    assert_eq!(
        verifier
            .verify(
                &k.sign_token(&with(vneid_claims(), json!({"jti": "t-2"}))),
                NOW
            )
            .code,
        None
    );
}

// ---- Verdicts ------------------------------------------------------------------------------

#[test]
fn a_failed_verdict_never_carries_claims_and_has_both_messages() {
    let f = Fixture::bank();
    let v = f.verify(&f.token(&with(vneid_claims(), json!({"exp": NOW - HOUR}))));
    assert!(!v.valid);
    assert_eq!(v.code, Some(ErrorCode::Expired));
    assert_eq!(
        (v.issuer, v.subject, v.level, v.claims, v.kid),
        (None, None, None, None, None)
    );
    assert!(
        v.message.starts_with("It has expired") && v.message.contains("tolerance 60s"),
        "{}",
        v.message
    );
    assert!(v.message_vi.starts_with("Đã hết hạn"), "{}", v.message_vi);
}

#[test]
fn the_verdict_json_has_the_documented_shape() {
    let f = Fixture::bank();
    let v: Value =
        serde_json::from_str(&f.verify(&f.token(&vneid_claims())).to_json()).expect("json");
    let keys: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    for required in [
        "valid",
        "format",
        "code",
        "message",
        "messageVi",
        "issuer",
        "kid",
        "subject",
        "level",
        "claims",
        "warnings",
        "document",
        "issuedAt",
        "notBefore",
        "expiresAt",
    ] {
        assert!(keys.contains(&required), "{required} missing from {keys:?}");
    }
    assert_eq!(
        (v["valid"].clone(), v["format"].clone(), v["code"].clone()),
        (json!(true), json!("vneid_token"), Value::Null)
    );
    assert_eq!(v["expiresAt"], json!(NOW + HOUR));
}

#[test]
fn mutations_never_panic_and_never_verify() {
    let f = Fixture::bank();
    let token = f.token(&vneid_claims());
    let bytes = token.as_bytes();
    let mut checked = 0;
    for i in 0..bytes.len() {
        for replacement in [b'A', b'.', b'_', b'=', b' ', 0xff] {
            if bytes[i] == replacement {
                continue;
            }
            let mut m = bytes.to_vec();
            m[i] = replacement;
            let text = String::from_utf8_lossy(&m);
            let v = f.verify(&text);
            // A change that only trims whitespace at either end leaves the token itself intact.
            if text.trim() != token {
                assert!(!v.valid, "mutation at {i} to {replacement:#x} verified");
                checked += 1;
            }
        }
    }
    for len in 0..bytes.len() {
        assert!(!f.verify(&token[..len]).valid, "truncated to {len}");
    }
    assert!(checked > 2000);
    // And the verifier is unaffected: the original still verifies.
    assert!(f.verify(&token).valid);
}

// ---- helpers -------------------------------------------------------------------------------

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

/// a - b for equal-length big-endian numbers with a > b.
fn sub_be(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; a.len()];
    let mut borrow = 0i16;
    for i in (0..a.len()).rev() {
        let mut d = i16::from(a[i]) - i16::from(b[i]) - borrow;
        borrow = i16::from(d < 0);
        if d < 0 {
            d += 256;
        }
        out[i] = u8::try_from(d).expect("byte");
    }
    out
}

/// DER-encodes a 64-byte r‖s signature (SEQUENCE of two INTEGERs).
fn der_encode(rs: &[u8]) -> Vec<u8> {
    let int = |x: &[u8]| {
        let trimmed: Vec<u8> = x.iter().copied().skip_while(|&b| b == 0).collect();
        let mut v = if trimmed.first().is_some_and(|&b| b & 0x80 != 0) {
            vec![0]
        } else {
            vec![]
        };
        v.extend(trimmed);
        [vec![0x02, u8::try_from(v.len()).expect("len")], v].concat()
    };
    let body = [int(&rs[..32]), int(&rs[32..])].concat();
    [vec![0x30, u8::try_from(body.len()).expect("len")], body].concat()
}
