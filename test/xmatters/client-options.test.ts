import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { CLIENT_DEFAULTS, resolveClientOptions } from '../../src/xmatters/client-options.js';
import { XmattersClient } from '../../src/xmatters/client.js';
import { rejectsWithCode } from '../support/simulator.js';

const base = {
  baseUrl: 'https://company.xmatters.com/api/xm/1',
  username: 'bob',
  password: 'pw-Very-Secret-1',
};

/** The Default column of the README's configuration table, for the flag `name`, as a number. */
function documentedDefault(name: string): number {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const row = readme.split('\n').find((l) => l.startsWith(`| \`--${name}\` |`));
  assert.ok(row, `README documents --${name}`);
  const value = row.split('|')[4]!.trim().replace(/`/g, '');
  assert.match(value, /^\d+$/, `--${name} default`);
  return Number(value);
}

describe('resolveClientOptions', () => {
  test('fills the defaults the README documents', () => {
    // The spec is the README's table (the flags are in seconds, the client counts milliseconds).
    assert.deepEqual(resolveClientOptions(base), {
      pageSize: documentedDefault('page-size'),
      timeoutMs: documentedDefault('request-timeout-seconds') * 1000,
      maxAttempts: documentedDefault('max-attempts'),
      maxTotalWaitMs: documentedDefault('max-retry-wait-seconds') * 1000,
      maxInFlight: documentedDefault('request-concurrency'),
    });
    assert.ok(Object.isFrozen(CLIENT_DEFAULTS));
  });

  test('keeps valid overrides', () => {
    assert.equal(resolveClientOptions({ ...base, pageSize: 7, maxInFlight: 1 }).pageSize, 7);
  });

  test('lists every problem at once without echoing the password', async () => {
    const e = await rejectsWithCode(
      Promise.resolve().then(() =>
        resolveClientOptions({
          ...base,
          username: '',
          password: '',
          pageSize: 1001,
          timeoutMs: 0,
          maxInFlight: 2.5,
        }),
      ),
      'XM_CONFIG',
    );
    for (const part of ['user name is empty', 'password', 'pageSize', 'timeoutMs', 'maxInFlight']) {
      assert.ok(e.message.includes(part), part);
    }
  });

  test('refuses a user name with a colon (Basic auth cannot carry it)', async () => {
    const e = await rejectsWithCode(
      Promise.resolve().then(() => resolveClientOptions({ ...base, username: 'a:b' })),
      'XM_CONFIG',
    );
    assert.match(e.message, /":"/);
  });
});

describe('XmattersClient constructor', () => {
  test('validates the base URL and options before anything else', async () => {
    await rejectsWithCode(
      Promise.resolve().then(
        () => new XmattersClient({ ...base, baseUrl: 'http://company.xmatters.com/api/xm/1' }),
      ),
      'XM_CONFIG',
    );
    await rejectsWithCode(
      Promise.resolve().then(() => new XmattersClient({ ...base, maxAttempts: 0 })),
      'XM_CONFIG',
    );
  });

  test('exposes only read operations: there is no way to send another method', async () => {
    const c = new XmattersClient(base);
    const methods = Object.getOwnPropertyNames(XmattersClient.prototype).filter(
      (n) => !['constructor', 'list', 'clean', 'assertOpen', 'toJSON'].includes(n),
    );
    assert.deepEqual(methods.sort(), [
      'checkAccess',
      'close',
      'listGroupMembers',
      'listGroupSupervisors',
      'listGroups',
      'listPeople',
      'listRoles',
      'stats',
    ]);
    await c.close();
  });
});
