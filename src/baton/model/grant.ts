import { create } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import { GrantMetadataSchema } from '../gen/c1/connector/v2/annotation_grant_pb.js';
import { Entitlement_PurposeValue } from '../gen/c1/connector/v2/entitlement_pb.js';
import type { Entitlement } from '../gen/c1/connector/v2/entitlement_pb.js';
import type { Grant } from '../gen/c1/connector/v2/grant_pb.js';
import { Resource_CreationSource, ResourceIdSchema } from '../gen/c1/connector/v2/resource_pb.js';
import type { Resource, ResourceId } from '../gen/c1/connector/v2/resource_pb.js';
import { packAnnotation, upsertAnnotation } from './annotations.js';
import { newEntitlementId } from './entitlement.js';
import { structFromObject } from './struct.js';
import type { ProfileObject } from './struct.js';
import { checkedId } from './id-limit.js';

export interface GrantOptions {
  annotations?: readonly Any[] | undefined;
  /** Stored as a GrantMetadata annotation (Go's WithGrantMetadata). */
  metadata?: ProfileObject | undefined;
}

/**
 * `<entitlement id>:<principal type>:<principal id>` (Go's NewGrantID); a public contract. Over 1024 bytes
 * it is an IdTooLongError, never cut.
 */
export function newGrantId(entitlementId: string, principal: ResourceId): string {
  return checkedId(`${entitlementId}:${principal.resourceType}:${principal.resource}`, 'grant id');
}

/**
 * Go's NewGrant: entitlement = {id, resource: the whole resource} (the same object, so the c1z
 * writer encodes it once per resource), principal = {id} for a ResourceId or the full resource.
 *
 * A sync builds one grant per membership, so the messages are written as literals of exactly the shape
 * `create()` gives them (a test holds the two equal) instead of paying for reflection four times a grant.
 */
export function newGrant(
  resource: Resource,
  entitlementName: string,
  principal: ResourceId | Resource,
  opts: GrantOptions = {},
): Grant {
  const principalResource: Resource =
    principal.$typeName === 'c1.connector.v2.Resource'
      ? principal
      : {
          $typeName: 'c1.connector.v2.Resource',
          id: principal,
          displayName: '',
          annotations: [],
          description: '',
          batonResource: false,
          creationSource: Resource_CreationSource.UNSPECIFIED,
        };
  const principalId = principalResource.id ?? create(ResourceIdSchema);
  const entitlementId = newEntitlementId(resource, entitlementName);
  let annotations: Any[] = [...(opts.annotations ?? [])];
  if (opts.metadata !== undefined) {
    const metadata = structFromObject(opts.metadata);
    annotations = upsertAnnotation(annotations, packAnnotation(GrantMetadataSchema, { metadata }));
  }
  const entitlement: Entitlement = {
    $typeName: 'c1.connector.v2.Entitlement',
    resource,
    id: entitlementId,
    displayName: '',
    description: '',
    grantableTo: [],
    annotations: [],
    purpose: Entitlement_PurposeValue.UNSPECIFIED,
    slug: '',
  };
  return {
    $typeName: 'c1.connector.v2.Grant',
    entitlement,
    principal: principalResource,
    id: newGrantId(entitlementId, principalId),
    annotations,
  };
}
