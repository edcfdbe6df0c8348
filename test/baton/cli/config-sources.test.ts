import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../../src/baton/cli/config-sources.js';
import type { ResolveOptions } from '../../../src/baton/cli/config-sources.js';
import type { FieldSpec } from '../../../src/baton/cli/field.js';
import { isBatonError } from '../../../src/baton/errors.js';

const root = mkdtempSync(join(tmpdir(), 'baton-cli-config-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirCount = 0;

/** A fresh working directory holding the given .baton.yaml (or none). */
function workdir(yaml?: string, name = '.baton.yaml'): string {
  const dir = join(root, `case-${dirCount++}`);
  mkdirSync(dir);
  if (yaml !== undefined) writeFileSync(join(dir, name), yaml);
  return dir;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'base-url', type: 'string', description: 'Base URL', defaultValue: 'https://default.example' },
  { name: 'verbose', type: 'bool', description: 'Verbose' },
  { name: 'page-size', type: 'int', description: 'Page size', defaultValue: 100, min: 1, max: 1000 },
  { name: 'types', type: 'string-slice', description: 'Types' },
];

function resolve(options: Partial<ResolveOptions> & { cwd: string }, fields = FIELDS) {
  return resolveConfig(fields, { flags: {}, env: {}, ...options });
}

function problemsOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(isBatonError(err), 'expected a BatonError');
    assert.equal(err.code, 3);
    return err.message;
  }
  assert.fail('expected resolveConfig to throw');
}

describe('resolveConfig precedence', () => {
  const yaml = 'base-url: https://file.example\n';
  const cases: { name: string; flag?: string; env?: string; file?: string; want: string; source: string }[] =
    [
      { name: 'flag beats env and file', flag: 'F', env: 'E', file: yaml, want: 'F', source: 'flag' },
      { name: 'env beats file', env: 'E', file: yaml, want: 'E', source: 'env' },
      { name: 'file beats default', file: yaml, want: 'https://file.example', source: 'file' },
      { name: 'default when nothing is given', want: 'https://default.example', source: 'default' },
      { name: 'flag beats env', flag: 'F', env: 'E', want: 'F', source: 'flag' },
      {
        name: 'an empty env var counts as unset',
        env: '',
        file: yaml,
        want: 'https://file.example',
        source: 'file',
      },
    ];
  for (const c of cases) {
    test(c.name, () => {
      const got = resolve({
        cwd: workdir(c.file),
        flags: c.flag === undefined ? {} : { 'base-url': c.flag },
        env: c.env === undefined ? {} : { BATON_BASE_URL: c.env },
      });
      assert.equal(got.values['base-url'], c.want);
      assert.equal(got.sources['base-url'], c.source);
    });
  }

  test('fields nobody gave get their default or the zero value of their type', () => {
    const got = resolve({ cwd: workdir() });
    assert.deepEqual(got.values, {
      'base-url': 'https://default.example',
      verbose: false,
      'page-size': 100,
      types: [],
    });
    assert.deepEqual(Object.values(got.sources), ['default', 'default', 'default', 'default']);
    assert.equal(got.configFile, undefined);
  });
});

describe('resolveConfig value parsing', () => {
  const bools: [string, boolean][] = [
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ];
  for (const [text, want] of bools) {
    test(`reads the bool ${JSON.stringify(text)} from the environment as ${want}`, () => {
      assert.equal(resolve({ cwd: workdir(), env: { BATON_VERBOSE: text } }).values.verbose, want);
    });
  }

  test('reads ints from env, flags and the file', () => {
    assert.equal(resolve({ cwd: workdir(), env: { BATON_PAGE_SIZE: ' 42 ' } }).values['page-size'], 42);
    assert.equal(resolve({ cwd: workdir(), flags: { 'page-size': '7' } }).values['page-size'], 7);
    assert.equal(resolve({ cwd: workdir('page-size: 250\n') }).values['page-size'], 250);
  });

  test('splits string slices on commas, trims and drops empty items', () => {
    const env = resolve({ cwd: workdir(), env: { BATON_TYPES: ' user , group ,,' } });
    assert.deepEqual(env.values.types, ['user', 'group']);
    const flags = resolve({ cwd: workdir(), flags: { types: ['user,group', 'role'] } });
    assert.deepEqual(flags.values.types, ['user', 'group', 'role']);
    const file = resolve({ cwd: workdir('types:\n  - user\n  - group\n') });
    assert.deepEqual(file.values.types, ['user', 'group']);
    const scalar = resolve({ cwd: workdir('types: user,group\n') });
    assert.deepEqual(scalar.values.types, ['user', 'group']);
  });

  test('keeps the source text of plain YAML scalars for string fields', () => {
    // YAML would read 0123 as the number 123: a password must not lose its leading zero.
    const got = resolve({ cwd: workdir('base-url: 0123\nverbose: yes\n') });
    assert.equal(got.values['base-url'], '0123');
    assert.equal(got.values.verbose, true);
  });

  test('treats a YAML null as unset', () => {
    const got = resolve({ cwd: workdir('base-url:\npage-size: ~\n') });
    assert.equal(got.sources['base-url'], 'default');
    assert.equal(got.sources['page-size'], 'default');
  });
});

