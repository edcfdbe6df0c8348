import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { BatonError, GrpcCode } from '../errors.js';

/** The signing key held in a ConductorOne client secret. */
export interface ClientKey {
  /** An Ed25519 private key. */
  readonly privateKey: KeyObject;
  /** The JWK's `kid`, when it has one; sent in the assertion header as the SDK's JOSE signer does. */
  readonly keyId?: string;
}

const HINT =
  'expected <a>:<b>:v1:<key>, exactly as ConductorOne showed it when the connector was created ' +
  '(set --client-secret or BATON_CLIENT_SECRET)';

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Parses `<a>:<b>:v1:<base64url-no-padding(JWK JSON)>` into an Ed25519 private key (docs/service-mode.md,
 * "Credentials"). Each malformed part has its own message; no message ever contains any part of the secret.
 */
export function parseClientSecret(raw: string): ClientKey {
  // Secrets mounted from files often end with a newline.
  const secret = raw.trim();
  if (secret === '') throw invalid('it is empty');
  const parts = secret.split(':');
  if (parts.length !== 4) throw invalid(`it has ${parts.length} ':'-separated parts instead of 4`);
  const [first, second, version, encoded] = parts as [string, string, string, string];
  if (first === '' || second === '') throw invalid('one of the first two parts is empty');
  if (version !== 'v1') throw invalid("the third part is not 'v1' (unknown secret version)");
  if (!BASE64URL.test(encoded)) throw invalid('the fourth part is not unpadded base64url');
  let jwk: unknown;
  try {
    jwk = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw invalid('the fourth part does not decode to JSON');
  }
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk))
    throw invalid('the key is not a JSON object');
  const key = jwk as Record<string, unknown>;
  if (key.kty !== 'OKP' || key.crv !== 'Ed25519') throw invalid('the key is not an Ed25519 (OKP) key');
  if (typeof key.d !== 'string' || key.d === '') throw invalid('the key is a public key, not a private key');
  if (typeof key.x !== 'string' || key.x === '') throw invalid("the key has no public part ('x')");
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: key as JsonWebKey, format: 'jwk' });
  } catch {
    throw invalid('the key material is not a valid Ed25519 private key');
  }
  // A damaged secret can still parse; a key whose halves disagree would only fail later, at the token endpoint.
  const derived = createPublicKey(privateKey).export({ format: 'jwk' });
  if (derived.x !== key.x) throw invalid('the private and public parts of the key do not match');
  return typeof key.kid === 'string' && key.kid !== '' ? { privateKey, keyId: key.kid } : { privateKey };
}

function invalid(what: string): BatonError {
  return new BatonError(GrpcCode.INVALID_ARGUMENT, `invalid client secret: ${what}; ${HINT}`);
}
