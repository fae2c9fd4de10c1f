//! Configured means required, for every format. A policy written for identity tokens (an
//! audience, a minimum VNeID level, a maximum age) must never let a document QR — which names no
//! audience and asserts no level — pass unchecked, and a caller can restrict the formats it takes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion
#![cfg(feature = "issuer")]

mod common;

use serde_json::{json, Value};
use vneid_verify::issuer::IssuerKey;
use vneid_verify::{ErrorCode, Format, Level, Policy, TrustStore, Verdict, Verifier};

/// The committed VN1 chip-ID-card vector, its test trust file and its verification time.
fn vn1_card() -> (String, TrustStore, i64) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/vneid-document/");
    let vectors: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}vectors.json")).unwrap())
            .unwrap();
    let card = vectors["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "cccd-valid")
        .expect("cccd-valid vector");
    let trust = TrustStore::from_json(
        &std::fs::read_to_string(format!("{dir}test-issuer.trust.json")).unwrap(),
    )
    .unwrap();
    let at = vneid_verify::time::parse_rfc3339(card["at"].as_str().unwrap()).unwrap();
    (card["qr"].as_str().unwrap().to_owned(), trust, at)
}

fn verify(trust: &TrustStore, policy: Policy, payload: &str, now: i64) -> Verdict {
    Verifier::new(trust.clone(), policy).verify(payload, now)
}

#[test]
fn token_requirements_refuse_documents_instead_of_ignoring_them() {
    let (qr, trust, at) = vn1_card();
    let base = verify(&trust, Policy::default(), &qr, at);
    assert!(base.valid, "{base:?}");
    let issuer = base.issuer.clone().unwrap();

    let code = |policy: Policy| verify(&trust, policy, &qr, at).code;
    assert_eq!(
        code(Policy {
            audience: Some("bank.example".into()),
            ..Policy::default()
        }),
        Some(ErrorCode::ClaimMissing)
    );
    assert_eq!(
        code(Policy {
            min_level: Some(Level::One),
            ..Policy::default()
        }),
        Some(ErrorCode::LevelTooLow)
    );
    assert_eq!(
        code(Policy {
            issuer: Some("https://someone.else".into()),
            ..Policy::default()
        }),
        Some(ErrorCode::IssuerMismatch)
    );
    assert_eq!(
        code(Policy {
            issuer: Some(issuer),
            ..Policy::default()
        }),
        None
    );
    // The card was issued months before `at`: a one-hour maximum age refuses it, ten years allow it.
    assert_eq!(
        code(Policy {
            max_token_age: Some(3600),
            ..Policy::default()
        }),
        Some(ErrorCode::TooOld)
    );
    assert_eq!(
        code(Policy {
            max_token_age: Some(10 * 365 * 86_400),
            ..Policy::default()
        }),
        None
    );
}

