//! The JavaScript surface (wasm32 only), and the only module that knows about JS.
//!
//! Conversion only: JS values in (trust bundles, jose-style options, a `Date`), Rust types to the
//! core, plain JS objects out. Bad options and bad trust throw an `Error` carrying a `code`
//! (`invalid_option`, `trust_invalid`); a bad payload never throws, it gets a verdict.
//!
//! Verdicts cross the boundary as the same JSON the CLI prints (`Verdict::to_json`, then
//! `JSON.parse`): one shape everywhere, claims with any number (a 2^60 integer would make a
//! direct serde-to-JS conversion fail, and a verify call must not throw), and `__proto__` in
//! claims stays an ordinary property.
//!
//! The TypeScript declarations are the hand-maintained `js/vneid_verify.d.ts` (the build passes
//! `--no-typescript`): a change to this surface changes that file too, and
//! `tests/js/types.test.mjs` fails until both agree.

use js_sys::{Array, Object, Reflect, JSON};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{Error, ErrorCode};
use crate::formats::shc::{ChunkNext, ChunkProgress, ShcChunks};
use crate::policy::{OptionKind, OptionValue, Policy, POLICY_OPTIONS};
use crate::trust::signed::{self, RootSet, TrustState};
use crate::trust::TrustStore;
use crate::verdict::{Format, Verdict, WarningCode};

/// The options only `new Verifier(trust, options)` takes besides the core's
/// [`POLICY_OPTIONS`]: where the trust comes from. Anything else is `invalid_option`.
const TRUST_OPTION_NAMES: [&str; 2] = ["trustRoots", "trustState"];

/// Verifies tokens and QR payloads offline against a trust store.
#[wasm_bindgen(js_name = Verifier)]
pub struct JsVerifier {
    inner: crate::Verifier,
    current_date: Option<i64>,
    /// The state to persist, when the trust came from a signed bundle.
    state: Option<TrustState>,
}

