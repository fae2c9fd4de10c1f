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

use js_sys::{Array, Object, Reflect, JSON};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{Error, ErrorCode};
use crate::formats::shc::{ChunkNext, ChunkProgress, ShcChunks};
use crate::policy::{KeyBinding, Level, Policy};
use crate::trust::signed::{self, RootSet, TrustState};
use crate::trust::TrustStore;
use crate::verdict::{Format, Verdict, WarningCode};

/// The options `new Verifier(trust, options)` accepts; anything else is `invalid_option`.
const OPTION_NAMES: [&str; 12] = [
    "issuer",
    "audience",
    "minLevel",
    "clockTolerance",
    "maxTokenAge",
    "formats",
    "currentDate",
    "nonce",
    "holderBinding",
    "maxProofAge",
    "trustRoots",
    "trustState",
];

/// The options `verify(payload, options)` accepts for one call: those of one transaction.
const CALL_OPTION_NAMES: [&str; 4] = ["currentDate", "nonce", "holderBinding", "maxProofAge"];

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** A stable error code: why a verdict is not valid, or why a constructor threw. */
export type ErrorCode =
  | "empty_payload" | "payload_too_large" | "unknown_format" | "format_not_allowed"
  | "token_malformed" | "jwe_unsupported" | "header_too_large" | "base64_invalid" | "json_invalid"
  | "header_invalid" | "alg_not_allowed" | "crit_unsupported" | "nested_jwt_unsupported"
  | "signature_malformed" | "typ_invalid"
  | "disclosure_invalid" | "disclosure_duplicated" | "disclosure_unreferenced"
  | "holder_binding_missing" | "nonce_mismatch" | "sd_hash_mismatch" | "replayed"
  | "replay_cache_full"
  | "prefix_invalid" | "base45_invalid" | "numeric_invalid" | "chunk_invalid" | "chunks_incomplete"
  | "inflate_failed" | "decompressed_too_large" | "cbor_invalid" | "cose_invalid" | "schema_invalid"
  | "certificate_invalid" | "chain_invalid"
  | "unknown_issuer" | "unknown_key" | "ambiguous_key" | "key_not_yet_valid" | "key_expired"
  | "unsupported_key" | "key_not_authorized"
  | "signature_invalid"
  | "claim_missing" | "claim_invalid" | "issuer_mismatch" | "audience_mismatch" | "expired"
  | "not_yet_valid" | "issued_in_future" | "too_old" | "level_too_low" | "personal_id_invalid"
  | "revoked"
  | "suspended" | "status_unknown" | "status_list_missing" | "status_list_stale"
  | "status_index_invalid" | "trust_expired"
  | "unsigned"
  | "invalid_option" | "trust_invalid" | "trust_unsigned" | "trust_signature_invalid"
  | "trust_unknown_signer" | "trust_threshold_not_met" | "trust_rollback"
  | "trust_issued_in_future" | "trust_state_invalid";

/** A stable warning code: worth a person's attention, even on a valid verdict. */
export type WarningCode =
  | "birthdate_mismatch" | "gender_mismatch" | "audience_not_checked" | "inconsistent"
  | "clock_unset";

/** The format a payload was recognised as. */
export type Format =
  | "vneid_token" | "jwt" | "vneid_document" | "eu_dcc" | "shc" | "vds_nc" | "sd_jwt_vc"
  | "cccd_qr" | "unknown";

/** A trust file as JSON text or as the parsed object: a trust bundle (`{"issuers": [...],
 * "revoked": [...]}`), or a JWKS (`{"keys": [...]}`; without its own `iss`, its keys are bound
 * to the `issuer` option, as jose's local key sets are, and refused when there is none); or
 * signing certificates as PEM text or DER bytes (bound to the `issuer` option, else to the
 * country in the certificate's subject); or a P-256 `PUBLIC KEY` in PEM (needs `issuer`). */
export type TrustBundle = string | Uint8Array | { [member: string]: unknown };

/** One trust bundle, or several merged into one store. */
export type TrustInput = TrustBundle | TrustBundle[];

/** What the caller requires (jose-style). Unknown names, wrong types and negative numbers throw
 * an `Error` with `code: "invalid_option"`. */
