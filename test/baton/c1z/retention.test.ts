import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { syncsToDelete } from '../../../src/baton/c1z/retention.js';
import { applySchema } from '../../../src/baton/c1z/schema.js';

function db(runs: [id: string, type: string, started: string, ended: string | null][]) {
  const d = new Database(':memory:');
  applySchema(d);
  const insert = d.prepare(
    "INSERT INTO v1_sync_runs (sync_id, started_at, ended_at, sync_token, sync_type) VALUES (?, ?, ?, '', ?)",
  );
  for (const [id, type, started, ended] of runs) insert.run(id, started, ended, type);
  return d;
}

test('keeps the newest finished full syncs, one fewer while the current sync is open', () => {
  const d = db([
    ['A', 'full', '2026-01-01 00:00:00', '2026-01-01 01:00:00'],
    ['B', 'full', '2026-01-02 00:00:00', '2026-01-02 01:00:00'],
    ['C', 'full', '2026-01-03 00:00:00', '2026-01-03 01:00:00'],
    ['D', 'full', '2026-01-04 00:00:00', null],
  ]);
  assert.deepEqual(syncsToDelete(d, { keepFullSyncs: 2, currentSyncId: 'D' }).sort(), ['A', 'B']);
  assert.deepEqual(syncsToDelete(d, { keepFullSyncs: 2, currentSyncId: undefined }).sort(), ['A']);
  assert.deepEqual(syncsToDelete(d, { keepFullSyncs: 3, currentSyncId: 'D' }).sort(), ['A']);
});

test('drops partial, resources-only and abandoned syncs older than the oldest kept full sync', () => {
  const d = db([
    ['P0', 'partial', '2026-01-01 00:00:00', '2026-01-01 00:30:00'],
    ['F1', 'full', '2026-01-02 00:00:00', '2026-01-02 01:00:00'],
    ['R1', 'resources_only', '2026-01-02 02:00:00', '2026-01-02 03:00:00'],
    ['X0', 'full', '2026-01-01 12:00:00', null],
    ['F2', 'full', '2026-01-03 00:00:00', '2026-01-03 01:00:00'],
    ['P2', 'partial', '2026-01-03 02:00:00', '2026-01-03 02:30:00'],
  ]);
  assert.deepEqual(syncsToDelete(d, { keepFullSyncs: 2, currentSyncId: undefined }).sort(), ['P0', 'X0']);
  assert.deepEqual(syncsToDelete(d, { keepFullSyncs: 1, currentSyncId: undefined }).sort(), [
    'F1',
    'P0',
    'R1',
    'X0',
  ]);
});
