// The scanner build (dist-wasi/vneid-verify.wasm, `npm run build:wasi`) under Node's built-in
// WASI, against the native CLI: the same arguments and the same input must give the same bytes on
// standard output and the same exit status. Time is pinned with --at wherever a verdict depends
// on it. Tokens are made by the native `issue token` (the WASI build has no signing).
//
// Run: node --test tests/wasi/

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { root, setUp } from './harness.mjs';

const VECTORS = join(root, '..', 'shared', 'vectors');
const AT = '1795000000';
const DOCS_AT = '1700000000';
const ISS = 'https://id.vneid.test';
const CLAIMS = {
  iss: ISS, sub: '079305004321', acr: 'urn:vneid:level:2', aud: 'airline', name: 'Nguyễn Văn An',
};

let file;
let native;
let mustNative;
let wasi;
let same;
let tearDown;

/** A conformance vector from ../shared/vectors: a missing file fails the test, never skips it. */
function vector(relative) {
  const path = join(VECTORS, relative);
  assert.ok(existsSync(path), `conformance vector ${path} is missing (../shared/vectors beside the project)`);
  return readFileSync(path, 'utf8');
}

const codes = (lines) => lines.map((l) => JSON.parse(l).code);

let tokens;
let input;
let documents;

before(async () => {
  ({ file, native, mustNative, wasi, same, tearDown } = await setUp('wasi'));
  for (const [name, kid] of [['a', 'test-k1'], ['b', 'test-key-number-two']]) {
    mustNative([
      'keygen', '--kid', kid, '--out', file(`${name}.key`), '--issuer', ISS,
      '--trust-out', file(`${name}.trust`),
    ]);
  }
  const issue = (key, claims, at) => mustNative([
    'issue', 'token', '--key', file(`${key}.key`), '--claims', JSON.stringify(claims),
    '--ttl', '600', '--at', at,
  ]);
  const good = issue('a', CLAIMS, AT);
  const [signed, signature] = [good.slice(0, good.lastIndexOf('.')), good.slice(good.lastIndexOf('.') + 1)];
  tokens = {
    good,
    expired: issue('a', CLAIMS, '1794000000'),
    tampered: `${signed}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`,
    otherKey: issue('b', CLAIMS, AT),
    level1: issue('a', { ...CLAIMS, acr: 'urn:vneid:level:1' }, AT),
    badId: issue('a', { ...CLAIMS, sub: '07930500432' }, AT),
    mismatch: issue('a', { ...CLAIMS, gender: 'male' }, AT),
  };
  input = Buffer.concat([
    Buffer.from(
      [
        `${tokens.good}\r\n`, `  ${tokens.expired}  \r`, `${tokens.tampered}\n`, '\n\r\n  \n',
        `${tokens.otherKey}\n`, `${tokens.level1}\n`, `${tokens.badId}\n`, `${tokens.mismatch}\n`,
        'not a token\n', 'a.b.c\n', 'HC1:6BF\n', 'shc:/2/3/5656\n', 'shc:/1/1/56\n',
      ].join(''),
    ),
    Buffer.from([0xff, 0xfe, 0x00, 0x67, 0x0a]),
    Buffer.alloc(1 << 20, 0x65),
    Buffer.from(`\n${'x'.repeat(20000)}\n${tokens.good}\n${tokens.good}`),
  ]);

  // Document QRs: the SMART Health Card examples (one card in three QRs, one revoked card), the
  // ID card QR (unsigned), VDS-NC seals (one chaining to the trusted CSCA, one not), an EU DCC
  // (dgc-testdata HR 1, with its signing certificate), a VNeID document QR signed here and the
  // same QR with a changed character.
  const jwks = JSON.parse(vector('shc/examples/issuer/.well-known/jwks.json'));
  const crl = JSON.parse(vector('shc/examples/issuer/.well-known/crl/3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json'));
  writeFileSync(file('shc.json'), JSON.stringify({
    iss: 'https://spec.smarthealth.cards/examples/issuer', keys: jwks.keys, crls: [crl],
  }));
  writeFileSync(file('anchors.json'), JSON.stringify({ anchors: [vector('vds-nc/au-root/csca_au_rs4096.cer')] }));
  const chunk = (k) => vector(`shc/examples/example-02-f-qr-code-numeric-value-${k}.txt`).trim();
  const seals = JSON.parse(vector('vds-nc/VDS-NC-Dotnet.Tests/Helpers/VDS-NC-Examples.json'));
  const dcc = JSON.parse(vector('eu-dcc/HR/2DCode/raw/1.json'));
  writeFileSync(file('dcc.json'), JSON.stringify({
    issuers: [{ iss: 'HR', certificates: [dcc.TESTCTX.CERTIFICATE] }],
  }));
  mustNative([
    'keygen', '--kid', 'test-doc-key', '--out', file('doc.key'), '--issuer', 'VN-TEST',
    '--trust-out', file('doc.trust'),
  ]);
  const vn1 = mustNative([
    'issue', 'document', '--type', 'cccd', '--key', file('doc.key'), '--issuer', 'VN-TEST',
    '--id', 'CCCD-0001', '--at', DOCS_AT, '--fields', JSON.stringify({
      personalId: '079305004321', fullName: 'Trần Thị Bình', dateOfBirth: '2005-02-01',
      sex: 'female', placeOfResidence: '12 Đường A, Quận 1, TP. Hồ Chí Minh', issueDate: '2021-05-10',
    }),
  ]);
  const at = vn1.length - 10;
  const vn1Tampered = `${vn1.slice(0, at)}${vn1[at] === 'A' ? 'B' : 'A'}${vn1.slice(at + 1)}`;
  documents = `${[
    chunk(2), chunk(0), chunk(1),
    vector('shc/examples/example-03-f-qr-code-numeric-value-0.txt').trim(),
    '001099001234|012345678|Nguyễn Văn An|15031999|Nam|Hà Nội|10052021',
    JSON.stringify(seals[1]), JSON.stringify(seals[0]),
    dcc.PREFIX, vn1, vn1Tampered,
    chunk(0), chunk(2),
  ].join('\r\n')}\r\n`;
});

