import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { GrpcCode, isBatonError } from '../../../src/baton/errors.js';
import { parseClientSecret } from '../../../src/baton/service/client-secret.js';
import { clientSecretFor } from '../../support/fake-c1.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const secret = clientSecretFor(privateKey);
const jwk = privateKey.export({ format: 'jwk' });
const encode = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const withKey = (o: unknown): string => `secret-token:conductorone.com:v1:${encode(o)}`;

describe('parseClientSecret', () => {
  test('returns the Ed25519 private key of a well-formed secret', () => {
    const key = parseClientSecret(secret);
    assert.equal(key.privateKey.asymmetricKeyType, 'ed25519');
    assert.equal(key.privateKey.type, 'private');
    const data = Buffer.from('proof');
    assert.ok(verify(null, data, publicKey, sign(null, data, key.privateKey)));
    assert.equal(key.keyId, undefined);
  });

  test("keeps the JWK's kid and ignores a trailing newline", () => {
    assert.equal(parseClientSecret(`${withKey({ ...jwk, kid: 'k1' })}\n`).keyId, 'k1');
  });

  const otherKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' });
  const bad: [string, string, RegExp][] = [
    ['an empty secret', '', /it is empty/],
    ['three parts', 'a:b:v1', /3 ':'-separated parts instead of 4/],
    ['five parts', `${secret}:extra`, /5 ':'-separated parts instead of 4/],
    ['an empty first part', secret.replace(/^[^:]+/, ''), /first two parts is empty/],
    ['another version', secret.replace(':v1:', ':v2:'), /third part is not 'v1'/],
    ['padded base64', `${secret}=`, /not unpadded base64url/],
    ['standard base64 characters', `${secret.slice(0, -2)}+/`, /not unpadded base64url/],
    [
      'a key that is not JSON',
      `a:b:v1:${Buffer.from('not json').toString('base64url')}`,
      /does not decode to JSON/,
    ],
    ['a JSON array', withKey([1, 2]), /not a JSON object/],
    ['an RSA key', withKey(rsa), /not an Ed25519 \(OKP\) key/],
    ['a public key', withKey({ kty: 'OKP', crv: 'Ed25519', x: jwk.x }), /public key, not a private key/],
    ['a key without x', withKey({ kty: 'OKP', crv: 'Ed25519', d: jwk.d }), /no public part/],
    [
      'mismatched halves',
      withKey({ ...jwk, x: otherKey.x }),
      /private and public parts of the key do not match/,
    ],
    ['garbage key material', withKey({ ...jwk, d: 'AAAA' }), /not a valid Ed25519 private key/],
  ];
  for (const [name, input, message] of bad) {
    test(`refuses ${name} with INVALID_ARGUMENT and no part of the secret`, () => {
      assert.throws(
        () => parseClientSecret(input),
        (err: unknown) => {
          assert.ok(isBatonError(err));
          assert.equal(err.code, GrpcCode.INVALID_ARGUMENT);
          assert.match(err.message, /^invalid client secret: /);
          assert.match(err.message, message);
          for (const part of [jwk.d!, jwk.x!, input.split(':').at(-1)!]) {
            if (part.length >= 8)
              assert.ok(!err.message.includes(part), 'the message holds part of the secret');
          }
          return true;
        },
      );
    });
  }
});
