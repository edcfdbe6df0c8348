import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configurationJson } from '../../../src/baton/cli/config-schema.js';
import { DEFAULT_RELATIONSHIPS, defaultFields } from '../../../src/baton/cli/default-fields.js';
import type { FieldSpec } from '../../../src/baton/cli/field.js';

const CONNECTOR: readonly FieldSpec[] = [
  { name: 'base-url', type: 'string', description: 'Base URL <https://x.xmatters.com>', required: true },
  { name: 'username', type: 'string', description: 'User', required: true, displayName: 'Username' },
  {
    name: 'password',
    type: 'string',
    description: 'Password',
    required: true,
    secret: true,
    placeholder: '••',
  },
  { name: 'page-size', type: 'int', description: 'Page size', defaultValue: 100, min: 1, max: 1000 },
  { name: 'verbose', type: 'bool', description: 'Verbose' },
  { name: 'types', type: 'string-slice', description: 'Types', choices: ['user', 'group'] },
  { name: 'debug-only', type: 'string', description: 'Not exported', exportTarget: 'cli' },
];

function parse(fields: readonly FieldSpec[], extra = {}): Record<string, unknown> {
  return JSON.parse(configurationJson(fields, { displayName: 'xMatters', ...extra })) as Record<
    string,
    unknown
  >;
}

describe('configurationJson', () => {
  test('renders connector fields in protojson form, omitting proto3 defaults', () => {
    const got = parse(CONNECTOR, { helpUrl: 'https://example.com/help' });
    assert.deepEqual(got, {
      fields: [
        {
          name: 'base-url',
          description: 'Base URL <https://x.xmatters.com>',
          isRequired: true,
          stringField: {},
        },
        { name: 'username', displayName: 'Username', description: 'User', isRequired: true, stringField: {} },
        {
          name: 'password',
          description: 'Password',
          placeholder: '••',
          isRequired: true,
          isSecret: true,
          stringField: {},
        },
        {
          name: 'page-size',
          description: 'Page size',
          intField: { defaultValue: '100', rules: { lte: '1000', gte: '1' } },
        },
        { name: 'verbose', description: 'Verbose', boolField: {} },
        {
          name: 'types',
          description: 'Types',
          stringSliceField: { rules: { itemRules: { in: ['user', 'group'] } } },
        },
      ],
      displayName: 'xMatters',
      helpUrl: 'https://example.com/help',
    });
  });

  test('puts ops default fields first, marked isOps, and leaves cli-only defaults out', () => {
    const got = parse([...defaultFields({ stderrIsTTY: false }), ...CONNECTOR]);
    const fields = got.fields as { name: string; isOps?: boolean }[];
    assert.deepEqual(
      fields.map((f) => f.name),
      [
        'log-level',
        'otel-collector-endpoint',
        'health-check',
        'health-check-port',
        'health-check-bind-address',
        'base-url',
        'username',
        'password',
        'page-size',
        'verbose',
        'types',
      ],
    );
    assert.deepEqual(
      fields.filter((f) => f.isOps === true).map((f) => f.name),
      fields.slice(0, 5).map((f) => f.name),
    );
    assert.deepEqual(fields[0], {
      name: 'log-level',
      description: 'Minimum level of log lines: debug, info, warn or error',
      isOps: true,
      stringField: { defaultValue: 'info', rules: { in: ['debug', 'info', 'warn', 'error'] } },
    });
    assert.deepEqual(fields[3], {
      name: 'health-check-port',
      description: 'Port of the health check server',
      isOps: true,
      intField: { defaultValue: '8081', rules: { lte: '65535', gte: '1' } },
    });
  });

  test('exports constraints among exported fields and drops the rest', () => {
    const got = parse([...defaultFields({ stderrIsTTY: false }), ...CONNECTOR], {
      relationships: [
        ...DEFAULT_RELATIONSHIPS,
        { kind: 'required-together', fields: ['username', 'password'] },
        { kind: 'dependent-on', fields: ['page-size'], dependsOn: ['base-url'] },
        { kind: 'mutually-exclusive', fields: ['verbose', 'debug-only'] },
      ],
    });
    assert.deepEqual(got.constraints, [
      {
        kind: 'CONSTRAINT_KIND_DEPENDENT_ON',
        fieldNames: ['health-check-port', 'health-check-bind-address'],
        secondaryFieldNames: ['health-check'],
      },
      { kind: 'CONSTRAINT_KIND_REQUIRED_TOGETHER', fieldNames: ['username', 'password'] },
      { kind: 'CONSTRAINT_KIND_DEPENDENT_ON', fieldNames: ['page-size'], secondaryFieldNames: ['base-url'] },
    ]);
  });

  test('pretty-prints with two spaces and escapes HTML characters like Go', () => {
    const text = configurationJson(CONNECTOR.slice(0, 1), { displayName: 'A & B' });
    assert.ok(text.startsWith('{\n  "fields": [\n    {\n      "name": "base-url",'));
    assert.match(text, /"displayName": "A \\u0026 B"/);
    assert.match(text, /\\u003chttps:\/\/x\.xmatters\.com\\u003e/);
    assert.ok(!text.endsWith('\n'));
  });
});
