//! Signed trust bundles: each TUF threat as its own case (tampering, unknown signer, threshold,
//! rollback, freeze, a bundle from the future, root rotation), the persisted state, and the
//! envelope's strictness. `docs/trust.md` specifies the format.
#![cfg(feature = "issuer")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion

use serde_json::{json, Value};
use vneid_verify::issuer::{sign_trust_bundle, IssuerKey};
use vneid_verify::{ErrorCode, Policy, RootSet, StatusReference, TrustState, TrustStore, Verifier};

/// The signed bundle check under test: `TrustStore::from_signed_bundle`.
mod signed {
    pub use vneid_verify::TrustStore;
    pub const TYP: &str = "vneid-trust+json";
    /// docs/trust.md: 64 MiB.
    pub const MAX_BUNDLE_LEN: usize = 64 << 20;
    pub fn verify(
        bytes: &[u8],
        roots: &vneid_verify::RootSet,
        state: Option<&vneid_verify::TrustState>,
        now: i64,
        tolerance: u64,
    ) -> Result<vneid_verify::Accepted, vneid_verify::Error> {
        TrustStore::from_signed_bundle(bytes, roots, state, now, tolerance)
    }
}

mod base64url {
    use base64::Engine as _;
    pub fn encode(bytes: &[u8]) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }
    pub fn decode(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text)
    }
}

const NOW: i64 = 1_790_000_000;
const DAY: i64 = 86_400;
const ISS: &str = "https://id.vneid.test";

fn key(kid: &str, seed: u8) -> IssuerKey {
    IssuerKey::from_secret_bytes(kid, &[seed; 32]).unwrap()
}

fn roots(keys: &[&IssuerKey], threshold: usize) -> RootSet {
    let set = json!({"keys": keys.iter().map(|k| k.public_jwk()).collect::<Vec<_>>(), "threshold": threshold});
    RootSet::from_json(&set.to_string(), "roots").unwrap()
}

/// A bundle payload: one issuer with one key, and the envelope members.
fn payload(version: u64, issued: i64, expires: i64, extra: &Value) -> Value {
    let issuer = key("issuer-1", 9);
    let mut bundle = json!({
        "version": version, "issued": issued, "expires": expires,
        "issuers": [{"iss": ISS, "name": "Test issuer", "keys": [issuer.public_jwk()]}],
    });
    for (k, v) in extra.as_object().unwrap() {
        bundle[k] = v.clone();
    }
    bundle
}

fn sign(payload: &Value, keys: &[&IssuerKey]) -> String {
    sign_trust_bundle(payload.to_string().as_bytes(), keys)
}

fn code<T>(r: Result<T, vneid_verify::Error>) -> Option<ErrorCode> {
    r.err().map(|e| e.code())
}

fn token(issued: i64, extra: &Value) -> String {
    let mut claims = json!({"iss": ISS, "sub": "user", "iat": issued, "exp": issued + 365 * DAY});
    for (k, v) in extra.as_object().unwrap() {
        claims[k] = v.clone();
    }
    key("issuer-1", 9).sign_token(claims.as_object().unwrap())
}

#[test]
fn a_bundle_signed_by_the_root_loads_with_its_version_and_dates() {
    let root = key("root-1", 1);
    let signed = sign(&payload(3, NOW - DAY, NOW + 30 * DAY, &json!({})), &[&root]);
    let accepted = signed::verify(signed.as_bytes(), &roots(&[&root], 1), None, NOW, 60).unwrap();
    let info = accepted.store.bundle().unwrap();
    assert_eq!(
        (info.version, info.issued, info.expires),
        (3, NOW - DAY, NOW + 30 * DAY)
    );
    assert_eq!(info.signers, ["root-1"]);
    assert!(!info.rotated);
    assert_eq!(accepted.state.version, 3);
    assert_eq!(accepted.state.roots, Some(roots(&[&root], 1)));
    let verifier = Verifier::new(accepted.store, Policy::default());
    let verdict = verifier.verify(&token(NOW - 10, &json!({})), NOW);
    assert!(verdict.valid, "{verdict:?}");
}

