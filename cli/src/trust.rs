//! Trust for the command line: plain trust files (`--trust FILE`, repeatable), or one signed
//! trust bundle checked against pinned roots (`--trust SIGNED --trust-root ROOTS
//! [--trust-state FILE]`, docs/trust.md); and the operator's `trust sign` and `trust inspect`.
//!
//! The state file holds the highest bundle version accepted and the roots in force. It is read
//! once at start (a state file that exists but does not parse is an error, never a reset) and
//! written, atomically, each time a bundle changes it: a temporary file beside it, synced, then
//! renamed over it.

use std::io::Write as _;
use std::process::ExitCode;

use vneid_verify::time::format_rfc3339;
use vneid_verify::{Error, RootSet, TrustState, TrustStore};

use crate::args::{Args, Parsed};
use crate::options::{read_trust_file, store_from};

/// Where trust comes from.
pub struct TrustSource {
    files: Vec<String>,
    /// `--issuer`, binding the keys of a plain trust file that names no issuer.
    issuer: Option<String>,
    signed: Option<Signed>,
}

/// A signed bundle's pinned roots, its state file and the state accepted last.
struct Signed {
    roots: RootSet,
    state_file: Option<String>,
    state: Option<TrustState>,
}

impl TrustSource {
    /// From `--trust`, `--trust-root` and `--trust-state` (and `--issuer` for plain files that
    /// name no issuer). Reads the roots and the state.
    pub fn from_args(parsed: &Parsed) -> Result<TrustSource, String> {
        let issuer = parsed.one("--issuer")?;
        let files = parsed.all("--trust");
        if files.is_empty() {
            return Err("at least one --trust FILE is required".into());
        }
        let state_file = parsed.one("--trust-state")?;
        let Some(roots_file) = parsed.one("--trust-root")? else {
            if state_file.is_some() {
                return Err(
                    "--trust-state needs --trust-root (it belongs to a signed trust bundle)".into(),
                );
            }
            return Ok(TrustSource {
                files,
                issuer,
                signed: None,
            });
        };
        if files.len() != 1 {
            return Err("with --trust-root, give one --trust: the signed trust bundle".into());
        }
        let text = std::fs::read_to_string(&roots_file)
            .map_err(|e| format!("--trust-root {roots_file}: {e}"))?;
        let roots = RootSet::from_json(&text, &roots_file).map_err(|e| describe(&e))?;
        let state = match &state_file {
            None => None,
            Some(path) => read_state(path)?,
        };
        Ok(TrustSource {
            files,
            issuer,
            signed: Some(Signed {
                roots,
                state_file,
                state,
            }),
        })
    }

    /// Builds the store from the files' texts (`texts[i]` is `files[i]`) at `now`. A signed
    /// bundle that verifies becomes the state in force, persisted when it changed; on any error
    /// nothing changes.
    pub fn load(
        &mut self,
        contents: &[Result<Vec<u8>, String>],
        now: i64,
        tolerance: u64,
    ) -> Result<TrustStore, String> {
        let Some(signed) = &mut self.signed else {
            return store_from(&self.files, contents, self.issuer.as_deref());
        };
        let (file, bytes) = match (self.files.first(), contents.first()) {
            (Some(file), Some(bytes)) => (file, bytes.as_ref().map_err(Clone::clone)?),
            _ => return Err("no --trust file".into()),
        };
        let accepted = TrustStore::from_signed_bundle(
            bytes,
            &signed.roots,
            signed.state.as_ref(),
            now,
            tolerance,
        )
        .map_err(|e| format!("{file}: {}", describe(&e)))?;
        if signed.state.as_ref() != Some(&accepted.state) {
            if let Some(path) = &signed.state_file {
                write_atomically(path, &accepted.state.to_json())
                    .map_err(|e| format!("--trust-state {path}: cannot save the accepted state ({e}); the bundle is not used"))?;
            }
            signed.state = Some(accepted.state);
        }
        Ok(accepted.store)
    }

    /// Reads the files and loads them (see [`TrustSource::load`]).
    pub fn load_files(&mut self, now: i64, tolerance: u64) -> Result<TrustStore, String> {
        let contents: Vec<_> = self.files.iter().map(|f| read_trust_file(f)).collect();
        self.load(&contents, now, tolerance)
    }
}

/// `CODE: message`, as every trust error is printed.
pub fn describe(error: &Error) -> String {
    format!("{}: {}", error.code(), error.message_en())
}

/// One line about a signed bundle's dates for standard error, or `None` for unsigned trust.
pub fn bundle_note(store: &TrustStore, now: i64) -> Option<String> {
    let info = store.bundle()?;
    let expiry = if now >= info.expires {
        format!(
            "EXPIRED {}: every verdict is trust_expired until a fresh bundle is loaded",
            format_rfc3339(info.expires)
        )
    } else {
        format!("expires {}", format_rfc3339(info.expires))
    };
    Some(format!(
        "trust bundle version {} signed by {}, issued {}, {expiry}{}",
        info.version,
        info.signers.join(", "),
        format_rfc3339(info.issued),
        if info.rotated {
            "; the trust roots were rotated"
        } else {
            ""
        }
    ))
}

