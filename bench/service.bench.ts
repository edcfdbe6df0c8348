// Soak benchmark of service mode: one connector process (the built CLI) against the fake ConductorOne
// for many sync tasks with failures injected on every RPC, short-lived tokens and cancellations.
// Usage: npm run bench:service [tasks] (default 200). Exits 1 when a target is missed.
import { runServiceSoak } from '../test/support/service-soak.js';

const tasks = Number(process.argv[2] ?? 200);
const SAMPLE_AT = 10;

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
  onProgress: (n) => process.stderr.write(`\r${n}/${tasks} tasks finished`),
});
process.stderr.write('\n');

const pct = (a: number, b: number) => `${(((b - a) / a) * 100).toFixed(1)} %`;
const lines = [
  `service soak: ${tasks} sync tasks, concurrency 3, 10 % UNAVAILABLE on GetTask/Heartbeat/FinishTask/UploadAsset,`,
  `tokens living 5 s, every 10th task cancelled; ${(result.durationMs / 1000).toFixed(0)} s`,
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
if (result.last.rssKiB > result.first.rssKiB * 1.1) missed.push('RSS grew more than 10 %');
if (result.last.fds > result.first.fds * 1.1) missed.push('open fds grew more than 10 %');
if (result.tempLeft.length > 0) missed.push(`temp dir not empty: ${result.tempLeft.join(', ')}`);
if (result.expiredTokenCalls > 0) missed.push('calls were sent with an expired token');
if (result.exitCode !== 0) missed.push(`exit code ${result.exitCode}`);
console.log(missed.length === 0 ? 'all targets met' : `targets missed:\n- ${missed.join('\n- ')}`);
process.exitCode = missed.length === 0 ? 0 : 1;
