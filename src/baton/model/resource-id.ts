import type { ResourceId, ResourceType } from '../gen/c1/connector/v2/resource_pb.js';
import { checkedId } from './id-limit.js';

export type ObjectId = string | number | bigint;

const resourceTypeIdOf = (rt: string | ResourceType): string => (typeof rt === 'string' ? rt : rt.id);

/**
 * Go's NewResourceID: integer ids are written in decimal. An id over 1024 bytes is an IdTooLongError, never
 * cut (a cut id can collide with another). One per membership in a sync: a literal of the
 * shape `create()` gives (a test holds the two equal).
 */
export function newResourceId(resourceType: string | ResourceType, objectId: ObjectId): ResourceId {
  return {
    $typeName: 'c1.connector.v2.ResourceId',
    resourceType: checkedId(resourceTypeIdOf(resourceType), 'resource type id'),
    resource: checkedId(String(objectId), 'resource id'),
    batonResource: false,
  };
}
