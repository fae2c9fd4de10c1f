// Signed trust bundles and status lists through the built package in Node: each threat as its
// own case with its exact code. The bundles are made by jose's GeneralSign (an implementation of
// RFC 7515's JSON serialization that is not ours) and the status lists by jose and node:zlib, as
// docs/trust.md says another implementation can.

import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { before, describe, test } from 'node:test';

import { GeneralSign, SignJWT, exportJWK, generateKeyPair } from 'jose';

import { ISSUER, NOW, NOW_S, makeIssuer, vneidClaims } from './fixtures.mjs';
import { Verifier } from './pkg.mjs';

const DAY = 86_400;
const LIST = 'https://id.test.vneid.example/status/1';

/** A root key: its private key and public JWK with `kid`. */
async function makeRoot(kid) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid } };
}

const rootSet = (roots, threshold = 1) => ({ keys: roots.map((r) => r.jwk), threshold });

/** Signs a bundle payload with each root, as docs/trust.md specifies. */
async function signBundle(payload, roots) {
  const jws = new GeneralSign(new TextEncoder().encode(JSON.stringify(payload)));
  for (const root of roots) {
    jws
      .addSignature(root.privateKey)
      .setProtectedHeader({ alg: 'ES256', kid: root.kid, typ: 'vneid-trust+json' });
  }
  return JSON.stringify(await jws.sign());
}

let issuer;
let roots; // root-a, root-b, root-c
let token;

/** A bundle: `issuer`'s trust, and version/issued/expires. */
const bundle = (version, extra = {}) => ({
  version, issued: NOW_S - DAY, expires: NOW_S + 30 * DAY, ...issuer.trust, ...extra,
});

/** The code a constructor throws, or null. */
function thrown(make) {
  try {
    make();
    return null;
  } catch (e) {
    assert.ok(e instanceof Error);
    assert.ok(e.message.length > 0 && e.messageVi.length > 0);
    return e.code;
  }
}

before(async () => {
  issuer = await makeIssuer();
  roots = [await makeRoot('root-a'), await makeRoot('root-b'), await makeRoot('root-c')];
  token = await issuer.sign();
});

