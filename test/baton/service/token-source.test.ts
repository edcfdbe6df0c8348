import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { GrpcCode, isBatonError } from '../../../src/baton/errors.js';
import { c1Endpoint } from '../../../src/baton/service/c1-endpoint.js';
import { parseClientId } from '../../../src/baton/service/client-id.js';
import { parseClientSecret } from '../../../src/baton/service/client-secret.js';
import { TokenSource } from '../../../src/baton/service/token-source.js';
import { FakeC1, type FakeC1Options } from '../../support/fake-c1.js';
import { testTls } from '../../support/fake-c1-tls.js';

const agent = new Agent({ connect: { ca: testTls().ca } });
const fakes: FakeC1[] = [];
after(async () => {
  for (const c1 of fakes) await c1.close();
  await agent.close();
});

async function source(opts: FakeC1Options = {}, clock?: { now: number }) {
  const c1 = await FakeC1.start(clock === undefined ? opts : { ...opts, now: () => clock.now });
  fakes.push(c1);
  const clientId = parseClientId(c1.clientId);
  const tokens = new TokenSource({
    clientId,
    key: parseClientSecret(c1.clientSecret),
    endpoint: c1Endpoint(clientId, c1.host),
    dispatcher: agent,
    ...(clock === undefined ? {} : { now: () => clock.now }),
  });
  return { c1, tokens };
}

const rejectsWith = (code: number, message: RegExp) => (err: unknown) => {
  assert.ok(isBatonError(err), String(err));
  assert.equal(err.code, code);
  assert.match(err.message, message);
  return true;
};

describe('TokenSource', () => {
  test('gets a bearer token with an assertion the server verifies against the public key', async () => {
    const { c1, tokens } = await source();
    const token = await tokens.token();
    assert.equal(token.type, 'Bearer', "the server's lower-case 'bearer' is canonicalised");
    assert.match(token.value, /^[0-9a-f]{48}$/);
    assert.equal(c1.tokenRequests.length, 1);
    const [req] = c1.tokenRequests;
    assert.ok(req?.ok, req?.reason);
    assert.equal(
      req.claims?.aud,
      'acme.conductor.one',
      'the audience is the client ID host, not the override',
    );
  });

  test('reuses the token until shortly before it expires, then fetches a new one', async () => {
    const clock = { now: Date.now() };
    const { c1, tokens } = await source({ tokenExpiresIn: 600 }, clock);
    const first = await tokens.token();
    clock.now += 500_000;
    assert.equal((await tokens.token()).value, first.value);
    assert.equal(c1.tokenRequests.length, 1);
    clock.now += 50_000; // 550 s of 600: inside the 60 s refresh margin
    assert.notEqual((await tokens.token()).value, first.value);
    assert.equal(c1.tokenRequests.length, 2);
  });

  test('renews a short-lived token halfway through its life', async () => {
    const clock = { now: Date.now() };
    const { c1, tokens } = await source({ tokenExpiresIn: 10 }, clock);
    const first = await tokens.token();
    clock.now += 4_900;
    assert.equal((await tokens.token()).value, first.value);
    clock.now += 200;
    assert.notEqual((await tokens.token()).value, first.value);
    assert.equal(c1.tokenRequests.length, 2);
  });

  test('invalidate(value) drops only the token it names', async () => {
    const { c1, tokens } = await source();
    const first = await tokens.token();
    tokens.invalidate('some-older-token');
    assert.equal((await tokens.token()).value, first.value);
    tokens.invalidate(first.value);
    assert.notEqual((await tokens.token()).value, first.value);
    assert.equal(c1.tokenRequests.length, 2);
  });

  test('keeps a token without expires_in until invalidated', async () => {
    const clock = { now: Date.now() };
    const { c1, tokens } = await source({ tokenExpiresIn: 0 }, clock);
    const first = await tokens.token();
    clock.now += 24 * 3600_000;
    assert.equal((await tokens.token()).value, first.value);
    tokens.invalidate();
    assert.notEqual((await tokens.token()).value, first.value);
    assert.equal(c1.tokenRequests.length, 2);
  });

  test('concurrent callers share one token request', async () => {
    const { c1, tokens } = await source();
    const all = await Promise.all([tokens.token(), tokens.token(), tokens.token()]);
    assert.equal(new Set(all.map((t) => t.value)).size, 1);
    assert.equal(c1.tokenRequests.length, 1);
  });

  for (const status of [400, 401, 403]) {
    test(`HTTP ${status} means the credentials are wrong: UNAUTHENTICATED with the OAuth2 error code`, async () => {
      const { tokens } = await source({ tokenStatus: status });
      await assert.rejects(
        tokens.token(),
        rejectsWith(
          GrpcCode.UNAUTHENTICATED,
          new RegExp(`rejected the client credentials \\(HTTP ${status}, invalid_client\\)`),
        ),
      );
    });
  }

  test('other statuses are UNAVAILABLE, so callers retry', async () => {
    const { tokens } = await source({ tokenStatus: 503 });
    await assert.rejects(tokens.token(), rejectsWith(GrpcCode.UNAVAILABLE, /answered HTTP 503/));
  });

  test('a 200 without an access token is UNAVAILABLE', async () => {
    const server = createServer({ key: testTls().key, cert: testTls().cert }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"token_type":"bearer"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { c1 } = await source();
      const clientId = parseClientId(c1.clientId);
      const tokens = new TokenSource({
        clientId,
        key: parseClientSecret(c1.clientSecret),
        endpoint: c1Endpoint(clientId, `127.0.0.1:${(server.address() as AddressInfo).port}`),
        dispatcher: agent,
      });
      await assert.rejects(tokens.token(), rejectsWith(GrpcCode.UNAVAILABLE, /without an access token/));
    } finally {
      server.close();
    }
  });

  test('an unreachable endpoint is UNAVAILABLE and names the URL', async () => {
    const { c1 } = await source();
    const clientId = parseClientId(c1.clientId);
    const tokens = new TokenSource({
      clientId,
      key: parseClientSecret(c1.clientSecret),
      // Port 1 on loopback: nothing listens there.
      endpoint: c1Endpoint(clientId, '127.0.0.1:1'),
      dispatcher: agent,
    });
    await assert.rejects(
      tokens.token(),
      rejectsWith(
        GrpcCode.UNAVAILABLE,
        /could not reach the ConductorOne token endpoint https:\/\/127\.0\.0\.1:1\//,
      ),
    );
  });
});
