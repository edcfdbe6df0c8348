// Shared wiring of the reliability suite (test/reliability/): a tenant with the suite's credentials,
// simulators that are checked for non-GET requests when they stop, per-test directories, and a runner
// for the built CLI that always logs at debug level and scans everything it printed or left for secrets.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, type TestContext } from 'node:test';
import {
  generateTenant,
  XmattersSimulator,
  type GenerateTenantOptions,
  type SimulatorOptions,
  type Tenant,
} from '../../src/simulator/index.js';
import { sha256 } from './reliability-content.js';
import { runCli, type CliResult } from './run-cli.js';
import {
  assertNoSecretLeak,
  REL_NOACCESS,
  REL_NOROSTERS,
  REL_PASSWORD,
  REL_USER,
  scanTally,
} from './reliability-secrets.js';

/** A generated tenant whose only credentials are the suite's users. */
export function relTenant(opts: Omit<GenerateTenantOptions, 'credentials'> = {}): Tenant {
  return generateTenant({
    seed: 2,
    people: 60,
    groups: 14,
    avgMembersPerGroup: 8,
    largeGroups: 1,
    largeGroupSize: 30,
    ...opts,
    credentials: [
      { username: REL_USER, password: REL_PASSWORD },
      { ...REL_NOACCESS, forbidden: ['**'] },
      { ...REL_NOROSTERS, forbidden: ['/groups/*/members'] },
    ],
  });
}

const started: XmattersSimulator[] = [];
/** Requests every simulator of this file answered, and how many of them were not GET. */
export const readOnlyTally = { requests: 0, nonGet: 0 };

/** A simulator on 127.0.0.1:0 that logs request times; stopRelSims() checks it saw only GETs. */
export async function startRelSim(tenant: Tenant, opts: SimulatorOptions = {}): Promise<XmattersSimulator> {
  const sim = await XmattersSimulator.start({ tenant, logTimes: true, ...opts });
  started.push(sim);
  return sim;
}

function tallyReadOnly(sim: XmattersSimulator): void {
  const s = sim.stats();
  readOnlyTally.requests += s.requests;
  readOnlyTally.nonGet += s.nonGetRequests;
}

/** Resets a simulator's counters and request log, keeping its figures for the read-only check. */
export function resetSim(sim: XmattersSimulator): void {
  tallyReadOnly(sim);
  sim.resetStats();
  assert.equal(readOnlyTally.nonGet, 0, 'the connector must only ever send GET');
}

/** Non-GET requests the file's running simulators answered since they started (resets do not clear it). */
function nonGetSoFar(): number {
  return started.reduce((n, sim) => n + sim.stats().lifetimeNonGetRequests, 0);
}

/**
 * A test's own proof of the read-only property: a full sync of a fresh simulator serving `tenant` makes
 * requests, all of them GET, and the simulator's counter is live (a POST sent on purpose is counted), so
 * the check cannot pass by seeing nothing. Needs no earlier test; its simulator is not one of the file's.
 */
export async function assertReadOnlySync(tenant: Tenant, scratch: Scratch): Promise<{ requests: number }> {
  const sim = await XmattersSimulator.start({ tenant: structuredClone(tenant) });
  try {
    const d = scratch.dirs('read-only');
    const { args, env } = syncSetup(sim.baseUrl, d);
    const run = await runRel(args, { cwd: d.out, env, scan: [d.out, d.tmp] });
    assert.equal(run.code, 0, run.stderr.slice(-2000));
    const { requests, nonGetRequests } = sim.stats();
    assert.ok(requests >= 3, `the sync made ${requests} requests`);
    assert.equal(nonGetRequests, 0, 'the connector must only ever send GET');
    const probe = await fetch(`${sim.baseUrl}/people`, { method: 'POST', body: '{}' });
    await probe.arrayBuffer();
    assert.equal(probe.status, 405);
    assert.equal(sim.stats().nonGetRequests, 1, 'the simulator counts a non-GET request');
    return { requests };
  } finally {
    await sim.close();
  }
}