describe('resolveConfig config file', () => {
  test('reads BATON_CONFIG_PATH relative to cwd instead of ./.baton.yaml', () => {
    const cwd = workdir('base-url: https://ignored.example\n');
    writeFileSync(join(cwd, 'other.yml'), 'base-url: https://other.example\n');
    const got = resolve({ cwd, env: { BATON_CONFIG_PATH: 'other.yml' } });
    assert.equal(got.values['base-url'], 'https://other.example');
    assert.equal(got.configFile, join(cwd, 'other.yml'));
  });

  test('rejects a BATON_CONFIG_PATH that is not .yaml or .yml', () => {
    const message = problemsOf(() => resolve({ cwd: workdir(), env: { BATON_CONFIG_PATH: 'conf.json' } }));
    assert.match(message, /\$BATON_CONFIG_PATH="conf\.json" must name a \.yaml or \.yml file/);
  });

  test('fails when BATON_CONFIG_PATH names a missing file but not when ./.baton.yaml is absent', () => {
    const message = problemsOf(() => resolve({ cwd: workdir(), env: { BATON_CONFIG_PATH: 'nope.yaml' } }));
    assert.match(message, /cannot read config file nope\.yaml.*ENOENT/);
    assert.doesNotThrow(() => resolve({ cwd: workdir() }));
  });

  test('reports invalid YAML and a file that is not a mapping', () => {
    assert.match(
      problemsOf(() => resolve({ cwd: workdir('base-url: [unclosed\n') })),
      /is not valid YAML/,
    );
    assert.match(
      problemsOf(() => resolve({ cwd: workdir('- a\n- b\n') })),
      /must be a mapping of flag names/,
    );
  });

  test('warns about unknown keys and suggests the flag name for snake or camel case', () => {
    const got = resolve({ cwd: workdir('base_url: x\npageSize: 3\nmystery: 1\n') });
    assert.deepEqual(got.warnings, [
      'config file .baton.yaml: unknown key "base_url" ignored; did you mean "base-url"?',
      'config file .baton.yaml: unknown key "pageSize" ignored; did you mean "page-size"?',
      'config file .baton.yaml: unknown key "mystery" ignored; keys are flag names such as "log-level"',
    ]);
    assert.equal(got.sources['base-url'], 'default');
  });
});

