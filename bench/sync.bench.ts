// Benchmark: a full sync of a generated tenant by the built CLI (a child process) against the simulator (another
// child process, so its CPU does not come out of the connector's share), with the default 5 requests in flight
// and again with 1 (the sequential strategy of baton-sdk's default).
//
// A plain client that only downloads and JSON-parses the same pages with the same requests in flight runs
// against the same simulator right after, as the baseline of what the network and JSON cost.
//
// Usage: npm run bench [small|medium|large|local|all] [--no-sequential] [--cpu-prof DIR]
// Prints one table per profile and, last, one JSON line per profile.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_CREDENTIALS, generateTenant } from '../src/simulator/index.js';
import { int, markdownTable, mb, ratio, seconds } from './support/format.js';
import { minimumRequests, tenantSize, type TenantSize } from './support/minimum-requests.js';
import { pagePaths, runPlainClient, type PlainRunResult } from './support/plain-client.js';
import { PROFILES, type BenchProfile } from './support/profiles.js';
import { runSync, type SyncRunResult } from './support/run-sync.js';
import { SimProcess } from './support/sim-process.js';

const CLI = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const TARGETS = {
  requestsOverMinimum: 1.01,
  largeWallOverFloor: 1.2,
  mediumWallOverFloor: 1.2,
  largeMeanInFlight: 4.75,
  localWallOverPlain: 2,
  largeSpeedup: 4,
  localWallMs: 30_000,
  largePeakRssBytes: 300 * 1024 * 1024,
};

interface Measured {
  maxInFlight: number;
  run: SyncRunResult;
  requests: number;
  serviceTimeMs: number;
  simMaxConcurrency: number;
  /** The simulator's time-weighted mean of requests in flight, first arrival to last answer. */
  simMeanInFlight: number;
  status429: number;
}

interface ProfileReport {
  profile: string;
  tenant: TenantSize;
  latency_ms: number;
  per_item_latency_ms: number;
  max_in_flight: number;
  requests: number;
  min_requests: number;
  requests_over_min: number;
  service_time_ms: number;
  wall_ms: number;
  sync_wall_ms: number;
  floor_ms: number;
  wall_over_floor: number;
  sequential: { requests: number; service_time_ms: number; wall_ms: number } | null;
  speedup: number | null;
  peak_rss_bytes: number;
  c1z_bytes: number;
  grants: number;
  grants_per_s: number;
  sim_max_concurrency: number;
  sim_mean_in_flight: number;
  /** The plain client (download and JSON.parse only) on the same pages with the same requests in flight. */
  plain: { requests: number; wall_ms: number; mean_in_flight: number };
  wall_over_plain: number;
  /** Other processes on the machine distort the figures: the 1-minute load average around the runs. */
  load_avg_before: number;
  load_avg_after: number;
  targets: Record<string, boolean>;
}

function parseArgs(argv: readonly string[]): {
  profiles: BenchProfile[];
  sequential: boolean;
  cpuProf?: string;
} {
  const names: string[] = [];
  let sequential = true;
  let cpuProf: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--no-sequential') sequential = false;
    else if (a === '--cpu-prof') cpuProf = argv[++i];
    else names.push(a);
  }
  if (names.length === 0) names.push('small');
  const list = names.flatMap((n) => (n === 'all' ? Object.keys(PROFILES) : [n]));
  const profiles = list.map((n) => {
    const p = PROFILES[n];
    if (p === undefined)
      throw new Error(`unknown profile ${n}; use ${Object.keys(PROFILES).join(', ')} or all`);
    return p;
  });
  return { profiles, sequential, ...(cpuProf === undefined ? {} : { cpuProf }) };
}

async function measure(
  sim: SimProcess,
  profile: BenchProfile,
  dir: string,
  maxInFlight: number,
  cpuProfDir: string | undefined,
): Promise<Measured> {
  const file = join(dir, `sync-${maxInFlight}.c1z`);
  await sim.reset();
  const cred = GENERATED_CREDENTIALS[0]!;
  const run = await runSync({
    cli: CLI,
    baseUrl: sim.baseUrl,
    username: cred.username,
    password: cred.password,
    file,
    tmpDir: dir,
    maxInFlight,
    cpuProfDir,
  });
  const s = await sim.stats();
  if (statSync(file).size !== run.details.file_bytes)
    throw new Error('the c1z size differs from the reported one');
  rmSync(file);
  return {
    maxInFlight,
    run,
    requests: s.requests,
    serviceTimeMs: s.serviceTimeMs,
    simMaxConcurrency: s.maxConcurrency,
    simMeanInFlight: s.meanInFlight,
    status429: s.byStatus['429'] ?? 0,
  };
}

