// Scenario 3, kill and restart: SIGKILL during listing, during grants and during compression. The
// previous file must stay byte-identical each time, the next run must complete with the right content,
// and afterwards nothing may be left next to the output or in the temp directory.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkDir } from '../../src/baton/c1z/work-dir.js';
import { expectedContent } from '../support/expected-content.js';
import { namesIn, readSynced, sha256 } from '../support/reliability-content.js';
import {
  assertReadOnlySync,
  fileFigures,
  note,
  relFile,
  relTenant,
  resetSim,
  runRel,
  syncSetup,
  type LogLine,
  type RelRun,
} from '../support/reliability-harness.js';

// Large enough that compressing two syncs takes a while (tens of milliseconds), small enough to stay quick.
const tenant = relTenant({
  seed: 2,
  people: 800,
  groups: 70,
  avgMembersPerGroup: 45,
  largeGroups: 1,
  largeGroupSize: 300,
});
const expected = expectedContent(tenant);
const rel = relFile('kill', { tenant, previous: ['--page-size', '100'] });
const { scratch, withPrevious } = rel;

function setup(d: { file: string; tmp: string }): { args: string[]; env: Record<string, string> } {
  return syncSetup(rel.sim.baseUrl, d, ['--page-size', '100']);
}

/** Polls the simulator until `ready` holds, then kills the child. */
function killWhen(ready: () => boolean, signal: NodeJS.Signals = 'SIGKILL'): (child: ChildProcess) => void {
  return (child) => {
    const timer = setInterval(() => {
      if (ready()) {
        clearInterval(timer);
        child.kill(signal);
      }
    }, 5);
    child.once('exit', () => clearInterval(timer));
  };
}

const served = (route: string): number => rel.sim.stats().byRoute[`GET ${route}`] ?? 0;

/** The run after a kill: exit 0, the whole tenant, nothing left behind. */
async function assertNextRunCompletes(d: { out: string; tmp: string; file: string }): Promise<RelRun> {
  rel.sim.setFaults({});
  const { args, env } = setup(d);
  const next = await runRel(args, { cwd: d.out, env, scan: [d.out, d.tmp] });
  assert.equal(next.code, 0, next.stderr.slice(-2000));
  const content = readSynced(d.file);
  assert.deepEqual(content.resources, expected.resources);
  assert.deepEqual(content.entitlements, expected.entitlements);
  assert.deepEqual(content.grants, expected.grants);
  assert.deepEqual(namesIn(d.out), ['sync.c1z'], 'no temp files next to the output');
  assert.deepEqual(namesIn(d.tmp), [], 'no working directory left behind');
  return next;
}

