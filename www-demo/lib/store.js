// The page's state in one place: one plain object, replaced (never mutated) on every change, and
// the listeners told which of its keys changed. No DOM, no framework: a panel subscribes to the
// keys it shows; a new panel (a signed-trust importer, a bank-counter flow) adds its own keys.

/**
 * A store holding `initial`. `set(patch)` merges a partial state (or a function of the state
 * returning one); keys whose value is the same (`Object.is`) are not changes. Listeners get the
 * new state and the set of changed keys, after every change, in subscription order.
 */
export function createStore(initial = {}) {
  let state = Object.freeze({ ...initial });
  const listeners = new Set();
  return {
    get() {
      return state;
    },
    set(patch) {
      const changes = typeof patch === 'function' ? patch(state) : patch;
      const changed = new Set(Object.keys(changes ?? {}).filter((key) => !Object.is(state[key], changes[key])));
      if (changed.size === 0) return;
      state = Object.freeze({ ...state, ...changes });
      for (const listener of [...listeners]) listener(state, changed);
    },
    /** Calls `listener(state, changed)` after every change; returns the unsubscribe function. */
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Calls `listener(state)` when one of `keys` changed. */
    watch(keys, listener) {
      return this.subscribe((s, changed) => {
        if (keys.some((key) => changed.has(key))) listener(s, changed);
      });
    },
  };
}
