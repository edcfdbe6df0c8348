import { readFile } from 'node:fs/promises';
import { XmattersError, XmattersErrorCode } from '../xmatters/errors.js';
import type { SimFaults } from './faults.js';
import { generateTenant } from './generate-tenant.js';
import { sampleTenant } from './sample-tenant.js';
import { XmattersSimulator } from './simulator.js';
import type { Tenant } from './tenant.js';
import { loadTenantFile } from './tenant-file.js';

export interface SimulatorCommandOptions {
  /** A tenant JSON file (src/simulator/README.md); exclusive with people/groups. */
  tenantFile?: string | undefined;
  /** Generate a tenant of this many people / groups instead of the built-in sample. */
  people?: number | undefined;
  groups?: number | undefined;
  seed?: number | undefined;
  /** Default 0: any free port (printed). */
  port?: number | undefined;
  latencyMs?: number | undefined;
  perItemLatencyMs?: number | undefined;
  /** Requests in flight above this are answered 429. */
  maxConcurrency?: number | undefined;
  /** Token-bucket rate limit in requests per second, answered 429 with Retry-After. */
  rateLimit?: number | undefined;
  /** Share (0–1) of requests answered with a random 500/502/503/504. */
  errorRate?: number | undefined;
  /** A JSON file of SimFaults, applied before the flags above. */
  faultsFile?: string | undefined;
  /** Most supervisors a group carries under `embed=supervisors`. */
  supervisorEmbedLimit?: number | undefined;
  /** Answer GET /roles with 403. */
  rolesForbidden?: boolean | undefined;
  stdout: { write(chunk: string): unknown };
  /** Runs until this aborts (the CLI aborts it on SIGINT/SIGTERM). */
  signal: AbortSignal;
  /** Called once listening; for tests and embedding. */
  onReady?: (sim: XmattersSimulator) => void;
}

const config = (message: string): XmattersError => new XmattersError(XmattersErrorCode.CONFIG, message);

function checkInt(name: string, v: number | undefined, min: number, max: number): void {
  if (v !== undefined && (!Number.isInteger(v) || v < min || v > max)) {
    throw config(`--${name} must be an integer from ${min} to ${max} (got ${v}).`);
  }
}

async function buildFaults(opts: SimulatorCommandOptions): Promise<SimFaults> {
  let faults: SimFaults = {};
  if (opts.faultsFile !== undefined) {
    try {
      faults = JSON.parse(await readFile(opts.faultsFile, 'utf8')) as SimFaults;
    } catch (cause) {
      throw new XmattersError(
        XmattersErrorCode.CONFIG,
        `Cannot read the faults file ${opts.faultsFile}: ${(cause as Error).message}`,
        { cause },
      );
    }
  }
  if (opts.latencyMs !== undefined) faults.latencyMs = opts.latencyMs;
  if (opts.perItemLatencyMs !== undefined) faults.perItemLatencyMs = opts.perItemLatencyMs;
  if (opts.maxConcurrency !== undefined) faults.concurrencyLimit = { max: opts.maxConcurrency };
  if (opts.rateLimit !== undefined) faults.rateLimit = { perSecond: opts.rateLimit, retryAfter: true };
  if (opts.errorRate !== undefined && opts.errorRate > 0) {
    faults.rules = [
      ...(faults.rules ?? []),
      {
        name: 'random-5xx',
        probability: opts.errorRate,
        action: { type: 'status', status: [500, 502, 503, 504] },
      },
    ];
  }
  if (opts.seed !== undefined) faults.seed ??= opts.seed;
  return faults;
}

async function buildTenant(opts: SimulatorCommandOptions): Promise<{ tenant: Tenant; label: string }> {
  const generated = opts.people !== undefined || opts.groups !== undefined;
  if (opts.tenantFile !== undefined && generated) {
    throw config('Use either --tenant FILE or --people/--groups, not both.');
  }
  if (opts.tenantFile !== undefined)
    return { tenant: await loadTenantFile(opts.tenantFile), label: opts.tenantFile };
  if (generated) {
    const tenant = generateTenant({
      seed: opts.seed ?? 1,
      people: opts.people ?? 1000,
      groups: opts.groups ?? 100,
    });
    return { tenant, label: `generated, seed ${opts.seed ?? 1}` };
  }
  return { tenant: sampleTenant(), label: 'built-in sample' };
}

/**
 * `baton-xmatters simulator`: serves a tenant on 127.0.0.1 until `signal` aborts, printing the base URL and
 * the tenant's own credentials (a local test server: printing its demo credentials is intended).
 */
export async function runSimulatorCommand(opts: SimulatorCommandOptions): Promise<void> {
  checkInt('port', opts.port, 0, 65535);
  checkInt('people', opts.people, 0, 10_000_000);
  checkInt('groups', opts.groups, 0, 1_000_000);
  checkInt('max-concurrency', opts.maxConcurrency, 1, 10_000);
  checkInt('supervisor-embed-limit', opts.supervisorEmbedLimit, 0, 1_000_000);
  if (opts.errorRate !== undefined && !(opts.errorRate >= 0 && opts.errorRate <= 1)) {
    throw config(`--error-rate must be between 0 and 1 (got ${opts.errorRate}).`);
  }
  for (const [name, v] of [
    ['latency-ms', opts.latencyMs],
    ['per-item-latency-ms', opts.perItemLatencyMs],
    ['rate-limit', opts.rateLimit],
  ] as const) {
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && Number.isFinite(v)))
      throw config(`--${name} must be a number ≥ 0 (got ${v}).`);
  }
  const { tenant, label } = await buildTenant(opts);
  const faults = await buildFaults(opts);
  let sim: XmattersSimulator;
  try {
    sim = await XmattersSimulator.start({
      tenant,
      faults,
      ...(opts.port === undefined ? {} : { port: opts.port }),
      ...(opts.supervisorEmbedLimit === undefined ? {} : { supervisorEmbedLimit: opts.supervisorEmbedLimit }),
      ...(opts.rolesForbidden === true ? { rolesForbidden: true } : {}),
    });
  } catch (cause) {
    if (cause instanceof XmattersError) throw cause;
    throw new XmattersError(
      XmattersErrorCode.CONFIG,
      `Cannot start the simulator: ${(cause as Error).message}`,
      { cause },
    );
  }
  try {
    const counts = sim.store.counts();
    const main = tenant.credentials.find((c) => c.forbidden === undefined || c.forbidden.length === 0);
    const apiKey = tenant.credentials.find(
      (c) => c !== main && c.username.startsWith('x-api-key-') && (c.forbidden ?? []).length === 0,
    );
    const lines = [
      'xMatters simulator listening (loopback only)',
      `  base URL:   ${sim.baseUrl}`,
      main === undefined
        ? '  (the tenant has no usable credentials: every request will get 401)'
        : `  user name:  ${main.username}\n  password:   ${main.password}`,
      ...(apiKey === undefined ? [] : [`  API key:    ${apiKey.username}\n  API secret: ${apiKey.password}`]),
      `  tenant:     ${label}: ${counts.people} people, ${counts.groups} groups, ${counts.memberships} memberships`,
      `  admin:      ${sim.origin}/_sim/stats`,
      'Press Ctrl+C to stop.',
    ];
    opts.stdout.write(`${lines.join('\n')}\n`);
    opts.onReady?.(sim);
    if (!opts.signal.aborted) {
      await new Promise<void>((resolve) =>
        opts.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
    }
  } finally {
    await sim.close();
  }
  const s = sim.stats();
  opts.stdout.write(`simulator stopped after ${s.requests} API requests (${s.nonGetRequests} non-GET)\n`);
}
