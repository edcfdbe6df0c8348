import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, verify } from 'node:crypto';
import { createClientAssertion } from '../../../src/baton/service/client-assertion.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const decode = (part: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('createClientAssertion', () => {
  const now = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
  const jws = createClientAssertion({
    clientId: 'c@acme.conductor.one/x',
    audience: 'acme.conductor.one',
    key: { privateKey },
    now,
    nonce: Buffer.alloc(16, 0xab),
  });
  const [header, claims, signature] = jws.split('.') as [string, string, string];

  test('is a compact JWS signed with Ed25519', () => {
    assert.equal(jws.split('.').length, 3);
    assert.ok(
      verify(null, Buffer.from(`${header}.${claims}`), publicKey, Buffer.from(signature, 'base64url')),
    );
  });

  test('has the EdDSA algorithm and a 32-hex-character nonce in the protected header', () => {
    assert.deepEqual(decode(header), { alg: 'EdDSA', nonce: 'ab'.repeat(16) });
  });

  test('claims: iss = sub = client ID, aud as a JSON string, exp and nbf 2 minutes around iat', () => {
    const t = Math.floor(now / 1000);
    assert.deepEqual(decode(claims), {
      iss: 'c@acme.conductor.one/x',
      sub: 'c@acme.conductor.one/x',
      aud: 'acme.conductor.one',
      exp: t + 120,
      nbf: t - 120,
      iat: t,
    });
  });

  test('carries the key ID when the JWK has one', () => {
    const withKid = createClientAssertion({
      clientId: 'c@h/x',
      audience: 'h',
      key: { privateKey, keyId: 'k1' },
    });
    assert.equal(decode(withKid.split('.')[0]!).kid, 'k1');
  });

  test('draws a fresh random nonce each time', () => {
    const nonces = new Set(
      Array.from(
        { length: 5 },
        () =>
          decode(
            createClientAssertion({ clientId: 'c@h/x', audience: 'h', key: { privateKey } }).split('.')[0]!,
          ).nonce,
      ),
    );
    assert.equal(nonces.size, 5);
    for (const n of nonces) assert.match(String(n), /^[0-9a-f]{32}$/);
  });
});
