import type { XmattersError } from './errors.js';

/**
 * Shortest secret (in characters) scrubbed from error text. A shorter one turns up by chance in ordinary
 * text, so replacing it would garble every message and hide nothing. The same bound as the CLI's scrubber
 * (src/baton/cli/scrub.ts), which this module may not import; keep the two equal.
 */
const MIN_SCRUBBED_SECRET_LENGTH = 6;

/** Replaces every occurrence of each long enough secret in the error's message, stack and quoted error object with `[REDACTED]`. */
export function scrubSecrets(e: XmattersError, secrets: readonly string[]): XmattersError {
  const long = secrets.filter((s) => [...s].length >= MIN_SCRUBBED_SECRET_LENGTH);
  const scrub = (s: string): string => {
    let out = s;
    for (const secret of long) out = out.split(secret).join('[REDACTED]');
    return out;
  };
  const message = scrub(e.message);
  if (message !== e.message) {
    e.message = message;
    if (e.stack !== undefined) e.stack = scrub(e.stack);
  }
  const api = e.apiError;
  if (api !== undefined) {
    if (api.reason !== undefined) api.reason = scrub(api.reason);
    if (api.message !== undefined) api.message = scrub(api.message);
    if (api.subcode !== undefined) api.subcode = scrub(api.subcode);
  }
  return e;
}
