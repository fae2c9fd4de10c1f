//! ICAO VDS-NC seals: the two published examples (../shared/vectors/vds-nc), their mutations,
//! and a small P-256 test PKI built here to exercise every chain and authorisation rule.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests fail by panicking

mod common;

use common::base64url;
use serde_json::{json, Value};
use vneid_verify::{ErrorCode, Format, Policy, TrustStore, Verdict, Verifier};

/// 2023-11-14: inside both signer certificates' validity (UTO to 2026-03-12, AU to 2031-09-30).
const NOW: i64 = 1_700_000_000;
const AU_CSCA: &str = "vds-nc/au-root/csca_au_rs4096.cer";
#[cfg(feature = "rsa")] // used only by the RSA-signed AU examples
const AU_AUTHORITY: &str = "CN=Passport Country Signing Authority, O=GOV, C=AU";

fn examples() -> Vec<Value> {
    common::json_vector("vds-nc/VDS-NC-Dotnet.Tests/Helpers/VDS-NC-Examples.json")
        .as_array()
        .cloned()
        .expect("an array of seals")
}

fn uto() -> Value {
    examples()[0].clone()
}

fn aus() -> Value {
    examples()[1].clone()
}

fn au_trust() -> TrustStore {
    let mut store = TrustStore::new();
    store
        .add_anchor(common::read_vector(AU_CSCA).as_bytes(), "au csca")
        .expect("the AU CSCA loads");
    store
}

fn verify_at(store: &TrustStore, seal: &Value, now: i64) -> Verdict {
    Verifier::new(store.clone(), Policy::default()).verify(&seal.to_string(), now)
}

#[track_caller]
fn assert_valid(v: &Verdict) {
    assert!(v.valid, "expected valid, got {:?}: {}", v.code, v.message);
    assert_eq!(v.format, Format::VdsNc);
}

#[track_caller]
fn assert_code(v: &Verdict, code: ErrorCode) {
    assert!(!v.valid, "expected {code}, got a valid verdict");
    assert_eq!(v.code, Some(code), "{}", v.message);
    assert_eq!(v.format, Format::VdsNc);
    assert!(v.issuer.is_none() && v.claims.is_none() && v.document.is_none());
}

fn b64(bytes: &[u8]) -> String {
    base64url::encode(bytes)
}

fn unb64(text: &str) -> Vec<u8> {
    base64url::decode(text.trim_end_matches('=')).unwrap()
}

// ---- The published seals ---------------------------------------------------------------------

#[cfg(feature = "rsa")]
#[test]
fn the_australian_seal_chains_to_the_australian_csca() {
    let v = verify_at(&au_trust(), &aus(), NOW);
    assert_valid(&v);
    // The issuer identity is the issuing state; the authority it chained to is the signer's.
    assert_eq!(v.issuer.as_deref(), Some("AUS"));
    assert_eq!(
        v.document.as_ref().unwrap().fields["signer"]["trustedAuthority"],
        json!(AU_AUTHORITY)
    );
    assert_eq!(v.kid.as_deref(), Some("18AD"));
    assert_eq!(v.claims.as_ref(), Some(&aus()["data"]));
    let fields = &v.document.as_ref().unwrap().fields;
    assert_eq!(v.document.as_ref().unwrap().doc_type, "vds_nc");
    assert_eq!(fields["type"], json!("icao.vacc"));
    assert!(
        fields.get("typeLabel").is_none(),
        "display labels are the caller's"
    );
    assert_eq!(fields["issuingState"], json!("AUS"));
    assert_eq!(
        fields["person"],
        json!({"name": "CITIZEN  JANE SUE", "dateOfBirth": "1961-05-15", "sex": "F",
               "travelDocumentNumber": "PA0941262", "otherDocumentNumber": null})
    );
    assert_eq!(fields["uvci"], json!("VB0009990012"));
    assert_eq!(
        fields["vaccinations"],
        json!([{"disease": "RA01.0", "vaccine": "XM68M6", "brand": "AstraZeneca Vaxzevria",
                "doses": [{"date": "2021-09-15", "doseNumber": 1, "country": "AUS",
                           "administeringCentre": "General Practitioner", "lot": "300157P", "nextDoseDue": null}]}])
    );
    assert_eq!(fields["signer"]["subject"], json!("CN=DFAT, C=AU"));
    assert_eq!(fields["signer"]["notAfter"], json!("2031-09-30T13:59:59Z"));
    assert_eq!(fields["signer"]["trustedAuthority"], json!(AU_AUTHORITY));
}

