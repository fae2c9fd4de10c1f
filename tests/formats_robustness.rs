//! No input makes the SHC, VDS-NC or card-QR paths panic, and a mutated payload is never
//! reported valid with content that differs from the original's. Deterministic: a fixed-seed
//! generator mutates the published vectors and makes random text in each format's alphabet.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests fail by panicking

mod common;

use serde_json::Value;
use vneid_verify::{Policy, TrustStore, Verdict, Verifier};

const NOW: i64 = 1_700_000_000;

/// xorshift64*: small, deterministic, good enough to spread mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap()).unwrap()
    }
}

const ALPHABET: &[&str] = &[
    "0", "7", "9", "/", ":", "|", "{", "}", "[", "]", "\"", ",", ".", "-", "_", "=", " ", "\n",
    "\\", "a", "Z", "shc:/", "1/2/", "ữ", "Ã", "\u{0}", "\u{feff}", "1e400", "null",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..=rng.below(3) {
        let at = rng.below(chars.len() + 1);
        match rng.below(5) {
            0 if !chars.is_empty() => {
                let end = (at + 1 + rng.below(40)).min(chars.len());
                chars.drain(at.min(end)..end);
            }
            1 => chars.truncate(at),
            2 if !chars.is_empty() => {
                let i = at.min(chars.len() - 1);
                chars[i] = char::from_u32(u32::from(chars[i]) ^ (1 << rng.below(7))).unwrap_or('x');
            }
            3 if !chars.is_empty() => {
                let end = (at + 1 + rng.below(60)).min(chars.len());
                let copy: Vec<char> = chars[at.min(end)..end].to_vec();
                chars.splice(at..at, copy);
            }
            _ => {
                let insert: Vec<char> = ALPHABET[rng.below(ALPHABET.len())].chars().collect();
                chars.splice(at..at, insert);
            }
        }
    }
    chars.into_iter().collect()
}

fn verifier() -> Verifier {
    let mut trust = TrustStore::new();
    trust
        .add_jwks(
            "https://spec.smarthealth.cards/examples/issuer",
            &common::read_vector("shc/examples/issuer/.well-known/jwks.json"),
        )
        .unwrap();
    trust
        .add_anchor(
            common::read_vector("vds-nc/au-root/csca_au_rs4096.cer").as_bytes(),
            "au",
        )
        .unwrap();
    Verifier::new(trust, Policy::default())
}

fn seeds() -> Vec<String> {
    let shc = |f: &str| common::read_vector(&format!("shc/examples/{f}"));
    let seals = common::json_vector("vds-nc/VDS-NC-Dotnet.Tests/Helpers/VDS-NC-Examples.json");
    vec![
        shc("example-00-f-qr-code-numeric-value-0.txt"),
        format!(
            "{}\n{}\n{}",
            shc("example-02-f-qr-code-numeric-value-0.txt"),
            shc("example-02-f-qr-code-numeric-value-1.txt"),
            shc("example-02-f-qr-code-numeric-value-2.txt")
        ),
        shc("example-01-d-jws.txt"),
        shc("example-03-e-file.smart-health-card"),
        seals[0].to_string(),
        seals[1].to_string(),
        "001099001234|012345678|Nguyễn Văn An|15031999|Nam|Số 1 Phố X, Hà Nội|10052021".into(),
        "079305004321||Trần Thị Bình|01022005|Nữ|12 Đường A, TP. Hồ Chí Minh|20082022||||".into(),
    ]
}

/// What a verdict claims, to compare a mutant's with the original's.
fn content(v: &Verdict) -> (Option<Value>, Option<Value>) {
    (
        v.claims.clone(),
        v.document.as_ref().map(|d| d.fields.clone()),
    )
}

#[test]
fn mutated_vectors_never_panic_and_never_pass_as_something_else() {
    let verifier = verifier();
    let mut rng = Rng(0x5eed_1234_abcd_9876);
    let mut verified = 0;
    for seed in seeds() {
        let original = verifier.verify(&seed, NOW);
        for _ in 0..400 {
            let mutant = mutate(&mut rng, &seed);
            let v = verifier.verify(&mutant, NOW);
            assert!(v.code.is_some() != v.valid, "{mutant:?}");
            if v.valid {
                // Only layout-preserving changes (whitespace around a payload, JSON layout of a
                // seal or file) may still verify, and then they say exactly what the original says.
                verified += 1;
                assert_eq!(content(&v), content(&original), "{mutant:?}");
            }
        }
    }
    // Sanity: the mutations are not all trivially rejected, nor all accepted.
    assert!(verified < 400 * 8 / 4, "{verified} mutants verified");
}

#[test]
fn random_text_in_each_alphabet_never_panics() {
    let verifier = verifier();
    let mut rng = Rng(42);
    for round in 0..3000 {
        let prefix = [
            "shc:/",
            "shc:/2/3/",
            "{\"data\":",
            "{\"verifiableCredential\":[\"",
            "001099001234|",
            "eyJ6aXAiOiJERUYi",
        ][round % 6];
        let mut text = String::from(prefix);
        for _ in 0..rng.below(300) {
            text.push_str(ALPHABET[rng.below(ALPHABET.len())]);
        }
        let v = verifier.verify(&text, NOW);
        assert!(!v.valid, "{text:?}");
    }
}

#[test]
fn extreme_clocks_never_panic() {
    let verifier = verifier();
    for seed in seeds() {
        for now in [i64::MIN, -1, 0, i64::MAX / 2, i64::MAX] {
            let v = verifier.verify(&seed, now);
            assert!(v.code.is_some() != v.valid);
        }
    }
}