#[wasm_bindgen(js_class = Verifier)]
impl JsVerifier {
    /// A verifier trusting `trust` (a trust file: a bundle or JWKS as JSON text or object,
    /// certificates as PEM text or DER bytes; or an array of them) and requiring `options`.
    ///
    /// With `trustRoots`, `trust` is one signed trust bundle (docs/trust.md).
    ///
    /// # Errors
    /// Throws an `Error` with `code` `trust_invalid` (naming the bad entry) or `invalid_option`
    /// (naming the option); with `trustRoots`, the refusals of a signed bundle
    /// (`trust_signature_invalid`, `trust_rollback`, …).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "TrustInput")] trust: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "VerifierOptions | null")] options: Option<
            JsValue,
        >,
    ) -> Result<JsVerifier, JsValue> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let (policy, current_date) = options_from(&options).map_err(|e| to_js_error(&e))?;
        let (roots, state) = trust_options(&options).map_err(|e| to_js_error(&e))?;
        let (store, state) = match roots {
            None => (
                trust_from(&trust, policy.issuer.as_deref()).map_err(|e| to_js_error(&e))?,
                None,
            ),
            Some(roots) => {
                let text = if Array::is_array(&trust) {
                    Err(Error::trust_invalid(
                        "trust",
                        "with trustRoots, one signed trust bundle, not an array",
                    ))
                } else {
                    bundle_bytes(&trust, "trust")
                }
                .map_err(|e| to_js_error(&e))?;
                let now = current_date.unwrap_or_else(now_seconds);
                let accepted =
                    signed::verify(&text, &roots, state.as_ref(), now, policy.clock_tolerance)
                        .map_err(|e| to_js_error(&e))?;
                (accepted.store, Some(accepted.state))
            }
        };
        Ok(JsVerifier {
            inner: crate::Verifier::new(store, policy),
            current_date,
            state,
        })
    }

    /// Verifies one payload (a token or a QR code's text). The second argument is the
    /// verification time (a `Date`) or the options of this call (`VerifyOptions`: `currentDate`,
    /// `nonce`, `holderBinding`, `maxProofAge`, over the verifier's own). The time defaults to
    /// the `currentDate` option, else the clock now. Never throws for a bad payload: the verdict
    /// says why. Accepted holder proofs are remembered by this verifier, across calls.
    ///
    /// # Errors
    /// Throws `invalid_option` only for a bad second argument (not a valid `Date`, an unknown
    /// option, a wrong type).
    #[wasm_bindgen(unchecked_return_type = "Verdict")]
    pub fn verify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] payload: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Date | VerifyOptions | null")]
        options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let (policy, date) = self.call_options(&options).map_err(|e| to_js_error(&e))?;
        let now = date.or(self.current_date).unwrap_or_else(now_seconds);
        let verdict = match (payload.as_string(), &policy) {
            (Some(text), Some(policy)) => self.inner.verify_with_policy(&text, policy, now),
            (Some(text), None) => self.inner.verify(&text, now),
            (None, _) => not_a_string(payload),
        };
        Ok(to_js_value(&verdict.to_json()))
    }

    /// The signed trust bundle this verifier was built from (version, dates, signers, and the
    /// state to persist), or `null` for unsigned trust.
    #[wasm_bindgen(js_name = trustBundle, unchecked_return_type = "TrustBundleInfo | null")]
    #[must_use]
    pub fn trust_bundle(&self) -> JsValue {
        let (Some(info), Some(state)) = (self.inner.trust().bundle(), &self.state) else {
            return JsValue::NULL;
        };
        let state: Value = serde_json::from_str(&state.to_json()).unwrap_or(Value::Null);
        to_js_value(
            &json!({
                "version": info.version,
                "issued": info.issued,
                "expires": info.expires,
                "signers": info.signers,
                "rotated": info.rotated,
                "state": state,
            })
            .to_string(),
        )
    }

    /// The status lists the trust holds, in the order they were loaded.
    #[wasm_bindgen(js_name = statusLists, unchecked_return_type = "StatusListInfo[]")]
    #[must_use]
    pub fn status_lists(&self) -> JsValue {
        let lists: Vec<Value> = self
            .inner
            .trust()
            .status_lists()
            .iter()
            .map(|l| {
                json!({
                    "uri": l.uri,
                    "bits": l.list.bits(),
                    "entries": l.list.len(),
                    "signers": l.signers,
                    "issuedAt": l.issued_at,
                    "expiresAt": l.expires_at,
                })
            })
            .collect();
        to_js_value(&Value::Array(lists).to_string())
    }

    /// The trusted keys, in the order they were loaded.
    #[wasm_bindgen(js_name = trustedKeys, unchecked_return_type = "TrustedKeyInfo[]")]
    #[must_use]
    pub fn trusted_keys(&self) -> JsValue {
        let trust = self.inner.trust();
        let keys: Vec<Value> = trust
            .keys()
            .iter()
            .map(|k| {
                json!({
                    "issuer": k.issuer,
                    "issuerName": trust.issuer_name(&k.issuer),
                    "kid": k.kid_display(),
                    "keyType": k.key.description(),
                    "notBefore": k.not_before,
                    "notAfter": k.not_after,
                    "documentTypes": k.document_types,
                    "source": k.source,
                })
            })
            .collect();
        to_js_value(&Value::Array(keys).to_string())
    }

    /// The trusted certificate authorities (trust bundle `anchors`), in the order they were
    /// loaded.
    #[wasm_bindgen(js_name = trustedAnchors, unchecked_return_type = "TrustedAnchorInfo[]")]
    #[must_use]
    pub fn trusted_anchors(&self) -> JsValue {
        let anchors: Vec<Value> = self
            .inner
            .trust()
            .anchors()
            .iter()
            .map(|a| {
                let c = &a.certificate;
                let fingerprint: String = c.sha256().iter().map(|b| format!("{b:02x}")).collect();
                let formats: Option<Vec<&str>> = a
                    .formats
                    .as_ref()
                    .map(|f| f.iter().map(|f| f.as_str()).collect());
                json!({
                    "subject": c.subject.display(),
                    "issuer": c.issuer.display(),
                    "keyType": c.public_key.description(),
                    "isCa": c.is_ca,
                    "notBefore": c.not_before,
                    "notAfter": c.not_after,
                    "sha256": fingerprint,
                    "formats": formats,
                    "vouchesFor": a.issuer,
                    "source": a.source,
                })
            })
            .collect();
        to_js_value(&Value::Array(anchors).to_string())
    }
}