#[test]
fn tampering_is_refused() {
    let root = key("root-1", 1);
    let signed: Value =
        serde_json::from_str(&sign(&payload(1, NOW, NOW + DAY, &json!({})), &[&root])).unwrap();
    // A key added to the payload after signing (an attacker's own issuer key).
    let attacker = key("attacker", 7);
    let mut forged = payload(1, NOW, NOW + DAY, &json!({}));
    forged["issuers"][0]["keys"]
        .as_array_mut()
        .unwrap()
        .push(attacker.public_jwk());
    let mut tampered = signed.clone();
    tampered["payload"] = base64url::encode(forged.to_string().as_bytes()).into();
    let pinned = roots(&[&root], 1);
    assert_eq!(
        code(signed::verify(
            tampered.to_string().as_bytes(),
            &pinned,
            None,
            NOW,
            60
        )),
        Some(ErrorCode::TrustSignatureInvalid)
    );
    // A flipped bit in the signature.
    let mut flipped = signed.clone();
    let mut sig =
        base64url::decode(flipped["signatures"][0]["signature"].as_str().unwrap()).unwrap();
    sig[10] ^= 1;
    flipped["signatures"][0]["signature"] = base64url::encode(&sig).into();
    assert_eq!(
        code(signed::verify(
            flipped.to_string().as_bytes(),
            &pinned,
            None,
            NOW,
            60
        )),
        Some(ErrorCode::TrustSignatureInvalid)
    );
    // Mix-and-match: this bundle's signature on another bundle's payload.
    let other = sign(&payload(2, NOW, NOW + DAY, &json!({})), &[&root]);
    let mut mixed = signed.clone();
    mixed["payload"] = serde_json::from_str::<Value>(&other).unwrap()["payload"].clone();
    assert_eq!(
        code(signed::verify(
            mixed.to_string().as_bytes(),
            &pinned,
            None,
            NOW,
            60
        )),
        Some(ErrorCode::TrustSignatureInvalid)
    );
    // The genuine one still verifies.
    assert!(signed::verify(signed.to_string().as_bytes(), &pinned, None, NOW, 60).is_ok());
}

#[test]
fn an_unknown_signer_is_refused() {
    let root = key("root-1", 1);
    let attacker = key("attacker-root", 7);
    let bundle = payload(1, NOW, NOW + DAY, &json!({}));
    assert_eq!(
        code(signed::verify(
            sign(&bundle, &[&attacker]).as_bytes(),
            &roots(&[&root], 1),
            None,
            NOW,
            60
        )),
        Some(ErrorCode::TrustUnknownSigner)
    );
    // The attacker's key under the root's kid: a signature by "root-1" that does not verify.
    let impostor = key("root-1", 7);
    assert_eq!(
        code(signed::verify(
            sign(&bundle, &[&impostor]).as_bytes(),
            &roots(&[&root], 1),
            None,
            NOW,
            60
        )),
        Some(ErrorCode::TrustSignatureInvalid)
    );
}