describe('3. SIGKILL and restart: previous file byte-identical, next run complete, nothing left', () => {
  test('killed while listing people (and reading rosters alongside)', async (t) => {
    resetSim(rel.sim);
    rel.sim.setFaults({ latencyMs: 40 });
    const d = withPrevious('listing');
    const { args, env } = setup(d);
    // The access check is the first /people request; kill once a few listing pages were answered.
    const killed = await runRel(args, {
      cwd: d.out,
      env,
      scan: [d.out, d.tmp],
      onSpawn: killWhen(() => served('/people') >= 4),
    });
    assert.equal(killed.signal, 'SIGKILL');
    // The access check plus 8 pages of 100 people: the listing had not ended. Groups are listed alongside.
    assert.ok(
      served('/people') < 9,
      `killed before the people listing ended (${served('/people')} answered)`,
    );
    assert.ok(served('/groups/{id}/members') > 0, 'rosters were being read alongside');
    assert.equal(sha256(d.file), d.hash, 'the previous file is byte-identical');
    assert.ok(namesIn(d.tmp).length === 1, 'the working directory is kept for the resume');
    const next = await assertNextRunCompletes(d);
    assert.equal(next.details?.resumed, true, 'the interrupted sync is continued');
    note(t, { faults: 1, runs: 2 });
  });

  test('killed while reading group rosters (grants)', async (t) => {
    resetSim(rel.sim);
    rel.sim.setFaults({ rules: [{ path: '/groups/*/members', action: { type: 'delay', ms: 30 } }] });
    const d = withPrevious('grants');
    const { args, env } = setup(d);
    const killed = await runRel(args, {
      cwd: d.out,
      env,
      scan: [d.out, d.tmp],
      onSpawn: killWhen(() => served('/groups/{id}/members') >= 12),
    });
    assert.equal(killed.signal, 'SIGKILL');
    assert.ok(killed.logs.some((l) => l.msg === 'syncing grants'));
    assert.ok(!killed.logs.some((l) => l.msg === 'finishing'), 'killed before the grants phase ended');
    assert.equal(sha256(d.file), d.hash);
    await assertNextRunCompletes(d);
    note(t, { faults: 1, runs: 2 });
  });

  test('killed while compressing the new file', async (t) => {
    const d = withPrevious('compress');
    const { args, env } = setup(d);
    // Freeze the writer the moment <file>.tmp appears, check it is still there (so the rename has not
    // happened), then kill it. A machine too fast to catch tries again with the next sync.
    let caught = false;
    for (let attempt = 0; attempt < 4 && !caught; attempt++) {
      resetSim(rel.sim);
      const hash = sha256(d.file);
      const tmpFile = `${d.file}.tmp`;
      let watcher: ReturnType<typeof watch> | undefined;
      const run = await runRel(args, {
        cwd: d.out,
        env,
        scan: [d.out, d.tmp],
        onSpawn: (child) => {
          watcher = watch(d.out, (_event, name) => {
            if (name !== 'sync.c1z.tmp' || caught) return;
            child.kill('SIGSTOP');
            if (existsSync(tmpFile)) {
              caught = true;
              child.kill('SIGKILL');
            } else child.kill('SIGCONT');
          });
          child.once('exit', () => watcher?.close());
        },
      });
      watcher?.close();
      if (!caught) {
        assert.equal(run.code, 0, run.stderr.slice(-2000));
        continue;
      }
      assert.equal(run.signal, 'SIGKILL');
      assert.ok(run.logs.some((l: LogLine) => l.msg === 'finishing'));
      assert.equal(sha256(d.file), hash, 'the previous file is byte-identical');
      assert.ok(existsSync(tmpFile), 'the partial file is still there before the next run');
    }
    assert.ok(caught, 'the writer was caught during compression');
    await assertNextRunCompletes(d);
    note(t, { faults: 1, runs: 2 });
  });

  test('SIGTERM during grants: exit 1, previous file byte-identical, next run resumes', async (t) => {
    resetSim(rel.sim);
    rel.sim.setFaults({ rules: [{ path: '/groups/*/members', action: { type: 'delay', ms: 30 } }] });
    const d = withPrevious('sigterm');
    const { args, env } = setup(d);
    const stopped = await runRel(args, {
      cwd: d.out,
      env,
      scan: [d.out, d.tmp],
      onSpawn: killWhen(() => served('/groups/{id}/members') >= 12, 'SIGTERM'),
    });
    assert.equal(stopped.code, 1, stopped.stderr.slice(-2000));
    assert.match(stopped.error ?? '', /interrupted by SIGTERM; the previous file is unchanged/);
    assert.equal(sha256(d.file), d.hash);
    const next = await assertNextRunCompletes(d);
    assert.equal(next.details?.resumed, true);
    note(t, { faults: 1, runs: 2 });
  });

  test('a lock left by a killed run that had our own pid (PID 1 in a container) is taken over', async () => {
    const d = scratch.dirs('own-pid-lock');
    const first = await WorkDir.acquire(d.file, d.tmp);
    // While this process holds the lock, a second writer is refused.
    await assert.rejects(WorkDir.acquire(d.file, d.tmp), /another process (\(pid \d+\) )?is writing/);
    await first.release();
    // A killed run leaves its lock behind; in a container the next run is PID 1 again, like the last one.
    writeFileSync(join(first.dir, 'lock'), String(process.pid));
    const second = await WorkDir.acquire(d.file, d.tmp);
    assert.equal(second.dir, first.dir);
    await second.remove();
  });

  test('8. read-only: a sync sends only GET requests (checked on its own simulator)', async (t) => {
    const { requests } = await assertReadOnlySync(tenant, scratch);
    note(t, { runs: 1, requests });
    t.diagnostic(fileFigures());
  });
});
