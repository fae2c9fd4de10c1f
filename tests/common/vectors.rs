//! The conformance vectors and the fixtures built from them, shared by the library's tests
//! (`tests/common/mod.rs`) and the command line's (`cli/tests/common/mod.rs` includes this file).

use std::path::PathBuf;

/// The workspace's folder: the nearest folder above the crate being tested that holds
/// `Cargo.lock` (the library's own folder, or the one above `cli/`).
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").exists())
        .unwrap_or_else(|| panic!("no Cargo.lock above {}", manifest.display()))
        .to_path_buf()
}

/// Path of a file under `../shared/vectors` (beside the repository). Panics (failing the test)
/// when it is missing: a conformance test never skips because its data is absent.
pub fn vector_path(relative: &str) -> PathBuf {
    let path = workspace_root().join("../shared/vectors").join(relative);
    assert!(
        path.exists(),
        "conformance vector {} is missing: these tests read ../shared/vectors beside the project (see README, Tests)",
        path.display()
    );
    path
}

/// Reads a vector file as text.
pub fn read_vector(relative: &str) -> String {
    let path = vector_path(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Reads a vector file as JSON.
pub fn json_vector(relative: &str) -> serde_json::Value {
    serde_json::from_str(&read_vector(relative))
        .unwrap_or_else(|e| panic!("parsing {relative}: {e}"))
}

/// The trust files users already have, from the public vectors.
pub mod trust_files {
    use base64::Engine as _;

    use super::{json_vector, read_vector};

    /// The SMART Health Card examples' issuer, and a time their cards are valid at.
    pub const SHC_ISSUER: &str = "https://spec.smarthealth.cards/examples/issuer";
    pub const SHC_NOW: i64 = 1_700_000_000;

    /// The SMART Health Card issuer's key set exactly as published (`{"keys": [...]}`, no `iss`).
    pub fn published_jwks() -> String {
        read_vector("shc/examples/issuer/.well-known/jwks.json")
    }

    /// A card of that issuer (example 00, as a JWS).
    pub fn shc_card() -> String {
        read_vector("shc/examples/example-00-d-jws.txt")
            .trim()
            .to_owned()
    }

    /// An EU DCC test file: its QR text, its signing certificate (DER) and the time to verify at.
    pub fn dcc() -> (String, Vec<u8>, i64) {
        let file = json_vector("eu-dcc/AT/2DCode/raw/1.json");
        let der = base64::engine::general_purpose::STANDARD
            .decode(file["TESTCTX"]["CERTIFICATE"].as_str().unwrap())
            .unwrap();
        let at =
            vneid_verify::time::parse_rfc3339(file["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap())
                .unwrap();
        (file["PREFIX"].as_str().unwrap().to_owned(), der, at)
    }

    /// A trust store of the EU DCC test file's signing certificate, with the file's QR text and
    /// the time to verify it at.
    pub fn dcc_trust() -> (vneid_verify::TrustStore, String, i64) {
        let (qr, der, at) = dcc();
        let mut trust = vneid_verify::TrustStore::new();
        trust.add_certificate(&der, None, "AT 1").unwrap();
        (trust, qr, at)
    }

    /// A trust store of the SMART Health Card issuer's published keys, bound to its `iss`.
    pub fn shc_trust() -> vneid_verify::TrustStore {
        let mut trust = vneid_verify::TrustStore::new();
        trust.add_jwks(SHC_ISSUER, &published_jwks()).unwrap();
        trust
    }

    /// A certificate as PEM.
    pub fn pem(der: &[u8]) -> String {
        let body = base64::engine::general_purpose::STANDARD.encode(der);
        let lines: Vec<&str> = body
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            lines.join("\n")
        )
    }
}
