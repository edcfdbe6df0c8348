// A soak of one service-mode process (the built CLI) against the fake ConductorOne and the xMatters
// simulator, with failures injected on every RPC, short-lived tokens and cancellations. Shared by the
// short soak in npm test and `npm run bench:service`.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { generateTenant, GENERATED_CREDENTIALS, XmattersSimulator } from '../../src/simulator/index.js';
import { expectedContent } from './expected-content.js';
import { FakeC1, type RpcName } from './fake-c1.js';
import { finishedSyncs, openC1zDb, syncContent } from './open-c1z-db.js';
import { runCli } from './run-cli.js';
import { stopSimulator } from './simulator.js';

export interface SoakOptions {
  tasks: number;
  /** Every n-th task is cancelled by ConductorOne (half at the first heartbeat, half at the second). */
  cancelEvery: number;
  /** Share of the calls of each RPC answered UNAVAILABLE. */
  failureRate: number;
  /** Lifetime of access tokens in seconds. */
  tokenExpiresIn: number;
  taskConcurrency: number;
  /**
   * Simulator tenant: size and seed (the content check wants an inactive person and a group with a
   * non-ASCII name; seed 1 with 40 people and 8 groups has both).
   */
  people: number;
  groups: number;
  seed: number;
  /** Whole-run deadline. */
  timeoutMs: number;
  /** The task count at which the first resource sample is taken. */
  sampleAt: number;
  onProgress?: (finished: number) => void;
  /** Extra environment for the connector process (diagnostics such as NODE_OPTIONS). */
  extraEnv?: Record<string, string>;
  /** Also sample the connector's RSS and fds every this many finished tasks. */
  sampleEvery?: number;
  /**
   * Also measure the connector's V8 heap after a full GC at every sample (a preload makes it answer
   * SIGUSR2 with process.memoryUsage() after gc()): what a JS-level leak would grow.
   */
  heapAfterGc?: boolean;
}

export interface ResourceSample {
  rssKiB: number;
  fds: number;
  /** V8 heap used right after a full GC, when `heapAfterGc` asked for it. */
  heapUsedAfterGc?: number;
}

export interface SoakResult {
  outcomes: Record<string, number>;
  /** Tasks not chosen for cancellation that did not succeed, or succeeded with the wrong content. */
  problems: string[];
  /** Tasks with more or fewer than one accepted FinishTask. */
  finishCountErrors: string[];
  injected: Record<RpcName, number>;
  /** As the connector counted them (its last log line). */
  retries: Record<string, number> | undefined;
  first: ResourceSample;
  last: ResourceSample;
  /** Finished tasks → sample, every `sampleEvery` tasks. */
  series: [number, ResourceSample][];
  tempLeft: string[];
  exitCode: number | null;
  durationMs: number;
  expiredTokenCalls: number;
  tokenRequests: number;
}

function sample(pid: number): ResourceSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return { rssKiB, fds: readdirSync(`/proc/${pid}/fd`).length };
}

/**
 * The preload behind `heapAfterGc`, written next to the run's other files (plain JavaScript: the built CLI
 * runs without tsx). It changes nothing in the process until SIGUSR2 arrives.
 */
const HEAP_PROBE = `import { appendFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
process.on('SIGUSR2', () => {
  gc();
  appendFileSync(process.env.HEAP_PROBE_FILE, JSON.stringify(process.memoryUsage()) + '\\n');
});
`;