/** Stops every simulator of this file and asserts the connector never sent anything but GET. */
export async function stopRelSims(): Promise<void> {
  const sims = started.splice(0);
  sims.forEach(tallyReadOnly);
  await Promise.all(sims.map((sim) => sim.close()));
  assert.equal(readOnlyTally.nonGet, 0, 'the connector must only ever send GET');
}

/** A scratch root for one test file; `dirs(name)` gives each test its own output and temp directory. */
export class Scratch {
  readonly root: string;
  constructor(name: string) {
    this.root = mkdtempSync(join(tmpdir(), `rel-${name}-`));
  }

  dirs(name: string): { out: string; tmp: string; file: string } {
    const out = join(this.root, name.replace(/\W+/g, '-'));
    const tmp = join(out, '..', `${name.replace(/\W+/g, '-')}.tmpdir`);
    mkdirSync(out, { recursive: true });
    mkdirSync(tmp, { recursive: true });
    return { out, tmp, file: join(out, 'sync.c1z') };
  }

  /** Fresh directories whose sync.c1z is a copy of `previous`, with that copy's hash for later comparison. */
  dirsWithCopy(name: string, previous: string): { out: string; tmp: string; file: string; hash: string } {
    const d = this.dirs(name);
    copyFileSync(previous, d.file);
    return { ...d, hash: sha256(d.file) };
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export interface LogLine {
  level: string;
  msg: string;
  [key: string]: unknown;
}

export interface RelRun extends CliResult {
  /** The JSON log lines of stderr. */
  logs: LogLine[];
  /** The `--output json` summary on stdout, when the sync succeeded. */
  details: Record<string, unknown> | undefined;
  /** The error line's message (the last error-level log), when it failed. */
  error: string | undefined;
}

export interface RelRunOptions {
  cwd: string;
  /** Environment of the child (PATH is added). */
  env?: Record<string, string>;
  /** Directories scanned for secrets after the run (output and temp dirs). */
  scan: readonly string[];
  timeoutMs?: number;
  /** Each JSON log line as it arrives, with the child (to kill it at a chosen moment). */
  onLog?: (line: LogLine, child: ChildProcess) => void;
  onSpawn?: (child: ChildProcess) => void;
}

/**
 * Runs the built CLI with `--log-level debug --log-format json` and asserts no secret appears in its
 * stdout, stderr or any file under `scan`, and that none of the file's simulators got a non-GET request.
 */
export async function runRel(args: readonly string[], opts: RelRunOptions): Promise<RelRun> {
  const nonGetBefore = nonGetSoFar();
  const r = await runCli(['--log-level', 'debug', '--log-format', 'json', ...args], {
    cwd: opts.cwd,
    env: opts.env ?? {},
    timeoutMs: opts.timeoutMs ?? 60_000,
    onSpawn: (child) => {
      opts.onSpawn?.(child);
      const onLog = opts.onLog;
      if (onLog === undefined) return;
      let buffered = '';
      child.stderr?.on('data', (d: string) => {
        buffered += d;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const parsed = parseLine(line);
          if (parsed !== undefined) onLog(parsed, child);
        }
      });
    },
  });
  assertNoSecretLeak({ stdout: r.stdout, stderr: r.stderr }, opts.scan);
  // Every run proves the read-only property for itself, on every simulator of the file.
  assert.equal(nonGetSoFar() - nonGetBefore, 0, 'the connector sent a request other than GET');
  const logs = r.stderr.split('\n').flatMap((l) => parseLine(l) ?? []);
  let details: Record<string, unknown> | undefined;
  if (r.code === 0 && r.stdout.trim().startsWith('{'))
    details = JSON.parse(r.stdout) as Record<string, unknown>;
  const errors = logs.filter((l) => l.level === 'error');
  return { ...r, logs, details, error: errors.at(-1)?.msg };
}

function parseLine(line: string): LogLine | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as LogLine;
  } catch {
    return undefined;
  }
}

/** The tuning every sync of the suite uses: small pages, short timeouts, few attempts, short waits. */
export const FAST_FLAGS: readonly string[] = [
  '--page-size',
  '7',
  '--request-timeout-seconds',
  '2',
  '--max-attempts',
  '5',
  '--max-retry-wait-seconds',
  '6',
];

