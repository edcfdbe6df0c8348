import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path));
    else out.push(path);
  }
  return out;
}

test('src/baton/gen is what `npm run gen` produces from src/baton/proto', () => {
  const out = mkdtempSync(join(tmpdir(), 'baton-gen-'));
  try {
    const bin = join(root, 'node_modules/.bin');
    const result = spawnSync(join(bin, 'buf'), ['generate', 'src/baton/proto', '--output', out], {
      cwd: root,
      env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    const fresh = join(out, 'src/baton/gen');
    const committed = join(root, 'src/baton/gen');
    const names = (dir: string) => listFiles(dir).map((f) => relative(dir, f));
    assert.deepEqual(names(committed), names(fresh), 'generated file list is stale: run npm run gen');
    for (const name of names(fresh)) {
      const same = readFileSync(join(fresh, name)).equals(readFileSync(join(committed, name)));
      assert.ok(same, `src/baton/gen/${name} is stale: run npm run gen`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
