import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envName } from '../../../src/baton/cli/field.js';

test('envName prefixes BATON_ and upper-snakes the flag name', () => {
  const table: [string, string][] = [
    ['base-url', 'BATON_BASE_URL'],
    ['file', 'BATON_FILE'],
    ['skip-entitlements-and-grants', 'BATON_SKIP_ENTITLEMENTS_AND_GRANTS'],
  ];
  for (const [name, want] of table) {
    assert.equal(envName(name), want);
    assert.equal(envName({ name }), want);
  }
});