#[cfg(not(feature = "rsa"))]
#[test]
fn without_rsa_the_australian_csca_cannot_be_checked() {
    // The AU CSCA signs with RSA-4096; a build without the `rsa` feature says so precisely.
    assert_code(
        &verify_at(&au_trust(), &aus(), NOW),
        ErrorCode::UnsupportedKey,
    );
}

#[test]
fn a_seal_without_a_trusted_csca_does_not_chain() {
    // The Friesland test CSCA that issued the UTO signer is not published.
    for (store, seal) in [
        (TrustStore::new(), uto()),
        (au_trust(), uto()),
        (TrustStore::new(), aus()),
    ] {
        let v = verify_at(&store, &seal, NOW);
        assert_code(&v, ErrorCode::ChainInvalid);
    }
    let v = verify_at(&au_trust(), &uto(), NOW);
    assert!(
        v.message.contains("National CSCA of Friesland"),
        "{}",
        v.message
    );
}

#[test]
fn a_pinned_signer_certificate_is_trusted_directly() {
    let uto = uto();
    let mut store = TrustStore::new();
    let der = unb64(uto["sig"]["cer"].as_str().unwrap());
    store.add_anchor(&der, "pinned UTO signer").unwrap();
    let v = verify_at(&store, &uto, NOW);
    assert_valid(&v);
    assert_eq!(v.issuer.as_deref(), Some("UTO"));
    let fields = &v.document.as_ref().unwrap().fields;
    assert_eq!(
        fields["signer"]["trustedAuthority"],
        json!("CN=DSC number worker of Friesland, C=FR")
    );
    assert_eq!(fields["issuingState"], json!("UTO"));
    assert_eq!(
        fields["vaccinations"][0]["doses"][0]["nextDoseDue"],
        json!("2021-03-24")
    );
    assert_eq!(
        fields["vaccinations"][0]["doses"].as_array().map(Vec::len),
        Some(2)
    );
    // The pinned certificate's validity still applies: it ends on 2026-03-12.
    assert_code(
        &verify_at(&store, &uto, 1_773_400_000),
        ErrorCode::KeyExpired,
    );
    // Pinning one certificate trusts no other: the AU seal still does not chain.
    assert_code(&verify_at(&store, &aus(), NOW), ErrorCode::ChainInvalid);
}

#[cfg(feature = "rsa")]
#[test]
fn the_clock_is_checked_against_both_certificates() {
    // The AU signer is valid from 2021-08-31T14:00:00Z to 2031-09-30T13:59:59Z.
    assert_code(
        &verify_at(&au_trust(), &aus(), 1_630_000_000),
        ErrorCode::KeyNotYetValid,
    );
    assert_valid(&verify_at(&au_trust(), &aus(), 1_630_418_400));
    assert_valid(&verify_at(&au_trust(), &aus(), 1_948_543_199));
    assert_code(
        &verify_at(&au_trust(), &aus(), 1_948_543_200),
        ErrorCode::KeyExpired,
    );
    // After the CSCA itself expires (2036-05-05) the chain fails first.
    assert_code(
        &verify_at(&au_trust(), &aus(), 2_100_000_000),
        ErrorCode::ChainInvalid,
    );
}

#[cfg(feature = "rsa")]
#[test]
fn canonical_json_makes_layout_irrelevant() {
    // Key order, whitespace and number spelling are not signed: the canonical form is.
    let seal = aus();
    let data = &seal["data"];
    let reordered = format!(
        "{{ \"sig\" : {},\n  \"data\": {{\"msg\": {}, \"hdr\": {{\"v\": 1.0, \"t\": \"icao.vacc\", \"is\": \"AUS\"}}}} }}",
        seal["sig"], data["msg"]
    );
    let v = Verifier::new(au_trust(), Policy::default()).verify(&reordered, NOW);
    assert_valid(&v);
    // Escaped characters are the same string.
    let escaped = seal
        .to_string()
        .replace("\"CITIZEN  JANE SUE\"", "\"\\u0043ITIZEN  JANE SUE\"");
    assert_valid(&Verifier::new(au_trust(), Policy::default()).verify(&escaped, NOW));
}

