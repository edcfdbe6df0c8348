import type { C1zReader, GrantRef } from '../c1z/reader.js';
import type { SyncRunRow } from '../c1z/store.js';
import { Entitlement_PurposeValue } from '../gen/c1/connector/v2/entitlement_pb.js';
import type { ResourceType } from '../gen/c1/connector/v2/resource_pb.js';
import { resourceFacts } from './resource-facts.js';
import type { ResourceFacts } from './resource-facts.js';

/** The reviewable facts of one entitlement. */
export interface EntitlementFacts {
  id: string;
  /** The entitlement's display name, else its slug, else its id. */
  displayName: string;
  /** The slug, else the part of the id after the resource (`group:g1:member` → `member`). */
  slug: string;
  purpose: Entitlement_PurposeValue;
  /** `<type>:<id>` of the resource it belongs to. */
  resourceKey: string;
  /** A role's entitlement, or one whose purpose is PERMISSION: what privileged access means here. */
  privileged: boolean;
}

/**
 * One sync of a c1z, loaded for review: resource types, resources and entitlements in memory (the
 * display names and kinds that grants refer to); grants stay in the file and are streamed by grants().
 */
export class SyncView {
  private constructor(
    readonly file: string,
    readonly run: SyncRunRow,
    readonly resourceTypes: ReadonlyMap<string, ResourceType>,
    readonly resources: ReadonlyMap<string, ResourceFacts>,
    readonly entitlements: ReadonlyMap<string, EntitlementFacts>,
    private readonly reader: C1zReader,
  ) {}

  static load(reader: C1zReader, run: SyncRunRow): SyncView {
    const types = new Map<string, ResourceType>();
    for (const t of reader.resourceTypes(run.syncId)) types.set(t.id, t);
    const resources = new Map<string, ResourceFacts>();
    for (const r of reader.resources(run.syncId)) {
      const facts = resourceFacts(r, types.get(r.id?.resourceType ?? ''));
      resources.set(facts.key, facts);
    }
    const entitlements = new Map<string, EntitlementFacts>();
    for (const e of reader.entitlements(run.syncId)) {
      const rid = e.resource?.id;
      const resourceKey = `${rid?.resourceType ?? ''}:${rid?.resource ?? ''}`;
      const slug = e.slug || (e.id.startsWith(`${resourceKey}:`) ? e.id.slice(resourceKey.length + 1) : e.id);
      const owner = resources.get(resourceKey);
      entitlements.set(e.id, {
        id: e.id,
        displayName: e.displayName || slug,
        slug,
        purpose: e.purpose,
        resourceKey,
        privileged: owner?.kind === 'role' || e.purpose === Entitlement_PurposeValue.PERMISSION,
      });
    }
    return new SyncView(reader.path, run, types, resources, entitlements, reader);
  }

  /** Every grant, in grant id (UTF-8) order, from the index columns only. */
  grants(): Iterable<GrantRef> {
    return this.reader.grantRefs(this.run.syncId);
  }

  /** Display name of a resource key, else the key itself (a principal not in this sync). */
  nameOf(key: string): string {
    return this.resources.get(key)?.displayName || key;
  }

  /** An entitlement's display name, else its id. */
  entitlementName(id: string): string {
    return this.entitlements.get(id)?.displayName ?? id;
  }

  /** Grants to an entitlement this view does not hold (a Go file may hold them) are not privileged. */
  isPrivileged(entitlementId: string): boolean {
    return this.entitlements.get(entitlementId)?.privileged === true;
  }
}

export const principalKey = (g: GrantRef): string => `${g.principalResourceType}:${g.principalResource}`;