async function benchProfile(
  profile: BenchProfile,
  sequential: boolean,
  cpuProf: string | undefined,
): Promise<ProfileReport> {
  const tenant = generateTenant({ seed: profile.seed, people: profile.people, groups: profile.groups });
  const size = tenantSize(tenant);
  const minRequests = minimumRequests(tenant);
  const sim = await SimProcess.start(CLI, profile);
  const dir = mkdtempSync(join(tmpdir(), `bench-sync-${profile.name}-`));
  try {
    const loadBefore = loadavg()[0]!;
    process.stderr.write(`sync/${profile.name}: ${profile.maxInFlight} in flight...\n`);
    const par = await measure(sim, profile, dir, profile.maxInFlight, cpuProf);
    let seq: Measured | undefined;
    if (sequential) {
      process.stderr.write(`sync/${profile.name}: 1 in flight (sequential; slow)...\n`);
      seq = await measure(sim, profile, dir, 1, undefined);
    }
    process.stderr.write(`sync/${profile.name}: plain client, ${profile.maxInFlight} in flight...\n`);
    await sim.reset();
    const cred = GENERATED_CREDENTIALS[0]!;
    const plain = await runPlainClient({
      origin: sim.origin,
      username: cred.username,
      password: cred.password,
      paths: pagePaths(tenant),
      maxInFlight: profile.maxInFlight,
    });
    const plainStats = await sim.stats();
    return report(
      profile,
      size,
      minRequests,
      par,
      seq,
      { ...plain, meanInFlight: plainStats.meanInFlight },
      loadBefore,
    );
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(
  profile: BenchProfile,
  tenant: TenantSize,
  minRequests: number,
  par: Measured,
  seq: Measured | undefined,
  plain: PlainRunResult & { meanInFlight: number },
  loadBefore: number,
): ProfileReport {
  const d = par.run.details;
  const floorMs = par.serviceTimeMs / par.maxInFlight;
  const wallOverFloor = par.run.wallMs / floorMs;
  const speedup = seq === undefined ? null : seq.run.wallMs / par.run.wallMs;
  const requestsOverMin = par.requests / minRequests;
  const wallOverPlain = par.run.wallMs / plain.wallMs;
  const targets: Record<string, boolean> = {
    requests_within_1pct: requestsOverMin <= TARGETS.requestsOverMinimum,
  };
  if (seq !== undefined)
    targets.sequential_requests_within_1pct = seq.requests / minRequests <= TARGETS.requestsOverMinimum;
  if (profile.name === 'large') {
    targets.wall_within_1_2x_floor = wallOverFloor <= TARGETS.largeWallOverFloor;
    if (speedup !== null) targets.speedup_at_least_4x = speedup >= TARGETS.largeSpeedup;
    targets.peak_rss_at_most_300mb = d.peak_rss_bytes <= TARGETS.largePeakRssBytes;
    targets.mean_in_flight_at_least_4_75 = par.simMeanInFlight >= TARGETS.largeMeanInFlight;
  }
  if (profile.name === 'medium')
    targets.wall_within_1_2x_floor = wallOverFloor <= TARGETS.mediumWallOverFloor;
  if (profile.name === 'local') {
    targets.wall_at_most_30s = par.run.wallMs <= TARGETS.localWallMs;
    targets.wall_within_2x_plain = wallOverPlain <= TARGETS.localWallOverPlain;
    targets.peak_rss_at_most_300mb = d.peak_rss_bytes <= TARGETS.largePeakRssBytes;
  }
  return {
    profile: profile.name,
    tenant,
    latency_ms: profile.latencyMs,
    per_item_latency_ms: profile.perItemLatencyMs,
    max_in_flight: par.maxInFlight,
    requests: par.requests,
    min_requests: minRequests,
    requests_over_min: requestsOverMin,
    service_time_ms: Math.round(par.serviceTimeMs),
    wall_ms: Math.round(par.run.wallMs),
    sync_wall_ms: d.wall_ms,
    floor_ms: Math.round(floorMs),
    wall_over_floor: wallOverFloor,
    sequential:
      seq === undefined
        ? null
        : {
            requests: seq.requests,
            service_time_ms: Math.round(seq.serviceTimeMs),
            wall_ms: Math.round(seq.run.wallMs),
          },
    speedup,
    peak_rss_bytes: d.peak_rss_bytes,
    c1z_bytes: d.file_bytes,
    grants: d.grants,
    grants_per_s: Math.round((d.grants * 1000) / par.run.wallMs),
    sim_max_concurrency: par.simMaxConcurrency,
    sim_mean_in_flight: Math.round(par.simMeanInFlight * 100) / 100,
    plain: {
      requests: plain.requests,
      wall_ms: Math.round(plain.wallMs),
      mean_in_flight: Math.round(plain.meanInFlight * 100) / 100,
    },
    wall_over_plain: wallOverPlain,
    load_avg_before: Math.round(loadBefore * 100) / 100,
    load_avg_after: Math.round(loadavg()[0]! * 100) / 100,
    targets,
  };
}

/** One Markdown table: a row per figure, a column per profile. */
function table(reports: readonly ProfileReport[]): string {
  const row = (label: string, cell: (r: ProfileReport) => string): string[] => [label, ...reports.map(cell)];
  const rows: string[][] = [
    row(
      'people / groups / memberships',
      (r) => `${int(r.tenant.people)} / ${int(r.tenant.groups)} / ${int(r.tenant.memberships)}`,
    ),
    row('latency per request + per item', (r) => `${r.latency_ms} ms + ${r.per_item_latency_ms} ms`),
    row('requests made', (r) => int(r.requests)),
    row(
      'minimum possible requests',
      (r) => `${int(r.min_requests)} (made ${ratio(r.requests_over_min, 4)}x)`,
    ),
    row('simulator service time', (r) => seconds(r.service_time_ms)),
    row('floor (service time / max in flight)', (r) => `${seconds(r.floor_ms)} (/ ${r.max_in_flight})`),
    row('wall time (whole process)', (r) => seconds(r.wall_ms)),
    row('wall / floor', (r) => ratio(r.wall_over_floor)),
    row('sequential (max in flight 1) wall', (r) =>
      r.sequential === null ? 'not run' : seconds(r.sequential.wall_ms),
    ),
    row('speed-up over sequential', (r) => (r.speedup === null ? 'not run' : `${ratio(r.speedup, 1)}x`)),
    row('peak RSS of the connector', (r) => mb(r.peak_rss_bytes)),
    row('c1z size', (r) => mb(r.c1z_bytes)),
    row('grants written', (r) => int(r.grants)),
    row('grants per second of wall', (r) => int(r.grants_per_s)),
    row('most requests in flight (simulator)', (r) => String(r.sim_max_concurrency)),
    row('mean requests in flight (simulator)', (r) => `${ratio(r.sim_mean_in_flight)} of ${r.max_in_flight}`),
    row(
      'plain client wall (download + JSON.parse)',
      (r) => `${seconds(r.plain.wall_ms)} (${ratio(r.plain.mean_in_flight)} in flight)`,
    ),
    row('wall / plain client', (r) => ratio(r.wall_over_plain)),
    row('load average (1 min) before / after', (r) => `${r.load_avg_before} / ${r.load_avg_after}`),
  ];
  const misses = reports.flatMap((r) =>
    Object.entries(r.targets).map(([k, ok]) => `${r.profile}: ${k} ${ok ? 'met' : 'MISSED'}`),
  );
  return `${markdownTable(['sync', ...reports.map((r) => r.profile)], rows)}

targets: ${misses.join('; ')}
`;
}

const { profiles, sequential, cpuProf } = parseArgs(process.argv.slice(2));
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
const reports: ProfileReport[] = [];
for (const p of profiles) reports.push(await benchProfile(p, sequential, cpuProf));
process.stdout.write(`${table(reports)}\n`);
process.stdout.write(`${JSON.stringify(reports.length === 1 ? reports[0] : { profiles: reports })}\n`);
