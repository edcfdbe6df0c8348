// Benchmark: grant expansion on the large tenant (100k people, 10k groups) with nesting: the generator's
// random nested groups plus a chain through its ten largest groups (about 10k members each), so each level of
// the chain passes on every member below it. The built CLI syncs it from the simulator without latency,
// once with --expand-nested-groups and once without, and the table compares the two runs.
//
// Usage: npm run bench:expand [--people N] [--groups N] [--chain N]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_CREDENTIALS, generateTenant, XmattersSimulator } from '../src/simulator/index.js';
import { encodeMemberRef } from '../src/simulator/member-ref.js';
import { int, markdownTable, mb, seconds } from './support/format.js';
import { runSync, type SyncRunResult } from './support/run-sync.js';
import { CLIENT_DEFAULTS } from '../src/xmatters/index.js';

const CLI = fileURLToPath(new URL('../dist/main.js', import.meta.url));
/** The memory target of the performance work (README Performance): peak RSS on the large tenant. */
const PEAK_RSS_TARGET = 300 * 1024 * 1024;

/** The fields of `--output json` read here (src/connector/run-xmatters-sync.ts xmattersFigures, src/baton/cli/sync-report.ts syncReportJson). */
interface Details {
  grants: number;
  nested_group_grants: number;
  derived_grants: number;
  direct_grants_also_derived: number;
  expansion_ms: number;
  peak_rss_bytes: number;
  file_bytes: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

/** One sync of the simulator's tenant by the built CLI, with or without expansion, into its own file. */
function syncOnce(baseUrl: string, dir: string, expand: boolean): Promise<SyncRunResult<Details>> {
  const cred = GENERATED_CREDENTIALS[0]!;
  return runSync<Details>({
    cli: CLI,
    baseUrl,
    username: cred.username,
    password: cred.password,
    file: join(dir, `sync-${expand}.c1z`),
    tmpDir: dir,
    maxInFlight: CLIENT_DEFAULTS.maxInFlight,
    extraArgs: expand ? ['--expand-nested-groups'] : [],
  });
}

async function main(): Promise<void> {
  const people = arg('--people', 100_000);
  const groupCount = arg('--groups', 10_000);
  const chainLength = arg('--chain', 10);
  const tenant = generateTenant({ seed: 1, people, groups: groupCount });
  // The chain: largest group inside the second largest, and so on.
  const largest = tenant.groups
    .map((g, i) => ({ i, n: g.members.length }))
    .sort((a, b) => b.n - a.n)
    .slice(0, chainLength)
    .map((x) => x.i);
  for (let k = 0; k + 1 < largest.length; k++) {
    tenant.groups[largest[k + 1]!]!.members.push(encodeMemberRef('GROUP', largest[k]!));
  }
  const chainMembers = largest.map((i) => tenant.groups[i]!.members.length);
  const sim = await XmattersSimulator.start({ tenant });
  const dir = mkdtempSync(join(tmpdir(), 'bench-expand-'));
  try {
    const loadBefore = loadavg()[0]!;
    const flat = await syncOnce(sim.baseUrl, dir, false);
    const expanded = await syncOnce(sim.baseUrl, dir, true);
    const loadAfter = loadavg()[0]!;
    const e = expanded.details;
    const rows: [string, string, string][] = [
      ['grants in the file', int(flat.details.grants), int(e.grants)],
      ['nested-group grants', '—', int(e.nested_group_grants)],
      ['derived grants', '—', int(e.derived_grants)],
      ['direct grants also derived', '—', int(e.direct_grants_also_derived)],
      ['expansion time', '—', seconds(e.expansion_ms)],
      ['derived grants per second', '—', int(e.derived_grants / Math.max(e.expansion_ms / 1000, 0.001))],
      ['wall time (whole process)', seconds(flat.wallMs), seconds(expanded.wallMs)],
      ['peak RSS of the connector', mb(flat.details.peak_rss_bytes), mb(e.peak_rss_bytes)],
      ['c1z size', mb(flat.details.file_bytes), mb(e.file_bytes)],
    ];
    console.log(
      `Tenant: ${int(people)} people, ${int(groupCount)} groups; chain of ${largest.length} groups ` +
        `(${chainMembers.map(int).join(' / ')} roster entries); load average ${loadBefore.toFixed(2)} / ${loadAfter.toFixed(2)}\n`,
    );
    console.log(markdownTable(['sync', 'without the flag', '--expand-nested-groups'], rows));
    console.log(
      JSON.stringify({
        people,
        groups: groupCount,
        chain: chainMembers,
        flat: { wall_ms: Math.round(flat.wallMs), ...flat.details },
        expanded: { wall_ms: Math.round(expanded.wallMs), ...e },
        peak_rss_within_target: e.peak_rss_bytes <= PEAK_RSS_TARGET,
        load_avg_before: loadBefore,
        load_avg_after: loadAfter,
      }),
    );
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