describe('resolveConfig validation', () => {
  const strict: readonly FieldSpec[] = [
    { name: 'base-url', type: 'string', description: 'URL', required: true },
    { name: 'username', type: 'string', description: 'User', required: true },
    { name: 'password', type: 'string', description: 'Password', required: true, secret: true },
    { name: 'page-size', type: 'int', description: 'Page size', min: 1, max: 1000 },
    { name: 'timeout', type: 'int', description: 'Timeout' },
    { name: 'verbose', type: 'bool', description: 'Verbose' },
    { name: 'log-level', type: 'string', description: 'Level', choices: ['debug', 'info'] },
    {
      name: 'region',
      type: 'string',
      description: 'Region',
      validate: (v) => (v === 'moon' ? 'the moon is not a region; use eu or us' : undefined),
    },
  ];

  test('lists every problem at once, one per line, with how to fix it', () => {
    const message = problemsOf(() =>
      resolve(
        {
          cwd: workdir('timeout: soon\n'),
          flags: { 'log-level': 'loud', username: 'ann' },
          env: { BATON_PAGE_SIZE: '5000', BATON_VERBOSE: 'maybe', BATON_REGION: 'moon' },
        },
        strict,
      ),
    );
    assert.equal(
      message,
      [
        'invalid configuration (7 problems):',
        '  - $BATON_PAGE_SIZE: 5000 is out of range; use an integer from 1 to 1000',
        '  - timeout in .baton.yaml: "soon" is not a whole number; use an integer',
        '  - $BATON_VERBOSE: "maybe" is not a boolean; use true or false',
        '  - --log-level: "loud" is not allowed; use one of debug, info',
        '  - $BATON_REGION: the moon is not a region; use eu or us',
        '  - --base-url is required: pass --base-url, set $BATON_BASE_URL, or add "base-url:" to .baton.yaml',
        '  - --password is required: pass --password, set $BATON_PASSWORD, or add "password:" to .baton.yaml',
      ].join('\n'),
    );
  });

  test('names BATON_CONFIG_PATH in the hint when it is set', () => {
    const cwd = workdir();
    writeFileSync(join(cwd, 'my.yaml'), 'username: ann\npassword: pw\n');
    const message = problemsOf(() => resolve({ cwd, env: { BATON_CONFIG_PATH: 'my.yaml' } }, strict));
    assert.match(message, /add "base-url:" to my\.yaml/);
  });

  test('never quotes a secret value in a problem', () => {
    const secretFields: readonly FieldSpec[] = [
      { name: 'token', type: 'string', description: 'Token', secret: true, choices: ['a', 'b'] },
      { name: 'pin', type: 'int', description: 'PIN', secret: true, max: 10 },
      { name: 'flagged', type: 'bool', description: 'Secret bool', secret: true },
    ];
    const message = problemsOf(() =>
      resolve(
        {
          cwd: workdir(),
          env: { BATON_TOKEN: 'hunter2-token', BATON_PIN: '987654', BATON_FLAGGED: 'hunter2-bool' },
        },
        secretFields,
      ),
    );
    assert.doesNotMatch(message, /hunter2|987654/);
    assert.match(message, /\$BATON_TOKEN: value is not allowed/);
    assert.match(message, /\$BATON_PIN: value is out of range/);
    assert.match(message, /\$BATON_FLAGGED: the value is not a boolean/);
  });

  test('checkRequired: false skips required fields and relationships but not value checks', () => {
    const got = resolve({ cwd: workdir(), checkRequired: false }, strict);
    assert.equal(got.values['base-url'], '');
    assert.match(
      problemsOf(() =>
        resolve({ cwd: workdir(), checkRequired: false, env: { BATON_TIMEOUT: 'x' } }, strict),
      ),
      /\$BATON_TIMEOUT: "x" is not a whole number/,
    );
  });

  test('returns the secret values for scrubbing', () => {
    const got = resolve(
      { cwd: workdir(), env: { BATON_BASE_URL: 'u', BATON_USERNAME: 'ann', BATON_PASSWORD: 's3cret' } },
      strict,
    );
    assert.deepEqual(got.secrets, ['s3cret']);
  });
});

describe('resolveConfig relationships', () => {
  const fields: readonly FieldSpec[] = [
    { name: 'client-id', type: 'string', description: 'ID' },
    { name: 'client-secret', type: 'string', description: 'Secret', secret: true },
    { name: 'health-check', type: 'bool', description: 'HC' },
    { name: 'health-check-port', type: 'int', description: 'Port', defaultValue: 8081 },
    { name: 'a', type: 'string', description: 'A' },
    { name: 'b', type: 'string', description: 'B' },
  ];
  const relationships = [
    { kind: 'required-together', fields: ['client-id', 'client-secret'] },
    { kind: 'dependent-on', fields: ['health-check-port'], dependsOn: ['health-check'] },
    { kind: 'mutually-exclusive', fields: ['a', 'b'] },
  ] as const;
  const cases: { name: string; env: Record<string, string>; error?: RegExp }[] = [
    { name: 'neither client field is fine', env: {} },
    { name: 'both client fields are fine', env: { BATON_CLIENT_ID: 'i', BATON_CLIENT_SECRET: 's' } },
    {
      name: 'client-id alone is refused',
      env: { BATON_CLIENT_ID: 'i' },
      error:
        /--client-id needs --client-secret as well \(--client-id, --client-secret go together\): pass --client-secret, set \$BATON_CLIENT_SECRET/,
    },
    {
      name: 'client-secret alone is refused',
      env: { BATON_CLIENT_SECRET: 's' },
      error: /--client-secret needs --client-id as well/,
    },
    { name: 'a defaulted dependent is fine', env: {} },
    {
      name: 'an explicit dependent needs its dependency',
      env: { BATON_HEALTH_CHECK_PORT: '9000' },
      error: /--health-check-port needs --health-check to be set/,
    },
    {
      name: 'a dependent with its dependency is fine',
      env: { BATON_HEALTH_CHECK_PORT: '9000', BATON_HEALTH_CHECK: '1' },
    },
    { name: 'mutually exclusive fields alone are fine', env: { BATON_A: 'x' } },
    {
      name: 'mutually exclusive fields together are refused',
      env: { BATON_A: 'x', BATON_B: 'y' },
      error: /only one of --a, --b may be set/,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const run = () => resolve({ cwd: workdir(), env: c.env, relationships }, fields);
      if (c.error === undefined) assert.doesNotThrow(run);
      else assert.match(problemsOf(run), c.error);
    });
  }
});