after(() => {
  if (tearDown) tearDown();
});

describe('the WASI build gives the same bytes as the native CLI', () => {
  test('verify over standard input', async () => {
    const r = await same(
      ['verify', '--trust', file('a.trust'), '--at', AT, '--audience', 'airline', '--min-level', '2'],
      input,
    );
    assert.equal(r.native.code, 1);
    assert.deepEqual(codes(r.lines), [
      null, 'expired', 'signature_invalid', 'unknown_key', 'level_too_low', 'personal_id_invalid',
      null, 'unknown_format', 'unknown_format', 'inflate_failed',
      // shc:/2/3/… waits for its card (as in scan); shc:/1/1/… is a 1-of-1 header: invalid
      'chunk_invalid',
      'unknown_format', 'payload_too_large', 'payload_too_large', null, null,
      // the card of shc:/2/3/… never completed: reported at the end of the input
      'chunks_incomplete',
    ]);
    assert.equal(JSON.parse(r.lines[6]).warnings[0].code, 'gender_mismatch');
  });

  test('verify with payloads as arguments', async () => {
    const r = await same(['verify', '--trust', file('a.trust'), '--at', AT, tokens.good, tokens.level1]);
    assert.equal(r.native.code, 0);
    assert.deepEqual(codes(r.lines), [null, null]);
  });

  test('scan: repeats suppressed, a half card reported at the end', async () => {
    const r = await same(['scan', '--trust', file('a.trust'), '--at', AT], input);
    assert.equal(r.native.code, 0);
    assert.deepEqual(codes(r.lines), [
      null, 'expired', 'signature_invalid', 'unknown_key', null, 'personal_id_invalid', null,
      'unknown_format', 'unknown_format', 'inflate_failed', 'chunk_invalid', 'unknown_format',
      'payload_too_large', 'payload_too_large', 'chunks_incomplete',
    ]);
    assert.equal(
      JSON.parse(r.lines.at(-1)).message,
      'Some parts of a multi-part QR code are missing (1 of 3 chunks; missing 1, 3)',
    );
  });

  test('scan --output human with a prefix and a suffix, repeats allowed', async () => {
    const framed = `\x02${tokens.good}\x03\r\n\x02${tokens.good}\x03\r\n\x02${tokens.expired}\x03\r\nshc:/1/2/5656\n`;
    const r = await same(
      ['scan', '--trust', file('a.trust'), '--at', AT, '--audience', 'airline', '--output', 'human', '--prefix', '\\x02',
        '--suffix', '\\x03', '--repeat-window', '0'],
      framed,
    );
    assert.deepEqual(r.lines, [
      'VERIFIED  Nguyễn Văn An  vneid_token level 2  (kid test-k1)',
      'VERIFIED  Nguyễn Văn An  vneid_token level 2  (kid test-k1)',
      'NOT VERIFIED  vneid_token  expired: It has expired (exp 1794000600; now 1795000000; tolerance 60s)',
      'PARTIAL  shc  1 of 2 chunks read; missing 2',
      'NOT VERIFIED  shc  chunks_incomplete: Some parts of a multi-part QR code are missing (1 of 2 chunks; missing 2)',
    ]);
  });

  test('scan --input reads a file in the pre-opened folder', async () => {
    writeFileSync(file('scans.txt'), `${tokens.good}\n${tokens.expired}\n`);
    const r = await same(['scan', '--trust', file('a.trust'), '--at', AT, '--input', file('scans.txt')]);
    assert.deepEqual(codes(r.lines), [null, 'expired']);
  });

  test('document QRs, a card in three QRs among them, with verify and scan', async () => {
    const trust = [
      '--trust', file('shc.json'), '--trust', file('anchors.json'), '--trust', file('dcc.json'),
      '--trust', file('doc.trust'), '--at', DOCS_AT,
    ];
    const batch = await same(['verify', ...trust], documents);
    const tampered = codes(batch.lines)[7];
    assert.ok(['signature_invalid', 'base45_invalid', 'inflate_failed', 'cbor_invalid'].includes(tampered), tampered);
    assert.deepEqual(codes(batch.lines), [
      null, 'revoked', 'unsigned', null, 'chain_invalid', null, null, tampered, 'chunks_incomplete',
    ]);
    const scan = await same(['scan', ...trust, '--repeat-window', '0'], documents);
    assert.deepEqual(codes(scan.lines), codes(batch.lines));
    const human = await same(['scan', ...trust, '--repeat-window', '0', '--output', 'human'], documents);
    assert.deepEqual(human.lines, [
      'PARTIAL  shc  1 of 3 chunks read; missing 1, 2',
      'PARTIAL  shc  2 of 3 chunks read; missing 2',
      'VERIFIED  (no name)  shc  (kid 3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s)',
      'NOT VERIFIED  shc  revoked: It has been revoked (rid "vwAjHdarZuc", kid "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s")',
      'UNSIGNED  Nguyễn Văn An  cccd  This QR code has no signature; compare the fields with the card',
      'VERIFIED  CITIZEN  JANE SUE  vds_nc  (kid 18AD)',
      'NOT VERIFIED  vds_nc  chain_invalid: The signer certificate is not issued by a trusted authority (no trusted country signing CA named "CN=National CSCA of Friesland, C=FR")',
      'VERIFIED  FERNÁNDEZ RAMÓN  eu_dcc  (kid y3g27v8r51I)',
      'VERIFIED  Trần Thị Bình  vneid_document cccd  (kid test-doc-key)',
      human.lines[9],
      'PARTIAL  shc  1 of 3 chunks read; missing 2, 3',
      'PARTIAL  shc  2 of 3 chunks read; missing 2',
      'NOT VERIFIED  shc  chunks_incomplete: Some parts of a multi-part QR code are missing (2 of 3 chunks; missing 2)',
    ]);
    assert.match(human.lines[9], /^NOT VERIFIED  vneid_document  [a-z_0-9]+: /);
  });

  test('hostile payloads: one line per verdict, bounded, the next payload verifies', async () => {
    // U+2028, U+2029 and U+0085 from a payload stay escaped in the verdict line; JSON that is
    // not strict is json_invalid; a map key nested 40 deep and a long claim key give small
    // verdicts; a payload of exactly the limit fits once its CR LF is trimmed.
    const cccd = '001099001234|012345678|Nguyễn\u2028Văn\u2029An|15031999|Nam|Hà Nội|10052021';
    const name = mustNative([
      'issue', 'token', '--key', file('a.key'), '--at', AT, '--ttl', '600',
      '--claims', JSON.stringify({ ...CLAIMS, name: 'Nguyễn\u0085Văn\u2028An' }),
    ]);
    const hostile = [
      cccd, name, '{"data":{},"sig":{},"data":1}', '{"data":', 'x'.repeat(16384), tokens.good,
    ].join('\r\n');
    const r = await same(['verify', '--trust', file('a.trust'), '--at', AT, '--audience', 'airline'], `${hostile}\r\n`);
    assert.deepEqual(codes(r.lines), ['unsigned', null, 'json_invalid', 'json_invalid', 'unknown_format', null]);
    for (const line of r.lines) {
      assert.ok(!/[\u2028\u2029\u0085]/.test(line), line);
      assert.ok(line.length < 4096, `a verdict of ${line.length} characters`);
    }
    assert.match(r.lines[1], /Nguyễn\\u0085Văn\\u2028An/);
  });

  test('usage and trust-file errors exit 2 in both', async () => {
    for (const args of [
      ['scan'],
      ['scan', '--trust', file('missing.json')],
      ['scan', '--trust', file('a.trust'), '--output', 'xml'],
      ['verify', '--trust', file('a.trust'), '--at', 'yesterday', 'x'],
      ['frobnicate'],
    ]) {
      const r = await same(args);
      assert.equal(r.native.code, 2, args.join(' '));
      assert.equal(r.lines.length, 0);
    }
  });
});

