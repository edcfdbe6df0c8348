// An in-memory SyncStore for engine tests where SQLite is not the point (scheduling, ordering, checkpoints,
// resume). Rows are kept per table in first-write order (an upsert keeps a row's place, as SQLite keeps its
// rowid), so listResources() gives the order the engine relies on for its page tokens.
//
// `crashCopy()` models a process killed right after its latest checkpoint: a new store holding the runs and
// exactly the rows written up to that checkpoint, nothing after. A resume from it shows whether a checkpoint
// ever described work whose rows were written after it.
import { create } from '@bufbuild/protobuf';
import type { Entitlement } from '../../src/baton/gen/c1/connector/v2/entitlement_pb.js';
import type { Grant } from '../../src/baton/gen/c1/connector/v2/grant_pb.js';
import type { Resource, ResourceType } from '../../src/baton/gen/c1/connector/v2/resource_pb.js';
import { SyncStatsSchema, type SyncStats } from '../../src/baton/gen/c1/reader/v2/sync_pb.js';
import type { GrantExpansionStore } from '../../src/baton/c1z/grant-expansion-store.js';
import type { SyncRunInfo, SyncStore, SyncType } from '../../src/baton/sync/sync-store.js';

interface Run {
  syncId: string;
  syncType: SyncType;
  startedAt: string;
  syncToken: string;
  ended: boolean;
  supportsDiff: boolean;
}

/** One write, in call order: replayed up to a checkpoint by crashCopy(). */
type Write =
  | { table: 'resourceTypes'; syncId: string; items: ResourceType[] }
  | { table: 'resources'; syncId: string; items: Resource[] }
  | { table: 'entitlements'; syncId: string; items: Entitlement[] }
  | { table: 'grants'; syncId: string; items: Grant[] }
  | { table: 'checkpoint'; syncId: string; token: string };

interface Tables {
  resourceTypes: Map<string, ResourceType>;
  resources: Map<string, Resource>;
  entitlements: Map<string, Entitlement>;
  grants: Map<string, Grant>;
}

const emptyTables = (): Tables => ({
  resourceTypes: new Map(),
  resources: new Map(),
  entitlements: new Map(),
  grants: new Map(),
});

export class MemorySyncStore implements SyncStore {
  private readonly runs: Run[] = [];
  private readonly tables = new Map<string, Tables>();
  private readonly log: Write[] = [];
  private current: string | undefined;
  private nextId = 1;
  /** Every token checkpointed, in order (the one startSync writes first). */
  readonly tokens: string[] = [];
  /** Called by whenWritable(): a test may make the engine wait here (backpressure). */
  writable: () => Promise<void> = () => Promise.resolve();

  findResumableSync(syncType: SyncType): SyncRunInfo | undefined {
    const run = this.runs.findLast((r) => r.syncType === syncType && !r.ended);
    return run === undefined ? undefined : this.info(run);
  }

  startSync(syncType: SyncType, _parentSyncId?: string, syncToken = ''): string {
    const syncId = `sync-${this.nextId++}`;
    this.runs.push({
      syncId,
      syncType,
      startedAt: new Date(0).toISOString(),
      syncToken,
      ended: false,
      supportsDiff: false,
    });
    this.tables.set(syncId, emptyTables());
    this.current = syncId;
    this.tokens.push(syncToken);
    this.log.push({ table: 'checkpoint', syncId, token: syncToken });
    return syncId;
  }

  resumeSync(syncId: string): SyncRunInfo {
    const run = this.run(syncId);
    if (run.ended) throw new Error(`sync ${syncId} has already ended`);
    this.current = syncId;
    return this.info(run);
  }

  discardSync(syncId: string): void {
    const i = this.runs.findIndex((r) => r.syncId === syncId);
    if (i >= 0) this.runs.splice(i, 1);
    this.tables.delete(syncId);
    if (this.current === syncId) this.current = undefined;
  }

  checkpoint(syncToken: string): void {
    const syncId = this.syncId();
    this.run(syncId).syncToken = syncToken;
    this.tokens.push(syncToken);
    this.log.push({ table: 'checkpoint', syncId, token: syncToken });
  }

  putResourceTypes(items: ResourceType[]): void {
    this.write({ table: 'resourceTypes', syncId: this.syncId(), items });
  }

  putResources(items: Resource[]): void {
    this.write({ table: 'resources', syncId: this.syncId(), items });
  }

  putEntitlements(items: Entitlement[]): void {
    this.write({ table: 'entitlements', syncId: this.syncId(), items });
  }

  putGrants(items: Grant[]): void {
    this.write({ table: 'grants', syncId: this.syncId(), items });
  }

  whenWritable(): Promise<void> {
    return this.writable();
  }

  async *listResourceTypes(): AsyncIterable<ResourceType> {
    await Promise.resolve();
    yield* [...this.currentTables().resourceTypes.values()];
  }

  async *listResources(resourceTypeId?: string): AsyncIterable<Resource> {
    await Promise.resolve();
    for (const r of [...this.currentTables().resources.values()])
      if (resourceTypeId === undefined || r.id?.resourceType === resourceTypeId) yield r;
  }

