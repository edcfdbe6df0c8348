import type { Entitlement } from '../gen/c1/connector/v2/entitlement_pb.js';
import type { Grant } from '../gen/c1/connector/v2/grant_pb.js';
import {
  Status_ResourceStatus,
  type Resource,
  type ResourceType,
} from '../gen/c1/connector/v2/resource_pb.js';
import { BatonError, GrpcCode } from '../errors.js';
import { BATON_ID, TRAIT_ANNOTATIONS } from './annotations.js';
import { hasAnnotation } from '../model/annotations.js';
import type { Connector, ResourceSyncer, SyncContext, SyncWarning } from './connector.js';
import { initialState, parseState, serializeState } from './sync-state.js';
import type { Action, SyncState } from './sync-state.js';
import type { SyncStore, SyncType } from './sync-store.js';
import { SyncTally } from './sync-tally.js';
import { runGrantExpansion, type ExpansionStats } from './expand/index.js';
import { WriteBuffer } from './write-buffer.js';
import { ListingStage, type GrantCheckScope, type GrantVerdict, type StageHost } from './listing-stage.js';

export type SyncPhase =
  'resource-types' | 'resources' | 'entitlements' | 'grants' | 'expanding' | 'finishing';

export interface SyncProgress {
  phase: SyncPhase;
  resourceTypeId?: string;
  done: number;
  total?: number;
}

export interface SyncOptions {
  store: SyncStore;
  connector: Connector;
  signal?: AbortSignal;
  /** `--sync-resource-types`: limit the sync to these resource type ids. */
  resourceTypeIds?: readonly string[];
  /** `--skip-entitlements-and-grants`: a `resources_only` sync. */
  skipEntitlementsAndGrants?: boolean;
  /** Resources and entitlements only (a ConductorOne task's `skip_grants`). */
  skipGrants?: boolean;
  /** Leave GrantExpandable grants unexpanded (a ConductorOne task's `skip_expand_grants`: it expands them). */
  skipExpandGrants?: boolean;
  /** Longest entitlement nesting expansion accepts (BATON_GRAPH_EXPAND_MAX_DEPTH in the CLI); default 20. */
  expansionMaxDepth?: number;
  /** How many resources have their entitlements or grants listed at once; the client's limiter is the real throttle. */
  concurrency?: number;
  /** baton-sdk checkpoints at most every 10 s. */
  checkpointIntervalMs?: number;
  now?: () => number;
  onProgress?: (p: SyncProgress) => void;
  onWarning?: (w: SyncWarning) => void;
  onPhase?: (phase: SyncPhase, detail: Record<string, unknown>) => void;
  /**
   * Opaque identity of what is synced, chosen by the caller (e.g. a hash of the instance URL and account;
   * never a secret). It is saved with every checkpoint, and an unfinished sync is resumed only when it
   * matches: another one is discarded (see onDiscarded) and a fresh sync starts. Undefined resumes any.
   */
  resumeFingerprint?: string;
  /** Called when an unfinished sync is discarded because its fingerprint differs. */
  onDiscarded?: (discarded: { syncId: string; startedAt: string }) => void;
  /**
   * Work this process has done for the sync so far (requests, retries, milliseconds...). Saved with every
   * checkpoint, added to the figures of the earlier runs of a resumed sync (SyncResult.earlierRuns).
   */
  workCounters?: () => Record<string, number>;
}

