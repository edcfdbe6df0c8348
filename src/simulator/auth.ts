import { timingSafeEqual } from 'node:crypto';
import { compilePathPattern } from './faults.js';
import type { SimCredential } from './tenant.js';

export type AuthResult = { ok: true; credential: SimCredential } | { ok: false };

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Checks an `Authorization: Basic …` header against the tenant's user/password and API key/secret pairs. */
export function authenticate(header: string | undefined, credentials: readonly SimCredential[]): AuthResult {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (m === null) return { ok: false };
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { ok: false };
  const user = decoded.slice(0, colon);
  const pass = decoded.slice(colon + 1);
  const credential = credentials.find((c) => c.username === user && same(c.password, pass));
  return credential === undefined ? { ok: false } : { ok: true, credential };
}

/** True when the credential's `forbidden` patterns cover this API path (→ 403 on the whole endpoint). */
export function isForbidden(credential: SimCredential, path: string): boolean {
  return (credential.forbidden ?? []).some((p) => compilePathPattern(p).test(path));
}