#[test]
fn fewer_distinct_root_signatures_than_the_threshold_are_refused() {
    let (a, b, c) = (key("root-a", 1), key("root-b", 2), key("root-c", 3));
    let pinned = roots(&[&a, &b, &c], 2);
    let bundle = payload(1, NOW, NOW + DAY, &json!({}));
    let verify = |keys: &[&IssuerKey]| {
        signed::verify(sign(&bundle, keys).as_bytes(), &pinned, None, NOW, 60)
    };
    assert_eq!(code(verify(&[&a])), Some(ErrorCode::TrustThresholdNotMet));
    // The same root twice is one signer.
    assert_eq!(
        code(verify(&[&a, &a])),
        Some(ErrorCode::TrustThresholdNotMet)
    );
    // A non-root signature does not count.
    assert_eq!(
        code(verify(&[&a, &key("other", 8)])),
        Some(ErrorCode::TrustThresholdNotMet)
    );
    let two = verify(&[&c, &a]).unwrap();
    assert_eq!(two.store.bundle().unwrap().signers, ["root-c", "root-a"]);
    assert!(verify(&[&a, &b, &c]).is_ok());
    // A root set cannot list one key twice (it would count twice).
    let twice = json!({"keys": [a.public_jwk(), key("root-a2", 1).public_jwk()], "threshold": 2});
    assert_eq!(
        code(RootSet::from_json(&twice.to_string(), "roots")),
        Some(ErrorCode::TrustInvalid)
    );
    for bad in [0, 4] {
        let set =
            json!({"keys": [a.public_jwk(), b.public_jwk(), c.public_jwk()], "threshold": bad});
        assert_eq!(
            code(RootSet::from_json(&set.to_string(), "roots")),
            Some(ErrorCode::TrustInvalid),
            "threshold {bad}"
        );
    }
}

#[test]
fn a_version_below_the_highest_accepted_is_a_rollback() {
    let root = key("root-1", 1);
    let pinned = roots(&[&root], 1);
    let state = TrustState {
        version: 5,
        roots: None,
    };
    let at = |version| {
        signed::verify(
            sign(&payload(version, NOW, NOW + DAY, &json!({})), &[&root]).as_bytes(),
            &pinned,
            Some(&state),
            NOW,
            60,
        )
    };
    assert_eq!(code(at(4)), Some(ErrorCode::TrustRollback));
    assert_eq!(code(at(1)), Some(ErrorCode::TrustRollback));
    // The same version again (a restart) and a newer one load.
    assert_eq!(at(5).unwrap().state.version, 5);
    assert_eq!(at(6).unwrap().state.version, 6);
}

#[test]
fn past_expires_every_verdict_is_trust_expired() {
    let root = key("root-1", 1);
    let expires = NOW + DAY;
    let signed = sign(&payload(1, NOW - DAY, expires, &json!({})), &[&root]);
    let store = signed::verify(signed.as_bytes(), &roots(&[&root], 1), None, NOW, 60)
        .unwrap()
        .store;
    let verifier = Verifier::new(store, Policy::default());
    let good = token(NOW - 10, &json!({}));
    assert!(verifier.verify(&good, expires - 1).valid);
    for payload in [good.as_str(), "garbage", "", "HC1:xyz"] {
        let verdict = verifier.verify(payload, expires);
        assert_eq!(verdict.code, Some(ErrorCode::TrustExpired), "{payload}");
        assert!(verdict.claims.is_none() && verdict.issuer.is_none());
    }
    // An expired bundle still loads (it is authentic): the device says why nothing verifies.
    let late = signed::verify(
        signed.as_bytes(),
        &roots(&[&root], 1),
        None,
        expires + DAY,
        60,
    );
    assert!(late.is_ok());
}

#[test]
fn a_bundle_issued_in_the_devices_future_is_refused() {
    let root = key("root-1", 1);
    let pinned = roots(&[&root], 1);
    let at = |issued| {
        signed::verify(
            sign(&payload(1, issued, issued + DAY, &json!({})), &[&root]).as_bytes(),
            &pinned,
            None,
            NOW,
            60,
        )
    };
    assert_eq!(code(at(NOW + 61)), Some(ErrorCode::TrustIssuedInFuture));
    assert!(at(NOW + 60).is_ok());
}

