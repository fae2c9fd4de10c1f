//! SD-JWT presentations (RFC 9901, SD-JWT VC) through `Verifier::verify`: the RFC's own examples
//! from ../shared/vectors/sd-jwt, then every rule of issue 14 as its own case with its exact
//! error code. Credentials for the rules are made with the reference issuer and wallet
//! (`formats::sd_jwt::issue`) and test keys.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion
#![cfg(feature = "issuer")]

mod common;

use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Map, Value};
use sha2::{Digest as _, Sha256};
use vneid_verify::issuer::sd_jwt::{self as issue, Binding, Credential};
use vneid_verify::issuer::IssuerKey;
use vneid_verify::{
    ErrorCode, Format, HolderBinding, KeyBinding, Policy, ReplayCache, TrustStore, Verdict,
    Verifier, WarningCode,
};

// ---- The RFC 9901 examples -------------------------------------------------------------------

/// The compact examples (the two JWS JSON serialization folders are §8, optional, not
/// supported; their generated files do not even put `disclosures` in the unprotected header).
const RFC_EXAMPLES: [&str; 13] = [
    "address_only_flat",
    "address_only_recursive",
    "address_only_structured",
    "address_only_structured_one_open",
    "arf-pid",
    "complex_eidas",
    "complex_eidas_proposal",
    "complex_ekyc",
    "jsonld",
    "simple",
    "simple_structured",
    "w3c-vc",
    "w3c-vc_for_slide_deck",
];
/// The examples whose presentation carries a key-binding JWT.
const WITH_KB: [&str; 4] = ["arf-pid", "jsonld", "simple", "w3c-vc"];
/// The KB-JWTs' `iat` (2026-12-04T19:21:13Z), and their audience and nonce (settings.yml).
const KB_IAT: i64 = 1_796_412_073;
const RFC_AUDIENCE: &str = "https://verifier.example.org";
const RFC_NONCE: &str = "1234567890";

/// `x` and `y` of a key block in settings.yml.
fn settings_key(block: &str) -> Value {
    let text = common::read_vector("sd-jwt/settings.yml");
    let start = text.find(&format!("{block}:")).expect("key block");
    let field = |name: &str| {
        text[start..]
            .lines()
            .find_map(|l| l.trim().strip_prefix(&format!("{name}: ")))
            .expect("coordinate")
            .to_owned()
    };
    json!({"kty": "EC", "crv": "P-256", "x": field("x"), "y": field("y")})
}

fn rfc_trust(issuer: &str) -> TrustStore {
    let mut trust = TrustStore::new();
    trust
        .add_jwk(issuer, &settings_key("issuer_key"), "settings.yml")
        .expect("the RFC issuer key imports");
    trust
}

fn issuer_of(folder: &str) -> String {
    let payload = common::json_vector(&format!("sd-jwt/{folder}/sd_jwt_payload.json"));
    payload["iss"].as_str().unwrap_or("none").to_owned()
}

