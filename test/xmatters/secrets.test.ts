import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { generateTenant, type XmattersSimulator } from '../../src/simulator/index.js';
import { XmattersClient, XmattersErrorCode, type XmattersError } from '../../src/xmatters/index.js';
import { RecordingServer } from '../support/simulator-recorder.js';
import { TEST_SECRETS, assertNoSecrets, scannedErrors } from '../support/simulator-secrets.js';
import {
  SAMPLE_CREDENTIALS,
  clientFor,
  collect,
  rejectsWithCode,
  startSimulator,
  stopSimulator,
} from '../support/simulator.js';

// Produces one error of every class with real credentials configured and scans each for the secrets.
describe('no secret in any error text', () => {
  let sim: XmattersSimulator;
  let other: RecordingServer;
  const produced = new Map<string, XmattersError>();
  before(async () => {
    sim = await startSimulator();
    other = await RecordingServer.start();
  });
  after(async () => {
    await other.close();
    await stopSimulator(sim);
  });

  const keep = async (p: Promise<unknown>, code: string): Promise<void> => {
    produced.set(code, await rejectsWithCode(p, code));
  };

  test('every error code is produced with the password and Basic header in play, and none leaks', async () => {
    const roles = '/roles';
    const run = async (
      faults: Parameters<XmattersSimulator['setFaults']>[0],
      code: string,
      extra = {},
    ): Promise<void> => {
      sim.setFaults(faults);
      const { client } = clientFor(sim, { maxAttempts: 2, ...extra });
      await keep(collect(client.listRoles()), code);
      await client.close();
    };
    await keep(
      Promise.resolve().then(
        () =>
          new XmattersClient({
            baseUrl: 'ftp://x/api/xm/1',
            username: 'demo',
            password: SAMPLE_CREDENTIALS.password,
          }),
      ),
      'XM_CONFIG',
    );
    await run({}, 'XM_AUTH', { password: 'wrong-password-Zq8!' });
    await run({}, 'XM_PERMISSION', {
      username: SAMPLE_CREDENTIALS.noAccessUsername,
      password: SAMPLE_CREDENTIALS.noAccessPassword,
    });
    await run({ rules: [{ path: roles, action: { type: 'status', status: 404 } }] }, 'XM_NOT_FOUND');
    await run({ rules: [{ path: roles, action: { type: 'status', status: 429 } }] }, 'XM_RATE_LIMITED');
    await run({ rules: [{ path: roles, action: { type: 'status', status: 503 } }] }, 'XM_UNAVAILABLE');
    await run({ rules: [{ path: roles, action: { type: 'delay', ms: 1000 } }] }, 'XM_TIMEOUT', {
      timeoutMs: 50,
    });
    await run({ rules: [{ path: roles, action: { type: 'badBody', kind: 'html-200' } }] }, 'XM_BAD_RESPONSE');
    await run({ rules: [{ path: roles, action: { type: 'status', status: 400 } }] }, 'XM_REQUEST');
    await run({ rules: [{ path: roles, action: { type: 'repeatNext' } }] }, 'XM_PAGINATION');
    await run(
      { rules: [{ path: roles, action: { type: 'foreignNext', origin: other.origin } }] },
      'XM_FOREIGN_ORIGIN',
    );
    assert.deepEqual([...produced.keys()].sort(), Object.values(XmattersErrorCode).sort());
    for (const e of produced.values()) assertNoSecrets(e);
    assert.equal(other.requests.length, 0);
  });

  test('the scanner itself catches a leaked password and Basic header', () => {
    assert.throws(() => assertNoSecrets(new Error(`oops ${SAMPLE_CREDENTIALS.password}`)), /secret leaked/);
    const header = Buffer.from(`${SAMPLE_CREDENTIALS.username}:${SAMPLE_CREDENTIALS.password}`).toString(
      'base64',
    );
    assert.throws(() => assertNoSecrets(new Error('x', { cause: new Error(header) })), /secret leaked/);
    assert.ok(TEST_SECRETS.includes(header));
  });

  test('every error message scanned in this file was checked', () => {
    assert.ok(scannedErrors.length >= Object.values(XmattersErrorCode).length);
  });
});

describe('a hostile server echoing credentials', () => {
  let server: Server;
  let origin: string;
  before(async () => {
    // Echoes the Authorization header and the decoded password into its error bodies and HTML.
    server = createServer((req, res) => {
      const auth = req.headers.authorization ?? '';
      const decoded = Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString('utf8');
      if (req.url?.includes('/roles')) {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<html>${auth} ${decoded}</html>`);
        return;
      }
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ code: 400, reason: auth, message: `bad request from ${decoded} with ${auth}` }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  });

  const client = (): XmattersClient =>
    new XmattersClient({
      baseUrl: `${origin}/api/xm/1`,
      username: SAMPLE_CREDENTIALS.username,
      password: SAMPLE_CREDENTIALS.password,
    });

  test('error objects quoting the secrets are scrubbed', async () => {
    const c = client();
    const e = await rejectsWithCode(collect(c.listPeople()), 'XM_REQUEST');
    assert.match(e.message, /\[REDACTED\]/);
    await c.close();
  });

  test('HTML bodies quoting the secrets are scrubbed', async () => {
    const c = client();
    const e = await rejectsWithCode(collect(c.listRoles()), 'XM_BAD_RESPONSE');
    assert.match(e.message, /\[REDACTED\]/);
    await c.close();
  });
});

describe('the client object', () => {
  test('printing or serialising it shows no credentials', async () => {
    const { inspect } = await import('node:util');
    const c = new XmattersClient({
      baseUrl: 'https://company.xmatters.com/api/xm/1',
      username: SAMPLE_CREDENTIALS.username,
      password: SAMPLE_CREDENTIALS.password,
    });
    for (const text of [
      inspect(c, { depth: 10, showHidden: true }),
      JSON.stringify(c),
      String(inspect({ nested: { c } })),
    ]) {
      assertNoSecrets(new Error(text));
      assert.match(text, /company\.xmatters\.com/);
    }
    await c.close();
  });
});

describe('generated tenants', () => {
  test('their credentials are test secrets too', async () => {
    const sim = await startSimulator({ tenant: generateTenant({ people: 1, groups: 1 }) });
    const { client } = clientFor(sim, { username: 'sim-user', password: 'wrong-password-Zq8!' });
    await rejectsWithCode(client.checkAccess(), 'XM_AUTH');
    await client.close();
    await stopSimulator(sim);
  });
});
