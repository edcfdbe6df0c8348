// Scenario 7, secrets. Every run of the suite goes through runRel, which logs at debug level and scans
// stdout, stderr, the c1z (decompressed too) and every file left in the output and temp directories.
// This file proves the scanner finds what it looks for, and adds the paths a secret could still take:
// the password on the command line or in a config file, the console log format, and a server that
// echoes the Authorization header (or the decoded password) back in its error bodies.
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { C1zStore } from '../../src/baton/c1z/store.js';
import { newResourceId } from '../../src/baton/model/index.js';
import { create } from '@bufbuild/protobuf';
import { ResourceSchema } from '../../src/baton/gen/c1/connector/v2/resource_pb.js';
import { expectedContent } from '../support/expected-content.js';
import { readSynced } from '../support/reliability-content.js';
import {
  assertReadOnlySync,
  FAST_FLAGS,
  fileFigures,
  note,
  relTenant,
  runRel,
  Scratch,
  startRelSim,
  stopRelSims,
  syncSetup,
} from '../support/reliability-harness.js';
import {
  assertNoSecretLeak,
  fileContents,
  findSecret,
  REL_PASSWORD,
  REL_SECRETS,
  REL_USER,
} from '../support/reliability-secrets.js';
import { generateTenant, type XmattersSimulator } from '../../src/simulator/index.js';

const tenant = relTenant();
const expected = expectedContent(tenant);
const scratch = new Scratch('secrets');
let sim: XmattersSimulator;

/** A hostile or buggy endpoint that quotes the credentials it received back in every answer. */
type EchoMode = 'json-500' | 'html-404' | 'bad-json-200' | 'text-401';
let echoMode: EchoMode = 'json-500';
let echo: Server;
let echoOrigin: string;

before(async () => {
  sim = await startRelSim(structuredClone(tenant));
  echo = createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    const decoded = Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString('utf8');
    const said = `you sent ${auth} which is ${decoded}`;
    const json = { 'content-type': 'application/json' };
    if (echoMode === 'json-500')
      res.writeHead(500, json).end(JSON.stringify({ code: 500, reason: 'Echo', message: said }));
    else if (echoMode === 'html-404')
      res.writeHead(404, { 'content-type': 'text/html' }).end(`<html><body>${said}</body></html>`);
    else if (echoMode === 'bad-json-200') res.writeHead(200, json).end(`{"data": [${said}`);
    else res.writeHead(401, { 'content-type': 'text/plain' }).end(said);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoOrigin = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
});

after(async () => {
  await stopRelSims();
  await new Promise<void>((resolve) => {
    echo.close(() => resolve());
    echo.closeAllConnections();
  });
  scratch.remove();
});