#[test]
fn root_rotation() {
    let old = key("root-2025", 1);
    let (new_a, new_b) = (key("root-2026-a", 2), key("root-2026-b", 3));
    let pinned = roots(&[&old], 1);
    let next = roots(&[&new_a, &new_b], 2);
    // Bundle 2, signed by the current root, names the new root set.
    let rotation = sign(
        &payload(2, NOW, NOW + DAY, &json!({"roots": next.to_json()})),
        &[&old],
    );
    let accepted = signed::verify(rotation.as_bytes(), &pinned, None, NOW, 60).unwrap();
    assert!(accepted.store.bundle().unwrap().rotated);
    assert_eq!(accepted.state.roots.as_ref(), Some(&next));
    let state = TrustState::from_json(&accepted.state.to_json()).unwrap();
    assert_eq!(state, accepted.state);

    // Bundle 3, signed by the new roots only.
    let three = payload(3, NOW, NOW + DAY, &json!({}));
    let by_new = sign(&three, &[&new_a, &new_b]);
    let after = signed::verify(by_new.as_bytes(), &pinned, Some(&state), NOW, 60).unwrap();
    assert_eq!(after.state.version, 3);
    assert!(!after.store.bundle().unwrap().rotated);
    // ... and the new threshold applies.
    assert_eq!(
        code(signed::verify(
            sign(&three, &[&new_a]).as_bytes(),
            &pinned,
            Some(&state),
            NOW,
            60
        )),
        Some(ErrorCode::TrustThresholdNotMet)
    );
    // A device that never saw the rotation refuses bundles of the new roots.
    assert_eq!(
        code(signed::verify(by_new.as_bytes(), &pinned, None, NOW, 60)),
        Some(ErrorCode::TrustUnknownSigner)
    );
    // After the rotation the old root alone is no longer enough.
    assert_eq!(
        code(signed::verify(
            sign(&three, &[&old]).as_bytes(),
            &pinned,
            Some(&state),
            NOW,
            60
        )),
        Some(ErrorCode::TrustUnknownSigner)
    );
    // Signed by both sets during a transition, it loads on both kinds of device.
    let both = sign(&three, &[&old, &new_a, &new_b]);
    assert!(signed::verify(both.as_bytes(), &pinned, None, NOW, 60).is_ok());
    assert!(signed::verify(both.as_bytes(), &pinned, Some(&state), NOW, 60).is_ok());
}

#[test]
fn a_bad_trust_member_refuses_the_whole_bundle() {
    let root = key("root-1", 1);
    let mut bundle = payload(1, NOW, NOW + DAY, &json!({}));
    bundle["issuers"][0]["keys"][0]["d"] = "AAAA".into();
    let err = signed::verify(
        sign(&bundle, &[&root]).as_bytes(),
        &roots(&[&root], 1),
        None,
        NOW,
        60,
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::TrustInvalid);
    assert!(
        err.detail().unwrap().contains("issuers[0].keys[0]"),
        "{err}"
    );
    for (member, value) in [
        ("version", json!(0)),
        ("version", json!(1.5)),
        ("version", json!("2")),
        ("expires", json!(NOW - 10)),
        ("issued", json!(-1)),
        ("revoke", json!([])),
    ] {
        let mut bad = payload(1, NOW - 10, NOW + DAY, &json!({}));
        bad[member] = value.clone();
        assert_eq!(
            code(signed::verify(
                sign(&bad, &[&root]).as_bytes(),
                &roots(&[&root], 1),
                None,
                NOW,
                60
            )),
            Some(ErrorCode::TrustInvalid),
            "{member}: {value}"
        );
    }
}

