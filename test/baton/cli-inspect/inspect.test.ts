import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from '../../../src/baton/cli/inspect.js';
import type { InspectOptions } from '../../../src/baton/cli/inspect.js';
import { C1zStore } from '../../../src/baton/c1z/index.js';
import { isBatonError } from '../../../src/baton/errors.js';
import { fixturePath } from '../../support/c1z-fixtures.js';
import { scratchDir, writeSample } from '../../support/c1z-sample.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function run(opts: Omit<InspectOptions, 'stdout'>): Promise<string> {
  let text = '';
  await inspect({ ...opts, stdout: { write: (s: string) => (text += s) } });
  return text;
}

describe('inspect', () => {
  const { dir, cleanup } = scratchDir();
  const file = join(dir, 'sync.c1z');
  let syncId: string;

  before(async () => {
    const store = await C1zStore.open(file, { tmpDir: dir });
    syncId = store.startSync('full');
    writeSample(store, 4, 2);
    await store.endSync();
    await store.close();
  });
  after(cleanup);

  test('prints the chosen sync and counts of a Go-written file on the console', async () => {
    const path = fixturePath('go-sdk-demo-expanded.c1z');
    const text = await run({ file: path, output: 'console', tmpDir: dir });
    assert.equal(
      text,
      [
        `File:           ${path}`,
        'Sync:           36zfOAoWMxQdISbixanQCRBiX7E (full)',
        `Started:        ${new Date(2025, 11, 17, 16, 31, 25, 57).toISOString()}`,
        `Ended:          ${new Date(2025, 11, 17, 16, 33, 36, 381).toISOString()}`,
        'Resource types: 4',
        'Resources:      1221',
        '  group         21',
        '  project       100',
        '  role          100',
        '  user          1000',
        'Entitlements:   342',
        'Grants:         14981',
        '',
      ].join('\n'),
    );
  });

  test('prints one JSON object with sync_id, sync_type, resource_types, resources, entitlements, grants', async () => {
    const text = await run({ file: fixturePath('go-sdk-in-progress.c1z'), output: 'json', tmpDir: dir });
    assert.deepEqual(JSON.parse(text), {
      sync_id: '3ARefY5G8eOytquwYgm41Nq07IZ',
      sync_type: 'full',
      // Go wrote local time without a zone; inspect shows ISO-8601 UTC.
      started_at: new Date(2026, 2, 3, 9, 45, 13, 56).toISOString(),
      ended_at: null,
      resource_types: 5,
      resources: { group: 31, project: 25, role: 10, scoped_role: 3, user: 10 },
      entitlements: 0,
      grants: 0,
    });
  });

  test('lists resources of a type and grants, one line each', async () => {
    const text = await run({ file, output: 'console', resources: 'user', grants: true, tmpDir: dir });
    const lines = text.split('\n');
    assert.deepEqual(
      lines.slice(lines.indexOf('Resources of type user:') + 1, lines.indexOf('Resources of type user:') + 5),
      ['  u0  User 0', '  u1  User 1', '  u2  User 2', '  u3  User 3'],
    );
    const grants = lines.slice(lines.indexOf('Grants:') + 1).filter((l) => l !== '');
    assert.deepEqual(grants, [
      '  group:g0:member → user:u0',
      '  group:g0:member → user:u2',
      '  group:g1:member → user:u1',
      '  group:g1:member → user:u3',
    ]);
  });

  test('adds items to the JSON object when listing', async () => {
    const json = JSON.parse(
      await run({ file, output: 'json', resources: 'group', grants: true, syncId, tmpDir: dir }),
    ) as { sync_id: string; items: { resources: unknown[]; grants: unknown[] } };
    assert.equal(json.sync_id, syncId);
    assert.deepEqual(json.items.resources, [
      { resource_type: 'group', id: 'g0', display_name: 'Group 0' },
      { resource_type: 'group', id: 'g1', display_name: 'Group 1' },
    ]);
    assert.equal(json.items.grants.length, 4);
    assert.deepEqual(json.items.grants[0], {
      id: 'group:g0:member:user:u0',
      entitlement_id: 'group:g0:member',
      principal_resource_type: 'user',
      principal_id: 'u0',
    });
  });

  test('a resource type the sync does not hold is NOT_FOUND (exit 5), naming the types it holds', async () => {
    await assert.rejects(
      run({ file, output: 'json', resources: 'nothing', tmpDir: dir }),
      (e: unknown) =>
        isBatonError(e) &&
        e.code === 5 &&
        /resource type "nothing" is not in sync \S+ of .*: it holds group, user$/.test(e.message),
    );
  });

  test('never writes the file it reads', async () => {
    const before = { sha: sha(file), mtime: statSync(file).mtimeMs };
    await run({ file, output: 'console', grants: true, tmpDir: dir });
    assert.deepEqual({ sha: sha(file), mtime: statSync(file).mtimeMs }, before);
  });

  test('waits for drain when the output stream is full', async () => {
    const chunks: string[] = [];
    let drains = 0;
    await inspect({
      file,
      output: 'console',
      tmpDir: dir,
      stdout: {
        write: (s: string) => (chunks.push(s), false),
        once: (_event: 'drain', listener: () => void) => setImmediate(() => (drains++, listener())),
      },
    });
    assert.ok(chunks.join('').includes(`Sync:           ${syncId} (full)`));
    assert.equal(drains, chunks.length);
  });

  test('fails with NOT_FOUND for an unknown --sync-id and honours the decoder size cap', async () => {
    await assert.rejects(
      run({ file, output: 'console', syncId: 'missing', tmpDir: dir }),
      (e: unknown) => isBatonError(e) && e.code === 5 && /sync missing is not in/.test(e.message),
    );
    await assert.rejects(
      run({ file, output: 'json', tmpDir: dir, decodeLimits: { maxDecodedBytes: 0.01 * 1024 * 1024 } }),
      (e: unknown) => isBatonError(e) && e.code === 8,
    );
  });
});
