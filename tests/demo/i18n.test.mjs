// The page's words (www-demo/lib/i18n.js) name every format the verifier can return, in each
// language: a format added to the core without its name on the page fails here, not in front of
// a user who sees "format.…".

import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { LANGUAGES, setLang, t } from '../../www-demo/lib/i18n.js';
import { formats } from '../js/pkg.mjs';

after(() => setLang('en'));

test('every format of formats() has its name in every language', () => {
  assert.ok(formats().length > 0);
  for (const language of LANGUAGES) {
    setLang(language);
    for (const format of formats()) {
      const key = `format.${format}`;
      assert.notEqual(t(key), key, `${language}: ${key}`);
    }
  }
});
