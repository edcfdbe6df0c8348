import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GrpcCode, isBatonError } from '../../../src/baton/errors.js';
import { c1Endpoint } from '../../../src/baton/service/c1-endpoint.js';
import { parseClientId } from '../../../src/baton/service/client-id.js';

describe('c1Endpoint', () => {
  test('uses the client ID host on port 443 for the token endpoint and gRPC, and as the audience', () => {
    const e = c1Endpoint(parseClientId('c@acme.conductor.one/x'));
    assert.deepEqual(e, {
      apiHost: 'acme.conductor.one',
      tokenUrl: 'https://acme.conductor.one/auth/v1/token',
      grpcBaseUrl: 'https://acme.conductor.one',
      audience: 'acme.conductor.one',
    });
  });

  test('keeps an explicit port for the connection but never in the audience', () => {
    const e = c1Endpoint(parseClientId('c@acme.conductor.one:8443/x'));
    assert.equal(e.grpcBaseUrl, 'https://acme.conductor.one:8443');
    assert.equal(e.tokenUrl, 'https://acme.conductor.one:8443/auth/v1/token');
    assert.equal(e.audience, 'acme.conductor.one');
  });

  test('BATON_C1_API_HOST moves the connection, the audience stays the client ID host', () => {
    const e = c1Endpoint(parseClientId('c@acme.conductor.one/x'), '127.0.0.1:9443');
    assert.equal(e.apiHost, '127.0.0.1:9443');
    assert.equal(e.tokenUrl, 'https://127.0.0.1:9443/auth/v1/token');
    assert.equal(e.grpcBaseUrl, 'https://127.0.0.1:9443');
    assert.equal(e.audience, 'acme.conductor.one');
  });

  test('an empty override is no override', () => {
    assert.equal(c1Endpoint(parseClientId('c@acme.conductor.one/x'), '  ').apiHost, 'acme.conductor.one');
  });

  test('refuses an override that is not a host with an optional port', () => {
    for (const bad of ['https://acme.conductor.one', 'acme.conductor.one/path', 'user@host']) {
      assert.throws(
        () => c1Endpoint(parseClientId('c@acme.conductor.one/x'), bad),
        (err: unknown) =>
          isBatonError(err) &&
          err.code === GrpcCode.INVALID_ARGUMENT &&
          /BATON_C1_API_HOST/.test(err.message),
        bad,
      );
    }
  });
});
