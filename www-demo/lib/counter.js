// The bank counter of the presentation demo, DOM-free: a challenge per customer (a fresh nonce and
// the bank's audience, shown as a QR), the customer's presentation verified against exactly that
// challenge, and the verified claims put on the account-opening form. One Verifier per mode lives
// as long as the counter: its replay cache refuses a presentation shown a second time.
// docs/profiles/vneid-presentation.md describes the two modes.

import { formatDate, t } from './i18n.js';
import { freshNonce } from './wallet.js';

/** The bank's audience in a two-way presentation (its challenge QR names it). */
export const BANK_AUDIENCE = 'https://bank.example.vn';
/** The verifier class a wallet names in a one-way (60-second) QR shown at this counter. */
export const KIOSK_AUDIENCE = 'urn:vneid:verifier:bank-counter';
/** What the account-opening form asks the wallet for. */
export const REQUESTED = ['name', 'birthdate', 'sub', 'gender'];
/** How long a one-way QR is good for. */
export const ONE_WAY_MAX_AGE = 60;

/** The form's fields that verified claims fill, in form order. */
export const FORM_FIELDS = [
  { field: 'fullName', claim: 'name' },
  { field: 'dateOfBirth', claim: 'birthdate' },
  { field: 'idNumber', claim: 'sub' },
  { field: 'sex', claim: 'gender' },
];

/** The text of a challenge QR (the profile's request object). */
export function challengeText({ aud, nonce, claims }) {
  return JSON.stringify({ vneid_request: 1, aud, nonce, claims });
}

/** A challenge QR's text read back: `{aud, nonce, claims}`; throws `code: challenge_invalid`. */
export function parseChallenge(text) {
  let request;
  try {
    request = JSON.parse(text);
  } catch {
    request = null;
  }
  const ok = request && request.vneid_request === 1 && typeof request.aud === 'string' && request.aud
    && typeof request.nonce === 'string' && request.nonce
    && Array.isArray(request.claims) && request.claims.every((c) => typeof c === 'string');
  if (!ok) throw Object.assign(new Error('not a VNeID presentation request'), { code: 'challenge_invalid' });
  return { aud: request.aud, nonce: request.nonce, claims: request.claims };
}


/** A claim's value as the page shows it: dates and sex in the page's language; '' for none. */
export function claimText(claim, value) {
  if (value === null || value === undefined) return '';
  if (claim === 'birthdate') return formatDate(String(value));
  if (claim === 'gender') return t(`sex.${value}`);
  return String(value);
}

/** The form's fields from a valid verdict: each with its value and whether a verified claim gave it. */
export function formFrom(verdict) {
  const claims = verdict?.valid ? verdict.claims ?? {} : {};
  return FORM_FIELDS.map((f) => ({ ...f, value: claims[f.claim] ?? null, verified: f.claim in claims }));
}

/**
 * A counter over the package's `Verifier` and the trust it accepts (the test issuer's bundle).
 * `now` is the clock, `nonce` makes nonces (both for tests).
 */
export function createCounter({ Verifier, trust, now = () => new Date(), nonce = freshNonce }) {
  const verifiers = {
    'two-way': new Verifier(trust, { audience: BANK_AUDIENCE, holderBinding: 'required' }),
    'one-way': new Verifier(trust, { audience: KIOSK_AUDIENCE, holderBinding: 'required', maxProofAge: ONE_WAY_MAX_AGE }),
  };
  let mode = 'two-way';
  let challenge = null;
  let last = null;

  return {
    get mode() {
      return mode;
    },
    /** The current challenge (two-way), or null (one-way: the wallet picks its own nonce). */
    get challenge() {
      return challenge;
    },
    /** The last presentation read, to show it again (a replay). */
    get last() {
      return last;
    },
    /** A new customer: a fresh challenge in two-way mode. */
    start(nextMode = mode) {
      mode = nextMode === 'one-way' ? 'one-way' : 'two-way';
      challenge = mode === 'two-way' ? { aud: BANK_AUDIENCE, nonce: nonce(), claims: REQUESTED } : null;
      last = null;
      return challenge;
    },
    /** Verifies a presentation read at the counter: `{verdict, form}`. */
    verify(payload) {
      const text = String(payload ?? '').trim();
      last = text;
      const options = { currentDate: now() };
      if (mode === 'two-way') options.nonce = challenge?.nonce ?? nonce();
      const verdict = verifiers[mode].verify(text, options);
      return { verdict, form: formFrom(verdict) };
    },
    free() {
      for (const verifier of Object.values(verifiers)) verifier.free();
    },
  };
}
