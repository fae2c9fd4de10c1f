//! Every verdict names its holder in one shape (`holder.name`, `holder.birthDate`), whatever
//! the format calls those fields, so that no caller probes field names.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion
#![cfg(feature = "issuer")]

mod common;

use base64::Engine as _;
use serde_json::{json, Value};
use vneid_verify::issuer::IssuerKey;
use vneid_verify::{ErrorCode, Holder, Policy, TrustStore, Verdict, Verifier};

fn holder(name: &str, birth_date: &str) -> Option<Holder> {
    Holder::of(Some(name), Some(birth_date))
}

fn verify(trust: TrustStore, payload: &str, now: i64) -> Verdict {
    Verifier::new(trust, Policy::default()).verify(payload, now)
}

#[test]
fn a_token_s_name_and_birthdate() {
    let key = IssuerKey::from_secret_bytes("k1", &[7; 32]).unwrap();
    let mut trust = TrustStore::new();
    trust
        .add_jwk("https://id.test", &key.public_jwk(), "test")
        .unwrap();
    let now = 1_795_000_000;
    let claims = json!({"iss": "https://id.test", "sub": "001099001234", "iat": now, "exp": now + 60,
        "acr": "urn:vneid:level:2", "name": "Nguyễn Văn An", "birthdate": "1999-03-15"});
    let v = verify(trust, &key.sign_token(claims.as_object().unwrap()), now);
    assert!(v.valid, "{}", v.message);
    assert_eq!(v.holder, holder("Nguyễn Văn An", "1999-03-15"));
    let shown = serde_json::to_value(&v).unwrap();
    assert_eq!(
        shown["holder"],
        json!({"name": "Nguyễn Văn An", "birthDate": "1999-03-15"})
    );
}

#[test]
fn a_document_qr_s_full_name_and_date_of_birth() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/vneid-document/");
    let vectors: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}vectors.json")).unwrap())
            .unwrap();
    let card = vectors["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "cccd-valid")
        .unwrap();
    let trust = TrustStore::from_json(
        &std::fs::read_to_string(format!("{dir}test-issuer.trust.json")).unwrap(),
    )
    .unwrap();
    let at = vneid_verify::time::parse_rfc3339(card["at"].as_str().unwrap()).unwrap();
    let v = verify(trust, card["qr"].as_str().unwrap(), at);
    assert!(v.valid, "{}", v.message);
    let fields = &v.document.as_ref().unwrap().fields;
    assert_eq!(
        v.holder,
        holder(
            fields["fullName"].as_str().unwrap(),
            fields["dateOfBirth"].as_str().unwrap()
        )
    );
}

#[test]
fn an_eu_dcc_s_names_and_birth_date() {
    let (trust, qr, at) = common::trust_files::dcc_trust();
    let dcc = common::json_vector("eu-dcc/AT/2DCode/raw/1.json");
    let v = verify(trust, &qr, at);
    assert!(v.valid, "{}", v.message);
    let nam = &dcc["JSON"]["nam"];
    let name = format!(
        "{} {}",
        nam["fn"].as_str().unwrap(),
        nam["gn"].as_str().unwrap()
    );
    assert_eq!(
        v.holder,
        holder(&name, dcc["JSON"]["dob"].as_str().unwrap())
    );
}

#[test]
fn a_smart_health_card_s_patient() {
    let card = common::trust_files::shc_card();
    let v = verify(
        common::trust_files::shc_trust(),
        &card,
        common::trust_files::SHC_NOW,
    );
    assert!(v.valid, "{}", v.message);
    assert_eq!(v.holder, holder("John B. Anyperson", "1951-01-20"));
}

#[test]
fn a_vds_nc_seal_s_person() {
    let seals: Value =
        common::json_vector("vds-nc/VDS-NC-Dotnet.Tests/Helpers/VDS-NC-Examples.json");
    let seal = seals.as_array().unwrap()[0].clone();
    let der = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(seal["sig"]["cer"].as_str().unwrap().trim_end_matches('='))
        .unwrap();
    let mut trust = TrustStore::new();
    trust.add_anchor(&der, "pinned signer").unwrap();
    let v = verify(trust, &seal.to_string(), 1_700_000_000);
    assert!(v.valid, "{}", v.message);
    let pid = &seal["data"]["msg"]["pid"];
    assert_eq!(
        v.holder,
        holder(pid["n"].as_str().unwrap(), pid["dob"].as_str().unwrap())
    );
}

#[test]
fn the_unsigned_card_qr_names_its_holder_beside_its_fields() {
    let qr = "001099001234|012345678|Nguyễn Văn An|15031999|Nam|Hà Nội|10052021";
    let v = verify(TrustStore::new(), qr, 1_767_225_600);
    assert_eq!(v.code, Some(ErrorCode::Unsigned));
    assert_eq!(v.holder, holder("Nguyễn Văn An", "1999-03-15"));
    // Nothing that failed is presented: a rejected payload names no holder.
    let v = verify(TrustStore::new(), "hello", 0);
    assert_eq!(v.holder, None);
}