/** Asks the probe for one reading and waits (bounded) for its line. */
async function heapAfterGc(pid: number, file: string): Promise<number> {
  const lines = () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
  const before = lines().length;
  process.kill(pid, 'SIGUSR2');
  for (const deadline = performance.now() + 10_000; performance.now() < deadline;) {
    const now = lines();
    if (now.length > before) return (JSON.parse(now.at(-1)!) as { heapUsed: number }).heapUsed;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the heap probe did not answer within 10 s');
}

const taskId = (i: number) => `soak${String(i).padStart(23, '0')}`;

export async function runServiceSoak(opts: SoakOptions): Promise<SoakResult> {
  const tenant = generateTenant({
    seed: opts.seed,
    people: opts.people,
    groups: opts.groups,
    avgMembersPerGroup: 5,
  });
  const expected = expectedContent(tenant);
  const sim = await XmattersSimulator.start({ tenant: structuredClone(tenant) });
  const dir = mkdtempSync(join(tmpdir(), 'service-soak-'));
  const tempDir = join(dir, 'c1z-temp');
  const rate = opts.failureRate;
  const c1 = await FakeC1.start({
    failureRates: { getTask: rate, heartbeat: rate, finishTask: rate, uploadAsset: rate },
    tokenExpiresIn: opts.tokenExpiresIn,
    nextHeartbeatMs: 1000,
    nextPollMs: 50,
    seed: 42,
  });
  const cancelled = new Set<string>();
  for (let i = 0; i < opts.tasks; i++) {
    const id = taskId(i);
    c1.enqueue({ id, taskType: { case: 'syncFull', value: {} } });
    if ((i + 1) % opts.cancelEvery === 0) {
      cancelled.add(id);
      c1.cancel(id, (i / opts.cancelEvery) % 2 === 0 ? 0 : 1);
    }
  }
  const ids = Array.from({ length: opts.tasks }, (_, i) => taskId(i));
  const finishedCount = () => ids.filter((id) => c1.finishes(id).length > 0).length;
  let child: ChildProcess | undefined;
  const started = performance.now();
  const progress = setInterval(() => opts.onProgress?.(finishedCount()), 5_000);
  try {
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, c1.ca);
    mkdirSync(tempDir);
    const cred = GENERATED_CREDENTIALS[0]!;
    const probeFile = join(dir, 'heap-probe.jsonl');
    const probeEnv: Record<string, string> = {};
    if (opts.heapAfterGc === true) {
      const probe = join(dir, 'heap-probe.mjs');
      writeFileSync(probe, HEAP_PROBE);
      probeEnv.NODE_OPTIONS = `--import ${probe}`;
      probeEnv.HEAP_PROBE_FILE = probeFile;
    }
    const run = runCli([], {
      cwd: dir,
      env: {
        BATON_CLIENT_ID: c1.clientId,
        BATON_CLIENT_SECRET: c1.clientSecret,
        BATON_C1_API_HOST: c1.host,
        BATON_HOST_ID: 'soak',
        NODE_EXTRA_CA_CERTS: caFile,
        BATON_BASE_URL: sim.baseUrl,
        BATON_USERNAME: cred.username,
        BATON_PASSWORD: cred.password,
        BATON_LOG_FORMAT: 'json',
        BATON_C1Z_TEMP_DIR: tempDir,
        BATON_TASK_CONCURRENCY: String(opts.taskConcurrency),
        ...probeEnv,
        ...opts.extraEnv,
      },
      timeoutMs: opts.timeoutMs,
      onSpawn: (c) => (child = c),
    });
    const pid = child!.pid!;
    // One probe reading at a time: each waits for the line its own signal adds.
    let probes = Promise.resolve(0);
    const probeHeap = (): Promise<number> =>
      (probes = probes.catch(noHeap).then(() => heapAfterGc(pid, probeFile)));
    const noHeap = (): number => NaN;
    const series: [number, ResourceSample][] = [];
    const every = opts.sampleEvery ?? 0;
    const sampler = c1
      .waitFor(
        () => {
          const n = finishedCount();
          if (every > 0 && n > 0 && n % every === 0 && series.at(-1)?.[0] !== n) {
            const at = sample(pid);
            series.push([n, at]);
            if (opts.heapAfterGc === true) {
              void probeHeap().then((h) => (at.heapUsedAfterGc = h), noHeap);
            }
          }
          return n >= opts.tasks;
        },
        'samples',
        opts.timeoutMs,
      )
      .catch(() => undefined);
    await c1.waitFor(
      () => finishedCount() >= opts.sampleAt,
      `${opts.sampleAt} finished tasks`,
      opts.timeoutMs,
    );
    const first = sample(pid);
    if (opts.heapAfterGc === true) first.heapUsedAfterGc = await probeHeap();
    await c1.waitFor(() => finishedCount() >= opts.tasks, `${opts.tasks} finished tasks`, opts.timeoutMs);
    // Let the last task's files go and the runner settle on its idle poll.
    await new Promise((r) => setTimeout(r, 500));
    const last = sample(pid);
    if (opts.heapAfterGc === true) last.heapUsedAfterGc = await probeHeap();
    await sampler;
    const tempLeft = readdirSync(tempDir);
    child!.kill('SIGTERM');
    const r = await run;
    const durationMs = performance.now() - started;

    const outcomes: Record<string, number> = {};
    const problems: string[] = [];
    const finishCountErrors: string[] = [];
    const uploadsById = new Map(c1.uploads.map((u) => [u.taskId, u]));
    for (const id of ids) {
      const finishes = c1.finishes(id);
      if (finishes.length !== 1) finishCountErrors.push(`${id}: ${finishes.length} FinishTask`);
      const f = finishes[0];
      const outcome =
        f === undefined
          ? 'unfinished'
          : f.finalState.case === 'success'
            ? 'success'
            : f.status?.code === 1
              ? 'cancelled'
              : `error ${f.status?.code}: ${f.status?.message}`;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      if (cancelled.has(id)) continue;
      if (outcome !== 'success') {
        problems.push(`${id}: ${outcome}`);
        continue;
      }
      const upload = uploadsById.get(id);
      if (upload === undefined) {
        problems.push(`${id}: succeeded without an upload`);
        continue;
      }
      const file = join(dir, 'check.c1z');
      writeFileSync(file, upload.bytes);
      const { db, close } = openC1zDb(file);
      try {
        const content = syncContent(db, finishedSyncs(db).at(-1)!.sync_id);
        const same =
          JSON.stringify([content.resources, content.entitlements, content.grants]) ===
          JSON.stringify([expected.resources, expected.entitlements, expected.grants]);
        if (!same) problems.push(`${id}: uploaded content differs from the tenant`);
      } finally {
        close();
        rmSync(file, { force: true });
      }
    }
    const stopped = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg?: string; retries?: Record<string, number> })
      .find((l) => l.msg === 'service mode stopped');
    return {
      outcomes,
      problems,
      finishCountErrors,
      injected: { ...c1.injected },
      retries: stopped?.retries,
      first,
      last,
      series,
      tempLeft,
      exitCode: r.code,
      durationMs,
      expiredTokenCalls: c1.expiredTokenCalls,
      tokenRequests: c1.tokenRequests.length,
    };
  } finally {
    clearInterval(progress);
    child?.kill('SIGKILL');
    await c1.close();
    await stopSimulator(sim);
    rmSync(dir, { recursive: true, force: true });
  }
}
