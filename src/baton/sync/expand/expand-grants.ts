import { fromBinary } from '@bufbuild/protobuf';
import {
  principalKey,
  type EntitlementRow,
  type GrantExpansionStore,
  type NewGrantRow,
} from '../../c1z/grant-expansion-store.js';
import { GrantExpandableSchema } from '../../gen/c1/connector/v2/annotation_grant_pb.js';
import { BatonError, GrpcCode } from '../../errors.js';
import type { SyncWarning } from '../connector.js';
import { EntitlementGraph, type EdgeSpec } from './entitlement-graph.js';
import { expandedGrantBytes, readGrantParts, withSources, type Sources } from './grant-bytes.js';

/** baton-sdk's default limit on expansion rounds (the longest nesting chain, in edges). */
export const DEFAULT_MAX_DEPTH = 20;
/** Source grants read and handled per transaction. */
const PAGE_ROWS = 1000;
/** Holders of a destination read up front (baton-sdk caps its prefetch near 1M); beyond, one lookup each. */
const MAX_PREFETCHED_PRINCIPALS = 1_000_000;
const EMPTY = new Uint8Array(0);

export interface ExpansionOptions {
  /** Longest nesting allowed (default DEFAULT_MAX_DEPTH); deeper graphs fail before anything is written. */
  maxDepth?: number | undefined;
  /** Edges that cannot be followed (an entitlement the sync did not store) are warnings, as in baton-sdk. */
  warn: (w: SyncWarning) => void;
  signal?: AbortSignal | undefined;
  /** After each entitlement pair: pairs done and in all. */
  onProgress?: ((done: number, total: number) => void) | undefined;
  now?: () => number;
}

export interface ExpansionStats {
  /** Grants carrying GrantExpandable (e.g. a group that is a member of a group). */
  expandableGrants: number;
  /** Distinct source → destination entitlement pairs. */
  edges: number;
  /** Cycles collapsed (groups that contain each other, directly or through others). */
  cycles: number;
  /** New grants made by expansion (GrantImmutable, with sources). */
  derivedGrants: number;
  /** Grants the connector listed that expansion also reached: they keep their place and gain sources. */
  directGrantsWithSources: number;
  /** Entitlement pairs not followed because an entitlement is missing (also warnings). */
  droppedEdges: number;
  ms: number;
}

/**
 * Grant expansion with the semantics of baton-sdk's pkg/sync/expand (docs/c1z-format.md, "What goes in a
 * row"): for each grant carrying GrantExpandable{entitlement_ids, shallow, resource_type_ids}, every
 * principal holding one of those entitlements (after that entitlement's own expansion, unless `shallow`; of
 * the listed principal types when any are) gets a grant of the grant's entitlement, `<entitlement>:<principal
 * type>:<principal id>`, with `sources` naming the entitlements it came through and a GrantImmutable
 * annotation. A principal that already has a grant of it keeps that grant, which gains the source (and, if it
 * had no sources, its own entitlement marked direct). Cycles are collapsed as baton-sdk does (see
 * EntitlementGraph); a diamond gives one grant with both sources.
 *
 * It works on the store's rows a page at a time: memory holds the entitlement graph (one entry per
 * expandable grant), not the grants. Re-running it on an expanded sync changes nothing, so an interrupted
 * expansion is simply run again.
 */
export function expandGrants(store: GrantExpansionStore, opts: ExpansionOptions): ExpansionStats {
  const now = opts.now ?? Date.now;
  const started = now();
  const entitlements = new Map<string, EntitlementRow | undefined>();
  const entitlement = (id: string): EntitlementRow | undefined => {
    if (!entitlements.has(id)) entitlements.set(id, store.entitlement(id));
    return entitlements.get(id);
  };
  const stats: ExpansionStats = {
    expandableGrants: 0,
    edges: 0,
    cycles: 0,
    derivedGrants: 0,
    directGrantsWithSources: 0,
    droppedEdges: 0,
    ms: 0,
  };

  const graph = new EntitlementGraph();
  for (const row of store.expandableGrants()) {
    stats.expandableGrants += 1;
    const expandable = fromBinary(GrantExpandableSchema, row.expansion);
    const spec: EdgeSpec = {
      shallow: expandable.shallow,
      resourceTypeIds: new Set(expandable.resourceTypeIds),
    };
    for (const source of expandable.entitlementIds) {
      const found = entitlement(source);
      if (found === undefined) {
        stats.droppedEdges += 1;
        opts.warn({
          kind: 'expansion-source-missing',
          message: `grant ${row.externalId} expands entitlement ${source}, which this sync did not store; not expanded`,
        });
        continue;
      }
      // The expandable entitlement must belong to the grant's principal: anything else is a connector bug
      // that baton-sdk refuses too, since it would hand out access nobody was given.
      if (
        found.resourceTypeId !== row.principalResourceTypeId ||
        found.resourceId !== row.principalResourceId
      ) {
        throw new BatonError(
          GrpcCode.INTERNAL,
          `grant ${row.externalId} expands entitlement ${source} of ${found.resourceTypeId}:${found.resourceId}, ` +
            `not of its principal ${row.principalResourceTypeId}:${row.principalResourceId}`,
        );
      }
      graph.addEdge(source, row.entitlementId, spec);
    }
  }
  stats.edges = graph.edgeCount;

  const { nodes, longestPath } = graph.condense();
  stats.cycles = nodes.filter((n) => n.cyclic).length;
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (longestPath > maxDepth) {
    throw new BatonError(
      GrpcCode.FAILED_PRECONDITION,
      `grant expansion: entitlements nest ${longestPath} levels deep, more than the limit of ${maxDepth} ` +
        '(baton-sdk has the same limit); set BATON_GRAPH_EXPAND_MAX_DEPTH to a larger number to allow it',
    );
  }

  let total = 0;
  for (const node of nodes) {
    for (const to of node.out.keys()) total += node.entitlementIds.length * nodes[to]!.entitlementIds.length;
  }
  let done = 0;
  // Topological order: an entitlement passes its holders on only once everything feeding it has been expanded.
  for (const node of nodes) {
    for (const [to, spec] of node.out) {
      for (const source of node.entitlementIds) {
        for (const destinationId of nodes[to]!.entitlementIds) {
          opts.signal?.throwIfAborted();
          const destination = entitlement(destinationId);
          if (destination === undefined) {
            stats.droppedEdges += 1;
            opts.warn({
              kind: 'expansion-destination-missing',
              message: `entitlement ${destinationId} is named by expandable grants but this sync did not store it; not expanded`,
            });
          } else {
            expandEdge(store, source, destinationId, destination, spec, stats, opts.signal);
          }
          done += 1;
          opts.onProgress?.(done, total);
        }
      }
    }
  }
  stats.ms = now() - started;
  return stats;
}

