//! Writes the seed inputs of every fuzz target into `fuzz/seeds/TARGET/` (not committed: they
//! are made from the test vectors, ours and ../shared/vectors, at every run). The committed
//! corpus (`fuzz/corpus/`) holds only what the fuzzer found beyond them.
//!
//! `cargo run --manifest-path fuzz/Cargo.toml --example seeds` (scripts/fuzz.mjs runs it).

use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde_json::Value;

fn write(root: &Path, target: &str, name: &str, bytes: &[u8]) {
    let dir = root.join(target);
    std::fs::create_dir_all(&dir).expect("create the seeds folder");
    std::fs::write(dir.join(name), bytes).expect("write a seed");
}

fn with(first: u8, rest: &[u8]) -> Vec<u8> {
    let mut out = vec![first];
    out.extend_from_slice(rest);
    out
}

fn base64url(text: &str) -> Vec<u8> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .expect("base64url")
}

fn main() {
    let root = std::env::args().nth(1).map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds"),
        PathBuf::from,
    );
    let _ = std::fs::remove_dir_all(&root);
    let goods = harness::goods();
    harness::goods_still_verify();

    // verify: every known-good payload at its own time, and the unsigned card QR.
    for (i, good) in goods.iter().enumerate() {
        let selector = u8::try_from(i).expect("few formats");
        write(
            &root,
            "verify",
            good.format,
            &with(selector, good.payload.as_bytes()),
        );
    }
    let chunks: Vec<&str> = vec![
        include_str!(
            "../../../shared/vectors/shc/examples/example-02-f-qr-code-numeric-value-0.txt"
        ),
        include_str!(
            "../../../shared/vectors/shc/examples/example-02-f-qr-code-numeric-value-1.txt"
        ),
        include_str!(
            "../../../shared/vectors/shc/examples/example-02-f-qr-code-numeric-value-2.txt"
        ),
    ];
    let chunks: Vec<&str> = chunks.iter().map(|c| c.trim()).collect();
    write(
        &root,
        "verify",
        "shc_chunks",
        &with(3, chunks.join("\n").as_bytes()),
    );
    let file =
        include_str!("../../../shared/vectors/shc/examples/example-00-e-file.smart-health-card");
    write(&root, "verify", "shc_file", &with(3, file.as_bytes()));
    write(
        &root,
        "verify",
        "cccd_qr",
        &with(
            0,
            "001099001234|012345678|Nguyễn Văn An|15031999|Nam|Hà Nội|10052021".as_bytes(),
        ),
    );

    // verify_signed: the signed content of each known-good payload, to be re-signed.
    let document = goods
        .iter()
        .find(|g| g.format == "vneid_document")
        .expect("a document");
    let document_cwt =
        vneid_verify::fuzzing::cose_payload(&document.payload[4..]).expect("VN1 CWT");
    write(
        &root,
        "verify_signed",
        "vneid_document",
        &with(0, &document_cwt),
    );
    let dcc = goods.iter().find(|g| g.format == "eu_dcc").expect("a DCC");
    let dcc_cwt = vneid_verify::fuzzing::cose_payload(&dcc.payload[4..]).expect("HC1 CWT");
    write(&root, "verify_signed", "eu_dcc", &with(1, &dcc_cwt));
    let token = goods
        .iter()
        .find(|g| g.format == "vneid_token")
        .expect("a token");
    let token_claims = base64url(token.payload.split('.').nth(1).expect("claims"));
    write(
        &root,
        "verify_signed",
        "vneid_token",
        &with(2, &token_claims),
    );
    let shc = goods.iter().find(|g| g.format == "shc").expect("a card");
    let claims = harness::shc_claims(&shc.payload).expect("card claims");
    let mut claims: Value = serde_json::from_slice(&claims).expect("claims are JSON");
    claims["iss"] = Value::from(harness::SHC_FUZZ_ISSUER);
    let claims = claims.to_string();
    for kind in 3..7 {
        write(
            &root,
            "verify_signed",
            &format!("shc_{kind}"),
            &with(kind, claims.as_bytes()),
        );
    }
    // An SD-JWT VC: the token's claims with a `vct`, and two disclosures.
    let mut vc: Value = serde_json::from_slice(&token_claims).expect("claims are JSON");
    vc["vct"] = Value::from("urn:vneid:pid:1");
    if let Some(object) = vc.as_object_mut() {
        object.remove("name");
        object.remove("birthdate");
    }
    let mut sd_jwt_body = vc.to_string().into_bytes();
    sd_jwt_body.push(0);
    sd_jwt_body.extend_from_slice(br#"["2GLC42sKQveCfGfryNRN9w","name","Nguyen Van An"]"#);
    sd_jwt_body.push(1);
    sd_jwt_body.extend_from_slice(br#"["eluV5Og3gSNII8EYnsxA_A","birthdate","1990-05-17"]"#);
    write(&root, "verify_signed", "sd_jwt_vc", &with(7, &sd_jwt_body));
    for kind in 0..harness::SIGNED_KINDS {
        let body: Vec<u8> = match kind {
            0 => document_cwt.clone(),
            1 => dcc_cwt.clone(),
            2 => token_claims.clone(),
            7 => sd_jwt_body.clone(),
            _ => claims.clone().into_bytes(),
        };
        let (payload, at) = harness::signed(kind, &body);
        let verdict = harness::verifier().verify(&payload, at);
        eprintln!(
            "seeds: verify_signed kind {kind}: {}",
            verdict.code.map_or("valid", |c| c.as_str())
        );
    }

    // trust: the trust files, a published JWKS, certificates in PEM, DER and base64.
    write(
        &root,
        "trust",
        "token_bundle",
        &with(
            0,
            include_bytes!("../../tests/vectors/vneid-token/test-issuer.trust.json"),
        ),
    );
    write(
        &root,
        "trust",
        "document_bundle",
        &with(
            0,
            include_bytes!("../../tests/vectors/vneid-document/test-issuer.trust.json"),
        ),
    );
    let jwks = include_bytes!("../../../shared/vectors/shc/examples/issuer/.well-known/jwks.json");
    write(&root, "trust", "published_jwks", &with(1, jwks));
    let dcc_file: Value = serde_json::from_str(include_str!(
        "../../../shared/vectors/eu-dcc/AT/2DCode/raw/1.json"
    ))
    .expect("JSON");
    let certificate = dcc_file["TESTCTX"]["CERTIFICATE"]
        .as_str()
        .expect("certificate");
    let der = base64::engine::general_purpose::STANDARD
        .decode(certificate)
        .expect("base64");
    let pem = format!("-----BEGIN CERTIFICATE-----\n{certificate}\n-----END CERTIFICATE-----\n");
    write(&root, "trust", "certificate_pem", &with(0, pem.as_bytes()));
    write(&root, "trust", "certificate_der", &with(1, &der));
    write(
        &root,
        "trust",
        "certificate_base64",
        &with(0, certificate.as_bytes()),
    );
    let anchors = serde_json::json!({"anchors": [include_str!("../../../shared/vectors/vds-nc/au-root/csca_au_rs4096.cer")]});
    write(
        &root,
        "trust",
        "anchors",
        &with(0, anchors.to_string().as_bytes()),
    );

    // trust, signed bundles: a bundle payload for the root to sign, and the signed envelope.
    let payload = serde_json::json!({
        "version": 3, "issued": 1_790_000_000, "expires": 1_900_000_000,
        "issuers": [{"iss": "https://id.vneid.test", "keys": [harness::token_key().public_jwk()]}],
        "revoked": [{"iss": "https://id.vneid.test", "id": "jti-1"}],
    })
    .to_string();
    write(
        &root,
        "trust",
        "bundle_payload",
        &with(3, payload.as_bytes()),
    );
    let envelope =
        vneid_verify::issuer::sign_trust_bundle(payload.as_bytes(), &[&harness::root_key()]);
    write(
        &root,
        "trust",
        "bundle_envelope",
        &with(2, envelope.as_bytes()),
    );

    // cbor: the CWTs and a whole COSE_Sign1.
    write(&root, "cbor", "vneid_document_cwt", &document_cwt);
    write(&root, "cbor", "eu_dcc_cwt", &dcc_cwt);
    let cose = harness::cose_sign1(&harness::document_key(), &document_cwt);
    write(&root, "cbor", "cose_sign1", &cose);

    // json: claims, a seal, a card file, trust files.
    write(&root, "json", "token_claims", &token_claims);
    write(&root, "json", "shc_claims", claims.as_bytes());
    let seal = goods.iter().find(|g| g.format == "vds_nc").expect("a seal");
    write(&root, "json", "vds_nc_seal", seal.payload.as_bytes());
    write(&root, "json", "shc_file", file.as_bytes());
    write(&root, "json", "jwks", jwks);

    // inflate: zlib and raw DEFLATE of real payloads.
    write(
        &root,
        "inflate",
        "zlib",
        &miniz_oxide::deflate::compress_to_vec_zlib(&cose, 9),
    );
    write(
        &root,
        "inflate",
        "raw",
        &harness::deflate(claims.as_bytes()),
    );

    // der: certificates.
    write(&root, "der", "dcc_certificate", &der);
    write(&root, "der", "dcc_certificate_pem", pem.as_bytes());
    let csca = include_str!("../../../shared/vectors/vds-nc/au-root/csca_au_rs4096.cer");
    write(&root, "der", "au_csca", csca.as_bytes());

    // base_encodings: QR bodies and JWS segments.
    write(
        &root,
        "base_encodings",
        "base45",
        &document.payload.as_bytes()[4..],
    );
    write(
        &root,
        "base_encodings",
        "base64url",
        token.payload.split('.').nth(1).expect("claims").as_bytes(),
    );

    // shc_chunks: a card in three chunks, in order and not, and one QR.
    write(&root, "shc_chunks", "three", chunks.join("\n").as_bytes());
    write(
        &root,
        "shc_chunks",
        "shuffled",
        format!("{}\n{}\n{}", chunks[2], chunks[0], chunks[1]).as_bytes(),
    );
    let single = include_str!(
        "../../../shared/vectors/shc/examples/example-00-f-qr-code-numeric-value-0.txt"
    );
    write(&root, "shc_chunks", "single", single.trim().as_bytes());
    // scan_framing: a scanner's stream: payloads, CR LF and lone CRs, a card in chunks, a framed
    // payload (STX … ETX), a line too long.
    let stream = format!(
        "{}\r\n{}\r\x02{}\x03\n\n{}\r\n{}\n{}\n",
        token.payload,
        chunks[1],
        token.payload,
        chunks[0],
        "x".repeat(300),
        chunks[2]
    );
    write(
        &root,
        "scan_framing",
        "stream",
        &with(0xff, &with(7, stream.as_bytes())),
    );
    write(
        &root,
        "scan_framing",
        "document",
        &with(
            0x40,
            &with(3, format!("{}\r\n", document.payload).as_bytes()),
        ),
    );
    eprintln!("seeds: written to {}", root.display());
}
