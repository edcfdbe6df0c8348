import type { Entitlement } from '../gen/c1/connector/v2/entitlement_pb.js';
import type { Grant } from '../gen/c1/connector/v2/grant_pb.js';
import type { SyncStore } from './sync-store.js';

/**
 * Collects entitlements and grants from many small listings (one group's members is often a few dozen rows)
 * and hands them to the store in batches: one write-worker transaction per batch instead of one per group.
 * Handing over never blocks (the engine awaits the store's whenWritable() after each page); batches stay
 * small (250 rows) so that encoding one on the main thread never holds a finished response unread for long.
 */
export class WriteBuffer {
  private entitlements: Entitlement[] = [];
  private grants: Grant[] = [];

  constructor(
    private readonly store: Pick<SyncStore, 'putEntitlements' | 'putGrants'>,
    private readonly batchSize = 250,
  ) {}

  addEntitlement(e: Entitlement): void {
    this.entitlements.push(e);
    if (this.entitlements.length >= this.batchSize) this.flushEntitlements();
  }

  addGrant(g: Grant): void {
    this.grants.push(g);
    if (this.grants.length >= this.batchSize) this.flushGrants();
  }

  /** Entitlements first: a grant's entitlement is always written before the grant. */
  flush(): void {
    this.flushEntitlements();
    this.flushGrants();
  }

  private flushEntitlements(): void {
    if (this.entitlements.length === 0) return;
    const batch = this.entitlements;
    this.entitlements = [];
    this.store.putEntitlements(batch);
  }

  private flushGrants(): void {
    if (this.grants.length === 0) return;
    this.flushEntitlements();
    const batch = this.grants;
    this.grants = [];
    this.store.putGrants(batch);
  }
}
