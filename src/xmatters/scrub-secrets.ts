import type { XmattersError } from './errors.js';

/** Replaces every occurrence of each secret in the error's message, stack and quoted error object with `[REDACTED]`. */
export function scrubSecrets(e: XmattersError, secrets: readonly string[]): XmattersError {
  const scrub = (s: string): string => {
    let out = s;
    for (const secret of secrets) if (secret.length >= 3) out = out.split(secret).join('[REDACTED]');
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
