import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgram } from '../../../src/baton/cli/program.js';
import type { CommandContext, ProgramOptions } from '../../../src/baton/cli/program.js';
import type { FieldSpec } from '../../../src/baton/cli/field.js';
import { BatonError, GrpcCode } from '../../../src/baton/errors.js';

const root = mkdtempSync(join(tmpdir(), 'baton-cli-program-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirCount = 0;

const PASSWORD = 'correct horse "battery" staple';

const CONNECTOR_FIELDS: readonly FieldSpec[] = [
  { name: 'base-url', type: 'string', description: 'xMatters base URL', required: true },
  { name: 'username', type: 'string', description: 'REST user', required: true },
  {
    name: 'password',
    type: 'string',
    description: 'Password of the REST user',
    required: true,
    secret: true,
  },
  { name: 'page-size', type: 'int', description: 'Items per page', defaultValue: 100, min: 1, max: 1000 },
];

interface Harness {
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly calls: CommandContext[];
  run(argv: string[]): Promise<number>;
}

/** A program with the test connector fields, a default action and a `demo` subcommand, all recorded. */
function harness(
  overrides: Partial<ProgramOptions> & {
    yaml?: string;
    action?: (ctx: CommandContext) => Promise<void>;
  } = {},
): Harness {
  let out = '';
  let err = '';
  const cwd = join(root, `case-${dirCount++}`);
  mkdirSync(cwd);
  if (overrides.yaml !== undefined) writeFileSync(join(cwd, '.baton.yaml'), overrides.yaml);
  const calls: CommandContext[] = [];
  const record = overrides.action ?? (() => Promise.resolve());
  const program = createProgram({
    name: 'baton-test',
    version: '1.2.3',
    description: 'Syncs a test system into a c1z file',
    fields: CONNECTOR_FIELDS,
    env: {},
    cwd,
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } },
    ...overrides,
  });
  program.setDefaultAction(async (ctx) => {
    calls.push(ctx);
    await record(ctx);
  });
  program
    .addSubcommand({ name: 'demo', description: 'Run against the built-in simulator' }, async (ctx) => {
      calls.push(ctx);
      ctx.io.stdout.write(`demo port=${String(ctx.command.opts<{ port?: string }>().port)}\n`);
      await Promise.resolve();
    })
    .option('--port <port>', 'simulator port');
  return { stdout: () => out, stderr: () => err, calls, run: (argv) => program.run(argv) };
}

const CREDS = ['--base-url', 'https://acme.xmatters.com', '--username', 'ann', '--password', PASSWORD];

describe('createProgram help and version', () => {
  test('help shows each flag with ($BATON_X), required: prefix and Go-style defaults', async () => {
    const h = harness();
    assert.equal(await h.run(['--help']), 0);
    const help = h.stdout().replace(/\s+/g, ' ');
    assert.match(help, /--base-url <string> required: xMatters base URL \(\$BATON_BASE_URL\)/);
    assert.match(help, /--password <string> required: Password of the REST user \(\$BATON_PASSWORD\)/);
    assert.match(
      help,
      /-f, --file <string> Path of the c1z file the sync writes \(\$BATON_FILE\) \(default "sync\.c1z"\)/,
    );
    assert.match(help, /--page-size <int> Items per page \(\$BATON_PAGE_SIZE\) \(default 100\)/);
    assert.match(help, /-p, --provisioning Enable provisioning actions \(\$BATON_PROVISIONING\)/);
    assert.match(help, /--sync-resource-types <strings>/);
    assert.match(help, /-v, --version/);
    assert.match(help, /demo .*Run against the built-in simulator/);
  });

  test('help lists every default flag and explains the --no-x negations once', async () => {
    const h = harness();
    await h.run(['--help']);
    const help = h.stdout();
    for (const listed of ['--health-check-port', '--c1z-temp-dir', '--health-check-bind-address'])
      assert.ok(help.includes(listed), `${listed} is listed`);
    for (const negation of ['--no-provisioning', '--no-health-check'])
      assert.ok(!help.includes(negation), `${negation} is covered by the --no-<flag> note`);
    assert.match(help, /also accept --no-<flag> and --<flag>=true\|false/);
  });

  test('subcommand help lists the shared global flags', async () => {
    const h = harness();
    assert.equal(await h.run(['demo', '--help']), 0);
    assert.match(h.stdout(), /--port <port>/);
    assert.match(h.stdout(), /Global Options:[\s\S]*--file/);
  });

  test('--version prints "<name> version <v>" and runs nothing', async () => {
    const h = harness();
    assert.equal(await h.run(['--version']), 0);
    assert.equal(h.stdout(), 'baton-test version 1.2.3\n');
    assert.equal(h.calls.length, 0);
  });
});