#[cfg(feature = "rsa")]
#[test]
fn changed_data_fails_the_signature() {
    for (pointer, value) in [
        ("/data/msg/pid/dob", json!("1971-05-15")),
        ("/data/msg/pid/n", json!("CITIZEN JANE SUE")),
        ("/data/msg/ve/0/vd/0/seq", json!(2)),
        ("/data/hdr/t", json!("icao.test")),
        ("/data/msg/extra", json!(true)),
    ] {
        let mut seal = aus();
        let (parent, name) = pointer.rsplit_once('/').unwrap();
        seal.pointer_mut(parent).unwrap()[name] = value;
        assert_code(
            &verify_at(&au_trust(), &seal, NOW),
            ErrorCode::SignatureInvalid,
        );
    }
}

#[cfg(feature = "rsa")]
#[test]
fn signature_value_mutations() {
    let sigvl = unb64(aus()["sig"]["sigvl"].as_str().unwrap());
    let with_sigvl = |text: String| {
        let mut seal = aus();
        seal["sig"]["sigvl"] = Value::String(text);
        verify_at(&au_trust(), &seal, NOW)
    };
    // Every flipped byte.
    for i in 0..64 {
        let mut s = sigvl.clone();
        s[i] ^= 0x10;
        assert_code(&with_sigvl(b64(&s)), ErrorCode::SignatureInvalid);
    }
    // Without padding it is the same value.
    assert_valid(&with_sigvl(b64(&sigvl)));
    assert_code(
        &with_sigvl(b64(&sigvl[..63])),
        ErrorCode::SignatureMalformed,
    );
    assert_code(
        &with_sigvl(b64(&[sigvl.clone(), vec![0]].concat())),
        ErrorCode::SignatureMalformed,
    );
    assert_code(
        &with_sigvl(format!("{}=", b64(&sigvl))),
        ErrorCode::Base64Invalid,
    );
    assert_code(
        &with_sigvl(b64(&sigvl).replace('-', "+")),
        ErrorCode::Base64Invalid,
    );
    // DER is refused where r‖s is specified.
    let der = {
        let int = |x: &[u8]| {
            let mut v: Vec<u8> = x.iter().copied().skip_while(|b| *b == 0).collect();
            if v[0] & 0x80 != 0 {
                v.insert(0, 0);
            }
            [vec![0x02, u8::try_from(v.len()).unwrap()], v].concat()
        };
        let body = [int(&sigvl[..32]), int(&sigvl[32..])].concat();
        [vec![0x30, u8::try_from(body.len()).unwrap()], body].concat()
    };
    assert_code(&with_sigvl(b64(&der)), ErrorCode::SignatureMalformed);
    // High-S: (r, n - s) is valid. ES256 does not require low-S.
    const N: [u8; 32] = [
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63,
        0x25, 0x51,
    ];
    let mut twin = sigvl.clone();
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let d = i16::from(N[i]) - i16::from(sigvl[32 + i]) - borrow;
        borrow = i16::from(d < 0);
        twin[32 + i] = u8::try_from(d.rem_euclid(256)).unwrap();
    }
    assert_valid(&with_sigvl(b64(&twin)));
}

#[test]
fn certificate_mutations() {
    let seal = aus();
    let der = unb64(seal["sig"]["cer"].as_str().unwrap());
    let with_cer = |text: String| {
        let mut s = aus();
        s["sig"]["cer"] = Value::String(text);
        verify_at(&au_trust(), &s, NOW)
    };
    assert_code(
        &with_cer(b64(&der[..der.len() - 1])),
        ErrorCode::CertificateInvalid,
    );
    assert_code(&with_cer(b64(&der[..100])), ErrorCode::CertificateInvalid);
    assert_code(
        &with_cer(b64(b"not a certificate")),
        ErrorCode::CertificateInvalid,
    );
    assert_code(&with_cer("A".repeat(6000)), ErrorCode::CertificateInvalid);
    assert_code(&with_cer("MIIB$".into()), ErrorCode::Base64Invalid);
    // The country signing CA itself as the signer: its key is RSA, which ES256 cannot use.
    let csca = vneid_verify::Certificate::all_from_pem(&common::read_vector(AU_CSCA))
        .unwrap()
        .remove(0);
    assert_code(&with_cer(b64(&csca.der)), ErrorCode::UnsupportedKey);
    // The UTO signer in the AU seal: it names another issuer.
    assert_code(
        &with_cer(uto()["sig"]["cer"].as_str().unwrap().to_owned()),
        ErrorCode::ChainInvalid,
    );
}

