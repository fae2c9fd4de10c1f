// The demo's display labels (www-demo/lib/documents.js): the only place any format's labels live,
// the labels of coded values included (an EU DCC's value-set codes, a SMART Health Card's CVX and
// SNOMED CT codings). The core returns typed fields and codes, and no display text; these tests
// hold the layouts to what the verifier returns, so a field the core adds or renames cannot
// silently lose its label, and a code the core returns is shown by its name.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { CCCD_QR, DCC_VALUES, DOCUMENT_LAYOUTS, FHIR_CODINGS, JWT_LAYOUT, TOKEN_LAYOUT, layoutOf, valueLabel } from '../../www-demo/lib/documents.js';
import { samplePolicy } from '../../www-demo/lib/policy.js';
import { Verifier, gallery, sample } from './helpers.mjs';

const CHIP_CARD = '001099001234|012345678|Nguyễn Văn An|15031999|Nam|Số 1 Phố X, Phường Y, Quận Z, Hà Nội|10052021';
const NEW_CARD = '001099001234|012345678|Nguyễn Văn An|15031999|Nam|Số 1 Phố X, Phường Y, Hà Nội|04102024||||';
const NOW = new Date('2026-01-01T00:00:00Z');

function cardFields(qr) {
  const verifier = new Verifier({ issuers: [] }, { currentDate: NOW });
  try {
    const v = verifier.verify(qr);
    assert.equal(v.code, 'unsigned');
    return v.document.fields;
  } finally {
    verifier.free();
  }
}

describe('the ID card QR’s labels (cccd_qr)', () => {
  test('the card’s fields in card order, with both labels', () => {
    assert.deepEqual(CCCD_QR.rows.map((r) => r.key),
      ['personalId', 'oldIdNumber', 'fullName', 'dateOfBirth', 'sex', 'address', 'issueDate']);
    const label = (key) => CCCD_QR.rows.find((r) => r.key === key).label;
    assert.deepEqual(label('personalId'), { en: 'Personal ID number', vi: 'Số định danh cá nhân' });
    assert.deepEqual(label('dateOfBirth'), { en: 'Date of birth', vi: 'Ngày sinh' });
    assert.deepEqual(label('oldIdNumber'), { en: 'Old ID card number (CMND)', vi: 'Số CMND cũ' });
    for (const row of CCCD_QR.rows) assert.ok(row.label.en && row.label.vi, row.key);
    assert.equal(CCCD_QR.rows.find((r) => r.key === 'dateOfBirth').kind, 'date');
    assert.equal(CCCD_QR.rows.find((r) => r.key === 'sex').kind, 'sex');
  });

  test('every field the verifier returns is labelled or deliberately left out; no display text comes from the core', () => {
    for (const qr of [CHIP_CARD, NEW_CARD]) {
      const fields = cardFields(qr);
      const placed = new Set([...CCCD_QR.rows.map((r) => r.key), ...CCCD_QR.omit]);
      assert.deepEqual(Object.keys(fields).filter((k) => !placed.has(k)), [], 'fields without a label');
      for (const row of CCCD_QR.rows) assert.ok(row.key in fields, `${row.key} is a field the verifier returns`);
      const decoded = new Set([...CCCD_QR.decoded.rows.map((r) => r.key), ...CCCD_QR.decoded.omit]);
      assert.deepEqual(Object.keys(fields.personalIdDecoded).filter((k) => !decoded.has(k)), []);
      assert.equal(JSON.stringify(fields).includes('Ngày sinh'), false, 'a label came from the core');
    }
  });

  test('the title follows the card type the verifier recognised', () => {
    assert.deepEqual(CCCD_QR.titles[cardFields(CHIP_CARD).cardType],
      { en: 'Chip citizen ID card (2021–2024)', vi: 'Căn cước công dân gắn chip (2021–2024)' });
    assert.deepEqual(CCCD_QR.titles[cardFields(NEW_CARD).cardType].vi, 'Thẻ căn cước (từ 07/2024)');
    assert.ok(CCCD_QR.title.en && CCCD_QR.title.vi, 'a fallback title for a card of neither type');
  });
});

/** A gallery sample's verdict under its own policy, with the gallery's trust. */
function sampleVerdict(id) {
  const x = sample(id);
  const { options, asOf } = samplePolicy(x.policy);
  const verifier = new Verifier(gallery.trust.map((t) => t.bundle), options);
  try {
    return verifier.verify(x.chunks ? x.chunks.join('\n') : x.payload, asOf);
  } finally {
    verifier.free();
  }
}

