// What the page keeps in this browser between visits: the language, whether the sample issuers
// are trusted, the user's imported trust sources, the signed trust bundle the user imported and
// the state of the signed trust (the highest version accepted, the roots: an older bundle is
// then refused as a rollback) and the policy panel. localStorage only
// (or any object with getItem/setItem); nothing is sent anywhere.

export const STORAGE_KEY = 'vneid-verify-demo/v1';

/** The keys of the store that are saved. */
export const SAVED = ['lang', 'sampleTrust', 'imported', 'signedImport', 'trustState', 'policy'];

const DEFAULTS = { lang: null, sampleTrust: true, imported: [], signedImport: null, trustState: null, policy: {} };

function storageOf(storage) {
  try {
    return storage ?? globalThis.localStorage ?? null;
  } catch {
    return null; // access to localStorage itself throws when storage is blocked
  }
}

/** The saved settings, with defaults for anything missing or malformed. */
export function loadSettings(storage) {
  try {
    const saved = JSON.parse(storageOf(storage)?.getItem(STORAGE_KEY) ?? 'null');
    if (!saved || typeof saved !== 'object') return { ...DEFAULTS };
    return {
      lang: typeof saved.lang === 'string' ? saved.lang : null,
      sampleTrust: saved.sampleTrust !== false,
      imported: Array.isArray(saved.imported) ? saved.imported.filter((i) => i && i.id && i.bundle) : [],
      signedImport: typeof saved.signedImport === 'string' ? saved.signedImport : null,
      // Kept as saved, even when it looks wrong: the verifier refuses a corrupt state
      // (trust_state_invalid) rather than starting over, which would re-open rollback.
      trustState: saved.trustState ?? null,
      policy: saved.policy && typeof saved.policy === 'object' ? saved.policy : {},
    };
  } catch {
    return { ...DEFAULTS }; // storage blocked or corrupt: start fresh
  }
}

/** Saves the settings part of `state`. */
export function saveSettings(state, storage) {
  try {
    storageOf(storage)?.setItem(STORAGE_KEY, JSON.stringify(Object.fromEntries(SAVED.map((key) => [key, state[key]]))));
  } catch {
    // storage full or blocked: the page still works, it just forgets
  }
}

/** Saves the settings whenever one of them changes in `store`. */
export function persist(store, storage) {
  return store.watch(SAVED, (state) => saveSettings(state, storage));
}