#[test]
fn the_envelope_is_strict() {
    let root = key("root-1", 1);
    let pinned = roots(&[&root], 1);
    let signed: Value =
        serde_json::from_str(&sign(&payload(1, NOW, NOW + DAY, &json!({})), &[&root])).unwrap();
    let verify = |v: &Value| {
        code(signed::verify(
            v.to_string().as_bytes(),
            &pinned,
            None,
            NOW,
            60,
        ))
    };
    // An unsigned trust file where a signed one is required.
    assert_eq!(
        verify(&payload(1, NOW, NOW + DAY, &json!({}))),
        Some(ErrorCode::TrustUnsigned)
    );
    let mut unprotected = signed.clone();
    unprotected["signatures"][0]["header"] = json!({"kid": "root-1"});
    assert_eq!(verify(&unprotected), Some(ErrorCode::TrustInvalid));
    let mut extra = signed.clone();
    extra["x"] = 1.into();
    assert_eq!(verify(&extra), Some(ErrorCode::TrustInvalid));
    let mut none = signed.clone();
    none["signatures"] = json!([]);
    assert_eq!(verify(&none), Some(ErrorCode::TrustInvalid));
    for header in [
        json!({"alg": "none", "kid": "root-1", "typ": signed::TYP}),
        json!({"alg": "HS256", "kid": "root-1", "typ": signed::TYP}),
        json!({"alg": "ES256", "kid": "root-1"}),
        json!({"alg": "ES256", "kid": "root-1", "typ": "JWT"}),
        json!({"alg": "ES256", "typ": signed::TYP}),
        json!({"alg": "ES256", "kid": "root-1", "typ": signed::TYP, "crit": ["exp"]}),
        json!({"alg": "ES256", "kid": "root-1", "typ": signed::TYP, "jwk": root.public_jwk()}),
    ] {
        let mut bad = signed.clone();
        bad["signatures"][0]["protected"] = base64url::encode(header.to_string().as_bytes()).into();
        assert_eq!(verify(&bad), Some(ErrorCode::TrustInvalid), "{header}");
    }
    let many: Vec<Value> = (0..17).map(|_| signed["signatures"][0].clone()).collect();
    let mut too_many = signed.clone();
    too_many["signatures"] = Value::Array(many);
    assert_eq!(verify(&too_many), Some(ErrorCode::TrustInvalid));
    // DER where r||s is specified.
    let mut der = signed.clone();
    der["signatures"][0]["signature"] = base64url::encode(&[0x30; 70]).into();
    assert_eq!(verify(&der), Some(ErrorCode::TrustInvalid));
    // Not JSON at all; too large.
    assert_eq!(
        code(signed::verify(b"\xff\xfe", &pinned, None, NOW, 60)),
        Some(ErrorCode::TrustInvalid)
    );
    let huge = vec![b' '; signed::MAX_BUNDLE_LEN + 1];
    assert_eq!(
        code(signed::verify(&huge, &pinned, None, NOW, 60)),
        Some(ErrorCode::TrustInvalid)
    );
}