#[cfg(feature = "rsa")]
#[test]
fn a_flipped_bit_in_the_signer_certificate_breaks_the_chain() {
    let der = unb64(aus()["sig"]["cer"].as_str().unwrap());
    // The last 512 bytes are the CSCA's RSA signature over the certificate.
    for i in (der.len() - 512..der.len()).step_by(37) {
        let mut bad = der.clone();
        bad[i] ^= 0x01;
        let mut seal = aus();
        seal["sig"]["cer"] = Value::String(b64(&bad));
        assert_code(&verify_at(&au_trust(), &seal, NOW), ErrorCode::ChainInvalid);
    }
}

#[test]
fn seal_structure_errors() {
    let base = aus();
    let cases: Vec<(Value, ErrorCode)> = vec![
        (
            json!({"data": base["data"], "sig": base["sig"], "note": "x"}),
            ErrorCode::SchemaInvalid,
        ),
        (
            json!({"data": base["data"], "sig": {"alg": "ES256", "sigvl": base["sig"]["sigvl"], "cer": base["sig"]["cer"], "x5c": []}}),
            ErrorCode::SchemaInvalid,
        ),
        (
            json!({"data": base["data"], "sig": {"alg": "ES384", "sigvl": base["sig"]["sigvl"], "cer": base["sig"]["cer"]}}),
            ErrorCode::AlgNotAllowed,
        ),
        (
            json!({"data": base["data"], "sig": {"alg": "none", "sigvl": "", "cer": base["sig"]["cer"]}}),
            ErrorCode::AlgNotAllowed,
        ),
        (
            json!({"data": base["data"], "sig": {"alg": "ES256", "sigvl": base["sig"]["sigvl"]}}),
            ErrorCode::SchemaInvalid,
        ),
        (
            json!({"data": base["data"], "sig": {"alg": "ES256", "cer": base["sig"]["cer"]}}),
            ErrorCode::SchemaInvalid,
        ),
        (
            json!({"data": base["data"], "sig": "x"}),
            ErrorCode::SchemaInvalid,
        ),
        (
            json!({"data": [], "sig": base["sig"]}),
            ErrorCode::SchemaInvalid,
        ),
        (
            json!({"data": {"msg": {}}, "sig": base["sig"]}),
            ErrorCode::SchemaInvalid,
        ),
        (
            json!({"data": {"hdr": base["data"]["hdr"]}, "sig": base["sig"]}),
            ErrorCode::SchemaInvalid,
        ),
    ];
    for (seal, code) in cases {
        assert_code(&verify_at(&au_trust(), &seal, NOW), code);
    }
    for (member, value) in [
        ("v", json!(2)),
        ("v", json!("1")),
        ("is", json!("AU")),
        ("is", json!("aus")),
        ("t", json!("")),
        ("t", json!(7)),
    ] {
        let mut seal = aus();
        seal["data"]["hdr"][member] = value;
        assert_code(
            &verify_at(&au_trust(), &seal, NOW),
            ErrorCode::SchemaInvalid,
        );
    }
    // Duplicate members make the JSON invalid, and the verifier says so (not `unknown_format`:
    // the payload is JSON, only not strict JSON).
    let text = aus()
        .to_string()
        .replacen("\"sig\":", "\"sig\":{},\"sig\":", 1);
    let v = verify_at_text(&text);
    assert_eq!(v.code, Some(ErrorCode::JsonInvalid));
    assert!(v.message.contains("duplicate member"), "{}", v.message);
    assert_eq!(
        Verifier::new(au_trust(), Policy::default())
            .verify_as(Format::VdsNc, &text, NOW)
            .code,
        Some(ErrorCode::JsonInvalid)
    );
}

fn verify_at_text(text: &str) -> Verdict {
    Verifier::new(au_trust(), Policy::default()).verify(text, NOW)
}

// ---- A test PKI: every chain rule --------------------------------------------------------------

