// The policy a code is verified under, as the package's options and a time, DOM-free.
// The user's policy is what the policy panel holds ({audience, minLevel, clockTolerance}) and
// the time it names (a local date-time, or empty for now); a sample carries its own, used for
// its verdict only.

/** The package options of the user's policy. Values are as typed: the verifier judges them. */
export function policyOptions(policy = {}) {
  const options = {};
  const audience = String(policy.audience ?? '').trim();
  if (audience) options.audience = audience;
  if (policy.minLevel) options.minLevel = Number(policy.minLevel);
  const tolerance = String(policy.clockTolerance ?? '').trim();
  if (tolerance !== '') options.clockTolerance = Number(tolerance);
  return options;
}

/** The time to verify at: `at` (a local `YYYY-MM-DDTHH:MM[:SS]`, as a datetime-local field holds), or now. */
export function verificationTime(at, now = () => new Date()) {
  if (!at) return now();
  const date = new Date(at); // local time
  return Number.isNaN(date.getTime()) ? now() : date;
}

/**
 * A sample's own policy ({audience, minLevel, currentDate}): the options, the time, and whether
 * the time is the sample's (`fixedTime`) or now.
 */
export function samplePolicy(policy = {}, now = () => new Date()) {
  const options = {};
  if (policy.audience) options.audience = policy.audience;
  if (policy.minLevel) options.minLevel = Number(policy.minLevel);
  const asOf = policy.currentDate ? new Date(policy.currentDate) : now();
  return { options, asOf, fixedTime: Boolean(policy.currentDate) };
}
