import { create } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import { ResourceTypeSchema } from '../gen/c1/connector/v2/resource_pb.js';
import type { ResourceType, ResourceType_Trait } from '../gen/c1/connector/v2/resource_pb.js';
import { Limits, truncateUtf8 } from './truncate.js';

export interface ResourceTypeOptions {
  /** Overrides the id derived from the name. */
  id?: string | undefined;
  description?: string | undefined;
  annotations?: readonly Any[] | undefined;
  sourcedExternally?: boolean | undefined;
}

/**
 * Go's NewResourceType id rule: lower-case name with spaces replaced by "-". The id is a public
 * contract (ConductorOne keys configuration on it), so it must not drift.
 */
export const resourceTypeIdFromName = (name: string): string => name.toLowerCase().replaceAll(' ', '-');

/** A ResourceType with display_name = name, like Go's NewResourceType(name, traits, annotations...). */
export function newResourceType(
  name: string,
  traits: readonly ResourceType_Trait[],
  opts: ResourceTypeOptions = {},
): ResourceType {
  return create(ResourceTypeSchema, {
    id: truncateUtf8(opts.id ?? resourceTypeIdFromName(name), Limits.id),
    displayName: truncateUtf8(name, Limits.displayName),
    traits: [...traits],
    annotations: [...(opts.annotations ?? [])],
    description: truncateUtf8(opts.description ?? '', Limits.resourceTypeDescription),
    sourcedExternally: opts.sourcedExternally ?? false,
  });
}
