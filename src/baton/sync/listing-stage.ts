import { setMaxListeners } from 'node:events';
import type { Entitlement } from '../gen/c1/connector/v2/entitlement_pb.js';
import type { Grant } from '../gen/c1/connector/v2/grant_pb.js';
import type { Resource } from '../gen/c1/connector/v2/resource_pb.js';
import { isCodedError } from '../../common/coded-error.js';
import { BatonError, GrpcCode } from '../errors.js';
import { hasAnnotation } from '../model/annotations.js';
import { SKIP_ENTITLEMENTS, SKIP_ENTITLEMENTS_AND_GRANTS, SKIP_GRANTS } from './annotations.js';
import type { ResourceSyncer, SyncContext } from './connector.js';
import { pushAction, type Action, type SyncState } from './sync-state.js';
import type { SyncStore } from './sync-store.js';
import { SyncTally } from './sync-tally.js';

export type FanOutOp = 'list-entitlements' | 'list-grants';
const FAN_OUT_OPS: readonly FanOutOp[] = ['list-entitlements', 'list-grants'];
/** The page token of an entitlements or grants root whose progress is kept by per-type actions. */
const BY_RESOURCE_TYPE = 'by-resource-type';

/** What a grant check decided: written, dropped (warned or filtered), or left until a listing has ended. */
export type GrantVerdict = 'written' | 'dropped' | 'deferred';

/** What the stage may not know yet when it checks a grant: whether more entitlements or resources may come. */
export interface GrantCheckScope {
  /** Entitlements may still be listed: a grant naming an unknown one waits. */
  entitlementsPending: boolean;
  /** The listing of this resource type has not ended in this run: a grant to an unknown principal waits. */
  listingPending(resourceTypeId: string): boolean;
}

/** The sync run the stage works for: its state, store and integrity checks (see syncer.ts). */
export interface StageHost {
  readonly state: SyncState;
  readonly store: SyncStore;
  readonly signal: AbortSignal;
  readonly concurrency: number;
  /** A resumed run: the store already holds resources an earlier run listed. */
  readonly resumed: boolean;
  readonly syncedTypes: ReadonlySet<string>;
  /** Per-resource actions handed out and not finished: saved with every checkpoint. */
  readonly pending: Map<number, Action>;
  syncerFor(resourceTypeId: string): ResourceSyncer;
  context(signal: AbortSignal, tally: SyncTally): SyncContext;
  /** Adds a finished action's tally to the sync's. */
  addTally(tally: SyncTally): void;
  /** Removes a finished action from the state; checkpoints at once unless `force` is false. */
  finish(action: Action, force?: boolean): void;
  maybeCheckpoint(force: boolean): void;
  /** Validates, stores and notes a page of resources; returns those this sync had not noted before. */
  putResources(resourceTypeId: string, page: Resource[], ctx: SyncContext): Resource[];
  addEntitlements(page: Entitlement[]): void;
  checkGrant(grant: Grant, ctx: SyncContext, scope: GrantCheckScope): GrantVerdict;
  onListingStart(resourceTypeId: string): void;
  onListingProgress(resourceTypeId: string, done: number): void;
  onFanOutStart(op: FanOutOp): void;
  onFanOutProgress(op: FanOutOp, done: number, total: number): void;
}

/** One resource type's share of an entitlements or grants action: its page token is the next index to hand out. */
interface TypeProgress {
  op: FanOutOp;
  resourceTypeId: string;
  action: Action;
  /** Resources of the type the op applies to, in the order they were first stored (rowid order). */
  items: Resource[];
}

/** A per-resource entitlements or grants action this run is working on. */
interface Child {
  action: Action;
  op: FanOutOp;
  key: string;
  tally: SyncTally;
  ctx: SyncContext;
  /** All its pages were handed over. */
  listed: boolean;
  /** Its grants waiting for a listing (or the entitlements) to end before they can be checked. */
  deferred: number;
}

interface DeferredGrant {
  grant: Grant;
  child: Child;
}

const keyOf = (rt: string, id: string): string => `${rt}\u0000${id}`;
const resourceKey = (r: Resource): string => keyOf(r.id!.resourceType, r.id!.resource);

