import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.js';
import { finishedSyncs, openC1zDb } from '../support/open-c1z-db.js';
import { sampleTenant, SAMPLE_CREDENTIALS } from '../../src/simulator/index.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'e2e-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Well-formed connection flags for tests that fail before any request. */
const CONNECTION = [
  '--base-url',
  'https://c.xmatters.com/api/xm/1',
  '--username',
  'someone',
  '--password',
  'not-a-real-password',
];

const work = (name: string) => {
  const d = join(dir, name);
  mkdirSync(d);
  return d;
};

describe('baton-xmatters command line', () => {
  test('demo works with an empty environment and writes sync.c1z', async () => {
    const cwd = work('demo');
    const r = await runCli(['demo'], { cwd, env: {} });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /sync finished: full sync [0-9A-Za-z]{27}/);
    const tenant = sampleTenant();
    assert.match(r.stderr, new RegExp(`users\\s+${tenant.people.length} `));
    assert.match(r.stderr, new RegExp(`groups\\s+${tenant.groups.length} `));
    const { db, close } = openC1zDb(join(cwd, 'sync.c1z'));
    try {
      assert.equal(finishedSyncs(db).length, 1);
    } finally {
      close();
    }
    assert.ok(!r.stderr.includes(SAMPLE_CREDENTIALS.password), 'the simulator password is not logged');
  });

  test('--help lists the connector fields with their environment variables', async () => {
    const r = await runCli(['--help'], { cwd: dir, env: {} });
    assert.equal(r.code, 0);
    for (const line of [
      /--base-url <string>\s+required: .*\(\$BATON_BASE_URL\)/,
      /--username <string>\s+required: .*\(\$BATON_USERNAME\)/,
      /--password <string>\s+required: .*\(\$BATON_PASSWORD\)/,
      /-f, --file <string>.*\(\$BATON_FILE\)/,
    ]) {
      assert.match(r.stdout.replace(/\n\s+/g, ' '), line);
    }
  });

  test('--version prints the Go-style version line', async () => {
    const r = await runCli(['--version'], { cwd: dir, env: {} });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^baton-xmatters version \d+\.\d+\.\d+\n$/);
  });

  test('every missing required field is reported at once, exit 3, nothing written', async () => {
    const cwd = work('missing');
    const r = await runCli([], { cwd, env: {} });
    assert.equal(r.code, 3, r.stderr);
    for (const name of ['base-url', 'username', 'password']) assert.match(r.stderr, new RegExp(name));
    assert.deepEqual(readdirSync(cwd), []);
  });

  for (const [name, url, pattern] of [
    ['a non-URL', 'company.xmatters.com', /absolute|https:\/\//i],
    ['http to a non-loopback host', 'http://company.xmatters.com/api/xm/1', /https/i],
    ['a URL without /api/xm/1', 'https://company.xmatters.com', /\/api\/xm\/1/],
  ] as const) {
    test(`a base URL that is ${name} is refused with a fix, exit 3`, async () => {
      const cwd = work(`url-${name.replace(/\W+/g, '-')}`);
      const r = await runCli(
        ['--base-url', url, '--username', 'someone', '--password', 'not-a-real-password'],
        { cwd, env: {} },
      );
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, pattern);
      assert.deepEqual(readdirSync(cwd), []);
    });
  }

  for (const flag of ['-p', '--provisioning', '--ticketing']) {
    test(`${flag} is refused: the connector is read-only (exit 12)`, async () => {
      const cwd = work(`refuse${flag}`);
      const r = await runCli([flag, ...CONNECTION], { cwd, env: {} });
      assert.equal(r.code, 12, r.stderr);
      assert.match(r.stderr, /read-only/);
      assert.equal(existsSync(join(cwd, 'sync.c1z')), false);
    });
  }

  test('capabilities prints ConnectorCapabilities in an Any with SYNC on the connector and each type', async () => {
    const r = await runCli(['capabilities'], { cwd: dir, env: {} });
    assert.equal(r.code, 0, r.stderr);
    const caps = JSON.parse(r.stdout) as {
      '@type': string;
      resourceTypeCapabilities: {
        resourceType: { id: string; annotations?: { '@type': string }[] };
        capabilities: string[];
        permissions: object;
      }[];
      connectorCapabilities: string[];
    };
    assert.equal(Object.keys(caps)[0], '@type');
    assert.equal(caps['@type'], 'type.googleapis.com/c1.connector.v2.ConnectorCapabilities');
    assert.deepEqual(
      caps.resourceTypeCapabilities.map((c) => c.resourceType.id),
      ['group', 'user'],
    );
    for (const c of caps.resourceTypeCapabilities) {
      assert.deepEqual(c.capabilities, ['CAPABILITY_SYNC']);
      assert.deepEqual(c.permissions, {});
    }
    assert.deepEqual(caps.resourceTypeCapabilities[1]!.resourceType.annotations, [
      { '@type': 'type.googleapis.com/c1.connector.v2.SkipEntitlementsAndGrants' },
    ]);
    assert.deepEqual(caps.connectorCapabilities, ['CAPABILITY_SYNC']);
  });

  test('config prints the configuration schema with the password marked secret', async () => {
    const r = await runCli(['config'], { cwd: dir, env: {} });
    assert.equal(r.code, 0, r.stderr);
    const schema = JSON.parse(r.stdout) as {
      displayName: string;
      fields: {
        name: string;
        isRequired?: boolean;
        isSecret?: boolean;
        isOps?: boolean;
        stringField?: object;
        intField?: object;
      }[];
    };
    assert.equal(schema.displayName, 'xMatters');
    const byName = new Map(schema.fields.map((f) => [f.name, f]));
    assert.equal(byName.get('password')?.isSecret, true);
    assert.equal(byName.get('password')?.isRequired, true);
    assert.equal(byName.get('base-url')?.isRequired, true);
    assert.ok(byName.get('base-url')?.stringField);
    assert.ok(byName.get('request-concurrency')?.intField);
    assert.equal(byName.has('file'), false, 'CLI-only fields are not part of the schema');
  });

  test('inspect reads a file without changing it, as console and JSON', async () => {
    const cwd = work('inspect');
    assert.equal((await runCli(['demo'], { cwd, env: {} })).code, 0);
    const console_ = await runCli(['inspect'], { cwd, env: {} });
    assert.equal(console_.code, 0, console_.stderr);
    assert.match(console_.stdout, /user/);
    const json = await runCli(['inspect', '--output', 'json'], { cwd, env: {} });
    assert.equal(json.code, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as {
      sync_type: string;
      resources: Record<string, number>;
      grants: number;
    };
    assert.equal(parsed.sync_type, 'full');
    assert.equal(parsed.resources.user, sampleTenant().people.length);
    assert.ok(parsed.grants > 0);
  });

  test('an unknown command is a usage error (exit 3)', async () => {
    const r = await runCli(['frobnicate'], { cwd: dir, env: {} });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /frobnicate/);
  });

  test('a .baton.yaml with a wrong type is reported with the key to fix', async () => {
    const cwd = work('yaml-bad');
    writeFileSync(join(cwd, '.baton.yaml'), 'request-concurrency: lots\n');
    const r = await runCli(CONNECTION, { cwd, env: {} });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /request-concurrency/);
  });
});
