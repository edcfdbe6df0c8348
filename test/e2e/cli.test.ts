import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from '../support/closed-port.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { finishedSyncs, openC1zDb } from '../support/open-c1z-db.js';
import {
  XmattersSimulator,
  generateTenant,
  sampleTenant,
  tenantToData,
  SAMPLE_CREDENTIALS,
} from '../../src/simulator/index.js';

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
      ['group', 'role', 'user'],
    );
    for (const c of caps.resourceTypeCapabilities) {
      assert.deepEqual(c.capabilities, ['CAPABILITY_SYNC']);
      assert.deepEqual(c.permissions, {});
    }
    assert.equal(caps.resourceTypeCapabilities[1]!.resourceType.annotations, undefined, 'roles hold grants');
    assert.deepEqual(caps.resourceTypeCapabilities[2]!.resourceType.annotations, [
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

/** Sample-tenant credentials as flags, pointed at `baseUrl`. */
const sampleConnection = (baseUrl: string) => [
  '--base-url',
  baseUrl,
  '--username',
  SAMPLE_CREDENTIALS.username,
  '--password',
  SAMPLE_CREDENTIALS.password,
];

describe('config checks come before any request', () => {
  let sim: XmattersSimulator;
  before(async () => {
    const tenant = sampleTenant();
    // Reads people but not groups: the access check must catch it, not the listing.
    tenant.credentials.push({
      username: 'no-groups',
      password: 'no-groups-password',
      forbidden: ['/groups'],
    });
    sim = await XmattersSimulator.start({ tenant });
  });
  after(() => sim.close());

  test('an unknown --sync-resource-types id exits 3 naming the known types, no request', async () => {
    sim.resetStats();
    const cwd = work('types-unknown');
    const r = await runCli([...sampleConnection(sim.baseUrl), '--sync-resource-types', 'widget'], {
      cwd,
      env: {},
    });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /invalid configuration \(1 problem\)/);
    assert.match(r.stderr, /--sync-resource-types: "widget" is not allowed; use one of user, group/);
    assert.equal(sim.stats().requests, 0);
    assert.deepEqual(readdirSync(cwd), []);
  });

  test('an unknown type and a missing --password are listed together in one message, exit 3', async () => {
    sim.resetStats();
    const cwd = work('types-and-password');
    const r = await runCli(
      ['--base-url', sim.baseUrl, '--username', 'demo', '--sync-resource-types', 'user,widget'],
      { cwd, env: {} },
    );
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /invalid configuration \(2 problems\)/);
    assert.match(r.stderr, /"widget" is not allowed/);
    assert.match(r.stderr, /--password is required/);
    assert.equal(sim.stats().requests, 0);
  });

  for (const [name, args, env] of [
    ['-p with no connection settings at all', ['-p'], {}],
    ['--ticketing with no connection settings at all', ['--ticketing'], {}],
    ['$BATON_PROVISIONING with no connection settings', [], { BATON_PROVISIONING: 'true' }],
    ['--provisioning at service-mode start-up', ['--provisioning', '--client-id', 'cid'], {}],
  ] as const) {
    test(`${name}: exit 12 (read-only) before the required-field check`, async () => {
      const cwd = work(`refuse-early-${name.replace(/\W+/g, '-')}`);
      const r = await runCli([...args], { cwd, env });
      assert.equal(r.code, 12, r.stderr);
      assert.match(r.stderr, /is not supported: baton-xmatters is read-only/);
      assert.doesNotMatch(r.stderr, /is required/);
      assert.deepEqual(readdirSync(cwd), []);
    });
  }

  test('a user who cannot read groups fails the access check with the 403 message, exit 7', async () => {
    sim.resetStats();
    const cwd = work('no-groups');
    const r = await runCli(
      ['--base-url', sim.baseUrl, '--username', 'no-groups', '--password', 'no-groups-password'],
      { cwd, env: {} },
    );
    assert.equal(r.code, 7, r.stderr);
    assert.match(r.stderr, /not allowed to call GET \/api\/xm\/1\/groups\?offset=0&limit=1 \(HTTP 403\)/);
    assert.match(r.stderr, /REST Web Service User/);
    // Only the two check calls: nothing was listed.
    assert.deepEqual(
      sim.requests().map((q) => q.url),
      ['/api/xm/1/people?offset=0&limit=1', '/api/xm/1/groups?offset=0&limit=1'],
    );
    assert.equal(existsSync(join(cwd, 'sync.c1z')), false);
  });

  test('a flag wins over the same setting in the environment (BATON_BASE_URL vs --base-url)', async () => {
    sim.resetStats();
    const cwd = work('flag-over-env');
    const env = {
      BATON_BASE_URL: `http://127.0.0.1:${await closedPort()}/api/xm/1`,
      BATON_USERNAME: 'someone-else',
      BATON_PASSWORD: 'not-the-password',
    };
    const r = await runCli([...sampleConnection(sim.baseUrl), '--output', 'json'], { cwd, env });
    assert.equal(r.code, 0, r.stderr);
    const details = JSON.parse(r.stdout) as { users: { total: number }; requests: number };
    assert.equal(details.users.total, sampleTenant().people.length);
    assert.equal(details.requests, sim.stats().requests, 'every request went to the flag URL');
    assert.equal(sim.stats().authFailures, 0, 'the flag credentials were used');
    // The environment alone points at the closed port: unavailable, exit 14.
    const envOnly = await runCli([], { cwd: work('env-only'), env });
    assert.equal(envOnly.code, 14, envOnly.stderr);
  });
});