impl JsVerifier {
    /// The second argument of `verify`: a `Date`, or the options of one call (a policy over the
    /// verifier's, when any holder option is given, and a time).
    fn call_options(&self, options: &JsValue) -> Result<(Option<Policy>, Option<i64>), Error> {
        if options.is_undefined() || options.is_null() {
            return Ok((None, None));
        }
        if options.dyn_ref::<js_sys::Date>().is_some() {
            return Ok((None, optional_date(options, "currentDate")?));
        }
        if !options.is_object() || options.is_function() || Array::is_array(options) {
            return Err(Error::invalid_option(
                "currentDate",
                &format!(
                    "the second argument must be a Date or the options of this call, not {}",
                    type_name(options)
                ),
            ));
        }
        // Those of one transaction (`POLICY_OPTIONS` marked `per_call`).
        check_option_names(options, true)?;
        let mut policy = self.inner.policy().clone();
        let (changed, date) = set_options(&mut policy, options, true)?;
        Ok((changed.then_some(policy), date))
    }
}

/// Collects the QR codes of one SMART Health Card, one scan at a time and in any order, for a
/// scanner to show "2 of 3" (the core's `ShcChunks`). A camera reads each code many times: an
/// identical re-scan is harmless. Verify `payload()` once `complete`.
#[wasm_bindgen(js_name = ShcChunks)]
#[derive(Default)]
pub struct JsShcChunks {
    inner: ShcChunks,
}

#[wasm_bindgen(js_class = ShcChunks)]
impl JsShcChunks {
    /// An empty collector.
    #[wasm_bindgen(constructor)]
    #[must_use]
    pub fn new() -> JsShcChunks {
        JsShcChunks::default()
    }

    /// Adds one scanned `shc:/` QR text and returns the progress. On error the collector is
    /// unchanged, so a misread can simply be scanned again.
    ///
    /// # Errors
    /// Throws an `Error` with `code` `prefix_invalid`, `numeric_invalid` or `chunk_invalid` (a
    /// chunk of another card, or a different QR under an index already read).
    #[wasm_bindgen(unchecked_return_type = "ChunkProgress")]
    pub fn add(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] qr_text: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let text = qr_text_of(qr_text)?;
        let progress = self.inner.add(&text).map_err(|e| to_js_error(&e))?;
        Ok(progress_value(&progress))
    }

    /// Takes one scanned text by the core's one chunk rule (the CLI scanner's too): a chunk of
    /// a multi-QR card is collected, and the card is the payload to verify once complete; a
    /// chunk of another card gives up the unfinished one (`abandoned`) and starts the new one;
    /// anything else is to be verified as it is, and the card being collected is kept. Throws
    /// only for a `qr_text` that is not a string.
    ///
    /// # Errors
    /// An `Error` with `code` `prefix_invalid` when `qr_text` is not a string.
    #[wasm_bindgen(unchecked_return_type = "ChunkScan")]
    pub fn scan(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] qr_text: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let text = qr_text_of(qr_text)?;
        let scan = self.inner.scan(&text);
        let out = Object::new();
        match scan.next {
            ChunkNext::Verify(payload) => {
                set(&out, "kind", &"verify".into());
                set(&out, "payload", &payload.into());
            }
            ChunkNext::Partial(progress) => {
                set(&out, "kind", &"partial".into());
                set(&out, "progress", &progress_value(&progress));
            }
        }
        let abandoned = scan.abandoned.map_or(JsValue::NULL, |e| {
            let card = Object::new();
            set(&card, "code", &e.code().as_str().into());
            set(&card, "message", &e.message_en().into());
            set(&card, "messageVi", &e.message_vi().into());
            card.into()
        });
        set(&out, "abandoned", &abandoned);
        Ok(out.into())
    }

    /// The progress so far.
    #[wasm_bindgen(unchecked_return_type = "ChunkProgress")]
    #[must_use]
    pub fn progress(&self) -> JsValue {
        progress_value(&self.inner.progress())
    }

    /// The collected QR texts in order, one per line (the payload for `verify`); `null` until
    /// every chunk is in.
    #[wasm_bindgen(unchecked_return_type = "string | null")]
    #[must_use]
    pub fn payload(&self) -> JsValue {
        self.inner
            .payload()
            .map_or(JsValue::NULL, |text| JsValue::from_str(&text))
    }

    /// Forgets everything collected, to start on another card.
    pub fn clear(&mut self) {
        self.inner.clear();
    }
}