describe('7. secrets never leave the process', () => {
  test('the scanner finds every form of the secrets, in plain files and inside a c1z', async () => {
    const d = scratch.dirs('scanner');
    for (const secret of REL_SECRETS) {
      writeFileSync(join(d.out, 'plain.txt'), `before ${secret} after`);
      assert.ok(findSecret(readFileSync(join(d.out, 'plain.txt'))) !== undefined, secret);
      assert.throws(() => assertNoSecretLeak({}, [d.out]), /a secret leaked into .*plain\.txt/);
    }
    assert.throws(() => assertNoSecretLeak({ stderr: `x${REL_PASSWORD}x` }, []), /leaked into stderr/);
    // Inside a c1z the database is compressed: the scanner must decompress it to see the name.
    const file = join(d.tmp, 'leak.c1z');
    const store = await C1zStore.open(file, { tmpDir: d.tmp });
    store.startSync('full');
    // Varied text around it makes zstd entropy-code the literals, the secret's bytes among them (a lone short
    // string in a page of zeros may be stored as raw literals).
    const description = Array.from({ length: 64 }, (_, i) =>
      createHash('sha512').update(`noise ${i}`).digest('base64'),
    ).join(' ');
    store.putResources([
      create(ResourceSchema, { id: newResourceId('user', 'u1'), displayName: REL_PASSWORD, description }),
    ]);
    await store.endSync();
    await store.close();
    assert.equal(findSecret(readFileSync(file)), undefined, 'compressed, the raw bytes hide it');
    assert.ok(fileContents(file).some((c) => findSecret(c) === REL_PASSWORD));
    assert.throws(() => assertNoSecretLeak({}, [d.tmp]), /leak\.c1z/);
  });

  test('config and capabilities print no secret from the environment', async (t) => {
    const d = scratch.dirs('schema');
    const env = { BATON_BASE_URL: sim.baseUrl, BATON_USERNAME: REL_USER, BATON_PASSWORD: REL_PASSWORD };
    for (const command of ['config', 'capabilities']) {
      const run = await runRel([command], { cwd: d.out, env, scan: [d.out, d.tmp] });
      assert.equal(run.code, 0, run.stderr);
      assert.ok(run.stdout.length > 100);
    }
    note(t, { runs: 2 });
  });

  test('a password on the command line is scrubbed like one in the environment', async (t) => {
    const d = scratch.dirs('flag');
    const { args } = syncSetup(sim.baseUrl, d);
    const run = await runRel(
      [...args, '--base-url', sim.baseUrl, '--username', REL_USER, '--password', REL_PASSWORD],
      {
        cwd: d.out,
        env: {},
        scan: [d.out, d.tmp],
      },
    );
    assert.equal(run.code, 0, run.stderr.slice(-2000));
    assert.deepEqual(readSynced(d.file).grants, expected.grants);
    note(t, { runs: 1 });
  });

  test('a password in a config file, with console logs, never reaches the output', async (t) => {
    const d = scratch.dirs('yaml');
    const configDir = join(scratch.root, 'config');
    mkdirSync(configDir, { recursive: true });
    const config = join(configDir, 'baton.yaml');
    writeFileSync(config, `base-url: ${sim.baseUrl}\nusername: ${REL_USER}\npassword: '${REL_PASSWORD}'\n`);
    const run = await runRel(['--file', d.file, '--c1z-temp-dir', d.tmp, '--log-format', 'console'], {
      cwd: d.out,
      env: { BATON_CONFIG_PATH: config },
      scan: [d.out, d.tmp],
    });
    assert.equal(run.code, 0, run.stderr.slice(-2000));
    assert.match(run.stderr, /DEBUG/, 'console format at debug level');
    note(t, { runs: 1 });
  });

  const ECHOES: { mode: EchoMode; code: number; message: RegExp }[] = [
    {
      mode: 'json-500',
      code: 14,
      message:
        /HTTP 500 \(xMatters said: 500 Echo: you sent Basic \[REDACTED\] which is rel-user:\[REDACTED\]/,
    },
    {
      mode: 'html-404',
      code: 5,
      message:
        /HTTP 404; body .*you sent Basic \[REDACTED\] which is rel-user:\[REDACTED\].*Check that the base URL/,
    },
    { mode: 'bad-json-200', code: 13, message: /malformed or truncated JSON/ },
    { mode: 'text-401', code: 16, message: /rejected the credentials of user \\?"rel-user\\?"/ },
  ];
  for (const c of ECHOES) {
    for (const format of ['json', 'console'] as const) {
      test(`a server echoing the credentials (${c.mode}, ${format} logs): scrubbed from every message`, async (t) => {
        echoMode = c.mode;
        const d = scratch.dirs(`echo-${c.mode}-${format}`);
        const { args, env } = syncSetup(`${echoOrigin}/api/xm/1`, d, [
          '--max-attempts',
          '2',
          '--log-format',
          format,
        ]);
        const run = await runRel(args, { cwd: d.out, env, scan: [d.out, d.tmp] });
        assert.equal(run.code, c.code, run.stderr.slice(-2000));
        assert.match(run.stderr, c.message);
        note(t, { badInputs: 1, runs: 1 });
      });
    }
  }

  // A password shorter than 6 characters is not scrubbed from free text (it would corrupt every line: "1" is
  // in every timestamp), only where its place is known. The log must stay valid JSON and the text readable.
  const SHORT_PASSWORDS = ['1', 'e', '"', '\\', 'ü'];
  test('short passwords: every json log line parses, and paths and times are intact', async (t) => {
    const shortSim = await startRelSim(
      generateTenant({
        seed: 3,
        people: 12,
        groups: 3,
        credentials: SHORT_PASSWORDS.map((password, i) => ({ username: `short-${i}`, password })),
      }),
    );
    for (const [i, password] of SHORT_PASSWORDS.entries()) {
      const d = scratch.dirs(`short-${i}`);
      const run = await runRel(
        ['--file', d.file, '--c1z-temp-dir', d.tmp, '--output', 'json', ...FAST_FLAGS],
        {
          cwd: d.out,
          env: { BATON_BASE_URL: shortSim.baseUrl, BATON_USERNAME: `short-${i}`, BATON_PASSWORD: password },
          scan: [d.out, d.tmp],
        },
      );
      assert.equal(run.code, 0, run.stderr.slice(-2000));
      const lines = run.stderr.trimEnd().split('\n');
      assert.ok(lines.length >= 5, run.stderr);
      for (const line of lines) {
        const parsed = JSON.parse(line) as { time: unknown; msg: unknown };
        assert.match(String(parsed.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, line);
      }
      assert.ok(!run.stderr.includes('[REDACTED]'), `nothing to redact in an ordinary run:\n${run.stderr}`);
      assert.equal(run.details?.file, d.file);
    }
    note(t, { runs: SHORT_PASSWORDS.length });
  });

  test('8. read-only: a sync sends only GET requests (checked on its own simulator)', async (t) => {
    const { requests } = await assertReadOnlySync(tenant, scratch);
    note(t, { runs: 1, requests });
    t.diagnostic(fileFigures());
  });
});
