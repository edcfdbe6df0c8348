import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isBatonError, GrpcCode } from '../../../src/baton/errors.js';
import { runDiff } from '../../../src/baton/review/run-diff.js';
import type { DiffOptions } from '../../../src/baton/review/run-diff.js';
import type { SyncDiff } from '../../../src/baton/review/compute-diff.js';
import { fixturePath } from '../../support/c1z-fixtures.js';
import { scratchDir } from '../../support/c1z-sample.js';
import { FIRST, SECOND, writeTenantSync } from '../../support/review-tenant.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function diffText(opts: Omit<DiffOptions, 'stdout'>): Promise<string> {
  let text = '';
  await runDiff({ ...opts, stdout: { write: (s: string) => (text += s) } });
  return text;
}

const ids = (list: { id: string }[]) => list.map((x) => x.id).sort();

describe('diff', () => {
  const { dir, cleanup } = scratchDir('baton-diff-test-');
  const file = join(dir, 'two-syncs.c1z');
  const oldFile = join(dir, 'first-only.c1z');
  let first: string;
  let second: string;

  before(async () => {
    first = await writeTenantSync(file, FIRST, { tmpDir: dir, at: new Date('2026-01-10T10:00:00Z') });
    second = await writeTenantSync(file, SECOND, { tmpDir: dir, at: new Date('2026-01-11T10:00:00Z') });
    await writeTenantSync(oldFile, FIRST, { tmpDir: dir, at: new Date('2026-01-09T08:30:00Z') });
  });
  after(cleanup);

  test('json: the previous full sync against the latest, by id, with ISO-8601 UTC times', async () => {
    const before = sha(file);
    const diff = JSON.parse(await diffText({ file, output: 'json', tmpDir: dir })) as SyncDiff;
    assert.deepEqual(diff.from, {
      sync_id: first,
      started_at: '2026-01-10T10:00:00.000Z',
      ended_at: '2026-01-10T10:00:00.000Z',
    });
    assert.equal(diff.to.sync_id, second);
    assert.equal(diff.to.ended_at, '2026-01-11T10:00:00.000Z');
    assert.deepEqual(diff.resources.added, [
      { id: 'user:u7', resource_type: 'user', display_name: 'Gina Green' },
      { id: 'group:g4', resource_type: 'group', display_name: 'Security' },
    ]);
    assert.deepEqual(diff.resources.removed, [
      { id: 'user:u5', resource_type: 'user', display_name: 'Eve Evans' },
    ]);
    assert.deepEqual(diff.resources.changed, [
      {
        id: 'user:u1',
        resource_type: 'user',
        display_name: 'Ann Admin',
        changes: { 'profile.time_zone': ['Europe/Paris', 'America/New_York'] },
      },
      {
        id: 'user:u2',
        resource_type: 'user',
        display_name: 'Robert Baker',
        changes: { display_name: ['Bob Baker', 'Robert Baker'] },
      },
      {
        id: 'user:u3',
        resource_type: 'user',
        display_name: 'Carol Chen',
        changes: { status: ['enabled', 'disabled'] },
      },
    ]);
    assert.deepEqual(diff.entitlements, {
      added: [
        { id: 'group:g4:member', display_name: 'Security Group Member' },
        { id: 'group:g4:supervisor', display_name: 'Security Group Supervisor' },
      ],
      removed: [],
    });
    assert.deepEqual(ids(diff.grants.added), [
      'group:g2:supervisor:user:u7',
      'group:g4:member:user:u7',
      'role:r1:assigned:user:u7',
      'role:r3:assigned:user:u7',
    ]);
    assert.deepEqual(ids(diff.grants.removed), [
      'group:g1:member:user:u1',
      'group:g2:member:user:u5',
      'role:r1:assigned:user:u4',
      'role:r3:assigned:user:u5',
    ]);
    assert.deepEqual(
      diff.grants.removed.find((g) => g.id === 'role:r1:assigned:user:u4'),
      {
        id: 'role:r1:assigned:user:u4',
        entitlement: 'Company Supervisor Role',
        principal: 'Dan Dormant',
        privileged: true,
      },
    );
    assert.equal(diff.grants.added.find((g) => g.id === 'group:g4:member:user:u7')?.privileged, false);
    assert.equal(sha(file), before, 'the file is never modified');
  });

  test('console: the summary first, then privileged changes before everything else', async () => {
    const text = await diffText({ file, output: 'console', tmpDir: dir });
    const lines = text.split('\n');
    assert.equal(
      lines[3],
      '1 person added, 1 removed, 1 deactivated, 2 otherwise changed; 1 group added, 0 removed; ' +
        '2 entitlements added, 0 removed; 4 grants added, 4 removed; privileged changes: 3 grants added, 2 removed',
    );
    assert.equal(lines[5], 'Privileged grants added (3):');
    assert.ok(lines.includes('  - Company Supervisor Role → Dan Dormant  (role:r1:assigned:user:u4)'));
    assert.ok(text.indexOf('Privileged grants removed') < text.indexOf('Resources added'));
    assert.ok(lines.includes('  ~ Carol Chen (user:u3): status "enabled" → "disabled"'));
  });

  test('csv: a header and one row per change (one per changed field), privileged grants first', async () => {
    const text = await diffText({ file, output: 'csv', tmpDir: dir });
    const rows = text.trimEnd().split('\r\n');
    assert.equal(
      rows[0],
      'change,kind,id,resource_type,display_name,field,old,new,entitlement,principal,privileged',
    );
    // 8 grants + 3 added/removed resources + 3 changed fields + 2 entitlements.
    assert.equal(rows.length - 1, 16);
    assert.equal(rows[1]?.split(',').at(-1), 'true');
    assert.ok(
      rows.includes(
        'changed,resource,user:u1,user,Ann Admin,profile.time_zone,Europe/Paris,America/New_York,,,',
      ),
    );
  });

  test('no change: exit 0 and an empty diff', async () => {
    const text = await diffText({ file: oldFile, baseFile: oldFile, output: 'json', tmpDir: dir });
    const diff = JSON.parse(text) as SyncDiff;
    assert.deepEqual(
      [diff.resources, diff.entitlements, diff.grants],
      [
        { added: [], removed: [], changed: [] },
        { added: [], removed: [] },
        { added: [], removed: [] },
      ],
    );
  });

  test('one full sync and no --base-file: FAILED_PRECONDITION (exit 9) saying what to do', async () => {
    await assert.rejects(
      diffText({ file: oldFile, output: 'console', tmpDir: dir }),
      (e: unknown) =>
        isBatonError(e) && e.code === GrpcCode.FAILED_PRECONDITION && /--base-file/.test(e.message),
    );
  });

  test('--base-file compares the latest sync of another file with this one', async () => {
    const diff = JSON.parse(
      await diffText({ file, baseFile: oldFile, output: 'json', tmpDir: dir }),
    ) as SyncDiff;
    assert.equal(diff.to.sync_id, second);
    assert.equal(diff.from.ended_at, '2026-01-09T08:30:00.000Z');
    assert.equal(diff.grants.added.length, 4);
  });

  test('--from and --to choose the syncs (reversed here) and an unknown id is NOT_FOUND', async () => {
    const diff = JSON.parse(
      await diffText({ file, from: second, to: first, output: 'json', tmpDir: dir }),
    ) as SyncDiff;
    assert.deepEqual(ids(diff.resources.added), ['user:u5']);
    await assert.rejects(
      diffText({ file, from: 'nope', output: 'json', tmpDir: dir }),
      (e: unknown) => isBatonError(e) && e.code === GrpcCode.NOT_FOUND,
    );
  });

  test('Go-written files: the expanded sync against the unexpanded one adds the derived grants only', async () => {
    const expanded = fixturePath('go-sdk-demo-expanded.c1z');
    const unexpanded = fixturePath('go-sdk-demo-unexpanded.c1z');
    const hashes = [sha(expanded), sha(unexpanded)];
    const diff = JSON.parse(
      await diffText({
        file: expanded,
        baseFile: unexpanded,
        // The unexpanded file's only sync never finished: it is named explicitly.
        from: '36zfOAoWMxQdISbixanQCRBiX7E',
        output: 'json',
        tmpDir: dir,
      }),
    ) as SyncDiff;
    assert.equal(diff.grants.added.length, 14981 - 2909);
    assert.equal(diff.grants.removed.length, 0);
    assert.equal(
      diff.resources.added.length + diff.resources.removed.length + diff.resources.changed.length,
      0,
    );
    assert.deepEqual([sha(expanded), sha(unexpanded)], hashes);
  });
});