/// A scanned QR text, or `prefix_invalid` for anything but a string.
fn qr_text_of(value: &JsValue) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| {
        to_js_error(&Error::with_detail(
            ErrorCode::PrefixInvalid,
            format!("expected the QR text as a string, not {}", type_name(value)),
        ))
    })
}

fn progress_value(progress: &ChunkProgress) -> JsValue {
    // Chunk counts are at most `MAX_CHUNKS` (32): they always fit.
    let number = |n: usize| JsValue::from_f64(f64::from(u32::try_from(n).unwrap_or(u32::MAX)));
    let missing = Array::new();
    for &i in &progress.missing {
        missing.push(&number(i));
    }
    // In alphabetical order, as the JSON objects of the rest of the API.
    let out = Object::new();
    set(&out, "complete", &progress.is_complete().into());
    set(&out, "missing", &missing);
    set(&out, "received", &number(progress.received));
    set(&out, "total", &number(progress.total));
    out.into()
}

/// Sets one property of an object we made (it cannot fail on a plain object).
fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &key.into(), value);
}

/// Every error code with its English and Vietnamese messages, in documentation order.
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "ErrorCodeInfo[]")]
#[must_use]
pub fn error_codes() -> JsValue {
    let list: Vec<Value> = ErrorCode::ALL
        .iter()
        .map(
            |c| json!({"code": c.as_str(), "message": c.message_en(), "messageVi": c.message_vi()}),
        )
        .collect();
    to_js_value(&Value::Array(list).to_string())
}

/// Every warning code.
#[wasm_bindgen(js_name = warningCodes, unchecked_return_type = "WarningCode[]")]
#[must_use]
pub fn warning_codes() -> Array {
    WarningCode::ALL
        .iter()
        .map(|c| JsValue::from_str(c.as_str()))
        .collect()
}

/// Every format a verdict can report.
#[wasm_bindgen(unchecked_return_type = "Format[]")]
#[must_use]
pub fn formats() -> Array {
    Format::ALL
        .iter()
        .map(|f| JsValue::from_str(f.as_str()))
        .collect()
}

/// The package version.
#[wasm_bindgen]
#[must_use]
pub fn version() -> String {
    String::from(env!("CARGO_PKG_VERSION"))
}

/// `null` and `undefined` are an empty payload; any other non-string is not a supported format.
fn not_a_string(payload: &JsValue) -> Verdict {
    let error = if payload.is_null() || payload.is_undefined() {
        Error::new(ErrorCode::EmptyPayload)
    } else {
        Error::with_detail(
            ErrorCode::UnknownFormat,
            format!("the payload must be a string, not {}", type_name(payload)),
        )
    };
    Verdict::rejected(Format::Unknown, &error)
}

