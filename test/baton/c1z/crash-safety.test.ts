import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { C1zStore } from '../../../src/baton/c1z/index.js';
import { scratchDir, writeSample } from '../../support/c1z-sample.js';

const child = resolve(import.meta.dirname, '../../support/c1z-writer-child.ts');
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Run the child writer and SIGKILL it once `until` matches a line it printed (after `skip` matches). */
function runAndKill(file: string, tmpDir: string, phase: string, until: RegExp, skip = 0): Promise<string[]> {
  return new Promise((resolvePromise, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, file, tmpDir, phase], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    let matches = 0;
    let buffered = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (until.test(line) && matches++ === skip) proc.kill('SIGKILL');
      }
    });
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolvePromise(lines);
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

describe('a writer killed with SIGKILL never damages the existing file', () => {
  const kills: [string, RegExp, number][] = [
    ['puts', /^put /, 2],
    ['checkpoint', /^checkpoint /, 20],
    ['compress', /^compressing$/, 0],
  ];
  for (const [phase, until, skip] of kills) {
    test(`killed during ${phase}: <file> is byte-identical and the next open resumes`, async () => {
      const { dir, cleanup } = scratchDir();
      try {
        const file = join(dir, 'sync.c1z');
        const seed = await C1zStore.open(file, { tmpDir: dir });
        const seedId = seed.startSync('full');
        writeSample(seed, 4, 2);
        await seed.endSync();
        await seed.close();
        const before = sha(file);

        await runAndKill(file, dir, phase, until, skip);
        assert.equal(sha(file), before, `${phase}: <file> changed`);
        if (phase === 'compress') assert.ok(existsSync(`${file}.tmp`), 'the kill landed mid-compression');

        // A second kill at the same point, after resuming, still leaves the file alone.
        await runAndKill(file, dir, phase, until, skip);
        assert.equal(sha(file), before);

        const store = await C1zStore.open(file, { tmpDir: dir });
        assert.ok(!existsSync(`${file}.tmp`));
        const run = store.findResumableSync('full');
        if (phase === 'compress') {
          assert.equal(run, undefined, 'the killed close had already ended its sync');
        } else {
          assert.ok(run, 'the killed sync can be resumed');
          assert.notEqual(run.syncId, seedId);
          store.resumeSync(run.syncId);
          assert.ok((await store.countRows()).resources >= 20);
          if (phase === 'checkpoint') assert.match(run.syncToken, /"current_action_id":\d+/);
        }
        await store.abandon();
        assert.equal(sha(file), before);
      } finally {
        cleanup();
      }
    });
  }
});
