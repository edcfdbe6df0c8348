import type { Entitlement } from '../gen/c1/connector/v2/entitlement_pb.js';
import type { Grant } from '../gen/c1/connector/v2/grant_pb.js';
import type { SyncStore } from './sync-store.js';

/**
 * Collects entitlements and grants from many small listings (one group's members is often a few dozen rows)
 * and writes them in batches: one SQLite transaction per batch instead of one per group. Batches stay small
 * (250 rows, a few ms) because a write blocks the event loop: while it runs, finished responses wait unread
 * and their slots among the requests allowed in flight sit idle; buffered rows also outlive young-generation
 * collections and pile up in the old one.
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
