import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RELATIONSHIPS, defaultFields } from '../../../src/baton/cli/default-fields.js';

const byName = (tty: boolean) => new Map(defaultFields({ stderrIsTTY: tty }).map((f) => [f.name, f]));

test('defaultFields declares the Go SDK flags with their defaults and short forms', () => {
  const fields = byName(false);
  assert.equal(fields.get('file')?.defaultValue, 'sync.c1z');
  assert.equal(fields.get('file')?.short, 'f');
  assert.equal(fields.get('provisioning')?.short, 'p');
  assert.equal(fields.get('log-level')?.defaultValue, 'info');
  assert.deepEqual(fields.get('log-level')?.choices, ['debug', 'info', 'warn', 'error']);
  assert.equal(fields.get('health-check-port')?.defaultValue, 8081);
  assert.equal(fields.get('health-check-bind-address')?.defaultValue, '127.0.0.1');
  assert.equal(fields.get('task-concurrency')?.defaultValue, 3);
  assert.equal(fields.get('task-concurrency')?.min, 1);
  assert.equal(fields.get('task-concurrency')?.max, 100);
  assert.equal(fields.get('sync-resource-types')?.type, 'string-slice');
  assert.equal(fields.get('client-secret')?.secret, true);
  assert.equal(fields.has('http-timeout-seconds'), false);
});

test('defaultFields hides no flag: --help lists every flag the command accepts', () => {
  const hidden = [...byName(false).values()].filter((f) => f.hidden === true).map((f) => f.name);
  assert.deepEqual(hidden, []);
});

test('defaultFields exports log-level, otel and health-check fields as ops and nothing else', () => {
  const ops = [...byName(false).values()].filter((f) => f.exportTarget === 'ops').map((f) => f.name);
  assert.deepEqual(ops, [
    'log-level',
    'otel-collector-endpoint',
    'health-check',
    'health-check-port',
    'health-check-bind-address',
  ]);
  for (const f of byName(false).values())
    assert.ok(f.exportTarget === 'ops' || f.exportTarget === 'none', f.name);
});

test('defaultFields picks console logs on a terminal and JSON otherwise', () => {
  assert.equal(byName(true).get('log-format')?.defaultValue, 'console');
  assert.equal(byName(false).get('log-format')?.defaultValue, 'json');
});

test('DEFAULT_RELATIONSHIPS ties client-id to client-secret', () => {
  assert.deepEqual(DEFAULT_RELATIONSHIPS[0], {
    kind: 'required-together',
    fields: ['client-id', 'client-secret'],
  });
  const names = new Set(defaultFields({ stderrIsTTY: false }).map((f) => f.name));
  for (const rel of DEFAULT_RELATIONSHIPS) {
    for (const n of [...rel.fields, ...(rel.dependsOn ?? [])]) assert.ok(names.has(n), n);
  }
});

test('defaultFields limits --sync-resource-types to the connector resource types when given', () => {
  assert.equal(byName(false).get('sync-resource-types')?.choices, undefined);
  const field = defaultFields({ stderrIsTTY: false, resourceTypeIds: ['user', 'group'] }).find(
    (f) => f.name === 'sync-resource-types',
  );
  assert.deepEqual(field?.choices, ['user', 'group']);
  assert.match(field?.description ?? '', /user, group$/);
});
