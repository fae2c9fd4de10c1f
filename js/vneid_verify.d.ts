// The TypeScript declarations of the npm package `vneid-verify`: every entry (`vneid-verify`,
// `vneid-verify/slim`) ships this one file. Hand-maintained: when src/wasm.rs changes the
// JavaScript surface, change it here too. tests/js/types.test.mjs fails when a runtime export,
// a method, or an error/warning/format code is missing here or declared here but absent.

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
  | "vneid_presentation" | "cccd_qr" | "unknown";

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

/**
 * A recognised document: its type and its fields, laid out as on the document. Coded values are
 * the codes as issued (an EU DCC's `disease: "840539006"`, a SMART Health Card's
 * `vaccineCode: {system, code}`), with no display text: labels are the caller's.
 */
export interface VerdictDocument {
  type: string;
  fields: { [field: string]: unknown };
}

/** The person a verdict is about, the same shape for every format (for showing, not matching). */
export interface VerdictHolder {
  /** The full name as the payload writes it. */
  name: string | null;
  /** The date of birth as the payload writes it: `YYYY-MM-DD`, or `YYYY` / `YYYY-MM`. */
  birthDate: string | null;
}

/** What a rejection is about, as data; each member only when it applies. */
export interface ErrorDetail {
  /** The claim (`exp`, `aud`, `iss`…). */
  claim?: string;
  /** Where in the payload or file: `fields.dateOfBirth`, `dcc.v[0].ci`, `verifiableCredential[1]`,
   * `trust[0]: issuers[0].keys[1]`, an option's name. */
  path?: string;
  /** The limit that was exceeded (bytes, characters, items, disclosures). */
  limit?: number;
}

interface VerdictFields {
  /** The recognised format. */
  format: Format;
  /** English message. */
  message: string;
  /** Vietnamese message. */
  messageVi: string;
  /** What a rejection is about, as data; `null` when valid or when the code says it all. */
  detail: ErrorDetail | null;
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
  /** The holder (name, birth date), whatever the format calls them; `null` unless valid (and,
   * unverified, for the unsigned card QR). */
  holder: VerdictHolder | null;
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
  /** The option (`clockTolerance`) or trust file entry (`trust[0]: issuers[0].keys[1]`). */
  path?: string;
  /** The claim, when the error is about one. */
  claim?: string;
  /** The limit that was exceeded. */
  limit?: number;
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

/** Verifies tokens and QR payloads offline against a trust store. */
export class Verifier {
  /**
   * A verifier trusting `trust` (a trust file: a bundle or JWKS as JSON text or object,
   * certificates as PEM text or DER bytes; or an array of them) and requiring `options`. With
   * `trustRoots`, `trust` is one signed trust bundle (docs/trust.md).
   *
   * Throws a {@link VerifierError} with `code` `trust_invalid` (naming the bad entry) or
   * `invalid_option` (naming the option); with `trustRoots`, the refusals of a signed bundle
   * (`trust_signature_invalid`, `trust_rollback`, …).
   */
  constructor(trust: TrustInput, options?: VerifierOptions | null);
  /**
   * Verifies one payload (a token or a QR code's text). The second argument is the
   * verification time (a `Date`) or the options of this call (`VerifyOptions`: `currentDate`,
   * `nonce`, `holderBinding`, `maxProofAge`, over the verifier's own). The time defaults to the
   * `currentDate` option, else the clock now. Never throws for a bad payload: the verdict says
   * why. Accepted holder proofs are remembered by this verifier, across calls. Throws
   * `invalid_option` only for a bad second argument (not a valid `Date`, an unknown option, a
   * wrong type).
   */
  verify(payload: string, options?: Date | VerifyOptions | null): Verdict;
  /** The signed trust bundle this verifier was built from (version, dates, signers, and the
   * state to persist), or `null` for unsigned trust. */
  trustBundle(): TrustBundleInfo | null;
  /** The status lists the trust holds, in the order they were loaded. */
  statusLists(): StatusListInfo[];
  /** The trusted keys, in the order they were loaded. */
  trustedKeys(): TrustedKeyInfo[];
  /** The trusted certificate authorities (trust bundle `anchors`), in the order they were loaded. */
  trustedAnchors(): TrustedAnchorInfo[];
  /** Releases the verifier's memory now (otherwise it is released when garbage-collected). */
  free(): void;
  /** `using verifier = new Verifier(…)` frees it at the end of the scope. */
  [Symbol.dispose](): void;
}

/**
 * Collects the QR codes of one SMART Health Card, one scan at a time and in any order, for a
 * scanner to show "2 of 3". A camera reads each code many times: an identical re-scan is
 * harmless. Verify `payload()` once `complete`.
 */
export class ShcChunks {
  /** An empty collector. */
  constructor();
  /**
   * Adds one scanned `shc:/` QR text and returns the progress. On error the collector is
   * unchanged, so a misread can simply be scanned again. Throws a {@link ChunkError} with `code`
   * `prefix_invalid`, `numeric_invalid` or `chunk_invalid` (a chunk of another card, or a
   * different QR under an index already read).
   */
  add(qrText: string): ChunkProgress;
  /**
   * Takes one scanned text by the core's one chunk rule (the CLI scanner's too): a chunk of a
   * multi-QR card is collected, and the card is the payload to verify once complete; a chunk of
   * another card gives up the unfinished one (`abandoned`) and starts the new one; anything else
   * is to be verified as it is, and the card being collected is kept. Throws (`prefix_invalid`)
   * only for a `qrText` that is not a string.
   */
  scan(qrText: string): ChunkScan;
  /** The progress so far. */
  progress(): ChunkProgress;
  /** The collected QR texts in order, one per line (the payload for `verify`); `null` until every chunk is in. */
  payload(): string | null;
  /** Forgets everything collected, to start on another card. */
  clear(): void;
  /** Releases the collector's memory now. */
  free(): void;
  /** `using chunks = new ShcChunks()` frees it at the end of the scope. */
  [Symbol.dispose](): void;
}

/** Every error code with its English and Vietnamese messages, in documentation order. */
export function errorCodes(): ErrorCodeInfo[];
/** Every warning code. */
export function warningCodes(): WarningCode[];
/** Every format a verdict can report. */
export function formats(): Format[];
/** The package version. */
export function version(): string;

// ---- Loading the WebAssembly module ------------------------------------------------------------

/** A compiled `WebAssembly.Module`; any object where the `lib` declares no WebAssembly (Node's
 * types without the DOM lib), so that these declarations check with every `lib`. */
export type CompiledModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer M } } } ? M : object;

