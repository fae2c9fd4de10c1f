// The first page: paste a token and a trust bundle, press Verify, read the verdict.
// The verifier is the built package (pkg/, served at ./pkg/); nothing leaves this origin.

import init, { Verifier } from './pkg/vneid_verify.js';
import { renderError, renderVerdict } from './verdict-view.js';

const $ = (id) => document.getElementById(id);
const form = $('verify-form');
const payloadInput = $('payload');
const trustInput = $('trust');
const audienceInput = $('audience');
const minLevelInput = $('min-level');
const verifyButton = $('verify');
const exampleSelect = $('example');
const status = $('status');
const output = $('verdict');

/** One verifier per (trust, options); rebuilt only when they change. */
let cached = { key: null, verifier: null };

function verifierFor(trustText, options) {
  const key = JSON.stringify([trustText, options]);
  if (cached.key !== key) {
    const verifier = new Verifier(trustText, options); // throws on a bad bundle or option
    cached.verifier?.free();
    cached = { key, verifier };
  }
  return cached.verifier;
}

function currentOptions() {
  const options = {};
  const audience = audienceInput.value.trim();
  if (audience) options.audience = audience;
  if (minLevelInput.value) options.minLevel = Number(minLevelInput.value);
  return options;
}

function show(nodes, state) {
  output.replaceChildren(...nodes.flat(Infinity).filter(Boolean));
  output.dataset.state = state;
  output.hidden = false;
}

function verify() {
  let verifier;
  try {
    verifier = verifierFor(trustInput.value.trim(), currentOptions());
  } catch (error) {
    show(renderError(error), 'error');
    return;
  }
  const verdict = verifier.verify(payloadInput.value);
  show(renderVerdict(verdict), verdict.valid ? 'valid' : 'invalid');
}

async function loadExamples() {
  const response = await fetch('./examples/examples.json');
  if (!response.ok) throw new Error(`examples: HTTP ${response.status}`);
  const examples = await response.json();
  for (const example of examples.tokens) {
    const option = document.createElement('option');
    option.value = example.id;
    option.textContent = `${example.label} — ${example.labelVi}`;
    exampleSelect.append(option);
  }
  exampleSelect.addEventListener('change', () => {
    const example = examples.tokens.find((t) => t.id === exampleSelect.value);
    if (!example) return;
    payloadInput.value = example.token;
    trustInput.value = JSON.stringify(examples.trust, null, 2);
    audienceInput.value = examples.audience ?? '';
    verify();
  });
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  verify();
});
payloadInput.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    verify();
  }
});

try {
  await init();
  verifyButton.disabled = false;
  status.textContent = 'Ready. Paste a token and its issuer’s trust bundle, or pick an example.';
  status.dataset.state = 'ready';
} catch (error) {
  status.textContent = `The verifier could not load: ${error.message}`;
  status.dataset.state = 'failed';
}
loadExamples().catch((error) => {
  exampleSelect.disabled = true;
  console.warn(error);
});