describe('a signed trust bundle', () => {
  test('signed by the pinned root loads and reports its version, dates, signers and state', async () => {
    const signed = await signBundle(bundle(3), [roots[0]]);
    const verifier = new Verifier(signed, { trustRoots: rootSet([roots[0]]), currentDate: NOW });
    assert.equal(verifier.verify(token).valid, true);
    const info = verifier.trustBundle();
    assert.equal(info.version, 3);
    assert.equal(info.issued, NOW_S - DAY);
    assert.equal(info.expires, NOW_S + 30 * DAY);
    assert.deepEqual(info.signers, ['root-a']);
    assert.equal(info.rotated, false);
    assert.equal(info.state.version, 3);
    assert.deepEqual(info.state.roots.keys.map((k) => k.kid), ['root-a']);
    // The state round-trips: passed back in, the same bundle loads again (a restart).
    const again = new Verifier(signed, {
      trustRoots: rootSet([roots[0]]), trustState: info.state, currentDate: NOW,
    });
    assert.equal(again.trustBundle().version, 3);
    // An unsigned trust file has no bundle.
    assert.equal(new Verifier(issuer.trust).trustBundle(), null);
  });

  test('tampered: trust_signature_invalid', async () => {
    const signed = JSON.parse(await signBundle(bundle(1), [roots[0]]));
    const stranger = await makeIssuer({ iss: ISSUER, kid: 'attacker' });
    const forged = bundle(1, { issuers: [{ iss: ISSUER, keys: [issuer.jwk, stranger.jwk] }] });
    signed.payload = Buffer.from(JSON.stringify(forged)).toString('base64url');
    assert.equal(
      thrown(() => new Verifier(signed, { trustRoots: rootSet([roots[0]]), currentDate: NOW })),
      'trust_signature_invalid',
    );
  });

  test('signed by an unknown key: trust_unknown_signer', async () => {
    const attacker = await makeRoot('attacker-root');
    const signed = await signBundle(bundle(1), [attacker]);
    assert.equal(
      thrown(() => new Verifier(signed, { trustRoots: rootSet([roots[0]]), currentDate: NOW })),
      'trust_unknown_signer',
    );
  });

  test('fewer root signatures than the threshold: trust_threshold_not_met', async () => {
    const trustRoots = rootSet(roots, 2);
    const one = await signBundle(bundle(1), [roots[0]]);
    assert.equal(thrown(() => new Verifier(one, { trustRoots, currentDate: NOW })), 'trust_threshold_not_met');
    const twice = await signBundle(bundle(1), [roots[0], roots[0]]);
    assert.equal(thrown(() => new Verifier(twice, { trustRoots, currentDate: NOW })), 'trust_threshold_not_met');
    const two = await signBundle(bundle(1), [roots[2], roots[0]]);
    assert.deepEqual(new Verifier(two, { trustRoots, currentDate: NOW }).trustBundle().signers, ['root-c', 'root-a']);
  });

  test('older than the version already accepted: trust_rollback', async () => {
    const trustRoots = rootSet([roots[0]]);
    const older = await signBundle(bundle(4), [roots[0]]);
    assert.equal(
      thrown(() => new Verifier(older, { trustRoots, trustState: { version: 5 }, currentDate: NOW })),
      'trust_rollback',
    );
    const newer = await signBundle(bundle(6), [roots[0]]);
    const verifier = new Verifier(newer, { trustRoots, trustState: { version: 5 }, currentDate: NOW });
    assert.equal(verifier.trustBundle().state.version, 6);
  });

  test('past expires, every verdict is trust_expired', async () => {
    const expires = NOW_S + DAY;
    const signed = await signBundle(bundle(1, { expires }), [roots[0]]);
    const verifier = new Verifier(signed, { trustRoots: rootSet([roots[0]]), currentDate: NOW });
    const lasting = await issuer.sign(vneidClaims({ exp: NOW_S + 9 * DAY }));
    assert.equal(verifier.verify(lasting, new Date((expires - 1) * 1000)).valid, true);
    for (const payload of [lasting, 'garbage']) {
      const verdict = verifier.verify(payload, new Date(expires * 1000));
      assert.equal(verdict.code, 'trust_expired');
      assert.equal(verdict.claims, null);
    }
  });

  test('issued in the device\'s future: trust_issued_in_future', async () => {
    const signed = await signBundle(bundle(1, { issued: NOW_S + 61 }), [roots[0]]);
    assert.equal(
      thrown(() => new Verifier(signed, { trustRoots: rootSet([roots[0]]), currentDate: NOW })),
      'trust_issued_in_future',
    );
  });

  test('root rotation: the new roots sign from then on; a device that missed it refuses', async () => {
    const old = roots[0];
    const next = [roots[1], roots[2]];
    const trustRoots = rootSet([old]);
    const rotation = await signBundle(bundle(2, { roots: rootSet(next, 2) }), [old]);
    const rotated = new Verifier(rotation, { trustRoots, currentDate: NOW }).trustBundle();
    assert.equal(rotated.rotated, true);
    assert.deepEqual(rotated.state.roots.keys.map((k) => k.kid), ['root-b', 'root-c']);
    assert.equal(rotated.state.roots.threshold, 2);

    const three = await signBundle(bundle(3), next);
    const after = new Verifier(three, { trustRoots, trustState: rotated.state, currentDate: NOW });
    assert.equal(after.trustBundle().version, 3);
    // Persisted as JSON text and read back, the state works the same.
    const text = JSON.stringify(rotated.state);
    assert.equal(new Verifier(three, { trustRoots, trustState: text, currentDate: NOW }).trustBundle().version, 3);
    assert.equal(thrown(() => new Verifier(three, { trustRoots, currentDate: NOW })), 'trust_unknown_signer');
    const byOld = await signBundle(bundle(3), [old]);
    assert.equal(
      thrown(() => new Verifier(byOld, { trustRoots, trustState: rotated.state, currentDate: NOW })),
      'trust_unknown_signer',
    );
  });

  test('an unsigned trust file where roots are pinned: trust_unsigned', () => {
    assert.equal(
      thrown(() => new Verifier(issuer.trust, { trustRoots: rootSet([roots[0]]) })),
      'trust_unsigned',
    );
  });

  test('a corrupt state: trust_state_invalid, never a reset', async () => {
    const signed = await signBundle(bundle(1), [roots[0]]);
    for (const trustState of ['{', '[]', { version: -1 }, { version: 1, roots: { keys: [] } }, 7]) {
      assert.equal(
        thrown(() => new Verifier(signed, { trustRoots: rootSet([roots[0]]), trustState, currentDate: NOW })),
        'trust_state_invalid',
        JSON.stringify(trustState),
      );
    }
  });

  test('bad roots and misused options are refused', async () => {
    const signed = await signBundle(bundle(1), [roots[0]]);
    assert.equal(thrown(() => new Verifier(signed, { trustRoots: { keys: [] } })), 'trust_invalid');
    assert.equal(thrown(() => new Verifier(signed, { trustRoots: rootSet([roots[0]], 2) })), 'trust_invalid');
    assert.equal(thrown(() => new Verifier(signed, { trustState: { version: 1 } })), 'invalid_option');
    assert.equal(thrown(() => new Verifier([signed], { trustRoots: rootSet([roots[0]]) })), 'trust_invalid');
    // Without trustRoots, a signed bundle is not taken for a plain trust file.
    assert.equal(thrown(() => new Verifier(signed)), 'trust_invalid');
  });
});

