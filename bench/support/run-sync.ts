// One sync by the built CLI in a child process, timed from spawn to exit.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** The fields of `--output json` the benchmark reads (src/connector/run-xmatters-sync.ts xmattersFigures, src/baton/cli/sync-report.ts syncReportJson). */
export interface SyncDetails {
  file_bytes: number;
  grants: number;
  requests: number;
  retries: number;
  wall_ms: number;
  peak_rss_bytes: number;
}

export interface SyncRunResult<D = SyncDetails> {
  /** Spawn to exit of the CLI process: startup, sync and compression included. */
  wallMs: number;
  details: D;
}

export interface SyncRunOptions {
  cli: string;
  baseUrl: string;
  username: string;
  password: string;
  file: string;
  tmpDir: string;
  maxInFlight: number;
  /** Write a V8 CPU profile of the connector into this directory (`node --cpu-prof`). */
  cpuProfDir?: string | undefined;
  /** More CLI flags, e.g. `--expand-nested-groups`. */
  extraArgs?: readonly string[];
}

/** `D` names the `--output json` fields a benchmark reads; the default is what every sync benchmark needs. */
export function runSync<D = SyncDetails>(opts: SyncRunOptions): Promise<SyncRunResult<D>> {
  const node = opts.cpuProfDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir];
  const args = [
    ...node,
    opts.cli,
    '--file',
    opts.file,
    '--c1z-temp-dir',
    opts.tmpDir,
    '--request-concurrency',
    String(opts.maxInFlight),
    '--output',
    'json',
    '--log-level',
    'warn',
    ...(opts.extraArgs ?? []),
  ];
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    BATON_BASE_URL: opts.baseUrl,
    BATON_USERNAME: opts.username,
    BATON_PASSWORD: opts.password,
    BATON_LOG_FORMAT: 'json',
    // For experiments with V8 flags on the connector only, e.g. BENCH_NODE_OPTIONS=--max-semi-space-size=32.
    ...(process.env.BENCH_NODE_OPTIONS === undefined ? {} : { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS }),
  };
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) {
        reject(new Error(`the sync exited with ${code}: ${stderr.slice(-4000)}`));
        return;
      }
      try {
        resolve({ wallMs, details: JSON.parse(stdout) as D });
      } catch (e) {
        reject(
          new Error(`the sync printed no JSON details (${(e as Error).message}): ${stdout.slice(0, 500)}`),
        );
      }
    });
  });
}