/// Reads one trust file or an array of them into one store; `issuer` binds the keys of a file
/// that names no issuer ([`TrustStore::add_file`]).
fn trust_from(trust: &JsValue, issuer: Option<&str>) -> Result<TrustStore, Error> {
    let bundles: Vec<JsValue> = if Array::is_array(trust) {
        Array::from(trust).iter().collect()
    } else {
        vec![trust.clone()]
    };
    let mut store = TrustStore::new();
    for (i, bundle) in bundles.iter().enumerate() {
        let source = format!("trust[{i}]");
        let bytes = bundle_bytes(bundle, &source)?;
        store.add_file(&bytes, &source, issuer)?;
    }
    Ok(store)
}

/// A trust file's bytes: strings as UTF-8, `Uint8Array`s (DER) as they are, plain objects
/// through `JSON.stringify`.
fn bundle_bytes(bundle: &JsValue, source: &str) -> Result<Vec<u8>, Error> {
    if let Some(text) = bundle.as_string() {
        return Ok(text.into_bytes());
    }
    if bundle.is_instance_of::<js_sys::Uint8Array>() {
        return Ok(js_sys::Uint8Array::new(bundle).to_vec());
    }
    if bundle.is_object() && !bundle.is_function() && !Array::is_array(bundle) {
        return JSON::stringify(bundle)
            .ok()
            .and_then(|s| s.as_string())
            .map(String::into_bytes)
            .ok_or_else(|| {
                Error::trust_invalid(source, "the object cannot be serialised as JSON")
            });
    }
    Err(Error::trust_invalid(
        source,
        &format!(
            "expected a trust file as text, bytes or an object, not {}",
            type_name(bundle)
        ),
    ))
}

/// `trustRoots` and `trustState`: the root set, and the persisted state (`null` is absent).
fn trust_options(options: &JsValue) -> Result<(Option<RootSet>, Option<TrustState>), Error> {
    if options.is_undefined() {
        return Ok((None, None));
    }
    let get = |name: &str| Reflect::get(options, &JsValue::from_str(name)).unwrap_or_default();
    let roots = get("trustRoots");
    let state = get("trustState");
    let roots = if roots.is_undefined() {
        None
    } else {
        let text = String::from_utf8(bundle_bytes(&roots, "trustRoots")?)
            .map_err(|_| Error::trust_invalid("trustRoots", "not UTF-8"))?;
        Some(RootSet::from_json(&text, "trustRoots")?)
    };
    let state = if state.is_undefined() || state.is_null() {
        None
    } else if roots.is_none() {
        return Err(Error::invalid_option(
            "trustState",
            "needs trustRoots (the state belongs to a signed trust bundle)",
        ));
    } else {
        let text = if state.is_string() || (state.is_object() && !state.is_function()) {
            bundle_bytes(&state, "trustState")
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
        } else {
            None
        };
        Some(TrustState::from_json(&text.unwrap_or_default())?)
    };
    Ok((roots, state))
}

/// Reads the jose-style options strictly; `undefined` members count as absent.
fn options_from(options: &JsValue) -> Result<(Policy, Option<i64>), Error> {
    let mut policy = Policy::default();
    if options.is_undefined() {
        return Ok((policy, None));
    }
    check_option_names(options, false)?;
    let (_, current_date) = set_options(&mut policy, options, false)?;
    Ok((policy, current_date))
}

/// Sets the [`POLICY_OPTIONS`] (only those of one call with `per_call`) from `options` by the
/// core's rules ([`Policy::set_option`]), and reads `currentDate`; whether any policy option was
/// given.
fn set_options(
    policy: &mut Policy,
    options: &JsValue,
    per_call: bool,
) -> Result<(bool, Option<i64>), Error> {
    let mut changed = false;
    let mut date = None;
    for option in POLICY_OPTIONS.iter().filter(|o| o.per_call || !per_call) {
        let value = Reflect::get(options, &JsValue::from_str(option.name)).unwrap_or_default();
        if value.is_undefined() {
            continue;
        }
        if option.kind == OptionKind::Time {
            date = optional_date(&value, option.name)?;
        } else {
            policy.set_option(option, option_value(&value))?;
            changed = true;
        }
    }
    Ok((changed, date))
}

