import type { JsonValue } from '@bufbuild/protobuf';
import {
  GroupTraitSchema,
  RoleTraitSchema,
  UserTraitSchema,
} from '../gen/c1/connector/v2/annotation_trait_pb.js';
import type { Resource, ResourceType } from '../gen/c1/connector/v2/resource_pb.js';
import { ResourceType_Trait } from '../gen/c1/connector/v2/resource_pb.js';
import { findAnnotation, hasAnnotation } from '../model/annotations.js';

/** What a resource is to a reviewer, from its type's traits (or, failing that, its own trait annotation). */
export type ResourceKind = 'user' | 'group' | 'role' | 'other';

/** Resource.Status and UserTrait.Status share these numbers (1 enabled, 2 disabled, 3 deleted). */
export type ResourceStatus = 'enabled' | 'disabled' | 'deleted' | '';

const STATUS_NAMES: readonly ResourceStatus[] = ['', 'enabled', 'disabled', 'deleted'];

/** The reviewable facts of one resource; `key` is `<type>:<id>`, the c1z external id. */
export interface ResourceFacts {
  key: string;
  resourceType: string;
  resourceId: string;
  displayName: string;
  kind: ResourceKind;
  status: ResourceStatus;
  /** The user trait's login; '' for anything else. */
  login: string;
  /** Top-level profile fields (the resource's, else its user trait's). */
  profile: Record<string, JsonValue>;
}

/** A resource type's kind from its traits: user, group and role are what an access review reads. */
export function kindOfType(type: ResourceType | undefined): ResourceKind {
  const traits = type?.traits ?? [];
  if (traits.includes(ResourceType_Trait.USER)) return 'user';
  if (traits.includes(ResourceType_Trait.GROUP)) return 'group';
  if (traits.includes(ResourceType_Trait.ROLE)) return 'role';
  return 'other';
}

export function resourceFacts(resource: Resource, type: ResourceType | undefined): ResourceFacts {
  const resourceType = resource.id?.resourceType ?? '';
  const resourceId = resource.id?.resource ?? '';
  const annotations = resource.annotations;
  let kind = kindOfType(type);
  if (kind === 'other') {
    if (hasAnnotation(annotations, UserTraitSchema)) kind = 'user';
    else if (hasAnnotation(annotations, GroupTraitSchema)) kind = 'group';
    else if (hasAnnotation(annotations, RoleTraitSchema)) kind = 'role';
  }
  const userTrait = kind === 'user' ? findAnnotation(annotations, UserTraitSchema) : undefined;
  // Newer SDKs copy the status onto the resource; older files only have it in the user trait.
  const statusNumber = resource.status?.status || userTrait?.status?.status || 0;
  return {
    key: `${resourceType}:${resourceId}`,
    resourceType,
    resourceId,
    displayName: resource.displayName,
    kind,
    status: STATUS_NAMES[statusNumber] ?? '',
    login: userTrait?.login ?? '',
    profile: { ...(resource.profile ?? userTrait?.profile ?? {}) },
  };
}

/** Disabled and deleted resources are inactive; a resource without a status counts as active. */
export const isInactive = (r: Pick<ResourceFacts, 'status'>): boolean =>
  r.status === 'disabled' || r.status === 'deleted';
