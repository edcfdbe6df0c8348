// Benchmark: write N grants (each embedding its full group resource) plus matching users and groups
// into a new c1z, end to end including compression. Usage: npm run bench:c1z [N] (default 500000). Then, in the same
// run, a bare better-sqlite3 loop inserts the same grant rows into the same schema with the same pragmas (the
// baseline: what SQLite alone costs), and the writer's throughput is printed as a ratio of it.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { C1zStore } from '../src/baton/c1z/index.js';
import { GrantEncoder } from '../src/baton/c1z/grant-encoder.js';
import { grantRow } from '../src/baton/c1z/grant-row.js';
import { applySchema, DEFERRABLE_GRANT_INDEXES } from '../src/baton/c1z/schema.js';
import { openWorkingDb } from '../src/baton/c1z/working-db.js';
import { ResourceType_Trait } from '../src/baton/gen/c1/connector/v2/resource_pb.js';
import { toBinary } from '@bufbuild/protobuf';
import { GrantSchema } from '../src/baton/gen/c1/connector/v2/grant_pb.js';
import type { Grant } from '../src/baton/gen/c1/connector/v2/grant_pb.js';
import { ResourceSchema } from '../src/baton/gen/c1/connector/v2/resource_pb.js';
import type { Resource } from '../src/baton/gen/c1/connector/v2/resource_pb.js';
import { SkipEntitlementsAndGrantsSchema } from '../src/baton/gen/c1/connector/v2/annotation_resource_tree_pb.js';
import {
  newAssignmentEntitlement,
  newGrant,
  newGroupResource,
  newResourceId,
  newResourceType,
  newUserResource,
  packAnnotation,
} from '../src/baton/model/index.js';

const args = process.argv.slice(2);
const grants = Number(args.find((a) => !a.startsWith('--')) ?? 500_000);
const users = Math.max(1, Math.ceil(grants / 10));
const groups = Math.max(1, Math.ceil(grants / 250));
const perGroup = Math.ceil(grants / groups);
// The sync engine's WriteBuffer hands the store 5,000 rows per put.
const BATCH = 5_000;

const userType = newResourceType('User', [ResourceType_Trait.USER], {
  annotations: [packAnnotation(SkipEntitlementsAndGrantsSchema, {})],
});
const groupType = newResourceType('Group', [ResourceType_Trait.GROUP]);

const userId = (i: number) => `4f6e1c2a-${String(i).padStart(8, '0')}-4b7e-9a51-0c2d3e4f5a6b`;
const groupId = (i: number) => `9b1d5e7f-${String(i).padStart(8, '0')}-4c8d-8e2f-1a3b5c7d9e0f`;

function user(i: number): Resource {
  return newUserResource(
    `User ${i}`,
    userType,
    userId(i),
    {
      emails: [{ address: `user${i}@example.com`, primary: true }],
      login: `user${i}`,
      profile: { firstName: 'User', lastName: String(i), language: 'en', timezone: 'Europe/Berlin' },
    },
    { description: 'xMatters person' },
  );
}

function group(i: number): Resource {
  return newGroupResource(
    `On-call group ${i}`,
    groupType,
    groupId(i),
    { profile: { groupType: 'ON_CALL', site: 'Default Site' } },
    { description: `Escalation group ${i}` },
  );
}

/** The grants of the benchmark in the order the store gets them: group by group, users round-robin. */
function* benchGrants(groupResources: readonly Resource[]): Generator<Grant> {
  let written = 0;
  for (let g = 0; g < groups && written < grants; g++) {
    const resource = groupResources[g]!;
    for (let j = 0; j < perGroup && written < grants; j++, written++) {
      const u = (g * perGroup + j) % users;
      yield newGrant(resource, 'member', newResourceId(userType, userId(u)));
    }
  }
}

/**
 * The baseline: the same grant rows (built and encoded the same way) inserted by a plain loop on one
 * better-sqlite3 connection with the working database's pragmas and schema, one transaction per BATCH rows,
 * the plain indexes built after the load as the store does. Returns the milliseconds of build + insert + index.
 */
function bareLoop(path: string, groupResources: readonly Resource[]): { insertMs: number; indexMs: number } {
  const db = openWorkingDb(path, { cacheMiB: 16, fresh: true });
  applySchema(db);
  for (const ix of DEFERRABLE_GRANT_INDEXES) db.exec(`DROP INDEX IF EXISTS ${ix.name}`);
  const insert = db.prepare(
    `INSERT INTO v1_grants (resource_type_id, resource_id, entitlement_id, principal_resource_type_id,
       principal_resource_id, external_id, expansion, needs_expansion, data, sync_id, discovered_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (external_id, sync_id) DO UPDATE SET
       data = excluded.data, expansion = excluded.expansion, needs_expansion = excluded.needs_expansion`,
  );
  const encoder = new GrantEncoder();
  const at = '2026-01-01 00:00:00.000000000+0000 UTC';
  const t0 = performance.now();
  let batch: Grant[] = [];
  const write = db.transaction((items: readonly Grant[]) => {
    for (const g of items) {
      const r = grantRow(g, encoder);
      insert.run(
        r.resourceTypeId,
        r.resourceId,
        r.entitlementId,
        r.principalResourceTypeId,
        r.principalResourceId,
        r.externalId,
        r.expansion,
        r.needsExpansion,
        r.data,
        'bare-sync',
        at,
      );
    }
  });
  for (const g of benchGrants(groupResources)) {
    batch.push(g);
    if (batch.length === BATCH) {
      write(batch);
      batch = [];
    }
  }
  write(batch);
  const t1 = performance.now();
  db.transaction(() => {
    for (const ix of DEFERRABLE_GRANT_INDEXES) db.exec(ix.sql);
  })();
  const t2 = performance.now();
  db.close();
  return { insertMs: t1 - t0, indexMs: t2 - t1 };
}

