// Type-checked (never run) by tests/js/package.test.mjs against the installed package's .d.ts:
// the types must accept correct use and reject mistakes (each @ts-expect-error must be needed).

import init, {
  ShcChunks, Verifier, errorCodes, formats, initSync, version, warningCodes,
  type AbandonedCard, type ChunkError, type ChunkProgress, type ChunkScan, type ErrorCode, type Format, type TrustedAnchorInfo,
  type TrustedKeyInfo, type Verdict, type VerifierError, type VerifierOptions, type WarningCode,
  type RootSet, type StatusListInfo, type TrustBundleInfo, type TrustState,
} from 'vneid-verify';

export async function usage(trust: string, token: string, bytes: Uint8Array): Promise<string> {
  await init();
  initSync({ module: bytes });
  const options: VerifierOptions = { audience: 'https://bank.example', minLevel: 2, clockTolerance: 30, currentDate: new Date() };
  const verifier = new Verifier([trust, { issuers: [] }], options);
  const verdict: Verdict = verifier.verify(token, new Date());
  // Both optional arguments may be left out.
  const defaults: Verdict = new Verifier(trust).verify(token);
  void defaults;

  if (verdict.valid) {
    // Narrowed: a verified verdict has no code.
    const none: null = verdict.code;
    const level: 1 | 2 | null = verdict.level;
    void none; void level;
  } else {
    // Narrowed: a rejected verdict has a code from the closed union, so switch is exhaustive.
    const code: ErrorCode = verdict.code;
    switch (code) {
      case 'expired': return 'expired';
      case 'signature_invalid': return 'forged';
      // @ts-expect-error: not an error code
      case 'signature_bad': return 'never';
      default: break;
    }
  }
  const warnings: WarningCode[] = verdict.warnings.map((w) => w.code);
  const format: Format = verdict.format;
  const keys: TrustedKeyInfo[] = verifier.trustedKeys();
  const codes: ErrorCode[] = errorCodes().map((c) => c.code);
  const all: Format[] = formats();
  const warningList: WarningCode[] = warningCodes();
  try {
    // @ts-expect-error: minLevel is 1 or 2
    new Verifier(trust, { minLevel: 3 });
    // @ts-expect-error: unknown option
    new Verifier(trust, { audiance: 'x' });
    // @ts-expect-error: currentDate is a Date
    verifier.verify(token, 1700000000);
  } catch (e) {
    const err = e as VerifierError;
    const thrown: ErrorCode = err.code;
    const rollback: VerifierError['code'] = 'trust_rollback';
    // @ts-expect-error: a verdict's code is never thrown
    const notThrown: VerifierError['code'] = 'trust_expired';
    void thrown, rollback, notThrown;
  }
  // A signed trust bundle: roots pinned, the state persisted and passed back.
  const roots: RootSet = { keys: [], threshold: 1 };
  const signedVerifier = new Verifier('{"payload":"","signatures":[]}', {
    trustRoots: roots,
    trustState: null,
  });
  const bundle: TrustBundleInfo | null = signedVerifier.trustBundle();
  if (bundle !== null) {
    const state: TrustState = bundle.state;
    new Verifier('…', { trustRoots: JSON.stringify(roots), trustState: JSON.stringify(state) });
    const expires: number = bundle.expires;
    void expires;
  }
  const lists: StatusListInfo[] = signedVerifier.statusLists();
  void lists;
  // @ts-expect-error: trustState is a state object, its JSON text or null
  new Verifier(trust, { trustRoots: roots, trustState: 7 });
  const anchors: TrustedAnchorInfo[] = verifier.trustedAnchors();
  const chunks = new ShcChunks();
  const progress: ChunkProgress = chunks.add('shc:/2/2/5676');
  const missing: number[] = progress.missing;
  const payload: string | null = chunks.payload();
  if (payload !== null) verifier.verify(payload);
  try {
    // @ts-expect-error: a QR text is a string
    chunks.add(42);
  } catch (e) {
    const code: ChunkError['code'] = (e as ChunkError).code;
    void code;
  }
  const scanned: ChunkScan = chunks.scan('shc:/1/2/56');
  if (scanned.kind === 'verify') verifier.verify(scanned.payload);
  else {
    const received: number = scanned.progress.received;
    void received;
    // @ts-expect-error: a partial scan has no payload
    void scanned.payload;
  }
  const abandoned: AbandonedCard | null = scanned.abandoned;
  if (abandoned) {
    const code: 'chunks_incomplete' = abandoned.code;
    void code;
  }
  chunks.free();
  verifier.free();
  return `${version()} ${format} ${warnings.length} ${keys.length} ${anchors.length} ${missing.length} ${codes.length} ${all.length} ${warningList.length}`;
}
