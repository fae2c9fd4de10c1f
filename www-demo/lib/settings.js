// What the page keeps in this browser between visits: the language, whether the sample issuers
// are trusted, the user's imported trust sources and the policy panel. localStorage only
// (or any object with getItem/setItem); nothing is sent anywhere.

export const STORAGE_KEY = 'vneid-verify-demo/v1';

/** The keys of the store that are saved. */
export const SAVED = ['lang', 'sampleTrust', 'imported', 'policy'];

const DEFAULTS = { lang: null, sampleTrust: true, imported: [], policy: {} };

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
