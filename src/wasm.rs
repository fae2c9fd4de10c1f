//! The JavaScript surface (wasm32 only). Filled in by the npm package work.
