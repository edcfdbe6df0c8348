// What `npm pack` ships: the licence the package declares, and nothing that points at files it leaves out.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The paths `npm pack` would put in the tarball, without running the build script again. */
function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: repo,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 60_000,
  });
  const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
  return (pack?.files ?? []).map((f) => f.path);
}

describe('the npm package', () => {
  const files = packedFiles();

  test('ships LICENSE with the full Apache-2.0 text package.json declares', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { license: string };
    assert.equal(pkg.license, 'Apache-2.0');
    assert.ok(files.includes('LICENSE'), 'LICENSE is in the tarball');
    const text = readFileSync(join(repo, 'LICENSE'), 'utf8');
    assert.match(text, /Apache License\s+Version 2\.0, January 2004/);
    assert.match(text, /TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION/);
    assert.match(text, /END OF TERMS AND CONDITIONS/);
  });

  test('ships the command it declares', () => {
    assert.ok(files.includes('dist/main.js'));
  });

  test('no source map points at a file the package does not ship', () => {
    const shipped = new Set(files);
    const dangling: string[] = [];
    for (const map of files.filter((f) => f.endsWith('.map'))) {
      const { sources } = JSON.parse(readFileSync(join(repo, map), 'utf8')) as { sources: string[] };
      for (const source of sources) {
        const target = normalize(join(dirname(map), source));
        if (!shipped.has(target)) dangling.push(`${map} -> ${target}`);
      }
    }
    assert.deepEqual(dangling.slice(0, 5), []);
  });
});
