// The guard that keeps the end-to-end tests from running a dist/ older than src/.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { staleDistMessage, staleDistReason } from '../support/dist-freshness.js';

/** A tiny checkout: src/main.ts and src/a/b.ts, built at `builtAt` (seconds), sources written at `srcAt`. */
function checkout(
  t: { after(fn: () => void): void },
  srcAt: number,
  builtAt: number,
  built = ['main', 'a/b'],
) {
  const root = mkdtempSync(join(tmpdir(), 'dist-freshness-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const [dir, ext, at, names] of [
    ['src', 'ts', srcAt, ['main', 'a/b']],
    ['dist', 'js', builtAt, built],
  ] as const) {
    for (const name of names) {
      const path = join(root, dir, `${name}.${ext}`);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, '// x\n');
      utimesSync(path, at, at);
    }
  }
  return root;
}

describe('staleDistReason', () => {
  test('a build newer than every source is fresh', (t) => {
    assert.equal(staleDistReason(checkout(t, 1_000, 2_000)), undefined);
  });

  test('a source changed after the build is named, with the fix', (t) => {
    const reason = staleDistReason(checkout(t, 3_000, 2_000));
    assert.match(reason ?? '', /src\/(main|a\/b)\.ts changed after dist\/.*\.js was built/);
    assert.match(staleDistMessage(reason ?? ''), /out of date .* Run `npm run build` first/);
  });

  test('a source with no build output (a new file) is stale', (t) => {
    assert.match(
      staleDistReason(checkout(t, 1_000, 2_000, ['main'])) ?? '',
      /src\/a\/b\.ts has no build output/,
    );
  });

  test('no dist/main.js at all says so', (t) => {
    assert.equal(staleDistReason(checkout(t, 1_000, 2_000, [])), 'dist/main.js is missing');
  });
});