  async *listEntitlementIds(): AsyncIterable<string> {
    await Promise.resolve();
    yield* [...this.currentTables().entitlements.keys()];
  }

  markSupportsDiff(): void {
    this.run(this.syncId()).supportsDiff = true;
  }

  countRows(): Promise<{ resourceTypes: number; resources: number; entitlements: number; grants: number }> {
    const t = this.currentTables();
    return Promise.resolve({
      resourceTypes: t.resourceTypes.size,
      resources: t.resources.size,
      entitlements: t.entitlements.size,
      grants: t.grants.size,
    });
  }

  /** Grant expansion works on SQLite rows: engine tests on this store run with skipExpandGrants. */
  grantExpansion(): Promise<GrantExpansionStore> {
    return Promise.reject(
      new Error('MemorySyncStore does not expand grants: run the engine with skipExpandGrants'),
    );
  }

  cleanup(): Promise<unknown> {
    return Promise.resolve([]);
  }

  endSync(): Promise<SyncStats> {
    const syncId = this.syncId();
    this.run(syncId).ended = true;
    const t = this.currentTables();
    const byType = (types: Iterable<string | undefined>): Record<string, bigint> => {
      const out: Record<string, bigint> = {};
      for (const rt of types) if (rt !== undefined) out[rt] = (out[rt] ?? 0n) + 1n;
      return out;
    };
    this.current = undefined;
    return Promise.resolve(
      create(SyncStatsSchema, {
        resourceTypes: BigInt(t.resourceTypes.size),
        resources: BigInt(t.resources.size),
        entitlements: BigInt(t.entitlements.size),
        grants: BigInt(t.grants.size),
        resourcesByResourceType: byType([...t.resources.values()].map((r) => r.id?.resourceType)),
        entitlementsByResourceType: byType(
          [...t.entitlements.values()].map((e) => e.resource?.id?.resourceType),
        ),
        grantsByResourceType: byType(
          [...t.grants.values()].map((g) => g.entitlement?.resource?.id?.resourceType),
        ),
      }),
    );
  }

  /** External ids of a table of a sync (default: the latest), in first-write order. */
  ids(table: keyof Tables, syncId = this.runs.at(-1)?.syncId): string[] {
    return syncId === undefined ? [] : [...(this.tables.get(syncId)?.[table].keys() ?? [])];
  }

  /** The run of `syncId` as the engine left it. */
  runInfo(syncId: string): SyncRunInfo & { ended: boolean; supportsDiff: boolean } {
    const run = this.run(syncId);
    return { ...this.info(run), ended: run.ended, supportsDiff: run.supportsDiff };
  }

  /**
   * A store holding what was written up to checkpoint number `checkpoint` (0 is the token startSync wrote;
   * default the latest), as a process killed right then leaves it.
   */
  crashCopy(checkpoint = this.tokens.length - 1): MemorySyncStore {
    const copy = new MemorySyncStore();
    let seen = -1;
    const last = this.log.findIndex((w) => w.table === 'checkpoint' && ++seen === checkpoint);
    for (const run of this.runs) {
      copy.runs.push({ ...run, syncToken: '', ended: false, supportsDiff: false });
      copy.tables.set(run.syncId, emptyTables());
    }
    copy.nextId = this.nextId;
    for (const w of this.log.slice(0, last + 1)) {
      if (w.table === 'checkpoint') {
        const run = copy.runs.find((r) => r.syncId === w.syncId);
        if (run !== undefined) run.syncToken = w.token;
      } else copy.apply(w);
      copy.log.push(w);
    }
    return copy;
  }

  private write(w: Exclude<Write, { table: 'checkpoint' }>): void {
    this.log.push(w);
    this.apply(w);
  }

  private apply(w: Exclude<Write, { table: 'checkpoint' }>): void {
    const t = this.tables.get(w.syncId);
    if (t === undefined) return;
    switch (w.table) {
      case 'resourceTypes':
        for (const item of w.items) t.resourceTypes.set(item.id, item);
        return;
      case 'resources':
        for (const item of w.items) t.resources.set(`${item.id!.resourceType}:${item.id!.resource}`, item);
        return;
      case 'entitlements':
        for (const item of w.items) t.entitlements.set(item.id, item);
        return;
      case 'grants':
        for (const item of w.items) t.grants.set(item.id, item);
        return;
    }
  }

  private info(run: Run): SyncRunInfo {
    return { syncId: run.syncId, startedAt: run.startedAt, syncToken: run.syncToken, syncType: run.syncType };
  }

  private run(syncId: string): Run {
    const run = this.runs.find((r) => r.syncId === syncId);
    if (run === undefined) throw new Error(`no sync ${syncId}`);
    return run;
  }

  private syncId(): string {
    if (this.current === undefined) throw new Error('no sync is being written');
    return this.current;
  }

  private currentTables(): Tables {
    return this.tables.get(this.syncId()) ?? emptyTables();
  }
}