export interface SyncResult {
  syncId: string;
  syncType: SyncType;
  resumed: boolean;
  resourcesByType: Record<string, number>;
  /** Resource type → status (ENABLED, DISABLED, DELETED, UNSPECIFIED) → count. */
  resourcesByStatus: Record<string, Record<string, number>>;
  entitlements: number;
  grants: number;
  /** Grants of the whole sync by entitlement slug (`member`, ...), from the persisted tally. */
  grantsBySlug: Record<string, number>;
  /** Warnings of the whole sync (a resumed sync includes those of its earlier runs), by kind and a few texts. */
  warnings: number;
  warningsByKind: Record<string, number>;
  warningSamples: string[];
  /** Counters connectors keep through SyncContext.count, for the whole sync. */
  counters: Record<string, number>;
  /**
   * SyncOptions.workCounters as saved by the earlier runs of a resumed sync (empty for a fresh one): the
   * whole sync's figures are these plus this run's.
   */
  earlierRuns: Record<string, number>;
  checkpoints: number;
  /** Present when grant expansion ran (some grant carried GrantExpandable and it was not skipped). */
  expansion?: ExpansionStats;
}

/** Tally counter prefix of grants written by entitlement slug: persisted, so a resumed sync counts them once. */
const GRANTS_BY_SLUG = 'grants-by-slug.';

/** The engine's own per-slug grant counts apart from the connector's counters. */
function splitCounters(all: Readonly<Record<string, number>>): {
  counters: Record<string, number>;
  grantsBySlug: Record<string, number>;
} {
  const counters: Record<string, number> = {};
  const grantsBySlug: Record<string, number> = {};
  for (const [name, n] of Object.entries(all)) {
    if (name.startsWith(GRANTS_BY_SLUG)) grantsBySlug[name.slice(GRANTS_BY_SLUG.length)] = n;
    else counters[name] = n;
  }
  return { counters, grantsBySlug };
}

/** Operations the listing stage runs together. */
const LISTING_OPERATIONS = new Set<string>(['list-resources', 'list-entitlements', 'list-grants']);

const DEFAULTS = { concurrency: 10, checkpointIntervalMs: 10_000 } as const;

const STATUS_NAMES: Readonly<Record<number, string>> = {
  [Status_ResourceStatus.UNSPECIFIED]: 'UNSPECIFIED',
  [Status_ResourceStatus.ENABLED]: 'ENABLED',
  [Status_ResourceStatus.DISABLED]: 'DISABLED',
  [Status_ResourceStatus.DELETED]: 'DELETED',
};

/**
 * Runs one sync of `connector` into `store` in the baton-sdk order (types, resources, entitlements, grants,
 * expansion), checkpointing into the sync token so that a later run resumes instead of starting over.
 * The caller owns the store: it closes it on success and abandons it on failure.
 */
export async function runSync(opts: SyncOptions): Promise<SyncResult> {
  const run = new SyncExecution(opts);
  return run.execute();
}

/** One process's execution of a sync; a resumed sync has several, all writing one `sync_runs` row. */
class SyncExecution {
  private readonly store: SyncStore;
  private readonly connector: Connector;
  private readonly signal: AbortSignal;
  private readonly now: () => number;
  private readonly concurrency: number;
  private readonly checkpointIntervalMs: number;
  private readonly skipEntitlementsAndGrants: boolean;
  private readonly syncType: SyncType;
  private readonly syncers = new Map<string, ResourceSyncer>();
  private readonly buffer: WriteBuffer;
  /** Warnings and counters of the finished actions (and of the earlier runs of a resumed sync). */
  private tally = new SyncTally();
  /** SyncOptions.workCounters of the earlier runs of a resumed sync. */
  private workBefore: Record<string, number> = {};
  private state!: SyncState;
  /** Per-resource actions handed out by a root fan-out action and not finished yet. */
  private readonly pending = new Map<number, Action>();
  /** This run continues an interrupted sync. */
  private resumed = false;
  private lastCheckpointAt = 0;
  private checkpoints = 0;
  private expansion: ExpansionStats | undefined;
  /** For referential integrity: what this sync has stored. */
  private readonly syncedTypes = new Set<string>();
  /** Resource type → ids stored: checked once per grant, so no key string is built for the lookup. */
  private readonly resourceIds = new Map<string, Set<string>>();
  /** Resource type → Resource.status name → count, for summaries (active/inactive users...). */
  private readonly statusCounts: Record<string, Record<string, number>> = {};
  private readonly entitlementIds = new Set<string>();