/// A JS value as the core reads an option: its type kept (`"60"` stays text).
fn option_value(value: &JsValue) -> OptionValue {
    if let Some(text) = value.as_string() {
        OptionValue::Text(text)
    } else if let Some(n) = value.as_f64() {
        OptionValue::Number(n)
    } else if Array::is_array(value) {
        let items: &Array = value.unchecked_ref();
        OptionValue::List(
            items
                .iter()
                .map(|item| item.as_string().unwrap_or_default())
                .collect(),
        )
    } else {
        OptionValue::Other(type_name(value))
    }
}

/// Refuses an object that is not a plain options object or has a member it cannot take: the
/// [`POLICY_OPTIONS`] of one call with `per_call` (those of `verify`), else every
/// one and the trust options (those of the constructor).
fn check_option_names(options: &JsValue, per_call: bool) -> Result<(), Error> {
    let (trust, what): (&[&str], &str) = if per_call {
        (&[], "verify options")
    } else {
        (&TRUST_OPTION_NAMES, "options")
    };
    let names: Vec<&str> = POLICY_OPTIONS
        .iter()
        .filter(|o| o.per_call || !per_call)
        .map(|o| o.name)
        .chain(trust.iter().copied())
        .collect();
    if !options.is_object() || options.is_function() || Array::is_array(options) {
        return Err(Error::invalid_option(
            what,
            &format!("must be an object, not {}", type_name(options)),
        ));
    }
    let object: &Object = options.unchecked_ref();
    for name in Object::keys(object).iter() {
        let name = name.as_string().unwrap_or_default();
        if !names.contains(&name.as_str()) {
            return Err(Error::invalid_option(
                &name,
                &format!("unknown option; the {what} are {}", names.join(", ")),
            ));
        }
    }
    Ok(())
}

/// A valid `Date` as whole Unix seconds (rounded down), or `None` for `undefined`.
fn optional_date(value: &JsValue, name: &str) -> Result<Option<i64>, Error> {
    if value.is_undefined() {
        return Ok(None);
    }
    let date = value.dyn_ref::<js_sys::Date>().ok_or_else(|| {
        Error::invalid_option(name, &format!("must be a Date, not {}", type_name(value)))
    })?;
    let ms = date.get_time();
    if !ms.is_finite() {
        return Err(Error::invalid_option(name, "is an invalid Date"));
    }
    // A valid Date is within ±8.64e15 ms, so the seconds fit an i64 exactly.
    #[allow(clippy::cast_possible_truncation)]
    Ok(Some((ms / 1000.0).floor() as i64))
}

/// The wall clock, read here in the JS layer only: the core takes time as an argument.
fn now_seconds() -> i64 {
    #[allow(clippy::cast_possible_truncation)]
    let seconds = (js_sys::Date::now() / 1000.0).floor() as i64;
    seconds
}

/// A JS `Error` with the stable `code` and the Vietnamese message beside the English one.
fn to_js_error(error: &Error) -> JsValue {
    let js = js_sys::Error::new(&error.message_en());
    set(&js, "code", &error.code().as_str().into());
    set(&js, "messageVi", &error.message_vi().into());
    // What it is about, as data: the option or entry (`path`), the claim, the limit.
    if let Some(data) = error.data() {
        if let Some(claim) = &data.claim {
            set(&js, "claim", &claim.as_str().into());
        }
        if let Some(path) = &data.path {
            set(&js, "path", &path.as_str().into());
        }
        if let Some(limit) = data.limit {
            // Limits are sizes far below 2^53: the number is exact.
            #[allow(clippy::cast_precision_loss)]
            set(&js, "limit", &(limit as f64).into());
        }
    }
    js.into()
}

/// Parses JSON we produced ourselves; it is always valid, so the fallback is never seen.
fn to_js_value(json_text: &str) -> JsValue {
    JSON::parse(json_text).unwrap_or(JsValue::NULL)
}

/// `typeof`, with `null` and arrays named as such, for messages.
fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        String::from("null")
    } else if Array::is_array(value) {
        String::from("an array")
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}