export interface VerifierOptions {
  /** Expected issuer (`iss`, exact match); makes `iss` required. Also the issuer that the keys
   * of a trust file naming none (a published JWKS, a certificate, a PEM key) are bound to.
   * Default: any trusted issuer. */
  issuer?: string;
  /** Expected audience: `aud` must be it or contain it; makes `aud` required, so documents
   * (which name no audience) are refused. Default: not checked (a token with `aud` then gets
   * the warning `audience_not_checked`). */
  audience?: string;
  /** Minimum VNeID assurance level; makes `acr` required, so documents (which assert no level)
   * are refused. Default: none. */
  minLevel?: 1 | 2;
  /** Allowed clock skew in whole seconds for `exp`, `nbf` and `iat`. Default: 60. */
  clockTolerance?: number;
  /** Maximum token age since `iat`, in whole seconds; makes `iat` required. Default: no limit. */
  maxTokenAge?: number;
  /** The formats accepted; any other gets `format_not_allowed`. Default: every format. */
  formats?: Exclude<Format, "unknown">[];
  /** A fixed verification time, used when `verify` is given none (and to check a signed
   * bundle's `issued` when it is loaded). Default: the clock at each call. */
  currentDate?: Date;
  /** The nonce a holder's proof (an SD-JWT key-binding JWT) must carry: the challenge of one
   * transaction, so usually given per `verify` call. When set, a proof is required. Default: any
   * nonce (a one-way QR, where the wallet chose it; the replay cache refuses a second use). */
  nonce?: string;
  /** `"required"`: a verified key-binding proof is required, and bearer payloads get
   * `holder_binding_missing`; `"optional"`: a proof is checked when present. Never inferred
   * from the payload. Default: `"optional"`. */
  holderBinding?: "required" | "optional";
  /** Maximum age of a holder's proof since its `iat`, in whole seconds (plus `clockTolerance`);
   * also how long the replay cache remembers it. Default: 300. */
  maxProofAge?: number;
  /** The pinned root set: `trust` must then be one signed trust bundle (docs/trust.md), signed
   * by `threshold` of these keys; an unsigned trust file throws `trust_unsigned`. */
  trustRoots?: RootSet | string;
  /** What the page persisted from `trustBundle().state` last time: the highest version accepted
   * (an older bundle throws `trust_rollback`) and the roots after a rotation. `null` or absent:
   * a fresh device. A corrupt state throws `trust_state_invalid`. Needs `trustRoots`. */
  trustState?: TrustState | string | null;
}

/** A root set: public P-256 JWKs with `kid`, and how many must sign (default 1). */
export interface RootSet {
  keys: { [member: string]: unknown }[];
  threshold?: number;
}

/** What a device persists between runs of a signed trust bundle. */
export interface TrustState {
  /** The highest bundle version accepted. */
  version: number;
  /** The roots in force (after a rotation); absent means the pinned roots. */
  roots?: RootSet;
}

/** The signed trust bundle a verifier was built from. */
export interface TrustBundleInfo {
  version: number;
  /** Unix seconds. */
  issued: number;
  /** Unix seconds: from then on every verdict is `trust_expired`. */
  expires: number;
  /** The kids of the root keys whose signatures verified. */
  signers: string[];
  /** True when the bundle named new roots: persist `state`. */
  rotated: boolean;
  /** To persist (e.g. `localStorage`) and pass back as `trustState` next time. */
  state: Required<TrustState>;
}

/** A status list carried in the trust bundle, for display. */
export interface StatusListInfo {
  /** The list's URI (`sub`), as credentials name it. */
  uri: string;
  bits: 1 | 2 | 4 | 8;
  entries: number;
  /** The issuers whose keys verified it. */
  signers: string[];
  issuedAt: number;
  expiresAt: number | null;
}

/** The options of one `verify` call, over the verifier's own: those of one transaction. */
export interface VerifyOptions {
  /** The verification time. Default: the verifier's `currentDate`, else the clock now. */
  currentDate?: Date;
  nonce?: string;
  holderBinding?: "required" | "optional";
  maxProofAge?: number;
}

/** How a valid verdict's holder was bound: `"key"` when a key-binding proof verified with the
 * holder key the issuer signed into the credential; `"none"` for bearer data (whoever shows it
 * passes: a front-end may ask for a photo check). */
export type HolderBinding = "key" | "none";

