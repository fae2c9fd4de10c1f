//! `vneid-verify`: the command-line verifier and reference issuer.
//!
//! ```text
//! vneid-verify verify --trust FILE [--trust FILE]... [--trust-root ROOTS [--trust-state FILE]]
//!                     [--at TIME] [--audience AUD] [--issuer ISS]
//!                     [--min-level N] [--clock-tolerance SECS] [--max-token-age SECS]
//!                     [--nonce N] [--holder-binding required|optional] [--max-proof-age SECS]
//!                     [--format F]... [PAYLOAD...]
//! vneid-verify scan --trust FILE... [policy options] [--input PATH] [--output json|human]
//!                   [--prefix TEXT] [--suffix TEXT] [--repeat-window SECS] [--chunk-timeout SECS]
//!                   [--trust-check SECS] [--on-valid CMD] [--on-invalid CMD]
//! vneid-verify keygen [--kid KID] [--out FILE] [--issuer ISS --trust-out FILE]
//! vneid-verify issue token --key FILE --claims JSON|@FILE [--ttl SECS] [--at TIME]
//! vneid-verify issue document --type TYPE --key FILE --fields JSON|@FILE [--issuer ISS]
//!                             [--ttl SECS] [--id ID] [--at TIME] [--png FILE] [--svg FILE]
//!                             [--status-uri URI --status-idx N]
//! vneid-verify trust sign --key K [--key K2]... --version N --expires TIME [--at TIME]
//!                         --out SIGNED BUNDLE.json
//! vneid-verify trust inspect SIGNED [--trust-root ROOTS [--trust-state FILE]] [--at TIME]
//! ```
//!
//! `verify` exits 0 when every payload is valid, 1 when any is not, 2 for usage or trust-file
//! errors. `scan` runs until end of input or SIGTERM and exits 0 (1 if its input or output fails,
//! 2 for usage or trust-file errors at start).

/// One line on standard error, prefixed with the program's name. A failed write is ignored: a
/// kiosk whose log reader died (`2>&1 | logger`) keeps scanning; `eprintln!` would panic.
macro_rules! warn {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "vneid-verify: {}", format_args!($($arg)*));
    }};
}

mod args;
mod clock;
#[cfg(feature = "issuer")]
mod issue;
mod options;
#[cfg(feature = "issuer")]
mod qr_image;
mod scan;
mod trust;
mod verify;
#[cfg(feature = "issuer")]
mod wallet;

use std::process::ExitCode;

use args::Args;

const USAGE: &str = "\
vneid-verify — offline verifier for VNeID tokens and signed document QR codes

