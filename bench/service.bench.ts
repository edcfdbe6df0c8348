// Soak benchmark of service mode: one connector process (the built CLI) against the fake ConductorOne
// for many sync tasks with failures injected on every RPC, short-lived tokens and cancellations.
// Usage: npm run bench:service [tasks] [--default-arenas] (default 200 tasks). Exits 1 when a target is
// missed.
//
// The process runs with MALLOC_ARENA_MAX=2, as the container image sets it (see the Dockerfile and README
// "Memory over a long run"); --default-arenas measures glibc's default instead. Besides RSS, it reports the
// V8 heap used after a full GC: a leak of JS objects grows that, while RSS also grows to a plateau with
// compiled code and the C allocator's per-thread arenas (every sync runs a write-worker thread and a zstd
// thread), which is why RSS is also compared with a settled point (task 50), not only task 10. The heap
// itself grows by compiled code (the JIT) over the first dozens of tasks, so its target is against task 50
// too; both task-10 figures are printed, and the RSS target against task 10 stays.
import { runServiceSoak } from '../test/support/service-soak.js';

const args = process.argv.slice(2);
const defaultArenas = args.includes('--default-arenas');
const tasks = Number(args.find((a) => !a.startsWith('--')) ?? 200);
const SAMPLE_AT = 10;
const SETTLED_AT = 50;

const result = await runServiceSoak({
  tasks,
  cancelEvery: 10,
  failureRate: 0.1,
  tokenExpiresIn: 5,
  taskConcurrency: 3,
  people: 40,
  groups: 8,
  seed: 1,
  timeoutMs: 60 * 60_000,
  sampleAt: SAMPLE_AT,
  sampleEvery: 25,
  heapAfterGc: true,
  extraEnv: defaultArenas ? {} : { MALLOC_ARENA_MAX: '2' },
  onProgress: (n) => process.stderr.write(`\r${n}/${tasks} tasks finished`),
});
process.stderr.write('\n');

const pct = (a: number, b: number) => `${(((b - a) / a) * 100).toFixed(1)} %`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const heapFirst = result.first.heapUsedAfterGc ?? NaN;
const heapLast = result.last.heapUsedAfterGc ?? NaN;
const settled = result.series.find(([n]) => n === SETTLED_AT)?.[1];
const lines = [
  `service soak: ${tasks} sync tasks, concurrency 3, 10 % UNAVAILABLE on GetTask/Heartbeat/FinishTask/UploadAsset,`,
  `tokens living 5 s, every 10th task cancelled; ${(result.durationMs / 1000).toFixed(0)} s;`,
  `connector process with ${defaultArenas ? "glibc's default malloc arenas" : 'MALLOC_ARENA_MAX=2 (as in the image)'}`,
  '',
  'tasks finished by outcome:',
  ...Object.entries(result.outcomes).map(([k, v]) => `  ${k.padEnd(12)} ${v}`),
  'failures injected by the fake / retries counted by the connector, by RPC:',
  ...Object.entries(result.injected).map(
    ([rpc, n]) =>
      `  ${rpc.padEnd(12)} ${String(n).padStart(5)} / ${String(result.retries?.[rpc] ?? '?').padStart(5)}`,
  ),
  `token requests: ${result.tokenRequests}; calls sent with an expired token: ${result.expiredTokenCalls}`,
  `RSS: ${(result.first.rssKiB / 1024).toFixed(1)} MiB at task ${SAMPLE_AT}, ${(result.last.rssKiB / 1024).toFixed(1)} MiB at the end (${pct(result.first.rssKiB, result.last.rssKiB)})`,
  settled === undefined
    ? `RSS at task ${SETTLED_AT}: not sampled`
    : `RSS: ${(settled.rssKiB / 1024).toFixed(1)} MiB at task ${SETTLED_AT} (settled), ${pct(settled.rssKiB, result.last.rssKiB)} to the end`,
  `V8 heap used after a full GC: ${mib(heapFirst)} at task ${SAMPLE_AT}, ${mib(heapLast)} at the end (${pct(heapFirst, heapLast)})`,
  settled?.heapUsedAfterGc === undefined
    ? `V8 heap after a full GC at task ${SETTLED_AT}: not sampled`
    : `V8 heap used after a full GC: ${mib(settled.heapUsedAfterGc)} at task ${SETTLED_AT} (settled: compiled code has grown by then), ${pct(settled.heapUsedAfterGc, heapLast)} to the end`,
  `V8 heap MiB after a full GC every 25 tasks: ${result.series.map(([n, s]) => `${n}: ${((s.heapUsedAfterGc ?? NaN) / 1024 / 1024).toFixed(1)}`).join(', ')}`,
  `RSS MiB / open fds every 25 tasks: ${result.series.map(([n, s]) => `${n}: ${(s.rssKiB / 1024).toFixed(0)}/${s.fds}`).join(', ')}`,
  `open fds: ${result.first.fds} at task ${SAMPLE_AT}, ${result.last.fds} at the end`,
  `entries left in the c1z temp dir: ${result.tempLeft.length}`,
  `exit code after SIGTERM: ${result.exitCode}`,
];
console.log(lines.join('\n'));

const missed: string[] = [];
if (result.problems.length > 0)
  missed.push(`tasks not succeeding as they should: ${result.problems.join('; ')}`);
if (result.finishCountErrors.length > 0)
  missed.push(`FinishTask count: ${result.finishCountErrors.join('; ')}`);
if (result.last.rssKiB > result.first.rssKiB * 1.1)
  missed.push(`RSS grew more than 10 % from task ${SAMPLE_AT}`);
if (settled !== undefined && result.last.rssKiB > settled.rssKiB * 1.1)
  missed.push(`RSS grew more than 10 % from task ${SETTLED_AT}`);
if (!(heapLast <= (settled?.heapUsedAfterGc ?? heapFirst) * 1.1))
  missed.push(`the V8 heap after a full GC grew more than 10 % from task ${SETTLED_AT}`);
if (result.last.fds > result.first.fds * 1.1) missed.push('open fds grew more than 10 %');
if (result.tempLeft.length > 0) missed.push(`temp dir not empty: ${result.tempLeft.join(', ')}`);
if (result.expiredTokenCalls > 0) missed.push('calls were sent with an expired token');
if (result.exitCode !== 0) missed.push(`exit code ${result.exitCode}`);
console.log(missed.length === 0 ? 'all targets met' : `targets missed:\n- ${missed.join('\n- ')}`);
process.exitCode = missed.length === 0 ? 0 : 1;