/** A warning attached to a verdict. */
export interface VerdictWarning {
  code: WarningCode;
  /** English message. */
  message: string;
  /** Vietnamese message. */
  messageVi: string;
}

/** A recognised document: its type and its fields, laid out as on the document. */
export interface VerdictDocument {
  type: string;
  fields: { [field: string]: unknown };
}

interface VerdictFields {
  /** The recognised format. */
  format: Format;
  /** English message. */
  message: string;
  /** Vietnamese message. */
  messageVi: string;
  /** The verified issuer; `null` unless valid. */
  issuer: string | null;
  /** The id of the key that verified the signature. */
  kid: string | null;
  /** The verified subject (for VNeID: the 12-digit personal ID number). */
  subject: string | null;
  /** The verified VNeID assurance level. */
  level: 1 | 2 | null;
  /** Issued-at time, Unix seconds. */
  issuedAt: number | null;
  /** Not-before time, Unix seconds. */
  notBefore: number | null;
  /** Expiry time, Unix seconds. */
  expiresAt: number | null;
  /** The verified claims; `null` unless valid. */
  claims: { [claim: string]: unknown } | null;
  /** The document, for document formats (and, unverified, for the unsigned card QR). */
  document: VerdictDocument | null;
  /** Warnings (possibly also on a valid verdict). */
  warnings: VerdictWarning[];
}

/** Every check passed. */
export interface VerifiedVerdict extends VerdictFields {
  valid: true;
  code: null;
  holderBinding: HolderBinding;
}

/** Not verified: `code` says why. Nothing from the payload is presented as verified. */
export interface RejectedVerdict extends VerdictFields {
  valid: false;
  code: ErrorCode;
  holderBinding: null;
}

/** The outcome of one verification: the same shape for every format, and as the CLI prints it. */
export type Verdict = VerifiedVerdict | RejectedVerdict;

/** The `Error` thrown by the constructor and by `verify` for a bad `currentDate`. */
export interface VerifierError extends Error {
  code:
    | "invalid_option" | "trust_invalid" | "trust_unsigned" | "trust_signature_invalid"
    | "trust_unknown_signer" | "trust_threshold_not_met" | "trust_rollback"
    | "trust_issued_in_future" | "trust_state_invalid";
  /** Vietnamese message. */
  messageVi: string;
}

/** One trusted certificate authority (a trust bundle's `anchors`), for display. */
export interface TrustedAnchorInfo {
  /** Subject name, e.g. `CN=Passport Country Signing Authority, O=GOV, C=AU`. */
  subject: string;
  /** Issuer name (the subject again for a self-signed CA). */
  issuer: string;
  /** E.g. `EC P-256`. */
  keyType: string;
  /** basicConstraints cA: false for a pinned signer certificate. */
  isCa: boolean;
  /** Start of validity, Unix seconds. */
  notBefore: number;
  /** End of validity (inclusive), Unix seconds. */
  notAfter: number;
  /** SHA-256 of the DER, lower-case hex. */
  sha256: string;
  /** The formats whose signers may chain to it; `null`: every format that chains to an anchor. */
  formats: Exclude<Format, "unknown">[] | null;
  /** The issuer identity it vouches for (for VDS-NC the issuing state, e.g. `AUS`); `null`: any. */
  vouchesFor: string | null;
  /** Where it came from, e.g. `trust[0]: anchors[0]`. */
  source: string;
}

/** How far a multi-QR SMART Health Card has been read (`ShcChunks.add`). */
export interface ChunkProgress {
  /** Chunks read so far. */
  received: number;
  /** Chunks the card has (0 before the first chunk). */
  total: number;
  /** The 1-based indices still missing, in order. */
  missing: number[];
  /** True when every chunk is in: `payload()` is then the card to verify. */
  complete: boolean;
}

/** What `ShcChunks.scan` made of one scanned text: verify `payload` (the text as it is, or a
 * completed card), or wait for the card's other chunks. `abandoned` is the unfinished card a
 * chunk of another card replaced (`chunks_incomplete`, naming the missing chunks), if any. */
export type ChunkScan =
  | { kind: "verify"; payload: string; abandoned: AbandonedCard | null }
  | { kind: "partial"; progress: ChunkProgress; abandoned: AbandonedCard | null };

/** A multi-QR card given up for another: why, in English and Vietnamese. */
export interface AbandonedCard {
  code: "chunks_incomplete";
  message: string;
  messageVi: string;
}

