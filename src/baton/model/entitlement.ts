import { create } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import { Entitlement_PurposeValue, EntitlementSchema } from '../gen/c1/connector/v2/entitlement_pb.js';
import type { Entitlement } from '../gen/c1/connector/v2/entitlement_pb.js';
import type { Resource, ResourceId, ResourceType } from '../gen/c1/connector/v2/resource_pb.js';
import { checkedId } from './id-limit.js';
import { Limits, truncateUtf8 } from './truncate.js';

export interface EntitlementOptions {
  displayName?: string | undefined;
  description?: string | undefined;
  slug?: string | undefined;
  /** Full ResourceType messages, as Go's WithGrantableTo stores them. */
  grantableTo?: readonly ResourceType[] | undefined;
  annotations?: readonly Any[] | undefined;
}

const idOf = (r: Resource | ResourceId): ResourceId | undefined =>
  r.$typeName === 'c1.connector.v2.Resource' ? r.id : r;

/**
 * `<resource type>:<resource id>:<name>` with no escaping (Go's NewEntitlementID). The id is a
 * public contract: ConductorOne keys configuration on it. Over 1024 bytes it is an IdTooLongError, never cut.
 */
export function newEntitlementId(resource: Resource | ResourceId, name: string): string {
  const id = idOf(resource);
  return checkedId(`${id?.resourceType ?? ''}:${id?.resource ?? ''}:${name}`, 'entitlement id');
}

/**
 * Go's NewEntitlement family: id, display_name = slug = name, the purpose, and the whole resource
 * embedded (the same object, not a copy, so the c1z writer can reuse its encoding).
 */
export function newEntitlement(
  resource: Resource,
  name: string,
  purpose: Entitlement_PurposeValue,
  opts: EntitlementOptions = {},
): Entitlement {
  return create(EntitlementSchema, {
    resource,
    id: newEntitlementId(resource, name),
    displayName: truncateUtf8(opts.displayName ?? name, Limits.displayName),
    description: truncateUtf8(opts.description ?? '', Limits.description),
    grantableTo: [...(opts.grantableTo ?? [])],
    annotations: [...(opts.annotations ?? [])],
    purpose,
    slug: opts.slug ?? name,
  });
}

export const newAssignmentEntitlement = (resource: Resource, name: string, opts?: EntitlementOptions) =>
  newEntitlement(resource, name, Entitlement_PurposeValue.ASSIGNMENT, opts);

export const newPermissionEntitlement = (resource: Resource, name: string, opts?: EntitlementOptions) =>
  newEntitlement(resource, name, Entitlement_PurposeValue.PERMISSION, opts);

export const newOwnershipEntitlement = (resource: Resource, name: string, opts?: EntitlementOptions) =>
  newEntitlement(resource, name, Entitlement_PurposeValue.OWNERSHIP, opts);