describe('createProgram default action', () => {
  test('resolves flag > env > yaml > default and hands the config to the action', async () => {
    const h = harness({
      env: { BATON_USERNAME: 'from-env', BATON_BASE_URL: 'https://env.example', BATON_PASSWORD: PASSWORD },
      yaml: 'base-url: https://file.example\npage-size: 250\nlog-level: warn\n',
    });
    assert.equal(await h.run(['--base-url', 'https://flag.example']), 0);
    const { config } = h.calls[0]!;
    assert.equal(config.values['base-url'], 'https://flag.example');
    assert.equal(config.values.username, 'from-env');
    assert.equal(config.values['page-size'], 250);
    assert.equal(config.values.file, 'sync.c1z');
    assert.deepEqual(
      [config.sources['base-url'], config.sources.username, config.sources['page-size'], config.sources.file],
      ['flag', 'env', 'file', 'default'],
    );
    assert.deepEqual(h.calls[0]!.secrets, [PASSWORD]);
  });

  test('lists every missing required field at once, exits 3 and runs nothing', async () => {
    const h = harness({ env: { BATON_PAGE_SIZE: 'lots' } });
    assert.equal(await h.run([]), 3);
    assert.equal(h.calls.length, 0);
    const err = h.stderr();
    assert.match(err, /^error: invalid configuration \(4 problems\):/);
    for (const name of ['base-url', 'username', 'password']) {
      assert.match(
        err,
        new RegExp(
          `--${name} is required: pass --${name}, set \\$BATON_${name.replace('-', '_').toUpperCase()}`,
        ),
      );
    }
    assert.match(err, /\$BATON_PAGE_SIZE: "lots" is not a whole number/);
  });

  test('requires --client-secret with --client-id', async () => {
    const h = harness();
    assert.equal(await h.run([...CREDS, '--client-id', 'cid']), 3);
    assert.match(h.stderr(), /--client-id needs --client-secret as well/);
  });

  test('accepts --flag=false for bools, to override the environment', async () => {
    const h = harness({ env: { BATON_SKIP_ENTITLEMENTS_AND_GRANTS: 'true', BATON_PROVISIONING: '1' } });
    assert.equal(await h.run([...CREDS, '--skip-entitlements-and-grants=false', '--no-provisioning']), 0);
    assert.equal(h.calls[0]!.config.values['skip-entitlements-and-grants'], false);
    assert.equal(h.calls[0]!.config.values.provisioning, false);
    assert.equal(h.calls[0]!.config.sources.provisioning, 'flag');
  });

  test('rejects a bool flag assignment that is not a boolean', async () => {
    const h = harness();
    assert.equal(await h.run([...CREDS, '--provisioning=maybe']), 3);
    assert.match(h.stderr(), /--provisioning=maybe: not a boolean/);
  });

  test('collects repeated and comma-separated string-slice flags', async () => {
    const h = harness();
    await h.run([
      ...CREDS,
      '--sync-resource-types',
      'user',
      '--sync-resource-types',
      'group,role',
      '-f',
      'out.c1z',
    ]);
    assert.deepEqual(h.calls[0]!.config.values['sync-resource-types'], ['user', 'group', 'role']);
    assert.equal(h.calls[0]!.config.values.file, 'out.c1z');
  });

  test('refuses unknown flags and commands with exit 3 and a pointer to --help', async () => {
    const unknownFlag = harness();
    assert.equal(await unknownFlag.run(['--bogus']), 3);
    assert.match(unknownFlag.stderr(), /unknown option '--bogus'\nRun `baton-test --help` for usage\./);
    const unknownCommand = harness();
    assert.equal(await unknownCommand.run(['bogus']), 3);
    assert.match(unknownCommand.stderr(), /^error: unknown command "bogus"/);
    const missingValue = harness();
    assert.equal(await missingValue.run(['--file']), 3);
    assert.match(missingValue.stderr(), /argument missing/);
  });
});