/// The state in `path`: `None` when the file does not exist (a fresh device), an error when it
/// exists and cannot be read or parsed (never a silent reset).
fn read_state(path: &str) -> Result<Option<TrustState>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => TrustState::from_json(&text)
            .map(Some)
            .map_err(|e| format!("--trust-state {path}: {} (fix or remove it deliberately: removing it returns the device to its pinned roots and version 0)", describe(&e))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("--trust-state {path}: {e}")),
    }
}

/// Writes `text` to `path` so that a reader sees the old content or the new, never a part:
/// a temporary file in the same folder, synced, then renamed over `path`.
pub fn write_atomically(path: &str, text: &str) -> std::io::Result<()> {
    // A name of its own per write (no process ids under WASI: the clock's nanoseconds).
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let tmp = format!("{path}.tmp-{stamp:09}");
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

// ---- vneid-verify trust sign | inspect ------------------------------------------------------------

pub fn run(mut args: Args) -> Result<ExitCode, String> {
    match args.next_positional().as_deref() {
        #[cfg(feature = "issuer")]
        Some("sign") => sign(args),
        #[cfg(not(feature = "issuer"))]
        Some("sign") => Err(
            "\"trust sign\" is not in this build (it has no signing: the `issuer` feature is off)"
                .into(),
        ),
        Some("inspect") => inspect(args),
        Some(other) => Err(format!(
            "unknown trust command \"{other}\"; try: trust sign, trust inspect"
        )),
        None => Err("trust what? try: trust sign, trust inspect".into()),
    }
}

/// Members `trust sign` sets itself.
#[cfg(feature = "issuer")]
const SET_BY_SIGN: [&str; 3] = ["version", "issued", "expires"];

#[cfg(feature = "issuer")]
fn sign(args: Args) -> Result<ExitCode, String> {
    use serde_json::Value;
    use vneid_verify::issuer::{sign_trust_bundle, IssuerKey};

    let parsed = args.parse(&["--key", "--version", "--expires", "--at", "--out"])?;
    let [input] = parsed.positionals.as_slice() else {
        return Err("trust sign takes one BUNDLE.json (the unsigned trust bundle)".into());
    };
    let out = parsed.one("--out")?.ok_or("--out SIGNED is required")?;
    let version = parsed
        .number("--version")?
        .ok_or("--version N is required")?;
    let issued = crate::clock::Clock::from_arg(parsed.one("--at")?)?
        .now()
        .unix;
    let expires = parsed
        .one("--expires")?
        .ok_or("--expires TIME is required")?;
    let expires = parse_expiry(&expires, issued)?;
    let key_files = parsed.all("--key");
    if key_files.is_empty() {
        return Err("at least one --key FILE (a root's private JWK) is required".into());
    }
    let mut keys = Vec::new();
    for file in &key_files {
        let text = std::fs::read_to_string(file).map_err(|e| format!("--key {file}: {e}"))?;
        let key =
            IssuerKey::from_jwk(&text).map_err(|e| format!("--key {file}: {}", e.message_en()))?;
        if key.kid().is_empty() {
            return Err(format!("--key {file}: a root key needs a \"kid\""));
        }
        keys.push(key);
    }
    let text = std::fs::read_to_string(input).map_err(|e| format!("{input}: {e}"))?;
    let mut bundle: serde_json::Map<String, Value> =
        serde_json::from_str(&text).map_err(|e| format!("{input}: not a JSON object: {e}"))?;
    if let Some(member) = SET_BY_SIGN.iter().find(|m| bundle.contains_key(**m)) {
        return Err(format!(
            "{input}: \"{member}\" is set by trust sign (--version, --at, --expires); remove it"
        ));
    }
    bundle.insert("version".into(), version.into());
    bundle.insert("issued".into(), issued.into());
    bundle.insert("expires".into(), expires.into());
    let payload = Value::Object(bundle).to_string();
    let signed = sign_trust_bundle(payload.as_bytes(), &keys.iter().collect::<Vec<_>>());

    // Refuse what would not load: verified as a device pinned to exactly these keys would.
    let roots = serde_json::json!({"keys": keys.iter().map(IssuerKey::public_jwk).collect::<Vec<_>>(),
                                   "threshold": keys.len()});
    let roots = RootSet::from_json(&roots.to_string(), "--key").map_err(|e| describe(&e))?;
    let accepted = TrustStore::from_signed_bundle(signed.as_bytes(), &roots, None, issued, 0)
        .map_err(|e| format!("{input}: refused, nothing written: {}", describe(&e)))?;
    write_atomically(&out, &format!("{signed}\n")).map_err(|e| format!("--out {out}: {e}"))?;
    let store = &accepted.store;
    warn!(
        "signed trust bundle version {version} ({} issuer{}, {} key{}, {} status list{}), issued {}, expires {}, by {} -> {out}",
        store.issuers().len(), plural(store.issuers().len()),
        store.keys().len(), plural(store.keys().len()),
        store.status_lists().len(), plural(store.status_lists().len()),
        format_rfc3339(issued),
        format_rfc3339(expires),
        keys.iter().map(IssuerKey::kid).collect::<Vec<_>>().join(", "),
    );
    Ok(ExitCode::SUCCESS)
}

/// `--expires`: RFC 3339, Unix seconds, or `+N` with a unit (`d`, `h`, `m`, `s`) after `--at`.
#[cfg(feature = "issuer")]
fn parse_expiry(text: &str, issued: i64) -> Result<i64, String> {
    let bad = || format!("--expires: \"{text}\" is not RFC 3339, Unix seconds or +N[d|h|m|s]");
    if let Some(relative) = text.strip_prefix('+') {
        let (number, unit) = relative.split_at(relative.len().saturating_sub(1));
        let scale = match unit {
            "d" => 86_400,
            "h" => 3_600,
            "m" => 60,
            "s" => 1,
            _ => return Err(bad()),
        };
        let n: i64 = number.parse().map_err(|_| bad())?;
        return n
            .checked_mul(scale)
            .and_then(|s| issued.checked_add(s))
            .ok_or_else(bad);
    }
    crate::parse_time(text).ok_or_else(bad)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn inspect(args: Args) -> Result<ExitCode, String> {
    let parsed = args.parse(&["--trust-root", "--trust-state", "--at"])?;
    let [file] = parsed.positionals.as_slice() else {
        return Err("trust inspect takes one SIGNED bundle".into());
    };
    let now = crate::clock::Clock::from_arg(parsed.one("--at")?)?
        .now()
        .unix;
    let bytes = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
    let bundle = vneid_verify::dangerous::decode_trust_bundle_unverified(&bytes)
        .map_err(|e| format!("{file}: {}", describe(&e)))?;
    let mut out = Vec::new();
    let line =
        |out: &mut Vec<String>, label: &str, value: String| out.push(format!("{label:<16}{value}"));
    line(&mut out, "file", format!("{file} ({} bytes)", bytes.len()));
    line(&mut out, "version", bundle.version.to_string());
    line(&mut out, "issued", format_rfc3339(bundle.issued));
    let state = if now >= bundle.expires {
        "  EXPIRED"
    } else {
        ""
    };
    line(
        &mut out,
        "expires",
        format!("{}{state}", format_rfc3339(bundle.expires)),
    );
    line(&mut out, "signatures", bundle.signature_kids.join(", "));
    if let Some(roots) = &bundle.roots {
        line(
            &mut out,
            "next roots",
            format!(
                "{} (threshold {})",
                roots.kids().join(", "),
                roots.threshold()
            ),
        );
    }
    let store = &bundle.store;
    line(&mut out, "issuers", store.issuers().len().to_string());
    for issuer in store.issuers() {
        let kids: Vec<String> = store
            .keys()
            .iter()
            .filter(|k| k.issuer == issuer)
            .map(|k| k.kid_display().unwrap_or_else(|| "(no kid)".into()))
            .collect();
        let name = store
            .issuer_name(issuer)
            .map(|n| format!(" \"{n}\""))
            .unwrap_or_default();
        out.push(format!("  {issuer}{name}: {}", kids.join(", ")));
    }
    line(&mut out, "anchors", store.anchors().len().to_string());
    line(
        &mut out,
        "status lists",
        store.status_lists().len().to_string(),
    );
    for list in store.status_lists() {
        out.push(format!(
            "  {}: {} bit{}, {} entries, signed by {}, issued {}{}",
            list.uri,
            list.list.bits(),
            plural(usize::from(list.list.bits())),
            list.list.len(),
            list.signers.join(", "),
            format_rfc3339(list.issued_at),
            list.expires_at
                .map(|e| format!(", expires {}", format_rfc3339(e)))
                .unwrap_or_default()
        ));
    }
    line(
        &mut out,
        "dcc revocations",
        format!("{} hashes", store.dcc_revocation_count()),
    );
    let verdict = match parsed.one("--trust-root")? {
        None => {
            line(&mut out, "verifies", "not checked (no --trust-root)".into());
            ExitCode::SUCCESS
        }
        Some(roots_file) => {
            let text = std::fs::read_to_string(&roots_file)
                .map_err(|e| format!("--trust-root {roots_file}: {e}"))?;
            let roots = RootSet::from_json(&text, &roots_file).map_err(|e| describe(&e))?;
            let state = match parsed.one("--trust-state")? {
                Some(path) => read_state(&path)?,
                None => None,
            };
            match TrustStore::from_signed_bundle(&bytes, &roots, state.as_ref(), now, 60) {
                Ok(accepted) => {
                    let info = accepted
                        .store
                        .bundle()
                        .map(|b| b.signers.join(", "))
                        .unwrap_or_default();
                    line(
                        &mut out,
                        "verifies",
                        format!(
                            "yes: signed by {info} (threshold {} of {})",
                            roots.threshold(),
                            roots.kids().join(", ")
                        ),
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    line(&mut out, "verifies", format!("NO: {}", describe(&e)));
                    ExitCode::from(1)
                }
            }
        }
    };
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    for l in out {
        writeln!(lock, "{l}").map_err(|e| format!("writing output: {e}"))?;
    }
    Ok(verdict)
}
