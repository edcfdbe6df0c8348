// A fresh clone must pass its own tests: nothing the suite, the scripts or the code read may live outside
// the repository, and the Go-written reference files are vendored with their origin and licence.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES, fixturesDir } from './support/c1z-fixtures.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(repoRoot, 'test/fixtures/go-sdk');

function textFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...textFiles(path));
    else if (/\.(ts|js|json|md|ya?ml)$/.test(name) || name === 'Dockerfile') out.push(path);
  }
  return out;
}

describe('the repository is self-contained', () => {
  test('the Go fixtures are vendored under test/fixtures/go-sdk and found there', () => {
    assert.equal(fixturesDir(), fixtures);
    for (const fx of FIXTURES) {
      assert.equal(statSync(join(fixtures, fx.file)).size, fx.bytes, fx.file);
    }
  });

  test('their README names the origin and the licence', () => {
    const readme = readFileSync(join(fixtures, 'README.md'), 'utf8');
    assert.match(readme, /ConductorOne\/baton-sdk/);
    assert.match(readme, /Apache License 2\.0|Apache-2\.0/);
    assert.match(readme, /pkg\/sync\/testdata/);
    assert.match(readme, /pkg\/sync\/expand\/testdata/);
    for (const fx of FIXTURES) assert.ok(readme.includes(fx.file), fx.file);
  });

  test('no code, test, script or document points at a directory outside the repository', () => {
    // Spelled in pieces so this file does not find itself.
    const outside = [`..${'/'}shared`, `work${'/'}shared`, `shared${'/'}fixtures`, `shared${'/'}docs`];
    const hits: string[] = [];
    for (const dir of ['src', 'test', 'scripts', 'bench']) {
      for (const path of textFiles(join(repoRoot, dir))) {
        const text = readFileSync(path, 'utf8');
        for (const needle of outside)
          if (text.includes(needle)) hits.push(`${relative(repoRoot, path)}: ${needle}`);
      }
    }
    for (const file of ['README.md', 'Dockerfile', 'package.json']) {
      const text = readFileSync(join(repoRoot, file), 'utf8');
      for (const needle of outside) if (text.includes(needle)) hits.push(`${file}: ${needle}`);
    }
    assert.deepEqual(hits, []);
  });
});