#[cfg(feature = "issuer")]
mod pki {
    use super::*;
    use base64::Engine as _;
    use vneid_verify::issuer::IssuerKey;

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let len = content.len();
        let mut out = vec![tag];
        if len < 0x80 {
            out.push(u8::try_from(len).unwrap());
        } else if len < 0x100 {
            out.extend([0x81, u8::try_from(len).unwrap()]);
        } else {
            out.extend([
                0x82,
                u8::try_from(len >> 8).unwrap(),
                u8::try_from(len & 0xff).unwrap(),
            ]);
        }
        out.extend_from_slice(content);
        out
    }

    fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
        tlv(0x30, &parts.concat())
    }

    fn oid(dotted: &str) -> Vec<u8> {
        let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().unwrap()).collect();
        let mut body = vec![u8::try_from(arcs[0] * 40 + arcs[1]).unwrap()];
        for &arc in &arcs[2..] {
            let mut chunk = vec![u8::try_from(arc & 0x7f).unwrap()];
            let mut rest = arc >> 7;
            while rest > 0 {
                chunk.insert(0, u8::try_from(rest & 0x7f).unwrap() | 0x80);
                rest >>= 7;
            }
            body.extend(chunk);
        }
        tlv(0x06, &body)
    }

    fn name(cn: &str) -> Vec<u8> {
        seq(&[
            tlv(0x31, &seq(&[oid("2.5.4.6"), tlv(0x13, b"VN")])),
            tlv(0x31, &seq(&[oid("2.5.4.3"), tlv(0x0c, cn.as_bytes())])),
        ])
    }

    fn utc(unix: i64) -> Vec<u8> {
        let t = vneid_verify::time::format_rfc3339(unix);
        // 2023-11-14T22:13:20Z → 231114221320Z
        let digits: String = t.chars().filter(char::is_ascii_digit).collect();
        tlv(0x17, format!("{}Z", &digits[2..]).as_bytes())
    }

    fn spki(key: &IssuerKey) -> Vec<u8> {
        let jwk = key.public_jwk();
        let point = [
            vec![4],
            unb64(jwk["x"].as_str().unwrap()),
            unb64(jwk["y"].as_str().unwrap()),
        ]
        .concat();
        seq(&[
            seq(&[oid("1.2.840.10045.2.1"), oid("1.2.840.10045.3.1.7")]),
            tlv(0x03, &[vec![0], point].concat()),
        ])
    }

    fn extension(id: &str, critical: bool, value: Vec<u8>) -> Vec<u8> {
        let mut parts = vec![oid(id)];
        if critical {
            parts.push(tlv(0x01, &[0xff]));
        }
        parts.push(tlv(0x04, &value));
        seq(&parts)
    }

    fn der_signature(raw: &[u8; 64]) -> Vec<u8> {
        let int = |x: &[u8]| {
            let mut v: Vec<u8> = x.iter().copied().skip_while(|b| *b == 0).collect();
            if v.first().is_none_or(|b| b & 0x80 != 0) {
                v.insert(0, 0);
            }
            tlv(0x02, &v)
        };
        seq(&[int(&raw[..32]), int(&raw[32..])])
    }

    /// What a test certificate says.
    struct Spec<'a> {
        subject: &'a str,
        issuer: &'a str,
        key: &'a IssuerKey,
        signed_by: &'a IssuerKey,
        valid: (i64, i64),
        extensions: Vec<Vec<u8>>,
    }

    fn certificate(spec: &Spec<'_>) -> Vec<u8> {
        let alg = seq(&[oid("1.2.840.10045.4.3.2")]);
        let mut tbs_parts = vec![
            tlv(0xa0, &tlv(0x02, &[2])),
            tlv(0x02, &[0x01, 0x23]),
            alg.clone(),
            name(spec.issuer),
            seq(&[utc(spec.valid.0), utc(spec.valid.1)]),
            name(spec.subject),
            spki(spec.key),
        ];
        if !spec.extensions.is_empty() {
            tbs_parts.push(tlv(0xa3, &seq(&spec.extensions)));
        }
        let tbs = seq(&tbs_parts);
        let signature = der_signature(&spec.signed_by.sign(&tbs));
        seq(&[tbs, alg, tlv(0x03, &[vec![0], signature].concat())])
    }

    fn ca_extensions(key_usage: u8) -> Vec<Vec<u8>> {
        vec![
            extension("2.5.29.19", true, seq(&[tlv(0x01, &[0xff])])),
            extension("2.5.29.15", true, tlv(0x03, &[0x01, key_usage])),
        ]
    }

    fn signer_extensions(eku: &str) -> Vec<Vec<u8>> {
        vec![
            extension("2.5.29.15", true, tlv(0x03, &[0x07, 0x80])),
            extension("2.5.29.37", false, seq(&[oid(eku)])),
        ]
    }

    fn key(n: u8) -> IssuerKey {
        IssuerKey::from_secret_bytes("k", &[n; 32]).unwrap()
    }

    const YEAR: i64 = 365 * 86_400;
    const CSCA_VALID: (i64, i64) = (NOW - 5 * YEAR, NOW + 10 * YEAR);
    const SIGNER_VALID: (i64, i64) = (NOW - YEAR, NOW + YEAR);

    fn csca(extensions: Vec<Vec<u8>>, valid: (i64, i64)) -> Vec<u8> {
        certificate(&Spec {
            subject: "Test CSCA",
            issuer: "Test CSCA",
            key: &key(1),
            signed_by: &key(1),
            valid,
            extensions,
        })
    }

    fn signer(extensions: Vec<Vec<u8>>) -> Vec<u8> {
        certificate(&Spec {
            subject: "Test barcode signer",
            issuer: "Test CSCA",
            key: &key(2),
            signed_by: &key(1),
            valid: SIGNER_VALID,
            extensions,
        })
    }

    fn seal(cer: &[u8], signing_key: &IssuerKey) -> Value {
        let data = json!({"hdr": {"t": "icao.test", "v": 1, "is": "VNM"},
            "msg": {"utci": "VN-1", "pid": {"n": "NGUYEN VAN AN", "dob": "1999-03-15"}, "tr": {"tc": "molecular(PCR)", "r": "negative"}}});
        let signature =
            signing_key.sign(vneid_verify::issuer::encode::canonical_json(&data).as_bytes());
        json!({"data": data, "sig": {"alg": "ES256", "sigvl": b64(&signature), "cer": b64(cer)}})
    }

    fn seal_with(data: Value, cer: &[u8], signing_key: &IssuerKey) -> Value {
        let signature =
            signing_key.sign(vneid_verify::issuer::encode::canonical_json(&data).as_bytes());
        json!({"data": data, "sig": {"alg": "ES256", "sigvl": b64(&signature), "cer": b64(cer)}})
    }

    #[test]
    fn the_issuing_state_is_the_issuer_for_policy_and_revocation_alike() {
        // One identity: `issuer: "VNM"` accepts a seal of VNM, and refuses it otherwise.
        let authority = csca(ca_extensions(0x06), CSCA_VALID);
        let cer = signer(signer_extensions("2.23.136.1.1.14.2"));
        let sealed = seal(&cer, &key(2));
        let with_issuer = |issuer: &str| {
            Verifier::new(
                trusting(std::slice::from_ref(&authority)),
                Policy {
                    issuer: Some(issuer.into()),
                    ..Policy::default()
                },
            )
            .verify(&sealed.to_string(), NOW)
        };
        assert_valid(&with_issuer("VNM"));
        assert_eq!(
            with_issuer("CN=Test CSCA, C=VN").code,
            Some(ErrorCode::IssuerMismatch)
        );
    }

    #[test]
    fn an_anchor_is_trusted_for_its_formats_and_issuing_state() {
        let authority = csca(ca_extensions(0x06), CSCA_VALID);
        let sealed = seal(&signer(signer_extensions("2.23.136.1.1.14.2")), &key(2));
        let pem = |der: &[u8]| {
            format!(
                "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
                base64::engine::general_purpose::STANDARD.encode(der)
            )
        };
        let with_anchor = |anchor: Value| {
            let store = TrustStore::from_json(&json!({"anchors": [anchor]}).to_string()).unwrap();
            verify_at(&store, &sealed, NOW)
        };
        // A plain certificate, or an object naming this format and state: trusted.
        assert_valid(&with_anchor(json!(pem(&authority))));
        assert_valid(&with_anchor(
            json!({"certificate": pem(&authority), "formats": ["vds_nc"], "issuer": "VNM"}),
        ));
        // Trusted for another state's seals, or for another format only: not for this seal.
        for anchor in [
            json!({"certificate": pem(&authority), "issuer": "AUS"}),
            json!({"certificate": pem(&authority), "formats": ["eu_dcc"]}),
        ] {
            assert_code(&with_anchor(anchor), ErrorCode::KeyNotAuthorized);
        }
        // The same through the Rust API.
        let mut store = TrustStore::new();
        store
            .add_anchor_for(&authority, Some(&[Format::VdsNc]), Some("AUS"), "AUS only")
            .unwrap();
        assert_code(
            &verify_at(&store, &sealed, NOW),
            ErrorCode::KeyNotAuthorized,
        );
        assert_eq!(store.anchors()[0].issuer.as_deref(), Some("AUS"));
        // A misspelt member or an unknown format is refused, not ignored.
        for bad in [
            json!({"certificate": pem(&authority), "format": ["vds_nc"]}),
            json!({"certificate": pem(&authority), "formats": ["vds"]}),
            json!({"formats": ["vds_nc"]}),
        ] {
            let error = TrustStore::from_json(&json!({"anchors": [bad]}).to_string()).unwrap_err();
            assert_eq!(error.code(), ErrorCode::TrustInvalid, "{bad}");
        }
    }

    #[test]
    fn a_seal_is_revoked_by_issuing_state_and_uvci() {
        let authority = csca(ca_extensions(0x06), CSCA_VALID);
        let cer = signer(signer_extensions("2.23.136.1.1.14.2"));
        let data = json!({"hdr": {"t": "icao.vacc", "v": 1, "is": "VNM"},
            "msg": {"uvci": "VN-UVCI-1", "pid": {"n": "NGUYEN VAN AN", "dob": "1999-03-15"}, "ve": []}});
        let sealed = seal_with(data, &cer, &key(2));
        let mut store = trusting(std::slice::from_ref(&authority));
        assert_valid(&verify_at(&store, &sealed, NOW));
        store.revoke("VNM", "VN-UVCI-1");
        assert_code(&verify_at(&store, &sealed, NOW), ErrorCode::Revoked);
        // Another state's list does not revoke it.
        let mut other = trusting(&[authority]);
        other.revoke("AUS", "VN-UVCI-1");
        assert_valid(&verify_at(&other, &sealed, NOW));
    }

    #[test]
    fn numbers_a_double_cannot_hold_exactly_are_refused_in_every_form() {
        // RFC 8785 writes numbers as doubles: from 2^53 on, neighbouring integers share one
        // double, so a seal signed over one could be shown with another without breaking the
        // signature. Whatever the number's text (a fraction, an exponent, more than 64 bits),
        // a seal whose text is not what was signed must not verify.
        let authority = csca(ca_extensions(0x06), CSCA_VALID);
        let cer = signer(signer_extensions("2.23.136.1.1.14.2"));
        let store = trusting(std::slice::from_ref(&authority));
        let below = json!({"hdr": {"t": "icao.test", "v": 1, "is": "VNM"}, "msg": {"n": 9_007_199_254_740_991_u64, "f": 0.5}});
        assert_valid(&verify_at(&store, &seal_with(below, &cer, &key(2)), NOW));
        for shown in [
            "9007199254740993",
            "9007199254740993.0",
            "9007199254740992.5",
            "9.007199254740993e15",
            "90071992547409930E-1",
            "-9007199254740993.0",
            "18446744073709551617",
            "-18446744073709551617",
            "123456789012345678901234567890",
            "1e300",
        ] {
            // The seal as signed holds the double the text rounds to; the seal shown holds the
            // text.
            let value: Value = serde_json::from_str(shown).unwrap();
            let signed =
                json!({"hdr": {"t": "icao.test", "v": 1, "is": "VNM"}, "msg": {"n": [1, value]}});
            let signature =
                key(2).sign(vneid_verify::issuer::encode::canonical_json(&signed).as_bytes());
            let text = json!({"data": {"hdr": {"t": "icao.test", "v": 1, "is": "VNM"}, "msg": {"n": [1, 424_242]}},
                "sig": {"alg": "ES256", "sigvl": b64(&signature), "cer": b64(&cer)}})
            .to_string()
            .replace("424242", shown);
            let v = Verifier::new(store.clone(), Policy::default()).verify(&text, NOW);
            assert_code(&v, ErrorCode::SchemaInvalid);
            assert!(
                v.message.contains("data.msg.n[1]"),
                "{shown}: {}",
                v.message
            );
        }
    }

    fn trusting(anchors: &[Vec<u8>]) -> TrustStore {
        let mut store = TrustStore::new();
        for (i, a) in anchors.iter().enumerate() {
            store.add_anchor(a, &format!("anchor {i}")).unwrap();
        }
        store
    }

    fn check(anchors: &[Vec<u8>], cer: &[u8]) -> Verdict {
        verify_at(&trusting(anchors), &seal(cer, &key(2)), NOW)
    }

    #[test]
    fn a_well_formed_chain_verifies() {
        let good_csca = csca(ca_extensions(0x06), CSCA_VALID);
        let good_signer = signer(signer_extensions("2.23.136.1.1.14.2"));
        let v = check(std::slice::from_ref(&good_csca), &good_signer);
        assert_valid(&v);
        assert_eq!(v.issuer.as_deref(), Some("VNM"));
        assert_eq!(
            v.document.as_ref().unwrap().fields["signer"]["trustedAuthority"],
            json!("CN=Test CSCA, C=VN")
        );
        assert_eq!(v.kid.as_deref(), Some("0123"));
        let fields = &v.document.as_ref().unwrap().fields;
        assert_eq!(fields["type"], json!("icao.test"));
        assert_eq!(fields["person"]["name"], json!("NGUYEN VAN AN"));
        assert!(fields.get("vaccinations").is_none());
        // A signer without extensions (as in the UTO example) is accepted.
        assert_valid(&check(std::slice::from_ref(&good_csca), &signer(vec![])));
        // Of two anchors with the same name, the one whose key verifies is used.
        let impostor = certificate(&Spec {
            subject: "Test CSCA",
            issuer: "Test CSCA",
            key: &key(9),
            signed_by: &key(9),
            valid: CSCA_VALID,
            extensions: ca_extensions(0x06),
        });
        assert_valid(&check(&[impostor.clone(), good_csca], &good_signer));
        assert_code(&check(&[impostor], &good_signer), ErrorCode::ChainInvalid);
    }

    #[test]
    fn the_authority_must_be_a_valid_ca() {
        let good_signer = signer(signer_extensions("2.23.136.1.1.14.2"));
        // No basicConstraints cA.
        let not_ca = csca(
            vec![extension("2.5.29.15", true, tlv(0x03, &[0x01, 0x06]))],
            CSCA_VALID,
        );
        assert_code(&check(&[not_ca], &good_signer), ErrorCode::ChainInvalid);
        // keyUsage without keyCertSign.
        assert_code(
            &check(&[csca(ca_extensions(0x80), CSCA_VALID)], &good_signer),
            ErrorCode::ChainInvalid,
        );
        // Expired, and not yet valid.
        let old = csca(ca_extensions(0x06), (NOW - 10 * YEAR, NOW - YEAR));
        assert_code(&check(&[old], &good_signer), ErrorCode::ChainInvalid);
        let future = csca(ca_extensions(0x06), (NOW + YEAR, NOW + 10 * YEAR));
        assert_code(&check(&[future], &good_signer), ErrorCode::ChainInvalid);
    }

    #[test]
    fn the_signer_must_be_authorised_and_in_date() {
        let anchors = [csca(ca_extensions(0x06), CSCA_VALID)];
        // An extended key usage without the VDS-NC signer (here: TLS client authentication).
        assert_code(
            &check(&anchors, &signer(signer_extensions("1.3.6.1.5.5.7.3.2"))),
            ErrorCode::KeyNotAuthorized,
        );
        // keyUsage without digitalSignature.
        let cert_sign_only = signer(vec![extension("2.5.29.15", true, tlv(0x03, &[0x02, 0x04]))]);
        assert_code(
            &check(&anchors, &cert_sign_only),
            ErrorCode::KeyNotAuthorized,
        );
        // A critical extension nobody understands.
        let unknown_critical = signer(vec![extension("1.2.3.4", true, tlv(0x05, &[]))]);
        assert_code(
            &check(&anchors, &unknown_critical),
            ErrorCode::CertificateInvalid,
        );
        // Out of date.
        let expired = certificate(&Spec {
            subject: "Test barcode signer",
            issuer: "Test CSCA",
            key: &key(2),
            signed_by: &key(1),
            valid: (NOW - 2 * YEAR, NOW - YEAR),
            extensions: vec![],
        });
        assert_code(&check(&anchors, &expired), ErrorCode::KeyExpired);
        // Signed by a key other than the CSCA's, under the CSCA's name.
        let forged = certificate(&Spec {
            subject: "Test barcode signer",
            issuer: "Test CSCA",
            key: &key(2),
            signed_by: &key(3),
            valid: SIGNER_VALID,
            extensions: vec![],
        });
        assert_code(&check(&anchors, &forged), ErrorCode::ChainInvalid);
        // A seal signed with a key other than the certificate's.
        let v = verify_at(&trusting(&anchors), &seal(&signer(vec![]), &key(3)), NOW);
        assert_code(&v, ErrorCode::SignatureInvalid);
    }
}