/**
 * Resource listings, entitlements and grants of one sync, overlapped: every resource type is listed at once,
 * and a resource's entitlements and grants are asked for as soon as it is stored (up to `concurrency`
 * resources at a time), rather than after every listing has ended. Grants whose principal's listing (or
 * whose entitlement) may still come are held and checked when it has ended, so the warnings are those of a
 * phase-by-phase sync.
 *
 * The sync token describes the overlapping state: the per-type listing actions not finished, and for each
 * of entitlements and grants its root plus one action per resource type whose page token is how many of
 * that type's resources (in the order they were first stored, which the store keeps) were handed out;
 * handed-out resources not finished go with every checkpoint. A grant held for a check keeps its resource
 * unfinished, so a checkpoint never counts work whose rows are not written before it. A resumed run reads
 * the stored resources in the same order, relists the unfinished types, and hands a stored resource of a
 * type being relisted out only once it is listed again (the connector may rely on having listed it).
 */
export class ListingStage {
  private readonly abort = new AbortController();
  private failure: Error | undefined;
  /** Resource types whose listing has not ended in this run. */
  private readonly listing = new Set<string>();
  /** Resources listed by this run (kept only when resuming: a fresh run hands out only what it listed). */
  private readonly listedNow = new Set<string>();
  private readonly progress: TypeProgress[] = [];
  /** Per (op, type): the items of the type's progress, also fed while its listing runs. */
  private readonly items = new Map<string, Resource[]>();
  private readonly byKey = new Map<string, Resource>();
  /** Children handed out by an interrupted run, not finished then: they go first. */
  private leftovers: Action[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly listings = new Set<Promise<void>>();
  private deferred: DeferredGrant[] = [];
  /** Resources whose entitlements were handed out (by this run or an earlier one) and those still running. */
  private readonly entitlementsHandedOut = new Set<string>();
  private readonly entitlementsRunning = new Set<string>();
  private readonly done: Record<FanOutOp, number> = { 'list-entitlements': 0, 'list-grants': 0 };
  private woken = false;
  private wake: (() => void) | undefined;

  constructor(private readonly host: StageHost) {}

  async run(): Promise<void> {
    const { host } = this;
    // Every listing and running resource listens to this signal (its requests, its limiter wait...): a few
    // each, more than the default warning threshold of 10 in all.
    setMaxListeners(4 * (host.concurrency + host.syncedTypes.size), this.abort.signal);
    const onAbort = (): void => this.fail(host.signal.reason);
    if (host.signal.aborted) onAbort();
    host.signal.addEventListener('abort', onAbort, { once: true });
    try {
      this.fanOutResourceTypes();
      // Started in the connector's declared order (the token keeps them in reverse).
      const listings = host.state.actions
        .filter((a) => a.operation === 'list-resources')
        .sort((a, b) => typeOrder(host, a) - typeOrder(host, b));
      for (const a of listings) this.listing.add(a.resource_type_id ?? '');
      await this.loadStoredResources();
      for (const op of FAN_OUT_OPS) this.prepare(op);
      for (const a of listings) this.track(this.listings, this.list(a));
      for (;;) {
        do this.pump();
        while (this.finishDoneProgress());
        if (this.failure !== undefined || (this.running.size === 0 && this.listings.size === 0)) break;
        await this.nextEvent();
        if (this.failure === undefined) host.maybeCheckpoint(false);
      }
      await Promise.allSettled([...this.running, ...this.listings]);
      if (this.failure !== undefined) throw this.failure;
      if (host.signal.aborted) throw abortError(host.signal);
      if (this.deferred.length > 0 || this.progress.length > 0 || this.leftovers.length > 0)
        throw new BatonError(GrpcCode.INTERNAL, 'listing ended with entitlement or grant work left');
    } finally {
      host.signal.removeEventListener('abort', onAbort);
    }
  }

  /** The list-resources root becomes one action per type (finished with them in its forced checkpoint). */
  private fanOutResourceTypes(): void {
    const { state } = this.host;
    const root = state.actions.find(
      (a) => a.operation === 'list-resources' && a.resource_type_id === undefined,
    );
    if (root === undefined) return;
    for (const rt of [...this.host.syncedTypes].reverse())
      pushAction(state, { operation: 'list-resources', resource_type_id: rt });
    this.host.finish(root);
  }

  private root(op: FanOutOp): Action | undefined {
    return this.host.state.actions.find((a) => a.operation === op && a.resource_type_id === undefined);
  }

  private wants(op: FanOutOp, rt: string): boolean {
    return this.root(op) !== undefined && !skipped(this.host.syncerFor(rt).resourceType.annotations, op);
  }

  /** A resumed run's stored resources, in rowid order: the order the page tokens count in. */
  private async loadStoredResources(): Promise<void> {
    if (!this.host.resumed) return;
    for (const rt of this.host.syncedTypes) {
      if (!FAN_OUT_OPS.some((op) => this.wants(op, rt))) continue;
      for await (const r of this.host.store.listResources(rt)) this.addItem(r);
    }
  }

  private addItem(r: Resource): void {
    const rt = r.id!.resourceType;
    let kept = false;
    for (const op of FAN_OUT_OPS) {
      if (!this.wants(op, rt) || skipped(r.annotations, op)) continue;
      const k = `${op}\u0000${rt}`;
      let list = this.items.get(k);
      if (list === undefined) this.items.set(k, (list = []));
      list.push(r);
      kept = true;
    }
    if (kept) this.byKey.set(resourceKey(r), r);
  }

  private itemsOf(op: FanOutOp, rt: string): Resource[] {
    const k = `${op}\u0000${rt}`;
    let list = this.items.get(k);
    if (list === undefined) this.items.set(k, (list = []));
    return list;
  }

  /** Per-type progress actions of `op` (made on its first run), and its unfinished children. */
  private prepare(op: FanOutOp): void {
    const { state } = this.host;
    const root = this.root(op);
    if (root === undefined) return;
    const perType = state.actions.filter(
      (a) => a.operation === op && a.resource_type_id !== undefined && a.resource_id === undefined,
    );
    if (perType.length === 0 && root.page_token !== BY_RESOURCE_TYPE) {
      // A token of a phase-by-phase run counts handed-out resources over all types in declared order.
      let before = Number(root.page_token ?? '0');
      // Says that per-type actions were made: once they are all finished, nothing of `op` is left.
      root.page_token = BY_RESOURCE_TYPE;
      for (const rt of this.host.syncedTypes) {
        if (!this.wants(op, rt)) continue;
        const n = Math.min(before, this.itemsOf(op, rt).length);
        before -= n;
        perType.push(pushAction(state, { operation: op, resource_type_id: rt, page_token: String(n) }));
      }
    }
    for (const action of perType) {
      const rt = action.resource_type_id!;
      const items = this.itemsOf(op, rt);
      this.progress.push({ op, resourceTypeId: rt, action, items });
      if (op === 'list-entitlements') {
        for (const r of items.slice(0, Number(action.page_token ?? '0')))
          this.entitlementsHandedOut.add(resourceKey(r));
      }
    }
    const leftovers = state.actions.filter((a) => a.operation === op && a.resource_id !== undefined);
    state.actions = state.actions.filter((a) => !leftovers.includes(a));
    for (const a of leftovers) {
      this.host.pending.set(a.id, a);
      if (op === 'list-entitlements') {
        const k = keyOf(a.resource_type_id ?? '', a.resource_id ?? '');
        this.entitlementsHandedOut.add(k);
        this.entitlementsRunning.add(k);
      }
    }
    this.leftovers.push(...leftovers);
    this.host.onFanOutStart(op);
  }

  /** Lists one resource type, handing its resources to the fan-out as they are stored. */
  private async list(action: Action): Promise<void> {
    const { host } = this;
    const rt = action.resource_type_id ?? '';
    const syncer = host.syncerFor(rt);
    host.onListingStart(rt);
    const tally = new SyncTally();
    const ctx = host.context(this.abort.signal, tally);
    let done = 0;
    for await (const page of syncer.list(ctx)) {
      if (this.abort.signal.aborted) throw abortError(this.abort.signal);
      const fresh = host.putResources(rt, page, ctx);
      for (const r of fresh) this.addItem(r);
      if (host.resumed) for (const r of page) if (r.id) this.listedNow.add(resourceKey(r));
      done += page.length;
      host.onListingProgress(rt, done);
      this.notify();
      await host.store.whenWritable();
    }
    this.listing.delete(rt);
    host.addTally(tally);
    host.finish(action);
    this.recheckDeferred();
    this.notify();
  }

  /** Whether the per-resource action `op` of `r` may start now. */
  private ready(op: FanOutOp, r: Resource): boolean {
    const rt = r.id!.resourceType;
    if (this.host.resumed && this.listing.has(rt) && !this.listedNow.has(resourceKey(r))) return false;
    if (op === 'list-entitlements') return true;
    for (const dep of this.host.syncerFor(rt).grantsNeedListed ?? []) if (this.listing.has(dep)) return false;
    if (this.root('list-entitlements') === undefined || !this.wants('list-entitlements', rt)) return true;
    if (skipped(r.annotations, 'list-entitlements')) return true;
    // Its entitlements were handed out and finished, or its type's entitlements all were (by an earlier run).
    const k = resourceKey(r);
    if (this.entitlementsRunning.has(k)) return false;
    return (
      this.entitlementsHandedOut.has(k) ||
      !this.progress.some((p) => p.op === 'list-entitlements' && p.resourceTypeId === rt)
    );
  }

  private pump(): void {
    while (this.failure === undefined && this.running.size < this.host.concurrency) {
      const next = this.takeNext();
      if (next === undefined) return;
      this.start(next.action, next.resource);
    }
  }

  private takeNext(): { action: Action; resource: Resource | undefined } | undefined {
    for (let i = 0; i < this.leftovers.length; i++) {
      const a = this.leftovers[i]!;
      const rt = a.resource_type_id ?? '';
      const resource = this.byKey.get(keyOf(rt, a.resource_id ?? ''));
      // Not stored (yet): it may still be listed; once its listing has ended, there is nothing to do.
      if (resource === undefined ? this.listing.has(rt) : !this.ready(a.operation as FanOutOp, resource))
        continue;
      this.leftovers.splice(i, 1);
      return { action: a, resource };
    }
    for (const p of this.progress) {
      const index = Number(p.action.page_token ?? '0');
      const r = p.items[index];
      if (r === undefined || !this.ready(p.op, r)) continue;
      p.action.page_token = String(index + 1);
      const state = this.host.state;
      state.currentActionId += 1;
      const action: Action = {
        id: state.currentActionId,
        operation: p.op,
        resource_type_id: r.id!.resourceType,
        resource_id: r.id!.resource,
      };
      this.host.pending.set(action.id, action);
      if (p.op === 'list-entitlements') {
        this.entitlementsHandedOut.add(resourceKey(r));
        this.entitlementsRunning.add(resourceKey(r));
      }
      return { action, resource: r };
    }
    return undefined;
  }

  private start(action: Action, resource: Resource | undefined): void {
    const op = action.operation as FanOutOp;
    const tally = new SyncTally();
    const child: Child = {
      action,
      op,
      key: keyOf(action.resource_type_id ?? '', action.resource_id ?? ''),
      tally,
      ctx: this.host.context(this.abort.signal, tally),
      listed: false,
      deferred: 0,
    };
    this.track(
      this.running,
      (resource === undefined ? Promise.resolve() : this.runChild(child, resource)).then(() => {
        child.listed = true;
        this.completeIfDone(child);
      }),
    );
  }

  /** Lists one resource's entitlements or grants. */
  private async runChild(child: Child, resource: Resource): Promise<void> {
    const syncer = this.host.syncerFor(resource.id!.resourceType);
    try {
      if (child.op === 'list-entitlements') {
        for await (const page of syncer.entitlements(resource, child.ctx)) {
          this.host.addEntitlements(page);
          await this.host.store.whenWritable();
        }
      } else {
        for await (const page of syncer.grants(resource, child.ctx)) {
          for (const g of page) this.checkGrant(g, child);
          await this.host.store.whenWritable();
        }
      }
    } catch (err) {
      // baton-sdk treats NotFound on entitlements or grants as a warning: the resource went away mid-sync.
      if (isCodedError(err) && err.grpcStatus === GrpcCode.NOT_FOUND) {
        child.ctx.warn({ kind: 'resource-not-found', message: err.message });
        return;
      }
      throw err;
    }
  }

  private readonly scope: GrantCheckScope = {
    entitlementsPending: false,
    listingPending: (rt) => this.listing.has(rt),
  };

  /** Returns whether the grant was decided now (written or dropped) rather than held. */
  private checkGrant(grant: Grant, child: Child): boolean {
    this.scope.entitlementsPending = this.root('list-entitlements') !== undefined;
    if (this.host.checkGrant(grant, child.ctx, this.scope) !== 'deferred') return true;
    this.deferred.push({ grant, child });
    child.deferred += 1;
    return false;
  }

  /** After a listing or the entitlements ended: the held grants that can now be checked are. */
  private recheckDeferred(): void {
    if (this.deferred.length === 0) return;
    const held = this.deferred;
    this.deferred = [];
    const touched = new Set<Child>();
    for (const d of held) {
      d.child.deferred -= 1;
      if (this.checkGrant(d.grant, d.child)) touched.add(d.child);
    }
    for (const c of touched) this.completeIfDone(c);
  }

  /** A child finishes once its pages are handed over and none of its grants is held. */
  private completeIfDone(child: Child): void {
    if (!child.listed || child.deferred > 0) return;
    // Counted together with the child leaving the pending set: a checkpoint has both or neither.
    this.host.addTally(child.tally);
    this.host.pending.delete(child.action.id);
    this.host.state.completedActionsCount += 1;
    if (child.op === 'list-entitlements') this.entitlementsRunning.delete(child.key);
    this.done[child.op] += 1;
    let total = 0;
    for (const [k, list] of this.items) if (k.startsWith(`${child.op}\u0000`)) total += list.length;
    this.host.onFanOutProgress(child.op, this.done[child.op], Math.max(total, this.done[child.op]));
    this.notify();
  }

  /**
   * Per-type actions with every resource handed out and finished, then roots with nothing left, finish.
   * Returns whether any did (which may make more work ready).
   */
  private finishDoneProgress(): boolean {
    let finished = false;
    const pendingOf = (op: FanOutOp, rt?: string): boolean =>
      [...this.host.pending.values()].some(
        (a) => a.operation === op && (rt === undefined || a.resource_type_id === rt),
      );
    for (const p of [...this.progress]) {
      if (this.listing.has(p.resourceTypeId)) continue;
      if (Number(p.action.page_token ?? '0') < p.items.length || pendingOf(p.op, p.resourceTypeId)) continue;
      this.progress.splice(this.progress.indexOf(p), 1);
      // No checkpoint of its own: the root's (or the next one) says it.
      this.host.finish(p.action, false);
      finished = true;
    }
    for (const op of FAN_OUT_OPS) {
      const root = this.root(op);
      if (root === undefined || this.progress.some((p) => p.op === op) || pendingOf(op)) continue;
      if (this.leftovers.some((a) => a.operation === op)) continue;
      this.host.finish(root);
      finished = true;
      if (op === 'list-entitlements') this.recheckDeferred();
    }
    return finished;
  }

  private track(set: Set<Promise<void>>, work: Promise<void>): void {
    const p = work
      .catch((err: unknown) => this.fail(err))
      .finally(() => {
        set.delete(p);
        this.notify();
      });
    set.add(p);
  }

  private fail(err: unknown): void {
    this.failure ??= err instanceof Error ? err : new BatonError(GrpcCode.CANCELLED, 'sync cancelled');
    this.abort.abort(this.failure);
    this.notify();
  }

  private notify(): void {
    this.woken = true;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private nextEvent(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.wake = () => {
        this.woken = false;
        resolve();
      };
    });
  }
}

function typeOrder(host: StageHost, a: Action): number {
  return [...host.syncedTypes].indexOf(a.resource_type_id ?? '');
}

function skipped(annotations: Resource['annotations'], op: FanOutOp): boolean {
  if (hasAnnotation(annotations, SKIP_ENTITLEMENTS_AND_GRANTS)) return true;
  return hasAnnotation(annotations, op === 'list-entitlements' ? SKIP_ENTITLEMENTS : SKIP_GRANTS);
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new BatonError(GrpcCode.CANCELLED, 'sync cancelled');
}
