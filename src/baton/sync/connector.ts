import type { ConnectorMetadata } from '../gen/c1/connector/v2/connector_pb.js';
import type { Entitlement } from '../gen/c1/connector/v2/entitlement_pb.js';
import type { Grant } from '../gen/c1/connector/v2/grant_pb.js';
import type { Resource, ResourceType } from '../gen/c1/connector/v2/resource_pb.js';

/**
 * What a connector gives the sync engine: the in-process equivalent of baton-sdk's ConnectorServer.
 *
 * Listings are async iterables of pages instead of page-token round trips: the engine writes each page as
 * it arrives, and resumes an interrupted sync at the granularity of one resource type (for resources) or one
 * resource (for entitlements and grants). Upserts make a repeated page harmless.
 *
 * Every type is listed at once, and a resource's entitlements and grants are asked for as soon as it is
 * stored, while the listings go on (see listing-stage.ts). A syncer whose grants need more than their own
 * resource says so in `grantsNeedListed`.
 */
export interface ResourceSyncer {
  readonly resourceType: ResourceType;
  /**
   * Resource types whose listing must have ended before this type's grants are asked for: grants derived
   * from another listing, or that ask SyncContext.hasResource. Default none.
   */
  readonly grantsNeedListed?: readonly string[];
  /** Top-level resources of this type (the engine never asks for children: no ChildResourceType support). */
  list(ctx: SyncContext): AsyncIterable<Resource[]>;
  entitlements(resource: Resource, ctx: SyncContext): AsyncIterable<Entitlement[]>;
  grants(resource: Resource, ctx: SyncContext): AsyncIterable<Grant[]>;
}

export interface Connector {
  metadata(): ConnectorMetadata;
  /** One cheap authenticated call; throws a BatonError (16 unauthenticated, 7 permission denied, ...). */
  validate(signal: AbortSignal): Promise<void>;
  resourceSyncers(): ResourceSyncer[];
}

export interface SyncWarning {
  /** Stable machine-readable kind, e.g. `group-not-found`; counted per kind in the summary. */
  kind: string;
  message: string;
}

export interface SyncContext {
  readonly signal: AbortSignal;
  /** Something was skipped but the sync goes on; counted and shown in the summary. */
  warn(warning: SyncWarning): void;
  /**
   * Adds `n` (default 1) to a named counter of the sync (e.g. members left out, by kind), reported in
   * SyncResult.counters. Like warnings, counts of work a resumed sync redoes are counted once.
   */
  count(counter: string, n?: number): void;
  /**
   * Whether this sync stored the resource. A listing still running may store it later: grants that rely on
   * the answer name the type in ResourceSyncer.grantsNeedListed.
   */
  hasResource(resourceTypeId: string, resourceId: string): boolean;
}

/** For syncers whose type is skipped for entitlements or grants: a listing with no pages. */
export function noPages<T>(): AsyncIterable<T[]> {
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => Promise.resolve({ done: true as const, value: undefined }),
    }),
  };
}