#[test]
fn a_corrupt_state_is_an_error_never_a_reset() {
    for bad in [
        "",
        "{",
        "[]",
        r#"{"version": -1}"#,
        r#"{"version": "3"}"#,
        r#"{"roots": {"keys": []}}"#,
        r#"{"version": 3, "roots": {"keys": []}}"#,
        r#"{"version": 3, "extra": 1}"#,
    ] {
        assert_eq!(
            code(TrustState::from_json(bad)),
            Some(ErrorCode::TrustStateInvalid),
            "{bad}"
        );
    }
    let state = TrustState::from_json(r#"{"version": 7}"#).unwrap();
    assert_eq!((state.version, state.roots), (7, None));
}

#[test]
fn a_plain_trust_file_loader_refuses_a_signed_bundle() {
    let root = key("root-1", 1);
    let signed = sign(&payload(1, NOW, NOW + DAY, &json!({})), &[&root]);
    let err = TrustStore::from_json(&signed).unwrap_err();
    assert_eq!(err.code(), ErrorCode::TrustInvalid);
    assert!(
        err.detail().unwrap().contains("signed trust bundle"),
        "{err}"
    );
}

// ---- Status lists and DCC revocation hashes carried in the bundle ------------------------------

const LIST: &str = "https://id.vneid.test/status/1";

/// A 2-bit list of `issuer-1`: entries 0 valid, 1 revoked, 2 suspended, 3 application-specific.
fn status_list(expires: i64) -> String {
    let claims = json!({"iss": ISS, "exp": expires, "ttl": 3600});
    vneid_verify::issuer::sign_status_list(
        &key("issuer-1", 9),
        LIST,
        2,
        &[0, 1, 2, 3],
        NOW - DAY,
        claims.as_object().unwrap(),
    )
    .unwrap()
}

fn store_with(extra: &Value) -> TrustStore {
    let root = key("root-1", 1);
    let signed = sign(&payload(1, NOW - DAY, NOW + 30 * DAY, extra), &[&root]);
    signed::verify(signed.as_bytes(), &roots(&[&root], 1), None, NOW, 60)
        .unwrap()
        .store
}

fn status(idx: u64, uri: &str) -> Value {
    json!({"status": {"status_list": {"idx": idx, "uri": uri}}})
}

#[test]
fn a_status_list_in_the_bundle_decides_each_outcome() {
    let list_exp = NOW + DAY;
    let store = store_with(&json!({"status_lists": [status_list(list_exp)]}));
    assert_eq!(store.status_lists().len(), 1);
    let verifier = Verifier::new(store, Policy::default());
    let at = |claims: &Value, now| verifier.verify(&token(NOW - 10, claims), now).code;
    assert_eq!(at(&status(0, LIST), NOW), None);
    assert_eq!(at(&status(1, LIST), NOW), Some(ErrorCode::Revoked));
    assert_eq!(at(&status(2, LIST), NOW), Some(ErrorCode::Suspended));
    assert_eq!(at(&status(3, LIST), NOW), Some(ErrorCode::StatusUnknown));
    // Four 2-bit entries fill one byte: index 4 is past the end.
    assert_eq!(
        at(&status(4, LIST), NOW),
        Some(ErrorCode::StatusIndexInvalid)
    );
    assert_eq!(
        at(&status(0, "https://id.vneid.test/status/2"), NOW),
        Some(ErrorCode::StatusListMissing)
    );
    assert_eq!(
        at(&status(0, LIST), list_exp + 60),
        Some(ErrorCode::StatusListStale)
    );
    assert_eq!(at(&status(0, LIST), list_exp + 59), None);
    assert_eq!(
        at(
            &json!({"status": {"status_list": {"idx": "0", "uri": LIST}}}),
            NOW
        ),
        Some(ErrorCode::ClaimInvalid)
    );
    // A token without a status reference is not looked up.
    assert_eq!(at(&json!({}), NOW), None);
}

#[test]
fn a_status_list_counts_only_for_its_own_issuer() {
    // issuer-2's token names issuer-1's list: as good as absent (§11.3).
    let other = key("issuer-2", 10);
    let store = store_with(&json!({
        "issuers": [
            {"iss": ISS, "keys": [key("issuer-1", 9).public_jwk()]},
            {"iss": "https://other.vneid.test", "keys": [other.public_jwk()]},
        ],
        "status_lists": [status_list(NOW + DAY)],
    }));
    let mut claims = status(0, LIST);
    claims["iss"] = "https://other.vneid.test".into();
    claims["iat"] = (NOW - 10).into();
    claims["exp"] = (NOW + DAY).into();
    let token = other.sign_token(claims.as_object().unwrap());
    let verdict = Verifier::new(store, Policy::default()).verify(&token, NOW);
    assert_eq!(verdict.code, Some(ErrorCode::StatusListMissing));
    assert!(
        verdict.message.contains("not by the credential's issuer"),
        "{}",
        verdict.message
    );
}

#[test]
fn a_vneid_document_qr_carries_its_status_as_cwt_claim_65535() {
    use vneid_verify::issuer::document as issue;
    use vneid_verify::DocumentType;
    let issuer = key("doc-key", 11);
    let store = store_with(&json!({
        "issuers": [{"iss": "VN-TEST", "keys": [issuer.public_jwk()]}],
        "status_lists": [vneid_verify::issuer::sign_status_list(
            &issuer, LIST, 1, &[0, 1], NOW - DAY, &serde_json::Map::new()).unwrap()],
    }));
    let fields = json!({"personalId": "001099001234", "fullName": "Nguyễn Văn An",
        "dateOfBirth": "1999-03-15", "sex": "male", "nationality": "Việt Nam",
        "placeOfOrigin": "Hà Nội", "placeOfResidence": "Hà Nội",
        "issueDate": "2021-05-10", "expiryDate": "2039-03-15",
        "issuingAuthority": "Cục Cảnh sát quản lý hành chính về trật tự xã hội"});
    let qr = |idx| {
        issue::sign(
            &issuer,
            &issue::DocumentClaims {
                issuer: "VN-TEST",
                id: "cccd-1",
                issued_at: NOW - DAY,
                expires_at: NOW + 365 * DAY,
                not_before: None,
                doc_type: DocumentType::Cccd,
                fields: &fields,
                status: Some(StatusReference {
                    idx,
                    uri: LIST.into(),
                }),
            },
        )
        .unwrap()
    };
    let verifier = Verifier::new(store, Policy::default());
    let valid = verifier.verify(&qr(0), NOW);
    assert!(valid.valid, "{valid:?}");
    assert_eq!(valid.claims.unwrap()["status"]["status_list"]["uri"], LIST);
    assert_eq!(verifier.verify(&qr(1), NOW).code, Some(ErrorCode::Revoked));
    assert_eq!(
        verifier.verify(&qr(8), NOW).code,
        Some(ErrorCode::StatusIndexInvalid)
    );
}

#[test]
fn a_status_list_bomb_is_refused_within_the_limit() {
    // 64 MiB of zeros compress to about 64 KB: four times the 16 MiB cap.
    let zeros = vec![0u8; 64 << 20];
    let lst = miniz_oxide::deflate::compress_to_vec_zlib(&zeros, 10);
    assert!(lst.len() < 100_000, "{}", lst.len());
    let claims = json!({"sub": LIST, "iat": NOW - DAY, "status_list": {"bits": 1, "lst": base64url::encode(&lst)}});
    let header = json!({"alg": "ES256", "kid": "issuer-1", "typ": "statuslist+jwt"});
    let jwt = key("issuer-1", 9).sign_jws(&header.to_string(), claims.to_string().as_bytes());
    let root = key("root-1", 1);
    let signed = sign(
        &payload(1, NOW - DAY, NOW + DAY, &json!({"status_lists": [jwt]})),
        &[&root],
    );
    let err = signed::verify(signed.as_bytes(), &roots(&[&root], 1), None, NOW, 60).unwrap_err();
    assert_eq!(err.code(), ErrorCode::TrustInvalid);
    assert!(
        err.detail().unwrap().contains("decompressed_too_large"),
        "{err}"
    );
}

#[test]
fn an_sd_jwt_vc_is_looked_up_in_its_issuers_status_list() {
    let store = store_with(&json!({"status_lists": [status_list(NOW + DAY)]}));
    let verifier = Verifier::new(store, Policy::default());
    let issuer = key("issuer-1", 9);
    let sd_jwt = |idx: u64| {
        let payload = json!({"iss": ISS, "iat": NOW - 10, "exp": NOW + DAY, "vct": "urn:example:vc",
            "status": {"status_list": {"idx": idx, "uri": LIST}}});
        let header = r#"{"alg":"ES256","typ":"dc+sd-jwt","kid":"issuer-1"}"#;
        format!(
            "{}~",
            issuer.sign_jws(header, payload.to_string().as_bytes())
        )
    };
    let valid = verifier.verify(&sd_jwt(0), NOW);
    assert!(valid.valid, "{valid:?}");
    assert_eq!(
        verifier.verify(&sd_jwt(1), NOW).code,
        Some(ErrorCode::Revoked)
    );
    assert_eq!(
        verifier.verify(&sd_jwt(2), NOW).code,
        Some(ErrorCode::Suspended)
    );
}
