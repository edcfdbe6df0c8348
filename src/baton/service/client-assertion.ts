import { randomBytes, sign } from 'node:crypto';
import type { ClientKey } from './client-secret.js';

export interface ClientAssertionOptions {
  /** The whole client ID: issuer and subject. */
  clientId: string;
  /** The client ID's host without port. */
  audience: string;
  key: ClientKey;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: number;
  /** 16 random bytes for the header nonce; injectable for tests. */
  nonce?: Buffer;
}

/** baton-sdk v0.25 signs assertions valid from 2 minutes before to 2 minutes after now. */
const SKEW_SECONDS = 120;

/**
 * The `private_key_jwt` client assertion of baton-interop.md §7.1: a compact JWS signed with EdDSA whose
 * protected header carries a 32-hex-character nonce, and whose audience is a JSON string, not an array.
 * Keys are in the order Go's JOSE library writes them.
 */
export function createClientAssertion(opts: ClientAssertionOptions): string {
  const nonce = (opts.nonce ?? randomBytes(16)).toString('hex');
  const header = {
    alg: 'EdDSA',
    ...(opts.key.keyId === undefined ? {} : { kid: opts.key.keyId }),
    nonce,
  };
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  const claims = {
    iss: opts.clientId,
    sub: opts.clientId,
    aud: opts.audience,
    exp: now + SKEW_SECONDS,
    nbf: now - SKEW_SECONDS,
    iat: now,
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  // Ed25519 takes no digest algorithm: node:crypto wants null here.
  const signature = sign(null, Buffer.from(signingInput), opts.key.privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

const base64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
