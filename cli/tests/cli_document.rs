//! `vneid-verify issue document`: the reference issuer from the command line, its QR images, and
//! its refusal to sign what a verifier would reject.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion
#![cfg(feature = "issuer")]

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{json, Value};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vneid-verify"))
        .args(args)
        .output()
        .expect("spawn")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vneid-cli-doc-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The first TEST-ONLY key of the committed vectors as a single private JWK file.
fn test_key(dir: &std::path::Path) -> String {
    let keys: Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../tests/vectors/vneid-document/TEST-ONLY-issuer-keys.private.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let path = dir.join("test-key.json");
    std::fs::write(&path, keys["keys"][0].to_string()).unwrap();
    path.to_string_lossy().into_owned()
}

const TRUST: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/vectors/vneid-document/test-issuer.trust.json"
);

fn fields(doc_type: &str) -> Value {
    match doc_type {
        "cccd" => {
            json!({"personalId": "001099001234", "fullName": "Nguyễn Văn An", "dateOfBirth": "1999-03-15",
            "sex": "male", "placeOfResidence": "Số 1 Phố X, Hà Nội", "issueDate": "2021-05-10"})
        }
        "driving_licence" => {
            json!({"number": "790123456789", "fullName": "Trần Thị Bình", "dateOfBirth": "2005-02-01",
            "classes": [{"class": "B", "issueDate": "2025-04-15", "expiryDate": "2035-04-15"}], "issueDate": "2025-04-15"})
        }
        "vehicle_registration" => json!({"plate": "51G-123.45", "ownerName": "Nguyễn Văn An",
            "vehicle": {"type": "Ô tô con", "brand": "Toyota", "engineNumber": "E1", "chassisNumber": "C1"},
            "registrationDate": "2024-08-20"}),
        "health_insurance" => json!({"cardNumber": "DN4010123456789", "fullName": "Nguyễn Văn An",
            "dateOfBirth": "1999-03-15", "sex": "male", "validFrom": "2026-01-01"}),
        "residence" => {
            json!({"personalId": "001099001234", "fullName": "Nguyễn Văn An", "dateOfBirth": "1999-03-15",
            "sex": "male", "permanentResidence": "Số 1 Phố X, Hà Nội", "issueDate": "2026-05-20",
            "issuingAuthority": "Công an phường Y"})
        }
        "criminal_record" => {
            json!({"number": "LLTP-1", "form": 2, "fullName": "Nguyễn Văn An", "dateOfBirth": "1999-03-15",
            "sex": "male", "personalId": "001099001234", "issuingAuthority": "Sở Tư pháp Hà Nội",
            "issueDate": "2026-05-25", "summary": "Không có án tích."})
        }
        other => panic!("{other}"),
    }
}

#[test]
fn issues_every_document_type_and_the_verifier_accepts_it() {
    let dir = temp_dir("types");
    let key = test_key(&dir);
    for doc_type in [
        "cccd",
        "driving_licence",
        "vehicle_registration",
        "health_insurance",
        "residence",
        "criminal_record",
    ] {
        let fields = fields(doc_type).to_string();
        let id = format!("{doc_type}-cli-1");
        let out = run(&[
            "issue",
            "document",
            "--type",
            doc_type,
            "--key",
            &key,
            "--issuer",
            "VN-TEST",
            "--fields",
            &fields,
            "--id",
            &id,
            "--at",
            "2026-06-01T00:00:00Z",
            "--ttl",
            "3600",
        ]);
        assert!(
            out.status.success(),
            "{doc_type}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let qr = String::from_utf8(out.stdout).unwrap();
        let qr = qr.trim();
        assert!(qr.starts_with("VN1:"), "{qr}");
        let out = run(&[
            "verify",
            "--trust",
            TRUST,
            "--at",
            "2026-06-01T00:30:00Z",
            qr,
        ]);
        assert!(
            out.status.success(),
            "{doc_type}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let verdict: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(verdict["document"]["type"], doc_type);
        assert_eq!(verdict["claims"]["cti"], id.as_str());
        assert_eq!(
            verdict["expiresAt"],
            verdict["issuedAt"].as_i64().unwrap() + 3600
        );
        // An hour later the QR has expired (with the default 60 s tolerance).
        let out = run(&[
            "verify",
            "--trust",
            TRUST,
            "--at",
            "2026-06-01T01:01:01Z",
            qr,
        ]);
        assert_eq!(out.status.code(), Some(1));
        let verdict: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(verdict["code"], "expired");
    }
}

#[test]
fn draws_the_qr_code_as_png_and_svg() {
    let dir = temp_dir("images");
    let key = test_key(&dir);
    let (png, svg) = (dir.join("cccd.png"), dir.join("cccd.svg"));
    let fields_file = dir.join("fields.json");
    std::fs::write(&fields_file, fields("cccd").to_string()).unwrap();
    let out = run(&[
        "issue",
        "document",
        "--type",
        "cccd",
        "--key",
        &key,
        "--fields",
        &format!("@{}", fields_file.display()),
        "--png",
        &png.to_string_lossy(),
        "--svg",
        &svg.to_string_lossy(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = std::fs::read(&png).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert!(svg.contains("<svg") && svg.contains("</svg>"));
    // The default issuer is the test one, and a random id is generated.
    let qr = String::from_utf8(out.stdout).unwrap();
    let out = run(&["verify", "--trust", TRUST, qr.trim()]);
    let verdict: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verdict["issuer"], "VN-TEST", "{verdict}");
    assert!(verdict["claims"]["cti"]
        .as_str()
        .unwrap()
        .starts_with("cccd-"));
}

#[test]
fn refuses_to_sign_what_a_verifier_would_reject() {
    let dir = temp_dir("refuse");
    let key = test_key(&dir);
    let cases: [(&str, Value, &str); 4] = [
        ("passport", json!({}), "not a document type"),
        (
            "cccd",
            json!({"personalId": "001099001234"}),
            "schema_invalid",
        ),
        (
            "cccd",
            {
                let mut f = fields("cccd");
                f["personalId"] = json!("003099001234");
                f
            },
            "personal_id_invalid",
        ),
        (
            "vehicle_registration",
            {
                let mut f = fields("vehicle_registration");
                f["plate"] = json!("51W-123.45");
                f
            },
            "schema_invalid",
        ),
    ];
    for (doc_type, fields, expected) in cases {
        let out = run(&[
            "issue",
            "document",
            "--type",
            doc_type,
            "--key",
            &key,
            "--fields",
            &fields.to_string(),
        ]);
        assert_eq!(out.status.code(), Some(2), "{doc_type} {fields}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{stderr}");
        assert!(out.stdout.is_empty());
    }
    // A key without a kid cannot fill the protected header.
    let nokid = dir.join("nokid.json");
    let mut jwk: Value = serde_json::from_str(&std::fs::read_to_string(&key).unwrap()).unwrap();
    jwk.as_object_mut().unwrap().remove("kid");
    std::fs::write(&nokid, jwk.to_string()).unwrap();
    let out = run(&[
        "issue",
        "document",
        "--type",
        "cccd",
        "--key",
        &nokid.to_string_lossy(),
        "--fields",
        &fields("cccd").to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    // A birth date that disagrees with the ID number is signed, with a warning on stderr.
    let mut f = fields("cccd");
    f["dateOfBirth"] = json!("1998-03-15");
    let out = run(&[
        "issue",
        "document",
        "--type",
        "cccd",
        "--key",
        &key,
        "--fields",
        &f.to_string(),
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("birthdate_mismatch"));
}