/** Arguments and environment of a sync of `sim` into `file` as the suite's user. */
export function syncSetup(
  baseUrl: string,
  d: { file: string; tmp: string },
  extra: readonly string[] = [],
): { args: string[]; env: Record<string, string> } {
  return {
    args: ['--file', d.file, '--c1z-temp-dir', d.tmp, '--output', 'json', ...FAST_FLAGS, ...extra],
    env: { BATON_BASE_URL: baseUrl, BATON_USERNAME: REL_USER, BATON_PASSWORD: REL_PASSWORD },
  };
}

/** A finished sync of `sim` into scratch dirs named `previous`: the good file later runs must not damage. */
export async function syncPrevious(
  sim: XmattersSimulator,
  scratch: Scratch,
  extra: readonly string[] = [],
): Promise<string> {
  const d = scratch.dirs('previous');
  const { args, env } = syncSetup(sim.baseUrl, d, extra);
  const run = await runRel(args, { cwd: d.out, env, scan: [d.out, d.tmp] });
  assert.equal(run.code, 0, run.stderr);
  return d.file;
}

/** Faults the simulator injected so far, all kinds together. */
export function faultsInjected(sim: XmattersSimulator): number {
  return Object.values(sim.stats().faults).reduce((a, b) => a + b, 0);
}

/** Per-test figures for the closing report, printed as a TAP diagnostic (`# reliability {...}`). */
export function note(
  t: TestContext,
  figures: { faults?: number; badInputs?: number; runs?: number; [key: string]: unknown },
): void {
  t.diagnostic(`reliability ${JSON.stringify(figures)}`);
}

/** The figures of the whole file: simulator requests, non-GET requests and what the secret scanner read. */
export function fileFigures(): string {
  return `reliability-file ${JSON.stringify({ ...readOnlyTally, scanned: { ...scanTally } })}`;
}

export interface RelFile {
  /** The file's scratch root (created at once). */
  readonly scratch: Scratch;
  /** The file's simulator, serving a copy of the tenant (set by the file's `before` hook). */
  readonly sim: XmattersSimulator;
  /** A finished sync of that simulator (when `previous` was asked for): the good file runs must not damage. */
  readonly previous: string;
  /** Fresh directories whose sync.c1z is a copy of `previous`, with that copy's hash. */
  withPrevious: (name: string) => { out: string; tmp: string; file: string; hash: string };
}

export interface RelFileOptions {
  /** Start a simulator serving a copy of this tenant before the file's tests. */
  tenant?: Tenant;
  simulator?: SimulatorOptions;
  /** Then sync it once into `previous` (`true`, or the extra flags of that sync). */
  previous?: true | readonly string[];
}

/**
 * The hooks every reliability file shares: a scratch root, optionally a simulator and a previous sync
 * made before the tests; after them, the simulators are stopped (and checked for non-GET requests) and
 * the scratch root removed. Register any other `after` hook that must run before that removal first.
 */
export function relFile(name: string, opts: RelFileOptions = {}): RelFile {
  const scratch = new Scratch(name);
  let sim: XmattersSimulator | undefined;
  let previous: string | undefined;
  const { tenant } = opts;
  if (tenant !== undefined) {
    before(async () => {
      sim = await startRelSim(structuredClone(tenant), opts.simulator);
      if (opts.previous === true) previous = await syncPrevious(sim, scratch);
      else if (opts.previous !== undefined) previous = await syncPrevious(sim, scratch, opts.previous);
    });
  }
  after(async () => {
    await stopRelSims();
    scratch.remove();
  });
  const file: RelFile = {
    scratch,
    get sim() {
      assert.ok(sim, 'relFile: the simulator starts in the before hook (pass a tenant)');
      return sim;
    },
    get previous() {
      assert.ok(previous, 'relFile: no previous sync (pass `previous`)');
      return previous;
    },
    withPrevious: (dirName) => scratch.dirsWithCopy(dirName, file.previous),
  };
  return file;
}