/** The `Error` thrown by `ShcChunks.add` for a QR that is not a chunk of the card being read. */
export interface ChunkError extends Error {
  code: "prefix_invalid" | "numeric_invalid" | "chunk_invalid";
  /** Vietnamese message. */
  messageVi: string;
}

/** An error code with its messages. */
export interface ErrorCodeInfo {
  code: ErrorCode;
  message: string;
  messageVi: string;
}

/** One trusted key, for display (e.g. a trust panel). */
export interface TrustedKeyInfo {
  issuer: string;
  /** The issuer's display name from the trust bundle, if any. */
  issuerName: string | null;
  kid: string | null;
  /** E.g. `EC P-256`. */
  keyType: string;
  /** Start of validity, Unix seconds. */
  notBefore: number | null;
  /** End of validity (exclusive), Unix seconds. */
  notAfter: number | null;
  /** Document types the key may sign; `null` means any. */
  documentTypes: string[] | null;
  /** Where the key came from, e.g. `trust[0]: issuers[0].keys[1]`. */
  source: string;
}
"#;

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
                    Err(trust_invalid(
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
            return Err(invalid_option(
                "currentDate",
                &format!(
                    "the second argument must be a Date or the options of this call, not {}",
                    type_name(options)
                ),
            ));
        }
        check_option_names(options, &CALL_OPTION_NAMES, "verify options")?;
        let get = |name: &str| Reflect::get(options, &JsValue::from_str(name)).unwrap_or_default();
        let date = optional_date(&get("currentDate"), "currentDate")?;
        let mut policy = self.inner.policy().clone();
        let changed = holder_options(&mut policy, &get)?;
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
            .ok_or_else(|| trust_invalid(source, "the object cannot be serialised as JSON"));
    }
    Err(trust_invalid(
        source,
        &format!(
            "expected a trust file as text, bytes or an object, not {}",
            type_name(bundle)
        ),
    ))
}