describe('what only the WASI build does', () => {
  test('hooks are refused: WASI cannot start programs', async () => {
    const r = await wasi(['scan', '--trust', file('a.trust'), '--on-valid', '/usr/bin/true']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^vneid-verify: --on-valid is not available under WASI, which cannot start programs/);
  });

  test('no signing in the scanner build', async () => {
    const r = await wasi(['keygen']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /"keygen" is not in this build/);
  });

  test('the system clock is used without --at, and is not flagged when it is set', async () => {
    const fresh = mustNative([
      'issue', 'token', '--key', file('a.key'), '--claims', JSON.stringify(CLAIMS), '--ttl', '600',
    ]);
    writeFileSync(file('input'), `${fresh}\n`);
    const r = await wasi(['scan', '--trust', file('a.trust'), '--audience', 'airline'], file('input'));
    const v = JSON.parse(r.stdout.toString());
    assert.equal(v.valid, true, r.stdout.toString());
    assert.deepEqual(v.warnings, []);
  });

  test('1 MB lines and invalid UTF-8 cost no memory however many there are', async () => {
    const args = ['scan', '--trust', file('a.trust'), '--at', AT, '--repeat-window', '0'];
    const long = Buffer.concat([Buffer.alloc(1 << 20, 0x41), Buffer.from([0xff, 0x0a])]);
    const run = async (longLines) => {
      writeFileSync(file('long'), Buffer.concat([
        Buffer.from(`${tokens.good}\n`), ...Array(longLines).fill(long), Buffer.from('not a token\n'),
      ]));
      const r = await wasi(args, file('long'));
      assert.deepEqual(codes(r.stdout.toString().trim().split('\n')), [
        null, ...Array(longLines).fill('payload_too_large'), 'unknown_format',
      ]);
      return r.memory;
    };
    const none = await run(0);
    const one = await run(1);
    const eight = await run(8);
    assert.equal(eight, one, `linear memory: one 1 MB line ${one} bytes, eight ${eight}`);
    assert.ok(one - none <= 64 << 10, `one 1 MB line grew linear memory by ${one - none} bytes`);
  });

  test('a replaced trust file is picked up while the module runs', async () => {
    // Standard input is a FIFO fed by a shell: one token, then the trust file is replaced
    // (atomically), then the same token again; then a broken replacement, which is refused.
    const trust = file('live.trust');
    copyFileSync(file('a.trust'), trust);
    const fifo = file('live.fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    const script = [
      `exec > '${fifo}'`,
      `echo '${tokens.otherKey}'`,
      'sleep 1',
      `cp '${file('b.trust')}' '${trust}.new' && mv '${trust}.new' '${trust}'`,
      `echo '${tokens.otherKey}'`,
      'sleep 1',
      `printf '{"issuers":[' > '${trust}.new' && mv '${trust}.new' '${trust}'`,
      `echo '${tokens.otherKey}'`,
    ].join('\n');
    const feeder = spawn('sh', ['-c', script], { stdio: 'ignore' });
    const r = await wasi(
      ['scan', '--trust', trust, '--at', AT, '--trust-check', '0', '--repeat-window', '0'],
      fifo,
    );
    await new Promise((resolve) => (feeder.exitCode === null ? feeder.on('exit', resolve) : resolve()));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(codes(r.stdout.toString().trim().split('\n')), ['unknown_key', null, null]);
    const messages = r.stderr.trim().split('\n');
    assert.equal(messages[0], `vneid-verify: trust reloaded from ${trust} (1 key)`);
    assert.match(messages[1], /^vneid-verify: trust NOT reloaded, the previous trust stays in force: trust_invalid: /);
    assert.equal(messages.length, 2);
  });
});