USAGE:
  vneid-verify verify --trust FILE [--trust FILE]... [--trust-root ROOTS [--trust-state FILE]]
                      [--at TIME] [--audience AUD]
                      [--issuer ISS] [--min-level N] [--clock-tolerance SECS]
                      [--max-token-age SECS] [--nonce N] [--holder-binding required|optional]
                      [--max-proof-age SECS] [--format F]... [PAYLOAD...]
      Verifies each PAYLOAD, or one payload per line of standard input when none is given,
      and prints one JSON verdict per line. TIME is RFC 3339 or Unix seconds (default: now).
      A trust FILE is a trust bundle, a JWKS, or signing certificates (PEM or DER); the keys
      of a file that names no issuer (a published .well-known/jwks.json) are bound to
      --issuer ISS, which payloads must then carry; certificates default to their country.
      --format F (repeatable) accepts only those formats (vneid_token, jwt, vneid_document,
      eu_dcc, shc, vds_nc, sd_jwt_vc, vneid_presentation, cccd_qr); any other is refused with
      format_not_allowed.
      Holder binding (SD-JWT presentations): --holder-binding required refuses payloads
      without a verified key-binding proof (holder_binding_missing); --nonce N is the
      challenge the proof must answer; --audience AUD is the audience the proof must name;
      --max-proof-age SECS (default 300) bounds its age. A proof is accepted once per
      process: the same proof again is refused as replayed.
      Signed trust (docs/trust.md): --trust SIGNED --trust-root ROOTS [--trust-state FILE]
      accepts one signed trust bundle only when the root set ROOTS ({\"keys\": [...],
      \"threshold\": M}) signed it; FILE keeps the highest version accepted and the roots
      after a rotation (written atomically; a corrupt FILE is an error, never a reset). A
      refused bundle (trust_signature_invalid, trust_unknown_signer, trust_threshold_not_met,
      trust_rollback, trust_issued_in_future, trust_unsigned) is a trust-file error; past the
      bundle's expiry every verdict is trust_expired.
      Exit status: 0 all valid, 1 any invalid, 2 usage or trust-file error.

  vneid-verify scan --trust FILE [--trust FILE]... [the policy options of verify]
                    [--input PATH] [--output json|human] [--prefix TEXT] [--suffix TEXT]
                    [--repeat-window SECS] [--chunk-timeout SECS] [--trust-check SECS]
                    [--on-valid CMD] [--on-invalid CMD]
      Scanner mode: reads payloads continuously from standard input or PATH (a serial port
      or FIFO, reopened when its writer goes away) and prints one verdict line per payload,
      flushed at once; a bad payload gets an error verdict, never an exit. Lines end at CR,
      LF or CRLF. --prefix/--suffix TEXT (\\xHH escapes allowed, e.g. \\x02) are removed
      from a payload when present. The same payload again within --repeat-window SECS
      (default 3; 0 = off) is suppressed. SMART Health Card chunks (shc:/i/n/...) are
      collected into one card; when no chunk comes for --chunk-timeout SECS (default 20;
      0 = wait), the card is reported chunks_incomplete with the missing chunks.
      --output human prints one line: VERIFIED / NOT VERIFIED / UNSIGNED / PARTIAL ...
      Trust files are re-read when their content changes (checked every --trust-check SECS,
      default 2; under WASI only when input arrives); a broken replacement (or a signed one
      that is refused, e.g. an older version) is refused with its reason on standard error and
      the previous trust stays in force; a signed bundle that expires while scanning turns
      every verdict into trust_expired until a fresh one is copied. Without
      --at, verdicts warn clock_unset when the system clock is before the build date.
      --on-valid/--on-invalid CMD run a program after each verdict (split on spaces, no
      shell), verdict JSON on its standard input; not available under WASI.
      Exits 0 at end of input or on SIGTERM/SIGINT (a second signal ends it at once), 1 when
      its input or output fails, 2 for a usage or trust-file error at start. Under WASI there
      are no signals, hooks or FIFO reopening.

  vneid-verify keygen [--kid KID] [--out FILE] [--issuer ISS --trust-out FILE]
      Makes a P-256 test key pair: the private JWK to FILE (or standard output), and with
      --issuer and --trust-out a trust file holding the public key.

  vneid-verify issue token --key FILE --claims JSON|@FILE [--ttl SECS] [--at TIME]
      Signs the claims as an ES256 JWT with a private JWK (reference issuer, for tests).
      Adds iat (now, or --at) and exp (now + --ttl SECS, default 600) when the claims lack
      them: the VNeID token profile requires both.

  vneid-verify issue document --type TYPE --key FILE --fields JSON|@FILE [--issuer ISS]
                              [--ttl SECS] [--id ID] [--at TIME] [--png FILE] [--svg FILE]
                              [--status-uri URI --status-idx N]
      Signs a document as a VNeID document QR (VN1:, docs/profiles/vneid-document.md) and
      prints its text; --png and --svg also draw the QR code. TYPE is cccd, driving_licence,
      vehicle_registration, health_insurance, residence or criminal_record. The fields are
      checked against the type's schema first. Defaults: --issuer VN-TEST, --ttl one year,
      --id TYPE-<random>, --at now. --status-uri/--status-idx give the document an entry in
      its issuer's status list (claim 65535).

  vneid-verify issue sd-jwt --key FILE --claims JSON|@FILE [--holder-key FILE]
                            [--disclosable NAME,...] [--vct VCT] [--issuer ISS] [--ttl SECS]
                            [--at TIME] [--decoys N] [--form both|sd-jwt|compact]
      Issues an SD-JWT VC (docs/profiles/vneid-presentation.md) whose --disclosable claims
      (default: every claim but iss, iat, exp, nbf, vct, cnf, status, acr, jti) are
      selectively disclosable, bound to the holder key in --holder-key (a private or public
      JWK; without it the credential is bearer data). Prints the SD-JWT and, on a second
      line, the same credential in the compact form (VNC1:). Defaults: --issuer VN-TEST,
      --vct urn:vneid:identity:1, --ttl one year, --decoys 2, --at now.

  vneid-verify present --credential FILE [--holder-key FILE --audience AUD] [--nonce N]
                       [--disclose NAME,...] [--at TIME] [--form sd-jwt|compact]
                       [--png FILE] [--svg FILE]
      The reference wallet: presents the credential FILE (what issue sd-jwt printed) with
      only the --disclose claims, and a holder proof signed with --holder-key for --audience
      and --nonce (the verifier's challenge; default: a fresh random nonce, as a one-way QR
      has). --form compact presents the VNP1: QR. --png and --svg also draw the QR code and
      print its version and size on standard error.

  vneid-verify trust sign --key K [--key K2]... --version N --expires TIME [--at TIME]
                          --out SIGNED BUNDLE.json
      Signs an unsigned trust bundle with each root key K (a private JWK from keygen, with a
      kid) as the signed trust bundle SIGNED, with version N, issued --at (default now) and
      expiring at TIME (RFC 3339, Unix seconds, or +N followed by d, h, m or s after --at).
      The bundle may name the next root set (\"roots\"). A bundle that would not load is
      refused and nothing is written. Not available under WASI.

  vneid-verify trust inspect SIGNED [--trust-root ROOTS [--trust-state FILE]] [--at TIME]
      Prints a signed trust bundle's version, dates, signers, issuers and keys, status lists
      and revocations, and with --trust-root whether it verifies (exit 1 when it does not).

  vneid-verify --help | --version
";

#[allow(clippy::print_stdout, clippy::print_stderr)] // --help, --version and usage errors
fn main() -> ExitCode {
    let mut args = Args::from_env();
    let result = match args.next_positional().as_deref() {
        Some("verify") => verify::run(args),
        Some("scan") => scan::run(args),
        Some("trust") => trust::run(args),
        #[cfg(feature = "issuer")]
        Some("keygen") => issue::keygen(args),
        #[cfg(feature = "issuer")]
        Some("issue") => issue::run(args),
        #[cfg(feature = "issuer")]
        Some("present") => wallet::present(args),
        #[cfg(not(feature = "issuer"))]
        Some(cmd @ ("keygen" | "issue" | "present")) => Err(format!(
            "\"{cmd}\" is not in this build (it has no signing: the `issuer` feature is off)"
        )),
        Some("--version" | "-V") => {
            println!("vneid-verify {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        Some("--help" | "-h" | "help") => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => Err(format!("unknown command \"{other}\"")),
        None => Err("a command is required".into()),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("vneid-verify: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// `--at TIME`: RFC 3339 or Unix seconds.
fn parse_time(text: &str) -> Option<i64> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    vneid_verify::time::parse_rfc3339(text)
}

fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
