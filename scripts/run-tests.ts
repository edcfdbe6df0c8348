// Node 20's `node --test` does not expand globs, so this script finds the test files and hands them over.
// Usage: node --import tsx scripts/run-tests.ts [<part of a path> ...] [--<node test option> ...]
// e.g. `... run-tests.ts test/reliability --test-name-pattern="exit 14"` (README, "Running tests").
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { staleDistMessage, staleDistReason } from '../test/support/dist-freshness.js';

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

// Arguments starting with `--` go to node's test runner as they are (a name pattern, only, a reporter);
// the others narrow the run to files whose path contains any of them.
const args = process.argv.slice(2);
const nodeOptions = args.filter((a) => a.startsWith('--'));
const filters = args.filter((a) => !a.startsWith('--'));
const files = findTests('test').filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// Tests that run the built CLI must not run a dist/ older than src/: refuse before starting any of them.
const runsBuiltCli = files.some((f) =>
  /run-cli\.js|reliability-harness\.js|dist\/main\.js/.test(readFileSync(f, 'utf8')),
);
if (runsBuiltCli) {
  const stale = staleDistReason(process.cwd());
  if (stale !== undefined) {
    console.error(staleDistMessage(stale));
    process.exit(1);
  }
}
const reporter = process.stdout.isTTY ? 'spec' : 'tap';
const result = spawnSync(
  process.execPath,
  // A test that hangs fails after 10 minutes instead of holding the whole run (and CI) until it is killed.
  [
    '--import',
    'tsx',
    '--test',
    `--test-reporter=${reporter}`,
    '--test-concurrency=2',
    '--test-timeout=600000',
    ...nodeOptions,
    ...files,
  ],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