  constructor(private readonly opts: SyncOptions) {
    this.store = opts.store;
    this.connector = opts.connector;
    this.signal = opts.signal ?? new AbortController().signal;
    this.now = opts.now ?? Date.now;
    this.concurrency = Math.max(1, opts.concurrency ?? DEFAULTS.concurrency);
    this.checkpointIntervalMs = opts.checkpointIntervalMs ?? DEFAULTS.checkpointIntervalMs;
    this.skipEntitlementsAndGrants = opts.skipEntitlementsAndGrants ?? false;
    this.syncType = this.skipEntitlementsAndGrants ? 'resources_only' : 'full';
    this.buffer = new WriteBuffer(this.store);
    for (const s of this.connector.resourceSyncers()) this.syncers.set(s.resourceType.id, s);
  }

  async execute(): Promise<SyncResult> {
    // Before a sync exists: a typo in the flag must not leave a sync behind to resume.
    this.assertKnownResourceTypes();
    const { syncId, resumed } = await this.startOrResume();
    this.lastCheckpointAt = this.now();
    try {
      while (this.state.actions.length > 0) {
        this.throwIfAborted();
        const action = this.state.actions[this.state.actions.length - 1]!;
        await this.runAction(action);
      }
    } catch (err) {
      // Like baton-sdk's best-effort checkpoint on cancellation: what finished is kept for the resume.
      this.saveProgressAfterFailure();
      throw err;
    }
    this.opts.onPhase?.('finishing', {});
    this.buffer.flush();
    this.store.checkpoint(this.token());
    await this.store.cleanup();
    // Counts of what the file holds: a resumed sync includes what the interrupted run stored.
    const stats = await this.store.endSync();
    return {
      syncId,
      syncType: this.syncType,
      resumed,
      resourcesByType: Object.fromEntries(
        Object.entries(stats.resourcesByResourceType).map(([k, v]) => [k, Number(v)]),
      ),
      resourcesByStatus: this.statusCounts,
      entitlements: Number(stats.entitlements),
      grants: Number(stats.grants),
      warnings: this.tally.warnings,
      warningsByKind: this.tally.warningsByKind(),
      warningSamples: this.tally.warningSamples(),
      ...splitCounters(this.tally.counters()),
      earlierRuns: { ...this.workBefore },
      checkpoints: this.checkpoints,
      ...(this.expansion === undefined ? {} : { expansion: this.expansion }),
    };
  }

  /** The token to checkpoint: the state with the pending actions, the finished work's tally and the work done. */
  private token(extraActions: readonly Action[] = []): string {
    return serializeState(
      {
        ...this.state,
        fingerprint: this.opts.resumeFingerprint,
        tallies: this.tally.snapshot(),
        work: this.workSoFar(),
      },
      extraActions,
    );
  }

  private workSoFar(): Record<string, number> {
    const total = { ...this.workBefore };
    for (const [k, v] of Object.entries(this.opts.workCounters?.() ?? {})) total[k] = (total[k] ?? 0) + v;
    return total;
  }

  private async startOrResume(): Promise<{ syncId: string; resumed: boolean }> {
    for (;;) {
      const resumable = this.store.findResumableSync(this.syncType);
      if (!resumable) break;
      const parsed = parseState(resumable.syncToken);
      const wanted = this.opts.resumeFingerprint;
      if (wanted !== undefined && parsed?.fingerprint !== wanted) {
        // Another instance or account (or a token that cannot say): resuming would mix two sources.
        this.store.discardSync(resumable.syncId);
        this.opts.onDiscarded?.({ syncId: resumable.syncId, startedAt: resumable.startedAt });
        continue;
      }
      this.store.resumeSync(resumable.syncId);
      this.resumed = true;
      this.state = parsed ?? initialState(this.skipEntitlementsAndGrants, this.opts.skipGrants ?? false);
      this.tally = SyncTally.from(parsed?.tallies);
      this.workBefore = parsed?.work ?? {};
      await this.rebuildIndexes();
      this.opts.onPhase?.('resource-types', { resumed: true, syncId: resumable.syncId });
      return { syncId: resumable.syncId, resumed: true };
    }
    this.state = initialState(this.skipEntitlementsAndGrants, this.opts.skipGrants ?? false);
    // The first token goes in with the run row: a run killed at once can still be recognised and resumed.
    const syncId = this.store.startSync(this.syncType, undefined, this.token());
    return { syncId, resumed: false };
  }

