import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { createClientAssertion } from '../../../src/baton/service/client-assertion.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const decode = (part: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('createClientAssertion', () => {
  const now = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
  let jws = '';
  let header = '';
  let claims = '';
  let signature = '';
  before(async () => {
    jws = await createClientAssertion({
      clientId: 'c@acme.conductor.one/x',
      audience: 'acme.conductor.one',
      key: { privateKey },
      now,
      nonce: Buffer.alloc(16, 0xab),
    });
    [header, claims, signature] = jws.split('.') as [string, string, string];
  });

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

  test('is byte-for-byte the compact JWS of the header and claims in Go key order', () => {
    const t = Math.floor(now / 1000);
    const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const input = `${part({ alg: 'EdDSA', nonce: 'ab'.repeat(16) })}.${part({
      iss: 'c@acme.conductor.one/x',
      sub: 'c@acme.conductor.one/x',
      aud: 'acme.conductor.one',
      exp: t + 120,
      nbf: t - 120,
      iat: t,
    })}`;
    // Ed25519 is deterministic, so one key and one input give one signature.
    assert.equal(jws, `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`);
  });

  test('carries the key ID when the JWK has one', async () => {
    const withKid = await createClientAssertion({
      clientId: 'c@h/x',
      audience: 'h',
      key: { privateKey, keyId: 'k1' },
    });
    assert.equal(decode(withKid.split('.')[0]!).kid, 'k1');
  });

  test('draws a fresh random nonce each time', async () => {
    const nonces = new Set(
      await Promise.all(
        Array.from(
          { length: 5 },
          async () =>
            decode(
              (await createClientAssertion({ clientId: 'c@h/x', audience: 'h', key: { privateKey } })).split(
                '.',
              )[0]!,
            ).nonce,
        ),
      ),
    );
    assert.equal(nonces.size, 5);
    for (const n of nonces) assert.match(String(n), /^[0-9a-f]{32}$/);
  });
});