#[test]
fn the_same_holds_for_eu_dcc_and_smart_health_cards() {
    let (trust, qr, at) = common::trust_files::dcc_trust();
    let qr = qr.as_str();
    assert!(verify(&trust, Policy::default(), qr, at).valid);
    let bank = Policy {
        audience: Some("bank.example".into()),
        min_level: Some(Level::Two),
        ..Policy::default()
    };
    assert_eq!(
        verify(&trust, bank.clone(), qr, at).code,
        Some(ErrorCode::ClaimMissing)
    );

    let jwks = common::read_vector("shc/examples/issuer/.well-known/jwks.json");
    let card = common::read_vector("shc/examples/example-00-d-jws.txt");
    let iss = common::json_vector("shc/examples/example-00-c-jws-payload-minified.json")["iss"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut shc_trust = TrustStore::new();
    shc_trust.add_jwks(&iss, &jwks).unwrap();
    let now = 1_700_000_000;
    assert!(verify(&shc_trust, Policy::default(), card.trim(), now).valid);
    assert_eq!(
        verify(&shc_trust, bank, card.trim(), now).code,
        Some(ErrorCode::ClaimMissing)
    );
}

#[test]
fn a_caller_can_accept_only_some_formats() {
    let (qr, trust, at) = vn1_card();
    let tokens_only = Policy {
        formats: Some(vec![Format::VneidToken]),
        ..Policy::default()
    };
    let v = verify(&trust, tokens_only.clone(), &qr, at);
    assert_eq!(
        (v.code, v.format),
        (Some(ErrorCode::FormatNotAllowed), Format::VneidDocument)
    );
    // Refused before it is parsed: a malformed document of a refused format says so too.
    assert_eq!(
        verify(&trust, tokens_only.clone(), "VN1:!!!", at).code,
        Some(ErrorCode::FormatNotAllowed)
    );
    assert_eq!(
        verify(
            &trust,
            tokens_only.clone(),
            "001099001234||Nguyễn Văn An|15031999|Nam|Hà Nội|10052021",
            at
        )
        .code,
        Some(ErrorCode::FormatNotAllowed)
    );
    assert_eq!(
        verify(&trust, tokens_only, "hello", at).code,
        Some(ErrorCode::UnknownFormat)
    );
    let documents = Policy {
        formats: Some(vec![Format::VneidDocument, Format::EuDcc]),
        ..Policy::default()
    };
    assert!(verify(&trust, documents, &qr, at).valid);

    // Tokens: known only once verified whether they follow the VNeID profile.
    let key = IssuerKey::from_secret_bytes("k1", &[7; 32]).unwrap();
    let mut token_trust = TrustStore::new();
    token_trust
        .add_jwk("https://id.test", &key.public_jwk(), "test")
        .unwrap();
    let now = 1_795_000_000;
    let claims = |acr: &str| {
        json!({"iss": "https://id.test", "sub": "001099001234", "iat": now, "exp": now + 60, "acr": acr}).as_object().unwrap().clone()
    };
    let vneid = key.sign_token(&claims("urn:vneid:level:2"));
    let other = key.sign_token(&claims("urn:example:silver"));
    let only = |f: Format| Policy {
        formats: Some(vec![f]),
        ..Policy::default()
    };
    assert!(verify(&token_trust, only(Format::VneidToken), &vneid, now).valid);
    assert_eq!(
        verify(&token_trust, only(Format::VneidToken), &other, now).code,
        Some(ErrorCode::FormatNotAllowed)
    );
    assert!(verify(&token_trust, only(Format::Jwt), &other, now).valid);
    assert_eq!(
        verify(&token_trust, only(Format::Jwt), &vneid, now).code,
        Some(ErrorCode::FormatNotAllowed)
    );
    // A token that fails for its own reason keeps that reason.
    assert_eq!(
        verify(&token_trust, only(Format::VneidToken), &other, now + 3600).code,
        Some(ErrorCode::Expired)
    );
}

#[test]
fn a_key_restricted_to_document_types_signs_nothing_else() {
    // A key for ID cards only: not a health card, not an identity token.
    let jwks: Value = serde_json::from_str(&common::read_vector(
        "shc/examples/issuer/.well-known/jwks.json",
    ))
    .unwrap();
    let iss = common::json_vector("shc/examples/example-00-c-jws-payload-minified.json")["iss"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut restricted = TrustStore::new();
    for k in jwks["keys"].as_array().unwrap() {
        let mut k = k.clone();
        k["document_types"] = json!(["cccd"]);
        restricted.add_jwk(&iss, &k, "restricted").unwrap();
    }
    let card = common::read_vector("shc/examples/example-00-d-jws.txt");
    assert_eq!(
        verify(&restricted, Policy::default(), card.trim(), 1_700_000_000).code,
        Some(ErrorCode::KeyNotAuthorized)
    );

    let key = IssuerKey::from_secret_bytes("k1", &[7; 32]).unwrap();
    let mut jwk = key.public_jwk();
    jwk["document_types"] = json!(["cccd"]);
    let mut trust = TrustStore::new();
    trust.add_jwk("https://id.test", &jwk, "test").unwrap();
    let now = 1_795_000_000;
    let token = key.sign_token(json!({"iss": "https://id.test", "sub": "001099001234", "iat": now, "exp": now + 60, "acr": "urn:vneid:level:2"}).as_object().unwrap());
    assert_eq!(
        verify(&trust, Policy::default(), &token, now).code,
        Some(ErrorCode::KeyNotAuthorized)
    );
}

#[test]
fn a_vneid_token_must_say_when_it_was_issued() {
    let key = IssuerKey::from_secret_bytes("k1", &[7; 32]).unwrap();
    let mut trust = TrustStore::new();
    trust
        .add_jwk("https://id.test", &key.public_jwk(), "test")
        .unwrap();
    let now = 1_795_000_000;
    let no_iat = json!({"iss": "https://id.test", "sub": "001099001234", "exp": now + 60, "acr": "urn:vneid:level:2"});
    let v = verify(
        &trust,
        Policy::default(),
        &key.sign_token(no_iat.as_object().unwrap()),
        now,
    );
    assert_eq!(v.code, Some(ErrorCode::ClaimMissing));
    assert!(v.message.contains("iat"), "{}", v.message);
    // A plain JWT keeps RFC 7519's rule: iat is optional.
    let plain = json!({"iss": "https://id.test", "sub": "user-1", "exp": now + 60});
    assert!(
        verify(
            &trust,
            Policy::default(),
            &key.sign_token(plain.as_object().unwrap()),
            now
        )
        .valid
    );
}