  /** After a resume, the integrity sets are rebuilt from what the interrupted run already stored. */
  private async rebuildIndexes(): Promise<void> {
    for await (const rt of this.store.listResourceTypes()) this.syncedTypes.add(rt.id);
    for (const rt of this.syncedTypes) {
      for await (const r of this.store.listResources(rt)) this.noteResource(r);
    }
    for await (const id of this.store.listEntitlementIds()) this.entitlementIds.add(id);
  }

  private async runAction(action: Action): Promise<void> {
    switch (action.operation) {
      case 'list-resource-types':
        this.syncResourceTypes();
        return this.finish(action);
      case 'list-resources':
      case 'list-entitlements':
      case 'list-grants':
        // Listings, entitlements and grants run together (listing-stage.ts): it finishes all of their actions.
        await new ListingStage(this.stageHost()).run();
        if (this.state.actions.some((a) => LISTING_OPERATIONS.has(a.operation)))
          throw new BatonError(GrpcCode.INTERNAL, 'the listing stage ended with listing work left');
        return;
      case 'grant-expansion':
        // Go marks the sync diff-capable when this step starts, whether or not anything is expanded.
        this.store.markSupportsDiff();
        if (this.opts.skipExpandGrants !== true) this.tally.add(await this.expandGrants());
        return this.finish(action);
    }
  }

  /**
   * Grant expansion, when some grant carries GrantExpandable; returns its warnings' tally (counted once the
   * action is finished). A run killed during expansion leaves part of the derived grants written and the action
   * unfinished: the resumed run expands again (which changes nothing already done) and counts derived grants
   * as the rows added since the count saved before the first attempt. (Direct grants that gained sources in
   * the killed run are not counted again.)
   */
  private async expandGrants(): Promise<SyncTally> {
    const tally = new SyncTally();
    this.buffer.flush();
    if (this.state.grantsBeforeExpansion === undefined) {
      this.state.grantsBeforeExpansion = (await this.store.countRows()).grants;
      this.store.checkpoint(this.token());
    }
    const before = this.state.grantsBeforeExpansion;
    const rows = await this.store.grantExpansion();
    const stats = runGrantExpansion(rows, this.state, {
      maxDepth: this.opts.expansionMaxDepth,
      warn: (w) => {
        tally.warn(w);
        this.opts.onWarning?.(w);
      },
      signal: this.signal,
      onStart: () => this.opts.onPhase?.('expanding', {}),
      onProgress: (done, total) => this.opts.onProgress?.({ phase: 'expanding', done, total }),
    });
    if (stats !== undefined) {
      const after = (await this.store.countRows()).grants;
      this.expansion = { ...stats, derivedGrants: after - before };
    }
    return tally;
  }

  private finish(action: Action, force = true): void {
    const top = this.state.actions[this.state.actions.length - 1];
    if (top?.id === action.id) this.state.actions.pop();
    else this.state.actions = this.state.actions.filter((a) => a.id !== action.id);
    this.state.completedActionsCount += 1;
    this.maybeCheckpoint(force);
  }

  private syncResourceTypes(): void {
    this.opts.onPhase?.('resource-types', {});
    const wanted = this.opts.resourceTypeIds?.filter((t) => t.length > 0) ?? [];
    const types: ResourceType[] = [];
    for (const [id, syncer] of this.syncers) {
      if (id === '' || (wanted.length > 0 && !wanted.includes(id))) continue;
      types.push(syncer.resourceType);
      this.syncedTypes.add(id);
    }
    this.store.putResourceTypes(types);
    this.opts.onProgress?.({ phase: 'resource-types', done: types.length, total: types.length });
  }

