import type { ResourceId, ResourceType } from '../gen/c1/connector/v2/resource_pb.js';
import { Limits, truncateUtf8 } from './truncate.js';

export type ObjectId = string | number | bigint;

const resourceTypeIdOf = (rt: string | ResourceType): string => (typeof rt === 'string' ? rt : rt.id);

/**
 * Go's NewResourceID: integer ids are written in decimal. One per membership in a sync: a literal of the
 * shape `create()` gives (a test holds the two equal).
 */
export function newResourceId(resourceType: string | ResourceType, objectId: ObjectId): ResourceId {
  return {
    $typeName: 'c1.connector.v2.ResourceId',
    resourceType: truncateUtf8(resourceTypeIdOf(resourceType), Limits.id),
    resource: truncateUtf8(String(objectId), Limits.id),
    batonResource: false,
  };
}