describe('createProgram connector checks before any action', () => {
  const readOnly = (values: Readonly<Record<string, unknown>>): void => {
    if (values.provisioning === true || values.ticketing === true)
      throw new BatonError(GrpcCode.UNIMPLEMENTED, 'the connector is read-only');
  };

  test('an unknown --sync-resource-types id is listed with the missing fields, exit 3, no action', async () => {
    const h = harness({ resourceTypeIds: ['user', 'group'] });
    const args = ['--base-url', 'https://acme.xmatters.com', '--username', 'ann'];
    assert.equal(await h.run([...args, '--sync-resource-types', 'user,widget']), 3);
    assert.equal(h.calls.length, 0);
    const err = h.stderr();
    assert.match(err, /^error: invalid configuration \(2 problems\):/);
    assert.match(err, /--sync-resource-types: "widget" is not allowed; use one of user, group/);
    assert.match(err, /--password is required/);
  });

  test('known resource type ids pass and are listed in --help', async () => {
    const h = harness({ resourceTypeIds: ['user', 'group'] });
    assert.equal(await h.run([...CREDS, '--sync-resource-types', 'group']), 0);
    assert.deepEqual(h.calls[0]!.config.values['sync-resource-types'], ['group']);
    const help = harness({ resourceTypeIds: ['user', 'group'] });
    await help.run(['--help']);
    assert.match(help.stdout().replace(/\s+/g, ' '), /--sync-resource-types <strings> .*: user, group/);
  });

  for (const [name, argv, env] of [
    ['-p without credentials', ['-p'], {}],
    ['$BATON_TICKETING with an invalid value elsewhere', ['--log-level', 'loud'], { BATON_TICKETING: '1' }],
    ['--provisioning in service mode', ['--provisioning', '--client-id', 'cid'], {}],
  ] as const) {
    test(`refuseModes answers first: ${name} exits 12, no action`, async () => {
      const h = harness({ refuseModes: readOnly, env });
      assert.equal(await h.run([...argv]), 12);
      assert.equal(h.calls.length, 0);
      assert.match(h.stderr(), /^error: the connector is read-only\n$/);
    });
  }

  test('refuseModes does not apply to subcommands that need no config', async () => {
    const h = harness({ refuseModes: readOnly });
    assert.equal(await h.run(['demo', '-p']), 0);
  });
});

describe('createProgram subcommands', () => {
  test('run without credentials and see global flags given after their name', async () => {
    const h = harness();
    assert.equal(await h.run(['demo', '--file', 'demo.c1z', '--port', '8089']), 0);
    assert.equal(h.calls[0]!.config.values.file, 'demo.c1z');
    assert.equal(h.stdout(), 'demo port=8089\n');
  });

  test('still reject invalid values', async () => {
    const h = harness();
    assert.equal(await h.run(['demo', '--log-level', 'loud']), 3);
    assert.match(h.stderr(), /--log-level: "loud" is not allowed; use one of debug, info, warn, error/);
  });
});