describe('inspect flags on a demo file', () => {
  let cwd: string;
  let syncId: string;
  const tenant = sampleTenant();
  before(async () => {
    cwd = work('inspect-flags');
    const r = await runCli(['demo', '--file', 'out.c1z', '--output', 'json'], { cwd, env: {} });
    assert.equal(r.code, 0, r.stderr);
    syncId = (JSON.parse(r.stdout) as { sync_id: string }).sync_id;
  });

  test('--file with --resources group lists every group by id and name', async () => {
    const r = await runCli(['inspect', '--file', 'out.c1z', '--resources', 'group'], { cwd, env: {} });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Sync:\\s+${syncId} \\(full\\)`));
    const listed = r.stdout.split('Resources of type group:\n')[1]?.trim().split('\n') ?? [];
    assert.equal(listed.length, tenant.groups.length);
    for (const g of tenant.groups) assert.ok(r.stdout.includes(`  ${g.id}  ${g.targetName}`), g.targetName);
  });

  test('--grants lists group member and supervisor grants and role grants as entitlement → user', async () => {
    const r = await runCli(['inspect', '-f', 'out.c1z', '--grants'], { cwd, env: {} });
    assert.equal(r.code, 0, r.stderr);
    const count = Number(/Grants:\s+(\d+)/.exec(r.stdout)?.[1]);
    const lines = r.stdout.split('\n').filter((l) => l.includes(' → '));
    assert.equal(lines.length, count);
    for (const l of lines)
      assert.match(l, /^ {2}(group:[^:]+:(member|supervisor)|role:[^:]+:assigned) → user:\S+$/);
    assert.ok(
      lines.some((l) => l.includes(':supervisor → ')) && lines.some((l) => l.includes(':assigned → ')),
    );
  });

  test('--sync-id, --resources, --grants and --output json together', async () => {
    const r = await runCli(
      [
        'inspect',
        '--file',
        'out.c1z',
        '--sync-id',
        syncId,
        '--resources',
        'group',
        '--grants',
        '--output',
        'json',
      ],
      { cwd, env: {} },
    );
    assert.equal(r.code, 0, r.stderr);
    const parsed = JSON.parse(r.stdout) as {
      sync_id: string;
      grants: number;
      items: {
        resources: { resource_type: string; id: string }[];
        grants: { principal_resource_type: string }[];
      };
    };
    assert.equal(parsed.sync_id, syncId);
    assert.deepEqual(parsed.items.resources.map((x) => x.id).sort(), tenant.groups.map((g) => g.id).sort());
    assert.ok(parsed.items.resources.every((x) => x.resource_type === 'group'));
    assert.equal(parsed.items.grants.length, parsed.grants);
    assert.ok(parsed.items.grants.every((g) => g.principal_resource_type === 'user'));
  });

  test('an unknown --sync-id is NOT_FOUND (exit 5) naming the id', async () => {
    const r = await runCli(['inspect', '--file', 'out.c1z', '--sync-id', 'no-such-sync'], { cwd, env: {} });
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /sync no-such-sync is not in/);
  });
});

/** Runs `baton-xmatters simulator …`, waits for its banner, checks it answers, then stops it with SIGTERM. */
async function runSimulatorCli(
  args: readonly string[],
  check: (banner: { baseUrl: string; username: string; password: string; text: string }) => Promise<void>,
): Promise<CliResult> {
  let child: ChildProcess | undefined;
  const exited = runCli(['simulator', ...args], {
    cwd: dir,
    env: {},
    timeoutMs: 30_000,
    onSpawn: (c) => (child = c),
  });
  const text = await new Promise<string>((resolve, reject) => {
    let out = '';
    child?.stdout?.on('data', (d: string) => {
      out += d;
      if (out.includes('Press Ctrl+C to stop.')) resolve(out);
    });
    void exited.then((r) => reject(new Error(`the simulator exited early (${r.code}): ${r.stderr}`)));
  });
  try {
    const field = (label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(text)?.[1] ?? '';
    await check({
      baseUrl: field('base URL'),
      username: field('user name'),
      password: field('password'),
      text,
    });
  } finally {
    child?.kill('SIGTERM');
  }
  return exited;
}

/** GET a listing of the simulator with Basic auth; returns its `total`. */
async function totalOf(baseUrl: string, user: string, password: string, what: string): Promise<number> {
  const res = await fetch(`${baseUrl}/${what}?limit=1`, {
    headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { total: number }).total;
}

describe('baton-xmatters simulator flags', () => {
  test('--people N --groups M --port 0 prints a loopback base URL, user and password that work', async () => {
    const r = await runSimulatorCli(['--people', '30', '--groups', '4', '--port', '0'], async (b) => {
      assert.match(b.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/api\/xm\/1$/);
      assert.doesNotMatch(b.baseUrl, /:0\//, 'port 0 means any free port');
      assert.ok(b.username !== '' && b.password !== '');
      assert.match(b.text, /30 people, 4 groups/);
      assert.equal(await totalOf(b.baseUrl, b.username, b.password, 'people'), 30);
      assert.equal(await totalOf(b.baseUrl, b.username, b.password, 'groups'), 4);
    });
    assert.match(r.stdout, /simulator stopped after 2 API requests \(0 non-GET\)/);
  });

  test('--tenant FILE serves that tenant', async () => {
    const file = join(work('sim-tenant'), 'tenant.json');
    writeFileSync(file, JSON.stringify(tenantToData(generateTenant({ seed: 7, people: 12, groups: 3 }))));
    await runSimulatorCli(['--tenant', file, '--port', '0'], async (b) => {
      assert.ok(b.text.includes(`${file}: 12 people, 3 groups`), b.text);
      assert.equal(await totalOf(b.baseUrl, b.username, b.password, 'people'), 12);
      assert.equal(await totalOf(b.baseUrl, b.username, b.password, 'groups'), 3);
    });
  });

  for (const [args, message] of [
    [['--tenant', 'x.json', '--people', '5'], /either --tenant FILE or --people\/--groups/],
    [['--people', 'lots'], /--people/],
    [['--port', '70000'], /--port/],
  ] as const) {
    test(`simulator ${args.join(' ')} is refused with exit 3 naming the flag`, async () => {
      const r = await runCli(['simulator', ...args], { cwd: dir, env: {} });
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /internal error/);
    });
  }
});