/** Where `init` can take the WebAssembly module from: its URL (fetched), a fetch `Response`,
 * its bytes, or a compiled module. */
export type InitInput = string | URL | Request | Response | ArrayBuffer | ArrayBufferView | CompiledModule;

/** What `initSync` can take the WebAssembly module from: its bytes or a compiled module. */
export type SyncInitInput = ArrayBuffer | ArrayBufferView | CompiledModule;

/** The instantiated module's exports (for diagnostics: the functions above are the API). */
export interface InitOutput {
  readonly memory: typeof globalThis extends { WebAssembly: { Memory: { prototype: infer M } } } ? M : object;
}

/**
 * Loads the WebAssembly module, once; later calls return the same promise.
 *
 * - `vneid-verify` in Node, Deno and Bun: already loaded at import; resolves at once.
 * - `vneid-verify` in browsers and workers: inflates the module the package carries inside
 *   itself (no request is made). Call it once before the first `new Verifier`; in a service
 *   worker, start it at the top (`const ready = init();`) and `await ready` in the event
 *   handlers: service workers forbid top-level `await`.
 * - `vneid-verify/slim`: fetches `vneid_verify_bg.wasm` from beside the module, or takes it
 *   from `module_or_path` (a URL, a `Response`, the bytes or a compiled module).
 */
export default function init(
  input?: { module_or_path?: InitInput | Promise<InitInput> },
): Promise<InitOutput>;

/**
 * Loads the WebAssembly module synchronously from its bytes or a compiled module (an offline
 * device that already holds them). In Node, Deno and Bun (`vneid-verify`), it is already loaded
 * and the argument may be left out.
 */
export function initSync(input?: { module: SyncInitInput }): InitOutput;

declare global {
  interface SymbolConstructor {
    /** The disposer `using` calls, from TypeScript's lib `esnext.disposable`; declared here too
     * so that a project whose `lib` lacks it still type-checks these declarations. */
    readonly dispose: unique symbol;
  }
}
