// A full disk, on a real small filesystem (tmpfs, mounted here: the tests run as root in CI), through the
// built CLI against the simulator (issue 10, defects 12 and 13): the output filesystem too full for the new
// file, and the working-database directory (--c1z-temp-dir) too full for the sync. Each must exit 8
// (RESOURCE_EXHAUSTED) with a message naming the directory and the space needed, and never damage the
// previous file. Where mounting is impossible (not root), only these tests are skipped, with the reason;
// test/baton/c1z/full-disk.test.ts covers the same checks without a real filesystem.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSynced, namesIn, sha256 } from '../support/reliability-content.js';
import { expectedContent } from '../support/expected-content.js';
import {
  relTenant,
  runRel,
  Scratch,
  startRelSim,
  stopRelSims,
  syncSetup,
} from '../support/reliability-harness.js';
import type { XmattersSimulator } from '../../src/simulator/index.js';

const tenant = relTenant({ seed: 5, people: 400, groups: 40, avgMembersPerGroup: 30 });
const expected = expectedContent(tenant);
const scratch = new Scratch('full-disk');
const mounts: string[] = [];
let sim: XmattersSimulator;
let cannotMount: string | undefined;

/** Mounts a tmpfs of `size` at a fresh directory; undefined (and the reason kept) when that is not allowed. */
function mountTmpfs(name: string, size: string): string | undefined {
  const dir = join(scratch.root, name);
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    cannotMount = `cannot mount a tmpfs (${String((e as { stderr?: Buffer }).stderr ?? e).trim()})`;
    return undefined;
  }
  mounts.push(dir);
  return dir;
}

const freeBytes = (dir: string): number => {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
};

before(async () => {
  sim = await startRelSim(structuredClone(tenant));
  // Probe once: a machine that cannot mount skips these tests with the reason (never silently).
  const probe = mountTmpfs('probe', '64k');
  if (probe !== undefined) execFileSync('umount', [mounts.pop()!]);
});

after(async () => {
  for (const dir of mounts.splice(0).reverse()) {
    try {
      execFileSync('umount', [dir]);
    } catch {
      execFileSync('umount', ['-l', dir]);
    }
  }
  await stopRelSims();
  scratch.remove();
});

const skipReason = (): string | false => (cannotMount === undefined ? false : cannotMount);