/**
 * Every qualifying holder of `source` gets (or adds the source to) a grant of `destinationId`. The principals
 * already holding the destination are read once (as baton-sdk's prefetch does), so only those need a lookup;
 * new grants of a page are written together at its end.
 */
function expandEdge(
  store: GrantExpansionStore,
  source: string,
  destinationId: string,
  destination: EntitlementRow,
  spec: EdgeSpec,
  stats: ExpansionStats,
  signal: AbortSignal | undefined,
): void {
  const holders = store.principalsOf(destinationId, MAX_PREFETCHED_PRINCIPALS);
  let after = 0;
  for (;;) {
    // Source and destination are different entitlements (edges inside a cycle are gone), so the rows this
    // writes never show up in the pages it reads.
    signal?.throwIfAborted();
    const page = store.grantsOf(source, after, PAGE_ROWS);
    if (page.length === 0) return;
    store.batch((discoveredAt) => {
      /** New grants of this page by principal key: a principal holding `source` twice merges into one. */
      const created = new Map<string, { row: NewGrantRow; principal: Uint8Array; sources: Sources }>();
      for (const grant of page) {
        if (spec.resourceTypeIds.size > 0 && !spec.resourceTypeIds.has(grant.principalResourceTypeId))
          continue;
        const parts = readGrantParts(grant.data);
        // A grant the connector listed (no sources) or one that already came through `source` is direct.
        const direct = parts.sources.size === 0 || parts.sources.has(source);
        if ((spec.shallow && !direct) || parts.principal === undefined) continue;
        const key = principalKey(grant.principalResourceTypeId, grant.principalResourceId);
        const pending = created.get(key);
        if (pending !== undefined) {
          if (pending.sources.get(source) !== true) pending.sources.set(source, direct);
          continue;
        }
        const existing =
          holders === undefined || holders.has(key)
            ? store.grantsOfPrincipal(destinationId, grant.principalResourceTypeId, grant.principalResourceId)
            : [];
        if (existing.length === 0) {
          const id = `${destinationId}:${grant.principalResourceTypeId}:${grant.principalResourceId}`;
          const row: NewGrantRow = {
            resourceTypeId: destination.resourceTypeId,
            resourceId: destination.resourceId,
            entitlementId: destinationId,
            principalResourceTypeId: grant.principalResourceTypeId,
            principalResourceId: grant.principalResourceId,
            externalId: id,
            data: EMPTY,
          };
          created.set(key, { row, principal: parts.principal, sources: new Map([[source, direct]]) });
          continue;
        }
        for (const held of existing) {
          const sources = readGrantParts(held.data).sources;
          let changed = false;
          if (sources.size === 0) {
            sources.set(destinationId, true);
            stats.directGrantsWithSources += 1;
            changed = true;
          }
          const known = sources.get(source);
          if (known === undefined || (direct && !known)) {
            // Direct wins over indirect when both reach the same grant.
            sources.set(source, direct);
            changed = true;
          }
          if (changed) store.updateData(held.id, withSources(held.data, sources));
        }
      }
      const rows: NewGrantRow[] = [];
      for (const [key, { row, principal, sources }] of created) {
        row.data = expandedGrantBytes(destination.data, principal, row.externalId, sources);
        rows.push(row);
        holders?.add(key);
      }
      store.insert(rows, discoveredAt);
      stats.derivedGrants += rows.length;
    });
    if (page.length < PAGE_ROWS) return;
    after = page[page.length - 1]!.id;
  }
}