  private assertKnownResourceTypes(): void {
    const unknown = (this.opts.resourceTypeIds ?? []).filter((t) => t.length > 0 && !this.syncers.has(t));
    if (unknown.length > 0) {
      throw new BatonError(
        GrpcCode.INVALID_ARGUMENT,
        `--sync-resource-types names unknown resource type(s) ${unknown.join(', ')}; ` +
          `this connector has: ${[...this.syncers.keys()].join(', ')}`,
      );
    }
  }

  private validResource(type: ResourceType, r: Resource, ctx: SyncContext): boolean {
    if (!r.id || r.id.resource === '' || r.id.resourceType === '') {
      ctx.warn({
        kind: 'invalid-resource',
        message: `a ${type.id} resource without an id was skipped`,
      });
      return false;
    }
    if (hasAnnotation(r.annotations, BATON_ID)) {
      throw new BatonError(
        GrpcCode.INTERNAL,
        `resource ${r.id.resourceType}:${r.id.resource} carries BatonID`,
      );
    }
    for (const trait of type.traits) {
      const required = TRAIT_ANNOTATIONS[trait];
      if (required && !hasAnnotation(r.annotations, required)) {
        throw new BatonError(
          GrpcCode.INTERNAL,
          `resource ${r.id.resourceType}:${r.id.resource} was missing expected trait ${required.typeName}`,
        );
      }
    }
    return true;
  }

  /** Notes a stored resource for the integrity checks and the summary; false when noted before. */
  private noteResource(r: Resource): boolean {
    const rt = r.id!.resourceType;
    let ids = this.resourceIds.get(rt);
    if (ids === undefined) this.resourceIds.set(rt, (ids = new Set()));
    if (ids.has(r.id!.resource)) return false;
    ids.add(r.id!.resource);
    const status = STATUS_NAMES[r.status?.status ?? Status_ResourceStatus.UNSPECIFIED] ?? 'UNSPECIFIED';
    const byStatus = (this.statusCounts[rt] ??= {});
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    return true;
  }

  private addEntitlements(page: Entitlement[]): void {
    for (const e of page) {
      const rid = e.resource?.id;
      if (!e.id || !rid || !this.syncedTypes.has(rid.resourceType)) continue;
      this.entitlementIds.add(e.id);
      this.buffer.addEntitlement(e);
    }
  }

  /**
   * The engine's referential checks of one grant, as baton-sdk makes them. An entitlement or principal not
   * known yet whose listing has not ended (`scope`) leaves the grant deferred: the listing stage checks it
   * again then, so a grant is dropped with a warning only when its target is known to be missing.
   */
  private checkGrant(g: Grant, ctx: SyncContext, scope: GrantCheckScope): GrantVerdict {
    const ent = g.entitlement;
    const rid = ent?.resource?.id;
    const pid = g.principal?.id;
    if (!g.id || !ent || !rid || !pid) {
      ctx.warn({
        kind: 'invalid-grant',
        message: `grant ${g.id || '(no id)'} is incomplete; skipped`,
      });
      return 'dropped';
    }
    // Like baton-sdk's filterFreshGrants: grants touching a type outside this sync are dropped silently.
    if (!this.syncedTypes.has(rid.resourceType) || !this.syncedTypes.has(pid.resourceType)) return 'dropped';
    if (!this.entitlementIds.has(ent.id)) {
      if (scope.entitlementsPending) return 'deferred';
      ctx.warn({
        kind: 'grant-entitlement-missing',
        message: `grant ${g.id} names entitlement ${ent.id}, which this sync did not store; skipped`,
      });
      return 'dropped';
    }
    if (this.resourceIds.get(pid.resourceType)?.has(pid.resource) !== true) {
      if (scope.listingPending(pid.resourceType)) return 'deferred';
      ctx.warn({
        kind: 'grant-principal-missing',
        message: `grant ${g.id}: principal ${pid.resourceType}:${pid.resource} was not among the synced resources; skipped`,
      });
      return 'dropped';
    }
    this.buffer.addGrant(g);
    // A grant's entitlement carries only its id `<type>:<resource>:<slug>`; the slug is what follows.
    const slug = ent.id.slice(rid.resourceType.length + rid.resource.length + 2);
    ctx.count(`${GRANTS_BY_SLUG}${slug}`);
    return 'written';
  }