describe('a full disk exits 8, names the directory and the space needed, and keeps the previous file', () => {
  test('the output filesystem is too full for the new file (12)', async (t) => {
    if (skipReason()) return t.skip(skipReason() as string);
    const out = mountTmpfs('out-fs', '4m');
    if (out === undefined) return t.skip(cannotMount);
    const tmp = join(scratch.root, 'out-fs.tmpdir');
    mkdirSync(tmp, { recursive: true });
    const d = { out, tmp, file: join(out, 'sync.c1z') };
    const { args, env } = syncSetup(sim.baseUrl, d);
    const first = await runRel(args, { cwd: out, env, scan: [out, tmp] });
    assert.equal(first.code, 0, first.stderr.slice(-2000));
    const previousHash = sha256(d.file);
    const previousSize = statSync(d.file).size;
    // Leave less room than the new file (which holds the previous sync and the new one) needs.
    const filler = join(out, 'filler');
    writeFileSync(filler, Buffer.alloc(freeBytes(out) - Math.floor(previousSize / 2)));
    assert.ok(freeBytes(out) < previousSize, 'the new file cannot fit');

    const full = await runRel(args, { cwd: out, env, scan: [out, tmp] });
    assert.equal(full.code, 8, full.stderr.slice(-3000));
    assert.ok(full.error, 'an error line is logged');
    t.diagnostic(full.error);
    assert.ok(full.error.includes(out), `the message names the directory: ${full.error}`);
    assert.match(full.error, /needs about [\d.,]+ (KiB|MiB|B)/, full.error);
    assert.doesNotMatch(full.stderr, /internal error|This is a bug/);
    assert.doesNotMatch(full.stderr, /sync finished/, 'no success is reported');
    assert.equal(sha256(d.file), previousHash, 'the previous file is byte-identical');
    assert.ok(!existsSync(`${d.file}.tmp`), '<file>.tmp is removed');

    // With the space back, the next run finishes and writes a whole file.
    rmSync(filler);
    const next = await runRel(args, { cwd: out, env, scan: [out, tmp] });
    assert.equal(next.code, 0, next.stderr.slice(-2000));
    const content = readSynced(d.file);
    assert.deepEqual(content.resources, expected.resources);
    assert.deepEqual(content.grants, expected.grants);
    assert.deepEqual(namesIn(out), ['sync.c1z']);
  });

  test('the working-database directory (--c1z-temp-dir) is full (13)', async (t) => {
    if (skipReason()) return t.skip(skipReason() as string);
    const tmp = mountTmpfs('tmp-fs', '256k');
    if (tmp === undefined) return t.skip(cannotMount);
    const out = join(scratch.root, 'tmp-fs.out');
    mkdirSync(out, { recursive: true });
    const d = { out, tmp, file: join(out, 'sync.c1z') };
    // The previous file, written with a roomy temp directory.
    const roomy = { ...d, tmp: join(scratch.root, 'tmp-fs.roomy') };
    mkdirSync(roomy.tmp, { recursive: true });
    const setup = syncSetup(sim.baseUrl, roomy);
    const first = await runRel(setup.args, { cwd: out, env: setup.env, scan: [out, roomy.tmp] });
    assert.equal(first.code, 0, first.stderr.slice(-2000));
    const previousHash = sha256(d.file);
    const { args, env } = syncSetup(sim.baseUrl, d);
    const full = await runRel(args, { cwd: out, env, scan: [out, tmp] });
    assert.equal(full.code, 8, full.stderr.slice(-3000));
    assert.ok(full.error, 'an error line is logged');
    t.diagnostic(full.error);
    assert.ok(full.error.includes(tmp), `the message names the directory: ${full.error}`);
    assert.match(full.error, /--c1z-temp-dir/);
    assert.match(full.error, /needs (at least|about) [\d.,]+ (KiB|MiB|B)/, full.error);
    assert.match(full.error, /kept|nothing was kept/i, 'it says whether the work done was kept');
    assert.doesNotMatch(full.stderr, /internal error|This is a bug/);
    assert.equal(sha256(d.file), previousHash, 'the previous file is byte-identical');
    assert.deepEqual(namesIn(out), ['sync.c1z'], 'no temp file next to the output');
  });
});

describe('a working-database directory that fills during the sync keeps the work for a resume', () => {
  test('exit 8 says the work was kept; with room again the same command resumes and finishes (13)', async (t) => {
    if (skipReason()) return t.skip(skipReason() as string);
    // Room for the empty schema (about 1.5 MiB with 64 KiB pages) and a few pages more: it fills mid-sync.
    const tmp = mountTmpfs('tmp-fs-grow', '2m');
    if (tmp === undefined) return t.skip(cannotMount);
    const out = join(scratch.root, 'tmp-fs-grow.out');
    mkdirSync(out, { recursive: true });
    const d = { out, tmp, file: join(out, 'sync.c1z') };
    const { args, env } = syncSetup(sim.baseUrl, d);
    const full = await runRel(args, { cwd: out, env, scan: [out, tmp] });
    assert.equal(full.code, 8, full.stderr.slice(-3000));
    assert.ok(full.error, 'an error line is logged');
    t.diagnostic(full.error);
    assert.ok(full.error.includes(tmp), full.error);
    assert.match(full.error, /needs at least [\d.,]+ (KiB|MiB)/);
    assert.match(full.error, /kept there/, 'the work done so far is kept for a resume');
    assert.doesNotMatch(full.stderr, /internal error|This is a bug/);
    assert.ok(!existsSync(d.file), 'no output file was written');
    execFileSync('mount', ['-o', 'remount,size=8m', tmp]);
    const next = await runRel(args, { cwd: out, env, scan: [out, tmp] });
    assert.equal(next.code, 0, next.stderr.slice(-2000));
    assert.equal(next.details?.resumed, true, 'the kept work is resumed');
    const content = readSynced(d.file);
    assert.deepEqual(content.resources, expected.resources);
    assert.deepEqual(content.grants, expected.grants);
  });
});