describe('layoutOf: which labels a verdict is shown with', () => {
  test('a VNeID token: its claims under the token layout, other claims left to the JSON', () => {
    const v = sampleVerdict('token-valid-level2');
    const layout = layoutOf(v);
    assert.equal(layout.title, TOKEN_LAYOUT.title);
    assert.equal(layout.fields, v.claims);
    assert.ok(layout.omit.includes('iss') && !layout.omit.includes('name'));
    assert.equal(layoutOf(sampleVerdict('jwt-oidc-id-token')).title, JWT_LAYOUT.title);
    assert.equal(layoutOf(sampleVerdict('token-tampered')), null, 'nothing of a rejected token');
  });

  test('every document type of the gallery has its own layout; a VDS-NC seal is titled by its type', () => {
    for (const s of gallery.samples.filter((x) => x.expected.state === 'valid' && x.group !== 'vneid_token' && x.group !== 'jwt')) {
      const v = sampleVerdict(s.id);
      const layout = layoutOf(v);
      assert.equal(layout.type, v.document.type, s.id);
      assert.ok(DOCUMENT_LAYOUTS[v.document.type], `${s.id}: no layout for ${v.document.type}`);
      assert.ok(layout.rows.length > 0 && layout.rows.every((r) => r.label.en && r.label.vi), s.id);
    }
    const seal = sampleVerdict('vds-nc-uto');
    assert.equal(seal.document.fields.type, 'icao.vacc');
    assert.equal(seal.document.fields.typeLabel, undefined, 'no display text from the core');
    assert.deepEqual(layoutOf(seal).title, { en: 'Proof of vaccination', vi: 'Chứng nhận tiêm chủng' });
    const test_ = layoutOf({ format: 'vds_nc', document: { type: 'vds_nc', fields: { type: 'icao.test' } } });
    assert.deepEqual(test_.title, { en: 'Proof of testing', vi: 'Chứng nhận xét nghiệm' });
    assert.deepEqual(layoutOf({ format: 'vds_nc', document: { type: 'vds_nc', fields: { type: 'constructor' } } }).title,
      DOCUMENT_LAYOUTS.vds_nc.title, 'an unknown seal type: the generic title');
    const unknown = layoutOf({ format: 'vneid_document', document: { type: 'fishing_permit', fields: {} } });
    assert.deepEqual(unknown.title, { en: 'Fishing permit', vi: 'Fishing permit' });
  });

  test('the ID card QR: card rows, what the ID number encodes, the unpublished extra fields', () => {
    const v = sampleVerdict('cccd-qr-can-cuoc');
    assert.equal(v.code, 'unsigned');
    const layout = layoutOf(v);
    assert.equal(layout.type, 'cccd_qr');
    assert.equal(layout.rows, CCCD_QR.rows);
    assert.deepEqual(layout.title, CCCD_QR.titles.can_cuoc);
    assert.equal(layout.decoded.fields, v.document.fields.personalIdDecoded);
    assert.deepEqual(layout.extra, v.document.fields.additionalFields.filter((x) => x !== ''));
  });
});

describe('coded values: the verifier returns codes, the demo names them', () => {
  const rowOf = (rows, key) => rows.find((r) => r.key === key);

  test('an EU DCC: the code 840539006 is shown as COVID-19, in both languages; an unknown code as it is', () => {
    const v = sampleVerdict('dcc-de-vaccination');
    const { fields, rows } = layoutOf(v);
    assert.equal(fields.disease, '840539006', 'the core returns the code as issued');
    assert.deepEqual(valueLabel(rowOf(rows, 'disease'), fields.disease), { en: 'COVID-19', vi: 'COVID-19' });
    for (const key of ['vaccine', 'product', 'manufacturer']) {
      assert.ok(Object.hasOwn(DCC_VALUES, fields[key]), `${key}: ${fields[key]} is a code the demo names`);
      assert.equal(valueLabel(rowOf(rows, key), fields[key]), DCC_VALUES[fields[key]]);
    }
    const test_ = layoutOf(sampleVerdict('dcc-de-test'));
    for (const key of ['disease', 'testType', 'result']) {
      assert.ok(valueLabel(rowOf(test_.rows, key), test_.fields[key])?.vi, `${key}: ${test_.fields[key]}`);
    }
    for (const code of ['12345', 'constructor', '__proto__', 'toString']) {
      assert.equal(valueLabel(rowOf(rows, 'disease'), code), null, code);
    }
    assert.equal(valueLabel(rowOf(rows, 'familyName'), '840539006'), null, 'a text row is never looked up');
    for (const [code, label] of Object.entries(DCC_VALUES)) assert.ok(label.en && label.vi, code);
  });

  test('a SMART Health Card: {system, code} codings named by system and code, an unknown one by its code', () => {
    const v = sampleVerdict('shc-00');
    const { fields, rows } = layoutOf(v);
    const immunization = fields.immunizations[0];
    assert.equal(immunization.label, undefined, 'no display text from the core');
    assert.deepEqual(immunization.vaccineCode, { system: 'http://hl7.org/fhir/sid/cvx', code: '207' });
    const vaccine = rowOf(rowOf(rows, 'immunizations').columns, 'vaccineCode');
    assert.deepEqual(valueLabel(vaccine, immunization.vaccineCode),
      { en: 'COVID-19 vaccine, mRNA (Moderna)', vi: 'Vắc-xin COVID-19, mRNA (Moderna)' });
    const result = rowOf(rowOf(rows, 'observations').columns, 'value');
    assert.deepEqual(valueLabel(result, { system: 'http://snomed.info/sct', code: '260385009' }), { en: 'Negative', vi: 'Âm tính' });
    assert.equal(valueLabel(result, { system: 'http://loinc.org', code: '260385009' }), null, 'the system counts');
    assert.equal(valueLabel(result, { system: 'http://snomed.info/sct', code: 'constructor' }), null);
    assert.equal(valueLabel(result, '176 g/L'), null, 'a quantity is text');
    for (const table of Object.values(FHIR_CODINGS)) for (const l of Object.values(table)) assert.ok(l.en && l.vi);
  });
});