describe('createProgram failures', () => {
  const table: { name: string; error: Error; code: number; text: RegExp }[] = [
    {
      name: 'a BatonError exits with its gRPC code',
      error: new BatonError(
        GrpcCode.UNIMPLEMENTED,
        'provisioning is not supported: the connector is read-only',
      ),
      code: 12,
      text: /^error: provisioning is not supported: the connector is read-only\n$/,
    },
    {
      name: 'an unexpected error is internal and exits 2',
      error: new TypeError('x is undefined'),
      code: 2,
      text: /^internal error: x is undefined\nThis is a bug/,
    },
    {
      name: 'a secret in an error is scrubbed',
      error: new BatonError(GrpcCode.UNAUTHENTICATED, `rejected password ${PASSWORD}`),
      code: 16,
      text: /^error: rejected password \[REDACTED\]\n$/,
    },
  ];
  for (const c of table) {
    test(c.name, async () => {
      const h = harness({
        env: { BATON_LOG_FORMAT: 'console' },
        action: () => Promise.reject(c.error),
      });
      assert.equal(await h.run(CREDS), c.code);
      assert.match(h.stderr(), c.text);
    });
  }

  test('scrubs secrets given on the command line even when parsing fails', async () => {
    const fromFlag = harness();
    assert.equal(await fromFlag.run(['--password', 'flag-secret-value', 'flag-secret-value']), 3);
    const fromEnv = harness({ env: { BATON_PASSWORD: 'env-secret-value' } });
    assert.equal(await fromEnv.run(['env-secret-value']), 3);
    for (const h of [fromFlag, fromEnv]) {
      assert.doesNotMatch(h.stderr(), /secret-value/);
      assert.match(h.stderr(), /unknown command "\[REDACTED\]"/);
    }
  });

  test('logs the failure as one JSON line in json log format', async () => {
    const h = harness({
      action: () => Promise.reject(new BatonError(GrpcCode.PERMISSION_DENIED, 'no REST role')),
    });
    assert.equal(await h.run([...CREDS, '--log-format', 'json']), 7);
    const lines = h.stderr().trim().split('\n');
    const last = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    assert.equal(last.level, 'error');
    assert.equal(last.msg, 'error: no REST role');
    assert.equal(last.exitCode, 7);
  });
});

describe('createProgram logging', () => {
  test('logs to stderr with config values scrubbed, including derived secrets', async () => {
    const basic = Buffer.from(`ann:${PASSWORD}`).toString('base64');
    const h = harness({
      deriveSecrets: (values) => [
        Buffer.from(`${String(values.username)}:${String(values.password)}`).toString('base64'),
      ],
      action: async (ctx) => {
        ctx.logger.info(
          { header: `Basic ${basic}` },
          `logging in with ${String(ctx.config.values.password)}`,
        );
        await Promise.resolve();
      },
    });
    assert.equal(await h.run([...CREDS, '--log-format', 'json']), 0);
    assert.ok(!h.stderr().includes(basic));
    assert.ok(!h.stderr().includes(JSON.stringify(PASSWORD).slice(1, -1)));
    assert.match(h.stderr(), /logging in with \[REDACTED\]/);
    assert.equal(h.stdout(), '');
  });

  test('warns about unknown config file keys and the ignored otel endpoint', async () => {
    const h = harness({
      yaml: 'base_url: x\n',
      env: { BATON_OTEL_COLLECTOR_ENDPOINT: 'http://127.0.0.1:4317' },
    });
    assert.equal(await h.run(['demo', '--log-format', 'json']), 0);
    const messages = h
      .stderr()
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { level: string; msg: string }).msg);
    assert.deepEqual(messages, [
      'config file .baton.yaml: unknown key "base_url" ignored; did you mean "base-url"?',
      '--otel-collector-endpoint is ignored: this connector does not export telemetry',
    ]);
  });

  test('hands a disabled progress line to actions when stderr is not a TTY', async () => {
    const h = harness();
    await h.run(['demo']);
    assert.equal(h.calls[0]!.progress.enabled, false);
  });
});
