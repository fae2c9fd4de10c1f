// lib/trust.js: what the user imports becomes a trust bundle the package loads (or a coded
// refusal), sources are described by the verifier, and validity is judged at a given time. The
// signed sample bundle: checked against the pinned TEST root and the version kept, and verified
// first, the user's unsigned imports answering only for what it does not know
// (lib/verifiers.js).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { makeIssuer, vneidClaims } from '../js/fixtures.mjs';
import {
  IMPORT_KINDS, acceptedState, activeSources, bundleFromImport, checkImport, checkSignedImport, describeBundle, issuerNames,
  newImport, signedSource, testIssuers, trustSources, validityAt,
} from '../../www-demo/lib/trust.js';
import { VerifierCache } from '../../www-demo/lib/verifiers.js';
import { Verifier, gallery, payloadOf, resignedSamples, sample, signBundle, trustRoot } from './helpers.mjs';

const dccTrust = gallery.trust.find((t) => t.id === 'eu-dcc-test').bundle;
const der = dccTrust.issuers[0].certificates[0]; // base64 DER
const pem = `-----BEGIN CERTIFICATE-----\n${der.match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;

describe('imports become trust bundles', () => {
  test('a bundle as it is; JSON that is not JSON is not_json', () => {
    assert.deepEqual(bundleFromImport({ kind: 'bundle', text: '{"issuers": []}' }), { issuers: [] });
    assert.throws(() => bundleFromImport({ kind: 'bundle', text: '{' }), { code: 'not_json' });
  });

  test('a JWKS or one JWK is bound to the issuer named, or to its own iss; else issuer_required', async () => {
    const { jwk } = await makeIssuer({ kid: 'k1' });
    const text = JSON.stringify({ keys: [jwk] });
    assert.deepEqual(bundleFromImport({ kind: 'jwks', issuer: ' https://a.example ', name: ' A ', text }),
      { issuers: [{ iss: 'https://a.example', name: 'A', keys: [jwk] }] });
    assert.deepEqual(bundleFromImport({ kind: 'jwks', text: JSON.stringify(jwk), issuer: 'https://b.example' }).issuers[0].keys, [jwk]);
    assert.equal(bundleFromImport({ kind: 'jwks', text: JSON.stringify({ iss: 'https://own.example', keys: [jwk] }) }).issuers[0].iss,
      'https://own.example');
    assert.throws(() => bundleFromImport({ kind: 'jwks', text }), { code: 'issuer_required' });
    assert.throws(() => bundleFromImport({ kind: 'jwks', text: '[1]', issuer: 'x' }), { code: 'not_json' });
  });

  test('a certificate as PEM, DER bytes or pasted base64: a signer bound to an issuer, or an authority', () => {
    const signer = (input) => bundleFromImport({ kind: 'certificate', issuer: 'DE', role: 'signer', ...input }).issuers[0].certificates[0];
    assert.equal(signer({ text: pem }), pem.trim());
    assert.equal(signer({ text: '', bytes: new Uint8Array(Buffer.from(der, 'base64')) }), der);
    assert.equal(signer({ text: `${der.slice(0, 40)}\n ${der.slice(40)}` }), der);
    assert.deepEqual(bundleFromImport({ kind: 'certificate', role: 'anchor', text: pem }), { anchors: [pem.trim()] });
    assert.throws(() => bundleFromImport({ kind: 'certificate', role: 'signer', text: pem }), { code: 'issuer_required' });
    assert.throws(() => bundleFromImport({ kind: 'toString', text: '{}' }), { code: 'unknown_kind' });
    assert.deepEqual(Object.keys(IMPORT_KINDS), ['bundle', 'jwks', 'certificate']);
  });

  test('checkImport: the verifier must load it, alone and beside what is trusted', async () => {
    const issuer = await makeIssuer({ iss: 'https://c.example', kid: 'c1' });
    const ok = checkImport(Verifier, { kind: 'bundle', text: JSON.stringify(issuer.trust) }, []);
    assert.deepEqual(ok.bundle, issuer.trust);
    assert.deepEqual(ok.info.keys.map((k) => [k.issuer, k.kid]), [['https://c.example', 'c1']]);
    assert.throws(() => checkImport(Verifier, { kind: 'bundle', text: '{"issuers": [{"iss": "x", "keys": [{"kty": "oct", "k": "AAAA"}]}]}' }, []),
      (e) => e.code === 'trust_invalid' && e.messageVi.length > 0);
    const active = [{ id: 'a', bundle: issuer.trust }];
    assert.throws(() => checkImport(Verifier, { kind: 'bundle', text: JSON.stringify(issuer.trust) }, active),
      { code: 'trust_invalid' }, 'the same kid twice for one issuer');
    const saved = newImport('C', ok.bundle, 1234);
    assert.match(saved.id, /^import:1234:[a-z0-9]+$/);
    assert.notEqual(newImport('C', ok.bundle, 1234).id, saved.id);
  });
});

describe('sources', () => {
  test('samples first (TEST ONLY), imports after, each described by the verifier or marked broken', async () => {
    const issuer = await makeIssuer({ iss: 'https://d.example', kid: 'd1' });
    const sources = trustSources(Verifier, {
      sampleTrust: gallery.trust,
      imported: [{ id: 'import:1', label: 'D', bundle: issuer.trust }, { id: 'import:2', label: 'Bad', bundle: { issuers: 3 } }],
    });
    assert.equal(sources.length, gallery.trust.length + 2);
    const [d, bad] = sources.slice(-2);
    assert.deepEqual([d.testOnly, d.imported, d.info.keys[0].kid], [false, true, 'd1']);
    assert.equal(bad.error.code, 'trust_invalid');
    assert.equal(activeSources(sources, true).length, gallery.trust.length + 1, 'the broken one is not used');
    assert.deepEqual(activeSources(sources, false).map((s) => s.id), ['import:1']);
    const names = issuerNames(sources);
    assert.equal(names.get('https://d.example'), 'Test issuer');
    const test_ = testIssuers(sources);
    assert.ok(test_.has(gallery.trust[0].bundle.issuers[0].iss));
    assert.ok(!test_.has('https://d.example'));
    const described = describeBundle(Verifier, dccTrust);
    assert.equal(described.keys[0].issuer, 'DE');
    assert.equal(described.revoked, 0);
  });

  test('validity at a time: not yet, valid (from notBefore), expired (at notAfter)', () => {
    const at = (s) => new Date(s * 1000);
    assert.equal(validityAt(100, 200, at(99)), 'notYet');
    assert.equal(validityAt(100, 200, at(100)), 'valid');
    assert.equal(validityAt(100, 200, at(199.9)), 'valid');
    assert.equal(validityAt(100, 200, at(200)), 'expired');
    assert.equal(validityAt(null, null, at(0)), 'valid');
    assert.equal(validityAt(undefined, 5, at(6)), 'expired');
  });
});

describe('the signed sample bundle', () => {
  const shipped = gallery.signedTrust;
  const roots = shipped.roots;
  const v1State = { version: 1, roots };
  const other = { ...trustRoot.privateJwk, kid: 'someone-else', d: Buffer.alloc(32, 7).toString('base64url') };

  test('each threat is refused with its code; a newer version is accepted', () => {
    const refused = (text, state, code) => assert.throws(() => checkSignedImport(Verifier, text, { roots, state }), { code }, code);
    const v2 = resignedSamples({ version: 2 });
    const ok = checkSignedImport(Verifier, v2, { roots, state: v1State });
    assert.deepEqual([ok.info.bundle.version, ok.info.bundle.signers, ok.info.bundle.state.version], [2, ['demo-test-root-1'], 2]);
    refused(shipped.bundle, { version: 2 }, 'trust_rollback');
    refused(resignedSamples({ version: 3 }, other), v1State, 'trust_unknown_signer');
    const tampered = JSON.parse(v2);
    tampered.payload = Buffer.from(JSON.stringify({ ...payloadOf(v2), version: 9 })).toString('base64url');
    refused(JSON.stringify(tampered), v1State, 'trust_signature_invalid');
    refused(resignedSamples({ version: 3, issued: Math.floor(Date.now() / 1000) + 86400 }), v1State, 'trust_issued_in_future');
    refused(JSON.stringify(gallery.trust[0].bundle), null, 'trust_unsigned');
    refused(shipped.bundle, { version: -1 }, 'trust_state_invalid');
    assert.throws(() => checkSignedImport(Verifier, '{', { roots }), { code: 'not_json' });
  });

  test('of the shipped and the imported bundle, the newest that verifies is used', () => {
    const v2 = resignedSamples({ version: 2 });
    assert.equal(signedSource(Verifier, shipped, v2, null).info.bundle.version, 2);
    assert.equal(signedSource(Verifier, shipped, null, null).info.bundle.version, 1);
    const forged = resignedSamples({ version: 5 }, other);
    const kept = signedSource(Verifier, shipped, forged, v1State);
    assert.equal(kept.info.bundle.version, 1, 'a forged import does not displace the shipped bundle');
    const refused = signedSource(Verifier, shipped, null, { version: 2 });
    assert.equal(refused.error.code, 'trust_rollback');
    assert.equal(acceptedState([refused]), null, 'nothing to keep from a refused bundle');
    const sources = trustSources(Verifier, { signedTrust: shipped, signedImport: v2, trustState: v1State, imported: [] });
    assert.equal(acceptedState(sources).version, 2);
  });

  test('verified first; imports answer only for issuers it does not know; past expires everything is trust_expired', async () => {
    const issuer = await makeIssuer({ iss: 'https://own.example', kid: 'own-1' });
    const token = await issuer.sign(vneidClaims({ iss: 'https://own.example' }));
    const expires = Math.floor(Date.now() / 1000) + 3600;
    const signed = signedSource(Verifier, shipped, resignedSamples({ version: 2, expires }), v1State);
    const own = { id: 'import:own', bundle: issuer.trust };
    const cache = new VerifierCache(Verifier);
    const verifier = cache.get([signed, own], {});
    const x = sample('jwt-oidc-status-revoked');
    const at = new Date(x.policy.currentDate);
    assert.equal(verifier.verify(x.payload, at).code, 'revoked', 'the signed bundle decides its own issuers');
    const tokenAt = new Date((vneidClaims().iat + 10) * 1000);
    assert.equal(verifier.verify(token, tokenAt).valid, true, 'the import answers for its issuer');
    const after = new Date((expires + 1) * 1000);
    assert.equal(verifier.verify(token, after).code, 'trust_expired', 'freeze: the expired bundle stops everything');
    assert.equal(verifier.verify(x.payload, after).code, 'trust_expired');
    assert.equal(cache.get([signed], {}).verify(token, tokenAt).code, 'unknown_issuer');
    cache.clear();
  });

  test('a bundle signed for the demo by another root is refused by the pinned root', () => {
    const foreign = signBundle({ version: 7, issued: 1767225600, expires: 2082758400, issuers: [] }, other);
    assert.throws(() => checkSignedImport(Verifier, foreign, { roots, state: null }), { code: 'trust_unknown_signer' });
  });
});
