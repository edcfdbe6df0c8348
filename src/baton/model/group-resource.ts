import { create } from '@bufbuild/protobuf';
import { AnySchema } from '@bufbuild/protobuf/wkt';
import { GroupTraitSchema } from '../gen/c1/connector/v2/annotation_trait_pb.js';
import type { GroupTrait } from '../gen/c1/connector/v2/annotation_trait_pb.js';
import { AssetRefSchema } from '../gen/c1/connector/v2/asset_pb.js';
import type { Resource, ResourceType } from '../gen/c1/connector/v2/resource_pb.js';
import { upsertAnnotation } from './annotations.js';
import { encodeGroupTrait } from './bulk-encoding.js';
import { newResource } from './resource.js';
import type { ResourceOptions } from './resource.js';
import type { ObjectId } from './resource-id.js';
import { structFromObject } from './struct.js';
import type { ProfileObject } from './struct.js';
import { Limits, truncateUtf8 } from './truncate.js';
import { typeUrlOf } from './type-url.js';

export interface GroupTraitOptions {
  profile?: ProfileObject | undefined;
  iconId?: string | undefined;
  /** SDK constants: native, app_imported, built_in, directory_synced, dynamic, distribution. */
  groupSourceType?: string | undefined;
  rawGroupSourceType?: string | undefined;
}

export function newGroupTrait(opts: GroupTraitOptions = {}): GroupTrait {
  const trait = create(GroupTraitSchema, {
    groupSourceType: truncateUtf8(opts.groupSourceType ?? '', Limits.groupSourceType),
    rawGroupSourceType: truncateUtf8(opts.rawGroupSourceType ?? '', Limits.rawGroupSourceType),
  });
  if (opts.profile !== undefined) trait.profile = structFromObject(opts.profile);
  if (opts.iconId !== undefined) trait.icon = create(AssetRefSchema, { id: opts.iconId });
  return trait;
}

/** Go's NewGroupResource: a GroupTrait annotation, its profile and icon also copied onto the Resource. */
export function newGroupResource(
  name: string,
  resourceType: string | ResourceType,
  objectId: ObjectId,
  traitOpts: GroupTraitOptions = {},
  opts: ResourceOptions = {},
): Resource {
  const resource = newResource(name, resourceType, objectId, opts);
  const trait = newGroupTrait(traitOpts);
  // packAnnotation's bytes, by the bulk encoder (one trait per group).
  const packed = create(AnySchema, {
    typeUrl: typeUrlOf(GroupTraitSchema.typeName),
    value: encodeGroupTrait(trait),
  });
  resource.annotations = upsertAnnotation(resource.annotations, packed);
  if (resource.profile === undefined && trait.profile !== undefined) resource.profile = trait.profile;
  if (resource.icon === undefined && trait.icon !== undefined) resource.icon = trait.icon;
  return resource;
}
