import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
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
 * The `private_key_jwt` client assertion (docs/service-mode.md, "Credentials"): a compact JWS signed with
 * EdDSA whose protected header carries a 32-hex-character nonce, and whose audience is a JSON string, not an
 * array. Header and claim keys keep the order Go's JOSE library writes them; Ed25519 signatures are
 * deterministic, so the token is byte-for-byte what the Go SDK sends for the same inputs.
 */
export async function createClientAssertion(opts: ClientAssertionOptions): Promise<string> {
  const nonce = (opts.nonce ?? randomBytes(16)).toString('hex');
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  // The claims go in as one object (not setIssuer()/setAudience()…) so their order is ours, not jose's.
  return new SignJWT({
    iss: opts.clientId,
    sub: opts.clientId,
    aud: opts.audience,
    exp: now + SKEW_SECONDS,
    nbf: now - SKEW_SECONDS,
    iat: now,
  })
    .setProtectedHeader({
      alg: 'EdDSA',
      ...(opts.key.keyId === undefined ? {} : { kid: opts.key.keyId }),
      nonce,
    })
    .sign(opts.key.privateKey);
}
