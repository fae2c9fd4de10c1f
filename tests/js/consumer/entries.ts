// Type-checked (never run) by tests/consumers/types.test.mjs: every subpath of the package
// resolves to its types, the entries share one API, and init/initSync take what they accept.

import init, { Verifier, initSync, type CompiledModule, type InitOutput } from 'vneid-verify';
import initSlim, { Verifier as SlimVerifier, initSync as initSlimSync } from 'vneid-verify/slim';
import wasm from 'vneid-verify/vneid_verify_bg.wasm';
import initTokens, { Verifier as TokensVerifier, type Verdict as TokensVerdict } from 'vneid-verify/tokens';
import initTokensSlim, { Verifier as TokensSlimVerifier } from 'vneid-verify/tokens/slim';
import tokensWasm from 'vneid-verify/tokens/vneid_verify_bg.wasm';

export async function entries(bytes: Uint8Array, url: URL, module: CompiledModule): Promise<boolean> {
  const loaded: InitOutput = await init();
  void loaded.memory;
  initSync();
  await initSlim();
  await initSlim({ module_or_path: url });
  await initSlim({ module_or_path: 'https://example.com/vneid_verify_bg.wasm' });
  await initSlim({ module_or_path: fetch(url) });
  await initSlim({ module_or_path: wasm });
  initSlimSync({ module: bytes });
  initSlimSync({ module });
  // @ts-expect-error: the source goes in an object (the bare form is deprecated)
  await initSlim(url);
  // @ts-expect-error: the same for initSync
  initSlimSync(bytes);
  // @ts-expect-error: not a field of init's argument
  await initSlim({ module: bytes });
  // The tokens-only build (vneid-verify/tokens): the same API, its own module.
  await initTokens();
  await initTokensSlim({ module_or_path: tokensWasm });
  const tokens: TokensVerdict = new TokensVerifier('{"issuers": []}').verify('x');
  void tokens.code;
  // @ts-expect-error: the source goes in an object, as for the default entry
  await initTokensSlim(url);
  // One API: the slim entry's classes are the default entry's, and the tokens build's.
  const Same: typeof Verifier = SlimVerifier;
  const SameTokens: typeof Verifier = TokensSlimVerifier;
  void SameTokens;
  return new Same('{"issuers": []}').verify('x').valid;
}