fn trust_invalid(source: &str, reason: &str) -> Error {
    Error::with_detail(ErrorCode::TrustInvalid, format!("{source}: {reason}"))
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
            .map_err(|_| trust_invalid("trustRoots", "not UTF-8"))?;
        Some(RootSet::from_json(&text, "trustRoots")?)
    };
    let state = if state.is_undefined() || state.is_null() {
        None
    } else if roots.is_none() {
        return Err(invalid_option(
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
    check_option_names(options, &OPTION_NAMES, "options")?;
    let get = |name: &str| Reflect::get(options, &JsValue::from_str(name)).unwrap_or_default();

    policy.issuer = optional_string(&get("issuer"), "issuer")?;
    policy.audience = optional_string(&get("audience"), "audience")?;
    policy.min_level = match optional_seconds(&get("minLevel"), "minLevel")? {
        None => None,
        Some(n) => Some(
            Level::from_number(n).ok_or_else(|| invalid_option("minLevel", "must be 1 or 2"))?,
        ),
    };
    if let Some(secs) = optional_seconds(&get("clockTolerance"), "clockTolerance")? {
        policy.clock_tolerance = secs;
    }
    policy.max_token_age = optional_seconds(&get("maxTokenAge"), "maxTokenAge")?;
    policy.formats = optional_formats(&get("formats"))?;
    holder_options(&mut policy, &get)?;
    let current_date = optional_date(&get("currentDate"), "currentDate")?;
    Ok((policy, current_date))
}

/// Refuses an object that is not a plain options object or has a member not in `names`.
fn check_option_names(options: &JsValue, names: &[&str], what: &str) -> Result<(), Error> {
    if !options.is_object() || options.is_function() || Array::is_array(options) {
        return Err(invalid_option(
            what,
            &format!("must be an object, not {}", type_name(options)),
        ));
    }
    let object: &Object = options.unchecked_ref();
    for name in Object::keys(object).iter() {
        let name = name.as_string().unwrap_or_default();
        if !names.contains(&name.as_str()) {
            return Err(invalid_option(
                &name,
                &format!("unknown option; the {what} are {}", names.join(", ")),
            ));
        }
    }
    Ok(())
}

/// `nonce`, `holderBinding`, `maxProofAge` into `policy`; true when any was given.
fn holder_options(policy: &mut Policy, get: &dyn Fn(&str) -> JsValue) -> Result<bool, Error> {
    let mut changed = false;
    if let Some(nonce) = optional_string(&get("nonce"), "nonce")? {
        policy.nonce = Some(nonce);
        changed = true;
    }
    let binding = get("holderBinding");
    if !binding.is_undefined() {
        let name = binding.as_string().unwrap_or_default();
        policy.holder_binding = KeyBinding::from_name(&name).ok_or_else(|| {
            invalid_option("holderBinding", "must be \"required\" or \"optional\"")
        })?;
        changed = true;
    }
    if let Some(secs) = optional_seconds(&get("maxProofAge"), "maxProofAge")? {
        policy.max_proof_age = secs;
        changed = true;
    }
    Ok(changed)
}

/// A non-empty array of format names (`["vneid_token", "eu_dcc"]`), or `None` for `undefined`.
fn optional_formats(value: &JsValue) -> Result<Option<Vec<Format>>, Error> {
    if value.is_undefined() {
        return Ok(None);
    }
    if !Array::is_array(value) {
        return Err(invalid_option(
            "formats",
            &format!("must be an array of format names, not {}", type_name(value)),
        ));
    }
    let names: &Array = value.unchecked_ref();
    if names.length() == 0 {
        return Err(invalid_option("formats", "must name at least one format"));
    }
    let mut formats = Vec::new();
    for name in names.iter() {
        let text = name.as_string().unwrap_or_default();
        match Format::allowable_from_name(&text) {
            Some(format) => formats.push(format),
            None => {
                return Err(invalid_option(
                    "formats",
                    &format!(
                        "\"{text}\" is not a format; the formats are {}",
                        Format::allowable_names()
                    ),
                ));
            }
        }
    }
    Ok(Some(formats))
}

/// A valid `Date` as whole Unix seconds (rounded down), or `None` for `undefined`.
fn optional_date(value: &JsValue, name: &str) -> Result<Option<i64>, Error> {
    if value.is_undefined() {
        return Ok(None);
    }
    let date = value.dyn_ref::<js_sys::Date>().ok_or_else(|| {
        invalid_option(name, &format!("must be a Date, not {}", type_name(value)))
    })?;
    let ms = date.get_time();
    if !ms.is_finite() {
        return Err(invalid_option(name, "is an invalid Date"));
    }
    // A valid Date is within ±8.64e15 ms, so the seconds fit an i64 exactly.
    #[allow(clippy::cast_possible_truncation)]
    Ok(Some((ms / 1000.0).floor() as i64))
}

fn optional_string(value: &JsValue, name: &str) -> Result<Option<String>, Error> {
    if value.is_undefined() {
        return Ok(None);
    }
    match value.as_string() {
        Some(s) if !s.is_empty() => Ok(Some(s)),
        Some(_) => Err(invalid_option(name, "must not be empty")),
        None => Err(invalid_option(
            name,
            &format!("must be a string, not {}", type_name(value)),
        )),
    }
}

/// A whole, non-negative, safe-integer number.
fn optional_seconds(value: &JsValue, name: &str) -> Result<Option<u64>, Error> {
    if value.is_undefined() {
        return Ok(None);
    }
    const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
    match value.as_f64() {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Some(n) if n.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(&n) => Ok(Some(n as u64)),
        Some(n) => Err(invalid_option(
            name,
            &format!(
                "must be a whole number of seconds, 0 or more; got {}",
                crate::time::format_seconds(n)
            ),
        )),
        None => Err(invalid_option(
            name,
            &format!("must be a number, not {}", type_name(value)),
        )),
    }
}

/// The wall clock, read here in the JS layer only: the core takes time as an argument.
fn now_seconds() -> i64 {
    #[allow(clippy::cast_possible_truncation)]
    let seconds = (js_sys::Date::now() / 1000.0).floor() as i64;
    seconds
}

fn invalid_option(name: &str, reason: &str) -> Error {
    Error::with_detail(ErrorCode::InvalidOption, format!("{name}: {reason}"))
}

/// A JS `Error` with the stable `code` and the Vietnamese message beside the English one.
fn to_js_error(error: &Error) -> JsValue {
    let js = js_sys::Error::new(&error.message_en());
    set(&js, "code", &error.code().as_str().into());
    set(&js, "messageVi", &error.message_vi().into());
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
