import { create } from '@bufbuild/protobuf';
import { RoleTraitSchema } from '../gen/c1/connector/v2/annotation_trait_pb.js';
import type { RoleTrait } from '../gen/c1/connector/v2/annotation_trait_pb.js';
import type { Resource, ResourceType } from '../gen/c1/connector/v2/resource_pb.js';
import { packAnnotation, upsertAnnotation } from './annotations.js';
import { newResource } from './resource.js';
import type { ResourceOptions } from './resource.js';
import type { ObjectId } from './resource-id.js';
import { structFromObject } from './struct.js';
import type { ProfileObject } from './struct.js';

export interface RoleTraitOptions {
  profile?: ProfileObject | undefined;
}

export function newRoleTrait(opts: RoleTraitOptions = {}): RoleTrait {
  const trait = create(RoleTraitSchema, {});
  if (opts.profile !== undefined) trait.profile = structFromObject(opts.profile);
  return trait;
}

/** Go's NewRoleResource: a RoleTrait annotation, its profile also copied onto the Resource. */
export function newRoleResource(
  name: string,
  resourceType: string | ResourceType,
  objectId: ObjectId,
  traitOpts: RoleTraitOptions = {},
  opts: ResourceOptions = {},
): Resource {
  const resource = newResource(name, resourceType, objectId, opts);
  const trait = newRoleTrait(traitOpts);
  resource.annotations = upsertAnnotation(resource.annotations, packAnnotation(RoleTraitSchema, trait));
  if (resource.profile === undefined && trait.profile !== undefined) resource.profile = trait.profile;
  return resource;
}
