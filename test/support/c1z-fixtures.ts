// Go-written reference c1z files (baton-sdk test data) and the facts their README states.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { decompress } from 'fzstd';

/** The vendored copies (test/fixtures/go-sdk, origin and licence in its README): the suite reads nothing outside the repository. */
const FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/go-sdk');

export function fixturesDir(): string {
  return FIXTURES_DIR;
}

export interface FixtureFacts {
  file: string;
  bytes: number;
  syncId: string;
  syncType: string;
  startedAt: string;
  endedAt: string | null;
  resourceTypes: number;
  resources: Record<string, number>;
  entitlements: number;
  grants: number;
}

// Exactly as test/fixtures/go-sdk/README.md states them.
export const FIXTURES: readonly FixtureFacts[] = [
  {
    file: 'go-sdk-in-progress.c1z',
    bytes: 5712,
    syncId: '3ARefY5G8eOytquwYgm41Nq07IZ',
    syncType: 'full',
    startedAt: '2026-03-03 09:45:13.056791',
    endedAt: null,
    resourceTypes: 5,
    resources: { group: 31, project: 25, role: 10, scoped_role: 3, user: 10 },
    entitlements: 0,
    grants: 0,
  },
  {
    file: 'go-sdk-demo-unexpanded.c1z',
    bytes: 200133,
    syncId: '36zfOAoWMxQdISbixanQCRBiX7E',
    syncType: 'full',
    startedAt: '2025-12-17 16:31:25.057185',
    endedAt: null,
    resourceTypes: 4,
    resources: { group: 21, project: 100, role: 100, user: 1000 },
    entitlements: 342,
    grants: 2909,
  },
  {
    file: 'go-sdk-demo-expanded.c1z',
    bytes: 819497,
    syncId: '36zfOAoWMxQdISbixanQCRBiX7E',
    syncType: 'full',
    startedAt: '2025-12-17 16:31:25.057185',
    endedAt: '2025-12-17 16:33:36.381422',
    resourceTypes: 4,
    resources: { group: 21, project: 100, role: 100, user: 1000 },
    entitlements: 342,
    grants: 14981,
  },
];

export const fixturePath = (file: string): string => join(fixturesDir(), file);

/** The SQLite bytes inside a v1 c1z, decoded with the pure-JS fzstd (an independent decoder). */
export function decodeC1zBytes(c1z: Uint8Array): Uint8Array {
  return decompress(c1z.subarray(5));
}

/**
 * Open the database inside a c1z in memory without touching the file. Go writers leave the header in
 * WAL mode (bytes 18–19 = 2) after folding the WAL in; an in-memory copy must say rollback (1).
 */
export function openC1zInMemory(path: string): Database.Database {
  const bytes = Buffer.from(decodeC1zBytes(readFileSync(path)));
  if (bytes[18] === 2) bytes[18] = 1;
  if (bytes[19] === 2) bytes[19] = 1;
  return new Database(bytes);
}