  /** Validates, stores and notes a page of resources; returns those not noted before (in page order). */
  private putResources(rt: string, page: Resource[], ctx: SyncContext): Resource[] {
    const type = this.syncerFor(rt).resourceType;
    const valid = page.filter((r) => this.validResource(type, r, ctx));
    this.store.putResources(valid);
    return valid.filter((r) => this.noteResource(r));
  }

  /** What the listing stage needs of this run. */
  private stageHost(): StageHost {
    return {
      state: this.state,
      store: this.store,
      signal: this.signal,
      concurrency: this.concurrency,
      resumed: this.resumed,
      syncedTypes: this.syncedTypes,
      pending: this.pending,
      syncerFor: (rt) => this.syncerFor(rt),
      context: (signal, tally) => this.context(signal, tally),
      addTally: (tally) => this.tally.add(tally),
      finish: (action, force) => this.finish(action, force),
      maybeCheckpoint: (force) => this.maybeCheckpoint(force),
      putResources: (rt, page, ctx) => this.putResources(rt, page, ctx),
      addEntitlements: (page) => this.addEntitlements(page),
      checkGrant: (g, ctx, scope) => this.checkGrant(g, ctx, scope),
      onListingStart: (rt) => this.opts.onPhase?.('resources', { resourceTypeId: rt }),
      onListingProgress: (rt, done) =>
        this.opts.onProgress?.({ phase: 'resources', resourceTypeId: rt, done }),
      onFanOutStart: (op) => this.opts.onPhase?.(op === 'list-grants' ? 'grants' : 'entitlements', {}),
      onFanOutProgress: (op, done, total) =>
        this.opts.onProgress?.({ phase: op === 'list-grants' ? 'grants' : 'entitlements', done, total }),
    };
  }

  /** The context of one action: what it warns about or counts goes to `tally`, and warnings are logged now. */
  private context(signal: AbortSignal, tally: SyncTally): SyncContext {
    return {
      signal,
      warn: (w) => {
        tally.warn(w);
        this.opts.onWarning?.(w);
      },
      count: (counter, n) => tally.count(counter, n),
      hasResource: (rt, id) => this.resourceIds.get(rt)?.has(id) === true,
    };
  }

  private syncerFor(rt: string): ResourceSyncer {
    const s = this.syncers.get(rt);
    if (!s) throw new BatonError(GrpcCode.INTERNAL, `no resource syncer for resource type ${rt}`);
    return s;
  }

  /** Saves progress at most every `checkpointIntervalMs` (or now, when forced): data first, then the token. */
  private maybeCheckpoint(force: boolean): void {
    const t = this.now();
    if (!force && t - this.lastCheckpointAt < this.checkpointIntervalMs) return;
    this.buffer.flush();
    this.store.checkpoint(this.token([...this.pending.values()]));
    this.lastCheckpointAt = t;
    this.checkpoints += 1;
  }

  private saveProgressAfterFailure(): void {
    try {
      this.maybeCheckpoint(true);
    } catch {
      // The store itself failed; the previous checkpoint stays the resume point.
    }
  }

  private throwIfAborted(): void {
    if (this.signal.aborted) {
      const reason: unknown = this.signal.reason;
      throw reason instanceof Error ? reason : new BatonError(GrpcCode.CANCELLED, 'sync cancelled');
    }
  }
}
