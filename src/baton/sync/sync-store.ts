import type { GrantExpansionStore } from '../c1z/grant-expansion-store.js';
import type { Entitlement } from '../gen/c1/connector/v2/entitlement_pb.js';
import type { Grant } from '../gen/c1/connector/v2/grant_pb.js';
import type { Resource, ResourceType } from '../gen/c1/connector/v2/resource_pb.js';
import type { SyncStats } from '../gen/c1/reader/v2/sync_pb.js';

export type SyncType = 'full' | 'resources_only' | 'partial';

export interface SyncRunInfo {
  syncId: string;
  startedAt: string;
  syncToken: string;
  syncType: string;
}

/**
 * The part of the c1z store the engine drives (implemented by `C1zStore`). Writes (puts, checkpoint,
 * markSupportsDiff) are queued and applied in call order, so a checkpoint never runs ahead of the rows written
 * before it; they never wait. The engine awaits whenWritable() after handing over a page (backpressure). Reads
 * see every write queued before them.
 */
export interface SyncStore {
  findResumableSync(syncType: SyncType, maxAgeMs?: number): SyncRunInfo | undefined;
  startSync(syncType: SyncType, parentSyncId?: string, syncToken?: string): string;
  resumeSync(syncId: string): SyncRunInfo;
  /** Deletes an unfinished sync and every row it wrote (it will not be resumed). */
  discardSync(syncId: string): void;
  checkpoint(syncToken: string): void;
  putResourceTypes(items: ResourceType[]): void;
  putResources(items: Resource[]): void;
  putEntitlements(items: Entitlement[]): void;
  putGrants(items: Grant[]): void;
  /** Resolves once the write queue has room; rejects with a failed write. */
  whenWritable(): Promise<void>;
  listResourceTypes(): AsyncIterable<ResourceType>;
  listResources(resourceTypeId?: string): AsyncIterable<Resource>;
  listEntitlementIds(): AsyncIterable<string>;
  markSupportsDiff(): void;
  /** Rows of the current sync by table (after every queued write). */
  countRows(): Promise<{ resourceTypes: number; resources: number; entitlements: number; grants: number }>;
  /** The current sync's grant rows for expansion (every queued write committed and indexes rebuilt first). */
  grantExpansion(): Promise<GrantExpansionStore>;
  cleanup(): Promise<unknown>;
  /** Ends the sync and returns the counts now stored for it. */
  endSync(): Promise<SyncStats>;
}