#[test]
fn the_rfc_examples_verify_to_exactly_their_verified_contents() {
    let mut checked = 0;
    for folder in RFC_EXAMPLES {
        if folder == "jsonld" {
            continue; // below: it names its issuer in "issuer", not "iss"
        }
        let presentation = common::read_vector(&format!("sd-jwt/{folder}/sd_jwt_presentation.txt"));
        let expected = common::json_vector(&format!("sd-jwt/{folder}/verified_contents.json"));
        let with_kb = WITH_KB.contains(&folder);
        let policy = Policy {
            audience: with_kb.then(|| RFC_AUDIENCE.to_owned()),
            nonce: with_kb.then(|| RFC_NONCE.to_owned()),
            holder_binding: if with_kb {
                KeyBinding::Required
            } else {
                KeyBinding::Optional
            },
            ..Policy::default()
        };
        let verifier = Verifier::new(rfc_trust(&issuer_of(folder)), policy);
        let v = verifier.verify(&presentation, KB_IAT + 10);
        assert!(v.valid, "{folder}: {v:?}");
        assert_eq!(v.format, Format::SdJwtVc, "{folder}");
        assert_eq!(v.claims.as_ref(), Some(&expected), "{folder}");
        let binding = if with_kb {
            HolderBinding::Key
        } else {
            HolderBinding::None
        };
        assert_eq!(v.holder_binding, Some(binding), "{folder}");
        assert_eq!(v.expires_at, Some(1_883_000_000.0), "{folder}");
        // Only what was disclosed: no digest machinery anywhere in the output.
        let text = serde_json::to_string(&v.claims).unwrap();
        assert!(
            !text.contains("\"_sd") && !text.contains("\"...\""),
            "{folder}: {text}"
        );
        // The same verifier refuses the same proof a second time.
        if with_kb {
            assert_eq!(
                verifier.verify(&presentation, KB_IAT + 11).code,
                Some(ErrorCode::Replayed),
                "{folder}"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 12);
}

#[test]
fn the_issued_forms_verify_with_every_disclosure() {
    for folder in RFC_EXAMPLES {
        if folder == "jsonld" {
            continue;
        }
        let issued = common::read_vector(&format!("sd-jwt/{folder}/sd_jwt_issuance.txt"));
        let verifier = Verifier::new(rfc_trust(&issuer_of(folder)), Policy::default());
        let v = verifier.verify(&issued, KB_IAT);
        assert!(v.valid, "{folder}: {v:?}");
        assert_eq!(v.holder_binding, Some(HolderBinding::None), "{folder}");
        let user_claims = common::json_vector(&format!("sd-jwt/{folder}/user_claims.json"));
        // Every user claim (all disclosed) comes out, with the issuer's plain ones.
        for (name, value) in user_claims.as_object().unwrap() {
            assert_eq!(
                v.claims.as_ref().unwrap().get(name),
                Some(value),
                "{folder}: {name}"
            );
        }
    }
}

#[test]
fn the_jsonld_example_is_refused_because_it_names_no_iss() {
    // Keys are chosen by `iss` + `kid`; this W3C-style credential names its issuer in `issuer`.
    let presentation = common::read_vector("sd-jwt/jsonld/sd_jwt_presentation.txt");
    let v = Verifier::new(rfc_trust("https://example.com/issuer"), Policy::default())
        .verify(&presentation, KB_IAT);
    assert_eq!(v.code, Some(ErrorCode::ClaimMissing), "{v:?}");
    assert!(v.message.contains("\"iss\""), "{}", v.message);
}

#[test]
fn the_rfc_examples_refuse_tampering_with_their_exact_codes() {
    let presentation = common::read_vector("sd-jwt/simple/sd_jwt_presentation.txt");
    let required = Policy {
        audience: Some(RFC_AUDIENCE.into()),
        nonce: Some(RFC_NONCE.into()),
        holder_binding: KeyBinding::Required,
        ..Policy::default()
    };
    let verify = |payload: &str, policy: &Policy| {
        Verifier::new(rfc_trust("https://issuer.example.com"), policy.clone())
            .verify(payload, KB_IAT + 10)
    };
    let parts: Vec<&str> = presentation.split('~').collect();
    let (kb, disclosures) = (parts[parts.len() - 1], &parts[1..parts.len() - 1]);
    // Dropping a disclosure breaks sd_hash: the proof was made for another presentation.
    let fewer = format!("{}~{}~{kb}", parts[0], disclosures[1..].join("~"));
    assert_eq!(
        verify(&fewer, &required).code,
        Some(ErrorCode::SdHashMismatch)
    );
    // Without the KB-JWT, binding is missing when required, and bearer when not.
    let bearer = format!(
        "{}~",
        presentation[..presentation.rfind('~').unwrap()].to_owned()
    );
    assert_eq!(
        verify(&bearer, &required).code,
        Some(ErrorCode::HolderBindingMissing)
    );
    let v = verify(&bearer, &Policy::default());
    assert_eq!(v.holder_binding, Some(HolderBinding::None), "{v:?}");
    // Another verifier's challenge, another verifier.
    let other_nonce = Policy {
        nonce: Some("0987654321".into()),
        ..required.clone()
    };
    assert_eq!(
        verify(&presentation, &other_nonce).code,
        Some(ErrorCode::NonceMismatch)
    );
    let other_audience = Policy {
        audience: Some("https://other.example".into()),
        ..required.clone()
    };
    assert_eq!(
        verify(&presentation, &other_audience).code,
        Some(ErrorCode::AudienceMismatch)
    );
    // A proof a day old.
    let v = Verifier::new(rfc_trust("https://issuer.example.com"), required.clone())
        .verify(&presentation, KB_IAT + 86_400);
    assert_eq!(v.code, Some(ErrorCode::TooOld));
    // One bit of the issuer's signature.
    let mut forged = presentation.clone().into_bytes();
    let sig_end = presentation.find('~').unwrap();
    forged[sig_end - 2] = if forged[sig_end - 2] == b'A' {
        b'B'
    } else {
        b'A'
    };
    let forged = String::from_utf8(forged).unwrap();
    assert_eq!(
        verify(&forged, &required).code,
        Some(ErrorCode::SignatureInvalid)
    );
}

// ---- The rules, one by one, on our own credentials -------------------------------------------

const ISS: &str = "https://id.vneid.test";
const BANK: &str = "https://bank.example.vn";
const NOW: i64 = 1_795_000_000;

fn key(kid: &str, seed: u8) -> IssuerKey {
    IssuerKey::from_secret_bytes(kid, &[seed; 32]).expect("test key")
}

/// A deterministic random sequence: SHA-256 of the seed and a counter.
fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Strict base64url, as the verifier reads it.
mod base64url {
    use super::*;
    pub fn encode(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }
    pub fn decode(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
        URL_SAFE_NO_PAD.decode(text)
    }
}

fn counter(seed: u8) -> impl FnMut(&mut [u8]) -> Result<(), vneid_verify::Error> {
    let mut n = 0u64;
    move |buf: &mut [u8]| {
        for chunk in buf.chunks_mut(32) {
            n += 1;
            let mut input = vec![seed];
            input.extend_from_slice(&n.to_be_bytes());
            let block = sha256(&input);
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
        Ok(())
    }
}

fn claims() -> Map<String, Value> {
    json!({
        "iss": ISS, "iat": NOW - 86_400, "exp": NOW + 365 * 86_400,
        "vct": "urn:vneid:identity:1", "acr": "urn:vneid:level:2",
        "sub": "001099001234", "name": "Nguyễn Văn An", "birthdate": "1999-03-15",
        "gender": "male", "address": {"province": "Hà Nội", "street": "1 Tràng Tiền"},
    })
    .as_object()
    .cloned()
    .unwrap()
}

struct Wallet {
    issuer: IssuerKey,
    holder: IssuerKey,
    issued: String,
}

impl Wallet {
    fn new() -> Wallet {
        Wallet::with(
            &claims(),
            &["sub", "name", "birthdate", "gender", "address"],
        )
    }

    fn with(claims: &Map<String, Value>, disclosable: &[&str]) -> Wallet {
        let issuer = key("issuer-1", 1);
        let holder = key("", 2);
        let issued = issue::issue(
            &issuer,
            &Credential {
                typ: "dc+sd-jwt",
                claims,
                disclosable,
                holder: Some(&holder.confirmation_jwk()),
                decoys: 3,
            },
            &mut counter(9),
        )
        .expect("issued");
        Wallet {
            issuer,
            holder,
            issued,
        }
    }

    fn present(&self, disclose: &[&str], nonce: &str, audience: &str, iat: i64) -> String {
        issue::present(
            &self.issued,
            disclose,
            Some(&self.holder),
            Some(&Binding {
                audience,
                nonce,
                issued_at: iat,
            }),
        )
        .expect("presented")
    }

    fn bank(&self, nonce: &str) -> Verifier {
        let mut trust = TrustStore::new();
        trust
            .add_jwk(ISS, &self.issuer.public_jwk(), "test")
            .unwrap();
        Verifier::new(trust, bank_policy(nonce))
    }
}

fn bank_policy(nonce: &str) -> Policy {
    Policy {
        audience: Some(BANK.into()),
        nonce: Some(nonce.into()),
        holder_binding: KeyBinding::Required,
        ..Policy::default()
    }
}

fn code(v: &Verdict) -> Option<ErrorCode> {
    v.code
}

#[test]
fn a_two_way_presentation_shows_only_what_the_holder_chose() {
    let w = Wallet::new();
    let p = w.present(&["name", "birthdate"], "n-1", BANK, NOW);
    let v = w.bank("n-1").verify(&p, NOW);
    assert!(v.valid, "{v:?}");
    assert_eq!(v.holder_binding, Some(HolderBinding::Key));
    assert_eq!(v.issuer.as_deref(), Some(ISS));
    assert_eq!(v.kid.as_deref(), Some("issuer-1"));
    assert_eq!(v.level, Some(2));
    let c = v.claims.unwrap();
    assert_eq!(c["name"], json!("Nguyễn Văn An"));
    assert_eq!(c["birthdate"], json!("1999-03-15"));
    for hidden in ["sub", "gender", "address", "_sd", "_sd_alg"] {
        assert!(c.get(hidden).is_none(), "{hidden} must not be output");
    }
    assert_eq!(v.subject, None);
    assert!(v.warnings.is_empty(), "{:?}", v.warnings);
}

#[test]
fn a_disclosed_personal_id_is_the_subject_and_checked() {
    let w = Wallet::new();
    let v = w
        .bank("n")
        .verify(&w.present(&["sub", "birthdate"], "n", BANK, NOW), NOW);
    assert!(v.valid, "{v:?}");
    assert_eq!(v.subject.as_deref(), Some("001099001234"));
    let mut bad = claims();
    bad.insert("sub".into(), json!("12345"));
    let w = Wallet::with(&bad, &["sub"]);
    let v = w
        .bank("n")
        .verify(&w.present(&["sub"], "n", BANK, NOW), NOW);
    assert_eq!(code(&v), Some(ErrorCode::PersonalIdInvalid));
}

/// A bearer presentation of the name, split: the issuer JWT and the name's disclosure.
fn disclosures_case() -> (Verifier, String, String) {
    let w = Wallet::new();
    let bearer = issue::present(&w.issued, &["name"], None, None).unwrap();
    let verifier = Verifier::new(w.bank("x").trust().clone(), Policy::default());
    assert!(verifier.verify(&bearer, NOW).valid);
    let (jwt, rest) = bearer.split_once('~').unwrap();
    (
        verifier,
        jwt.to_owned(),
        rest.trim_end_matches('~').to_owned(),
    )
}

#[test]
fn a_forged_disclosure_rejects_the_whole_presentation() {
    // A disclosure the issuer never hashed (a changed name).
    let (verifier, jwt, name) = disclosures_case();
    let forged = base64url::encode(r#"["c2FsdA","name","Trần Thị Bình"]"#.as_bytes());
    assert_eq!(
        code(&verifier.verify(&format!("{jwt}~{forged}~"), NOW)),
        Some(ErrorCode::DisclosureUnreferenced)
    );
    assert_eq!(
        code(&verifier.verify(&format!("{jwt}~{name}~{forged}~"), NOW)),
        Some(ErrorCode::DisclosureUnreferenced)
    );
}

#[test]
fn an_unreferenced_disclosure_rejects_the_whole_presentation() {
    // A real disclosure, of another credential.
    let (verifier, jwt, name) = disclosures_case();
    let other = Wallet::with(&claims(), &["name", "gender"]);
    let theirs = issue::present(&other.issued, &["gender"], None, None).unwrap();
    let theirs = theirs.split('~').nth(1).unwrap();
    assert_eq!(
        code(&verifier.verify(&format!("{jwt}~{name}~{theirs}~"), NOW)),
        Some(ErrorCode::DisclosureUnreferenced)
    );
}

#[test]
fn a_duplicated_disclosure_rejects_the_whole_presentation() {
    let (verifier, jwt, name) = disclosures_case();
    assert_eq!(
        code(&verifier.verify(&format!("{jwt}~{name}~{name}~"), NOW)),
        Some(ErrorCode::DisclosureDuplicated)
    );
}

#[test]
fn a_malformed_list_of_disclosures_is_refused() {
    let (verifier, jwt, name) = disclosures_case();
    // Two tildes in a row.
    assert_eq!(
        code(&verifier.verify(&format!("{jwt}~~{name}~"), NOW)),
        Some(ErrorCode::DisclosureInvalid)
    );
    // A last component that is neither empty nor a JWT.
    assert_eq!(
        code(&verifier.verify(&format!("{jwt}~{name}"), NOW)),
        Some(ErrorCode::TokenMalformed)
    );
}

/// Signs a raw SD-JWT: `payload` with the given `_sd` content, and the given disclosures.
fn raw_sd_jwt(issuer: &IssuerKey, header: &str, payload: &Value, disclosures: &[String]) -> String {
    let jwt = issuer.sign_jws(header, payload.to_string().as_bytes());
    let mut out = format!("{jwt}~");
    for d in disclosures {
        out.push_str(d);
        out.push('~');
    }
    out
}

fn disclosure(array: &Value) -> String {
    base64url::encode(array.to_string().as_bytes())
}

fn digest(d: &str) -> String {
    base64url::encode(&sha256(d.as_bytes()))
}

const DC: &str = r#"{"alg":"ES256","typ":"dc+sd-jwt","kid":"issuer-1"}"#;

/// A plain SD-JWT VC payload of the wallet's issuer, bound to its holder key.
fn plain_payload(w: &Wallet) -> Value {
    json!({"iss": ISS, "iat": NOW - 10, "exp": NOW + 3600, "vct": "urn:vneid:identity:1",
           "cnf": {"jwk": w.holder.public_jwk()}})
}

/// The credential of `plain_payload` with `name` moved into a disclosure of `value`.
fn with_disclosed(w: &Wallet, name: &str, value: Value) -> String {
    let d = disclosure(&json!(["salt-salt-salt", name, value]));
    let mut payload = plain_payload(w);
    payload.as_object_mut().unwrap().remove(name);
    payload["_sd"] = json!([digest(&d)]);
    raw_sd_jwt(&w.issuer, DC, &payload, &[d])
}

#[test]
fn a_disclosed_cnf_is_refused() {
    let w = Wallet::new();
    let verifier = Verifier::new(w.bank("x").trust().clone(), Policy::default());
    assert!(
        verifier
            .verify(&raw_sd_jwt(&w.issuer, DC, &plain_payload(&w), &[]), NOW)
            .valid
    );
    let v = verifier.verify(
        &with_disclosed(&w, "cnf", json!({"jwk": w.holder.public_jwk()})),
        NOW,
    );
    assert_eq!(code(&v), Some(ErrorCode::DisclosureInvalid), "{v:?}");
    assert!(v.message.contains("cnf"), "{}", v.message);
}

#[test]
fn claims_the_verifier_relies_on_are_never_taken_from_a_disclosure() {
    let w = Wallet::new();
    let verifier = Verifier::new(w.bank("x").trust().clone(), Policy::default());
    for (name, value) in [
        ("exp", json!(NOW + 3600)),
        ("nbf", json!(NOW - 10)),
        ("vct", json!("urn:vneid:identity:1")),
        (
            "status",
            json!({"status_list": {"idx": 1, "uri": "https://x"}}),
        ),
    ] {
        let v = verifier.verify(&with_disclosed(&w, name, value), NOW);
        assert_eq!(
            code(&v),
            Some(ErrorCode::DisclosureInvalid),
            "{name}: {v:?}"
        );
        assert!(v.message.contains(name), "{}", v.message);
    }
}

#[test]
fn an_sd_jwt_vc_needs_vct_and_a_plain_sd_jwt_does_not() {
    let w = Wallet::new();
    let verifier = Verifier::new(w.bank("x").trust().clone(), Policy::default());
    let mut no_vct = plain_payload(&w);
    no_vct.as_object_mut().unwrap().remove("vct");
    assert_eq!(
        code(&verifier.verify(&raw_sd_jwt(&w.issuer, DC, &no_vct, &[]), NOW)),
        Some(ErrorCode::ClaimMissing)
    );
    let example = r#"{"alg":"ES256","typ":"example+sd-jwt","kid":"issuer-1"}"#;
    assert!(
        verifier
            .verify(&raw_sd_jwt(&w.issuer, example, &no_vct, &[]), NOW)
            .valid
    );
}

#[test]
fn the_issuer_jwt_must_be_explicitly_typed() {
    let w = Wallet::new();
    let verifier = Verifier::new(w.bank("x").trust().clone(), Policy::default());
    for header in [
        r#"{"alg":"ES256","kid":"issuer-1"}"#,
        r#"{"alg":"ES256","typ":"JWT","kid":"issuer-1"}"#,
        r#"{"alg":"ES256","typ":"kb+jwt","kid":"issuer-1"}"#,
    ] {
        assert_eq!(
            code(&verifier.verify(&raw_sd_jwt(&w.issuer, header, &plain_payload(&w), &[]), NOW)),
            Some(ErrorCode::TypInvalid),
            "{header}"
        );
    }
}

#[test]
fn the_issuer_jwt_is_es256_only() {
    let w = Wallet::new();
    let verifier = Verifier::new(w.bank("x").trust().clone(), Policy::default());
    for header in [
        r#"{"alg":"HS256","typ":"dc+sd-jwt","kid":"issuer-1"}"#,
        r#"{"alg":"none","typ":"dc+sd-jwt","kid":"issuer-1"}"#,
    ] {
        assert_eq!(
            code(&verifier.verify(&raw_sd_jwt(&w.issuer, header, &plain_payload(&w), &[]), NOW)),
            Some(ErrorCode::AlgNotAllowed),
            "{header}"
        );
    }
}

#[test]
fn an_array_disclosure_in_an_object_slot_and_the_reverse_are_refused() {
    let w = Wallet::new();
    let verifier = Verifier::new(w.bank("x").trust().clone(), Policy::default());
    let element = disclosure(&json!(["salt-1", "VN"]));
    let member = disclosure(&json!(["salt-2", "name", "An"]));
    let base = json!({"iss": ISS, "iat": NOW - 10, "exp": NOW + 3600, "vct": "v"});
    let mut p = base.clone();
    p["_sd"] = json!([digest(&element)]);
    assert_eq!(
        code(&verifier.verify(
            &raw_sd_jwt(&w.issuer, DC, &p, std::slice::from_ref(&element)),
            NOW
        )),
        Some(ErrorCode::DisclosureInvalid)
    );
    let mut p = base.clone();
    p["nationalities"] = json!([{"...": digest(&member)}]);
    assert_eq!(
        code(&verifier.verify(
            &raw_sd_jwt(&w.issuer, DC, &p, std::slice::from_ref(&member)),
            NOW
        )),
        Some(ErrorCode::DisclosureInvalid)
    );
    // In the right slots, with a decoy each, they verify.
    let mut p = base;
    p["_sd"] = json!([digest(&member), digest("decoy")]);
    p["nationalities"] = json!([{"...": digest(&element)}, {"...": digest("decoy-2")}]);
    let v = verifier.verify(&raw_sd_jwt(&w.issuer, DC, &p, &[member, element]), NOW);
    assert!(v.valid, "{v:?}");
    let c = v.claims.unwrap();
    assert_eq!(
        (c["name"].clone(), c["nationalities"].clone()),
        (json!("An"), json!(["VN"]))
    );
}

#[test]
fn a_proof_for_another_nonce_is_refused() {
    // Another transaction's challenge.
    let w = Wallet::new();
    assert!(
        w.bank("n-1")
            .verify(&w.present(&["name"], "n-1", BANK, NOW), NOW)
            .valid
    );
    assert_eq!(
        code(
            &w.bank("n-2")
                .verify(&w.present(&["name"], "n-1", BANK, NOW), NOW)
        ),
        Some(ErrorCode::NonceMismatch)
    );
}

#[test]
fn a_proof_for_another_audience_is_refused() {
    // Forwarded to another verifier.
    let w = Wallet::new();
    assert_eq!(
        code(&w.bank("n-1").verify(
            &w.present(&["name"], "n-1", "https://shop.example", NOW),
            NOW
        )),
        Some(ErrorCode::AudienceMismatch)
    );
}

#[test]
fn a_stale_proof_is_too_old() {
    // 300 s plus the 60 s tolerance by default.
    let w = Wallet::new();
    assert!(
        w.bank("n")
            .verify(&w.present(&["name"], "n", BANK, NOW - 360), NOW)
            .valid
    );
    assert_eq!(
        code(
            &w.bank("n")
                .verify(&w.present(&["name"], "n", BANK, NOW - 361), NOW)
        ),
        Some(ErrorCode::TooOld)
    );
    // A shorter maximum proof age (the one-way QR's 60 s).
    let short = Policy {
        max_proof_age: 60,
        ..bank_policy("n")
    };
    let p = w.present(&["name"], "n", BANK, NOW - 121);
    assert_eq!(
        code(&w.bank("n").verify_with_policy(&p, &short, NOW)),
        Some(ErrorCode::TooOld)
    );
}

#[test]
fn a_proof_from_the_future_is_refused() {
    let w = Wallet::new();
    assert!(
        w.bank("n")
            .verify(&w.present(&["name"], "n", BANK, NOW + 60), NOW)
            .valid
    );
    assert_eq!(
        code(
            &w.bank("n")
                .verify(&w.present(&["name"], "n", BANK, NOW + 61), NOW)
        ),
        Some(ErrorCode::IssuedInFuture)
    );
}

#[test]
fn a_missing_proof_is_refused_when_binding_is_required() {
    let w = Wallet::new();
    let bearer = issue::present(&w.issued, &["name"], None, None).unwrap();
    assert_eq!(
        code(&w.bank("n").verify(&bearer, NOW)),
        Some(ErrorCode::HolderBindingMissing)
    );
}

/// A KB-JWT with any header and claims, signed by `signer`, appended to a presentation.
fn with_kb(presented: &str, signer: &IssuerKey, header: &str, claims: &Value) -> String {
    format!(
        "{presented}{}",
        signer.sign_jws(header, claims.to_string().as_bytes())
    )
}

const KB: &str = r#"{"alg":"ES256","typ":"kb+jwt"}"#;

/// A wallet, its bearer presentation of the name, and good KB-JWT claims for bank("n").
fn kb_case() -> (Wallet, String, Value) {
    let w = Wallet::new();
    let presented = issue::present(&w.issued, &["name"], None, None).unwrap();
    let sd_hash = base64url::encode(&sha256(presented.as_bytes()));
    let good = json!({"iat": NOW, "aud": BANK, "nonce": "n", "sd_hash": sd_hash});
    assert!(
        w.bank("n")
            .verify(&with_kb(&presented, &w.holder, KB, &good), NOW)
            .valid
    );
    (w, presented, good)
}

fn kb_code(
    w: &Wallet,
    presented: &str,
    signer: &IssuerKey,
    header: &str,
    claims: &Value,
) -> Option<ErrorCode> {
    code(
        &w.bank("n")
            .verify(&with_kb(presented, signer, header, claims), NOW),
    )
}

#[test]
fn a_kb_jwt_signed_by_another_key_is_refused() {
    let (w, presented, good) = kb_case();
    let thief = key("", 66);
    assert_eq!(
        kb_code(&w, &presented, &thief, KB, &good),
        Some(ErrorCode::SignatureInvalid)
    );
    // ... even when its header carries the thief's key: keys never come from a header.
    let with_jwk = format!(
        r#"{{"alg":"ES256","typ":"kb+jwt","jwk":{}}}"#,
        thief.public_jwk()
    );
    assert_eq!(
        kb_code(&w, &presented, &thief, &with_jwk, &good),
        Some(ErrorCode::SignatureInvalid)
    );
}

#[test]
fn a_kb_jwt_not_typed_kb_jwt_is_refused() {
    let (w, presented, good) = kb_case();
    for header in [r#"{"alg":"ES256","typ":"JWT"}"#, r#"{"alg":"ES256"}"#] {
        assert_eq!(
            kb_code(&w, &presented, &w.holder, header, &good),
            Some(ErrorCode::TypInvalid),
            "{header}"
        );
    }
}

#[test]
fn a_kb_jwt_with_another_alg_is_refused() {
    let (w, presented, good) = kb_case();
    for header in [
        r#"{"alg":"HS256","typ":"kb+jwt"}"#,
        r#"{"alg":"none","typ":"kb+jwt"}"#,
    ] {
        assert_eq!(
            kb_code(&w, &presented, &w.holder, header, &good),
            Some(ErrorCode::AlgNotAllowed),
            "{header}"
        );
    }
}

#[test]
fn every_kb_jwt_claim_is_required_and_typed() {
    let (w, presented, good) = kb_case();
    for name in ["iat", "aud", "nonce", "sd_hash"] {
        let mut c = good.clone();
        c.as_object_mut().unwrap().remove(name);
        assert_eq!(
            kb_code(&w, &presented, &w.holder, KB, &c),
            Some(ErrorCode::ClaimMissing),
            "{name}"
        );
    }
    // aud is a single string.
    let mut c = good.clone();
    c["aud"] = json!([BANK]);
    assert_eq!(
        kb_code(&w, &presented, &w.holder, KB, &c),
        Some(ErrorCode::ClaimInvalid)
    );
    let mut c = good.clone();
    c["iat"] = json!("now");
    assert_eq!(
        kb_code(&w, &presented, &w.holder, KB, &c),
        Some(ErrorCode::ClaimInvalid)
    );
}

#[test]
fn a_kb_jwt_over_another_presentation_is_refused() {
    let (w, presented, good) = kb_case();
    let mut c = good.clone();
    c["sd_hash"] = json!(digest("something else"));
    assert_eq!(
        kb_code(&w, &presented, &w.holder, KB, &c),
        Some(ErrorCode::SdHashMismatch)
    );
}

#[test]
fn a_kb_jwt_on_a_credential_without_a_holder_key_is_refused() {
    let w = Wallet::new();
    let no_cnf = Wallet::with(&claims(), &["name"]);
    let mut plain_claims = claims();
    plain_claims.insert("x".into(), json!(1));
    let unbound = issue::issue(
        &no_cnf.issuer,
        &Credential {
            typ: "dc+sd-jwt",
            claims: &plain_claims,
            disclosable: &["name"],
            holder: None,
            decoys: 0,
        },
        &mut counter(3),
    )
    .unwrap();
    let presented = issue::present(&unbound, &["name"], None, None).unwrap();
    let claims = json!({"iat": NOW, "aud": BANK, "nonce": "n",
        "sd_hash": base64url::encode(&sha256(presented.as_bytes()))});
    assert_eq!(
        code(
            &no_cnf
                .bank("n")
                .verify(&with_kb(&presented, &w.holder, KB, &claims), NOW)
        ),
        Some(ErrorCode::ClaimMissing)
    );
}

#[test]
fn a_proof_is_accepted_once_per_verifier_and_per_shared_cache() {
    let w = Wallet::new();
    let p = w.present(&["name"], "n", BANK, NOW);
    let bank = w.bank("n");
    assert!(bank.verify(&p, NOW).valid);
    assert_eq!(code(&bank.verify(&p, NOW + 1)), Some(ErrorCode::Replayed));
    // A clone shares the cache; a new verifier does not, unless given the same cache.
    assert_eq!(
        code(&bank.clone().verify(&p, NOW + 1)),
        Some(ErrorCode::Replayed)
    );
    let shared = Arc::new(ReplayCache::new(100));
    let a = w.bank("n").with_replay_cache(Arc::clone(&shared));
    let b = w.bank("n").with_replay_cache(Arc::clone(&shared));
    assert!(a.verify(&p, NOW).valid);
    assert_eq!(code(&b.verify(&p, NOW)), Some(ErrorCode::Replayed));
    assert_eq!(shared.len(), 1);
    // The high-S twin of the proof's signature is the same proof.
    let (head, sig) = p.rsplit_once('.').unwrap();
    let twin = format!(
        "{head}.{}",
        base64url::encode(&high_s_twin(&base64url::decode(sig).unwrap()))
    );
    assert_ne!(twin, p);
    assert_eq!(
        code(&bank.verify(&twin, NOW + 2)),
        Some(ErrorCode::Replayed)
    );
    assert!(
        w.bank("n").verify(&twin, NOW + 2).valid,
        "the twin verifies on its own"
    );
    // A refused presentation does not use its proof up.
    let q = w.present(&["birthdate"], "n", BANK, NOW);
    let wrong = w.bank("other");
    assert_eq!(code(&wrong.verify(&q, NOW)), Some(ErrorCode::NonceMismatch));
    let right = w
        .bank("n")
        .with_replay_cache(Arc::clone(wrong.replay_cache()));
    assert!(right.verify(&q, NOW).valid);
}

/// (r, n − s): the other valid ECDSA signature of the same message.
fn high_s_twin(sig: &[u8]) -> Vec<u8> {
    const N: [u8; 32] = [
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63,
        0x25, 0x51,
    ];
    let mut out = sig[..32].to_vec();
    let s = &sig[32..];
    let mut twin = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut d = i16::from(N[i]) - i16::from(s[i]) - borrow;
        borrow = if d < 0 {
            d += 256;
            1
        } else {
            0
        };
        twin[i] = u8::try_from(d).expect("0..=255");
    }
    out.extend_from_slice(&twin);
    out
}

#[test]
fn an_optional_policy_still_verifies_a_proof_and_says_so() {
    let w = Wallet::new();
    let p = w.present(&["name"], "wallet-chosen", "urn:vneid:verifier:kiosk", NOW);
    let mut trust = TrustStore::new();
    trust.add_jwk(ISS, &w.issuer.public_jwk(), "t").unwrap();
    let v = Verifier::new(trust.clone(), Policy::default()).verify(&p, NOW);
    assert!(v.valid, "{v:?}");
    assert_eq!(v.holder_binding, Some(HolderBinding::Key));
    assert_eq!(
        v.warnings.iter().map(|w| w.code).collect::<Vec<_>>(),
        vec![WarningCode::AudienceNotChecked]
    );
    // A broken proof is refused even when binding is optional: present means checked.
    let broken = format!("{}x", &p[..p.len() - 1]);
    let v = Verifier::new(trust, Policy::default()).verify(&broken, NOW);
    assert!(!v.valid, "{v:?}");
}

#[test]
fn bearer_formats_say_none_and_are_refused_when_binding_is_required() {
    let k = key("t1", 4);
    let mut trust = TrustStore::new();
    trust.add_jwk(ISS, &k.public_jwk(), "t").unwrap();
    let token = k.sign_token(
        json!({"iss": ISS, "exp": NOW + 60, "iat": NOW, "cnf": {"jwk": k.public_jwk()}})
            .as_object()
            .unwrap(),
    );
    let v = Verifier::new(trust.clone(), Policy::default()).verify(&token, NOW);
    assert_eq!(v.holder_binding, Some(HolderBinding::None), "{v:?}");
    let required = Policy {
        holder_binding: KeyBinding::Required,
        ..Policy::default()
    };
    let v = Verifier::new(trust, required).verify(&token, NOW);
    assert_eq!(code(&v), Some(ErrorCode::HolderBindingMissing));
    assert_eq!(v.holder_binding, None);
}

#[test]
fn limits_apply_before_anything_is_decoded() {
    let w = Wallet::new();
    let bearer = issue::present(&w.issued, &["name"], None, None).unwrap();
    let jwt = bearer.split('~').next().unwrap();
    let verifier = Verifier::new(w.bank("x").trust().clone(), Policy::default());
    let many = format!("{jwt}~{}", "WyJ4IiwxXQ~".repeat(300));
    assert_eq!(
        code(&verifier.verify(&many, NOW)),
        Some(ErrorCode::PayloadTooLarge)
    );
    let huge = format!("{jwt}~{}~", "A".repeat(20_000));
    assert_eq!(
        code(&verifier.verify(&huge, NOW)),
        Some(ErrorCode::PayloadTooLarge)
    );
    // And the next call works as before.
    assert!(verifier.verify(&bearer, NOW).valid);
}

// ---- The compact form (VNP1:): the same presentation, the same verdict -----------------------

use vneid_verify::issuer::vneid_presentation as compact;

impl Wallet {
    /// The same credential in the compact form, from the same claims and holder key.
    fn compact_credential(&self, claims: &Map<String, Value>, disclosable: &[&str]) -> String {
        compact::issue(
            &self.issuer,
            claims,
            disclosable,
            Some(&self.holder.confirmation_jwk()),
            &mut counter(10),
        )
        .expect("issued compact")
    }

    fn present_compact(
        &self,
        credential: &str,
        disclose: &[&str],
        nonce: &str,
        audience: &str,
        iat: i64,
    ) -> String {
        compact::present(
            credential,
            disclose,
            Some(&self.holder),
            Some(&Binding {
                audience,
                nonce,
                issued_at: iat,
            }),
        )
        .expect("presented compact")
    }
}

const DISCLOSABLE: [&str; 5] = ["sub", "name", "birthdate", "gender", "address"];

#[test]
fn both_encodings_verify_to_the_same_verdict() {
    let w = Wallet::new();
    let stored = w.compact_credential(&claims(), &DISCLOSABLE);
    assert!(stored.starts_with("VNC1:"));
    for disclose in [
        &["name", "birthdate", "sub"][..],
        &["name"],
        &[],
        &["address", "gender"],
    ] {
        let long = w
            .bank("n")
            .verify(&w.present(disclose, "n", BANK, NOW), NOW);
        let short = w
            .bank("n")
            .verify(&w.present_compact(&stored, disclose, "n", BANK, NOW), NOW);
        assert!(long.valid && short.valid, "{long:?}\n{short:?}");
        assert_eq!(
            (long.format, short.format),
            (Format::SdJwtVc, Format::VneidPresentation)
        );
        let mut same = short.clone();
        same.format = Format::SdJwtVc;
        assert_eq!(same, long, "{disclose:?}");
    }
}

#[test]
fn the_compact_form_refuses_each_rule_with_its_code() {
    let w = Wallet::new();
    let stored = w.compact_credential(&claims(), &DISCLOSABLE);
    let p = |disclose: &[&str], nonce: &str, aud: &str, iat: i64| {
        w.present_compact(&stored, disclose, nonce, aud, iat)
    };
    let code_at = |payload: &str, nonce: &str| code(&w.bank(nonce).verify(payload, NOW));
    assert_eq!(
        code_at(&p(&["name"], "n-1", BANK, NOW), "n-2"),
        Some(ErrorCode::NonceMismatch)
    );
    assert_eq!(
        code_at(&p(&["name"], "n", "https://shop.example", NOW), "n"),
        Some(ErrorCode::AudienceMismatch)
    );
    assert_eq!(
        code_at(&p(&["name"], "n", BANK, NOW - 361), "n"),
        Some(ErrorCode::TooOld)
    );
    assert_eq!(
        code_at(&p(&["name"], "n", BANK, NOW + 61), "n"),
        Some(ErrorCode::IssuedInFuture)
    );
    let bearer = compact::present(&stored, &["name"], None, None).unwrap();
    assert_eq!(code_at(&bearer, "n"), Some(ErrorCode::HolderBindingMissing));
    let lax = Verifier::new(w.bank("n").trust().clone(), Policy::default());
    assert_eq!(
        lax.verify(&bearer, NOW).holder_binding,
        Some(HolderBinding::None)
    );
    // Signed by another key than the credential's cnf.
    let thief = key("", 66);
    let stolen = compact::present(
        &stored,
        &["name"],
        Some(&thief),
        Some(&Binding {
            audience: BANK,
            nonce: "n",
            issued_at: NOW,
        }),
    )
    .unwrap();
    assert_eq!(code_at(&stolen, "n"), Some(ErrorCode::SignatureInvalid));
    // Replay at one verifier.
    let once = p(&["name"], "n", BANK, NOW);
    let bank = w.bank("n");
    assert!(bank.verify(&once, NOW).valid);
    assert_eq!(code(&bank.verify(&once, NOW)), Some(ErrorCode::Replayed));
}

/// Rebuilds a `VNP1:` text from its parts (credential, disclosures, proof), re-encoded.
fn vnp1(credential: &[u8], disclosures: &[Vec<u8>], proof: Option<&[u8]>) -> String {
    use vneid_verify::issuer::cbor::{encode, Value as Cbor};
    let mut parts = vec![
        Cbor::Bytes(credential.to_vec()),
        Cbor::Array(disclosures.iter().cloned().map(Cbor::Bytes).collect()),
    ];
    if let Some(proof) = proof {
        parts.push(Cbor::Bytes(proof.to_vec()));
    }
    format!(
        "VNP1:{}",
        vneid_verify::issuer::encode::base45(&encode(&Cbor::Array(parts)))
    )
}

/// RFC 9285 base45, for taking a test presentation apart.
fn base45_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let digit =
        |c: &u8| u32::try_from(ALPHABET.iter().position(|a| a == c).expect("base45")).unwrap();
    let mut out = Vec::new();
    for chunk in text.as_bytes().chunks(3) {
        let n = chunk.iter().rev().fold(0u32, |acc, c| acc * 45 + digit(c));
        if chunk.len() == 3 {
            out.extend_from_slice(&u16::try_from(n).expect("two bytes").to_be_bytes());
        } else {
            out.push(u8::try_from(n).expect("one byte"));
        }
    }
    out
}

/// The parts of a `VNP1:` text.
fn vnp1_parts(text: &str) -> (Vec<u8>, Vec<Vec<u8>>, Option<Vec<u8>>) {
    use vneid_verify::dangerous::decode_cbor;
    use vneid_verify::issuer::cbor::Value as Cbor;
    let bytes = base45_decode(&text["VNP1:".len()..]);
    let Cbor::Array(items) = decode_cbor(&bytes, &vneid_verify::Limits::default()).unwrap() else {
        panic!("array")
    };
    let mut items = items.into_iter();
    let (Some(Cbor::Bytes(c)), Some(Cbor::Array(ds))) = (items.next(), items.next()) else {
        panic!("parts")
    };
    let ds = ds
        .into_iter()
        .map(|d| match d {
            Cbor::Bytes(b) => b,
            _ => panic!("bytes"),
        })
        .collect();
    let proof = items.next().map(|p| match p {
        Cbor::Bytes(b) => b,
        _ => panic!("bytes"),
    });
    (c, ds, proof)
}

#[test]
fn compact_disclosures_are_bound_and_counted_exactly_once() {
    let w = Wallet::new();
    let stored = w.compact_credential(&claims(), &DISCLOSABLE);
    let lax = Verifier::new(w.bank("x").trust().clone(), Policy::default());
    let bearer = compact::present(&stored, &["name", "birthdate"], None, None).unwrap();
    assert!(lax.verify(&bearer, NOW).valid);
    let (credential, disclosures, _) = vnp1_parts(&bearer);
    // Duplicated.
    let twice = vec![disclosures[0].clone(), disclosures[0].clone()];
    assert_eq!(
        code(&lax.verify(&vnp1(&credential, &twice, None), NOW)),
        Some(ErrorCode::DisclosureDuplicated)
    );
    // Forged: one byte of a disclosure's value changed.
    let mut forged = disclosures.clone();
    let last = forged[0].len() - 1;
    forged[0][last] ^= 1;
    assert_eq!(
        code(&lax.verify(&vnp1(&credential, &forged, None), NOW)),
        Some(ErrorCode::DisclosureUnreferenced)
    );
    // A proof made for these disclosures does not cover others.
    let bound = w.present_compact(&stored, &["name", "birthdate"], "n", BANK, NOW);
    let (credential, disclosures, proof) = vnp1_parts(&bound);
    let fewer = vnp1(&credential, &disclosures[..1], proof.as_deref());
    let v = w.bank("n").verify(&fewer, NOW);
    assert_eq!(code(&v), Some(ErrorCode::SignatureInvalid), "{v:?}");
    assert!(v.message.contains("holder proof"), "{}", v.message);
    // One bit of the issuer's signature.
    let mut tampered = credential.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    assert_eq!(
        code(
            &w.bank("n")
                .verify(&vnp1(&tampered, &disclosures, proof.as_deref()), NOW)
        ),
        Some(ErrorCode::SignatureInvalid)
    );
}