/** A statuslist+jwt of `issuer`: `statuses` packed from the least significant bit. */
async function statusList(statuses, bits, claims = {}) {
  const perByte = 8 / bits;
  const bytes = Buffer.alloc(Math.ceil(statuses.length / perByte));
  statuses.forEach((s, i) => { bytes[Math.floor(i / perByte)] |= s << ((i % perByte) * bits); });
  return listJwt(deflateSync(bytes, { level: 9 }), bits, claims);
}

function listJwt(compressed, bits, claims = {}) {
  return new SignJWT({
    sub: LIST, iat: NOW_S - DAY, exp: NOW_S + DAY,
    status_list: { bits, lst: Buffer.from(compressed).toString('base64url') }, ...claims,
  })
    .setProtectedHeader({ alg: 'ES256', kid: issuer.jwk.kid, typ: 'statuslist+jwt' })
    .sign(issuer.privateKey);
}

describe('status lists in the bundle', () => {
  test('each status gives its code', async () => {
    const list = await statusList([0, 1, 2, 3], 2);
    const signed = await signBundle(bundle(1, { status_lists: [list] }), [roots[0]]);
    const verifier = new Verifier(signed, { trustRoots: rootSet([roots[0]]), currentDate: NOW });
    const at = async (idx, uri = LIST) =>
      verifier.verify(await issuer.sign(vneidClaims({ status: { status_list: { idx, uri } } }))).code;
    assert.equal(await at(0), null);
    assert.equal(await at(1), 'revoked');
    assert.equal(await at(2), 'suspended');
    assert.equal(await at(3), 'status_unknown');
    assert.equal(await at(4), 'status_index_invalid');
    assert.equal(await at(0, `${LIST}-other`), 'status_list_missing');
    const stale = verifier.verify(
      await issuer.sign(vneidClaims({ exp: NOW_S + 9 * DAY, status: { status_list: { idx: 0, uri: LIST } } })),
      new Date((NOW_S + DAY + 60) * 1000),
    );
    assert.equal(stale.code, 'status_list_stale');
  });

  test('a bomb (64 MiB of zeros in 64 KB) is refused within the cap', async () => {
    const bomb = await listJwt(deflateSync(Buffer.alloc(64 << 20), { level: 9 }), 1);
    assert.ok(bomb.length < 200_000);
    const signed = await signBundle(bundle(1, { status_lists: [bomb] }), [roots[0]]);
    let error;
    try {
      new Verifier(signed, { trustRoots: rootSet([roots[0]]), currentDate: NOW });
    } catch (e) {
      error = e;
    }
    assert.equal(error?.code, 'trust_invalid');
    assert.match(error.message, /decompressed_too_large/);
  });
});