const dir = mkdtempSync(join(tmpdir(), 'baton-bench-'));
const file = join(dir, 'sync.c1z');
try {
  const t0 = performance.now();
  const store = await C1zStore.open(file, { tmpDir: dir });
  store.startSync('full');
  store.putResourceTypes([userType, groupType]);
  for (let i = 0; i < users; i += BATCH) {
    store.putResources(Array.from({ length: Math.min(BATCH, users - i) }, (_, k) => user(i + k)));
  }
  const groupResources = Array.from({ length: groups }, (_, g) => group(g));
  store.putResources(groupResources);
  store.putEntitlements(
    groupResources.map((g) => newAssignmentEntitlement(g, 'member', { grantableTo: [userType] })),
  );
  const sampleGroupBytes = toBinary(ResourceSchema, groupResources[0]!).length;
  const sampleGrantBytes = toBinary(
    GrantSchema,
    newGrant(groupResources[0]!, 'member', newResourceId(userType, userId(0))),
  ).length;
  const tGrants = performance.now();
  let batch: Grant[] = [];
  for (const g of benchGrants(groupResources)) {
    batch.push(g);
    if (batch.length === BATCH) {
      store.putGrants(batch);
      await store.whenWritable();
      batch = [];
    }
  }
  store.putGrants(batch);
  await store.flush(); // the write worker's last commit
  const tGrantsEnd = performance.now();
  const rssPuts = process.memoryUsage().rss;
  store.markSupportsDiff();
  store.checkpoint('{"current_action_id":14,"completed_actions_count":14,"ingest_quality":{},"version":1}');
  await store.cleanup();
  const tEnd = performance.now();
  const maxRssPuts = process.resourceUsage().maxRSS;
  await store.endSync();
  const maxRssEnd = process.resourceUsage().maxRSS;
  const tClose = performance.now();
  const result = await store.close();
  const t1 = performance.now();
  const bare = bareLoop(join(dir, 'bare.db'), groupResources);

  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const rate = (ms: number) => `${Math.round((grants * 1000) / ms).toLocaleString('en')} grant rows/s`;
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  const grantPath = tGrantsEnd - tGrants + (tClose - tEnd) + (t1 - tClose);
  console.log(`c1z/${grants}-grants (written by the write worker)`);
  console.log(`  rows: ${grants} grants, ${users} users, ${groups} groups, ${groups} entitlements`);
  console.log(
    `  grant data: ${sampleGrantBytes} bytes each (embedded group resource ${sampleGroupBytes} bytes)`,
  );
  console.log(`  end to end (open .. close): ${s(t1 - t0)} = ${rate(t1 - t0)}`);
  console.log(
    `  grant path (grant puts + index rebuild + compression): ${s(grantPath)} = ${rate(grantPath)}`,
  );
  console.log(`    users, groups, entitlements: ${s(tGrants - t0)}`);
  console.log(`    grant puts: ${s(tGrantsEnd - tGrants)} = ${rate(tGrantsEnd - tGrants)}`);
  console.log(`    endSync (index rebuild + stats): ${s(tClose - tEnd)}`);
  console.log(`    close (compress + fsync + rename): ${s(t1 - tClose)}`);
  console.log(
    `  database: ${mib(result.decompressedBytes)}, c1z: ${mib(result.compressedBytes)} (${statSync(file).size} bytes)`,
  );
  console.log(`  RSS after grant puts: ${(rssPuts / 1024 / 1024).toFixed(0)} MB`);
  const ours = tGrantsEnd - tGrants + (tClose - tEnd);
  const bareMs = bare.insertMs + bare.indexMs;
  console.log(
    `  bare better-sqlite3 loop (same rows, schema, pragmas; build + insert + index): ${s(bareMs)} = ${rate(bareMs)} ` +
      `(insert ${s(bare.insertMs)}, index ${s(bare.indexMs)})`,
  );
  console.log(
    `  writer (grant puts + index rebuild): ${s(ours)} = ${rate(ours)}; ` +
      `writer / bare loop throughput: ${(bareMs / ours).toFixed(2)}x (target >= 0.80x)`,
  );
  const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
  console.log(
    `  peak RSS (maxRSS): ${mb(process.resourceUsage().maxRSS)} ` +
      `(${mb(maxRssPuts)} through the puts, ${mb(maxRssEnd)} through endSync)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
