import type { DescMessage } from '@bufbuild/protobuf';
import {
  SkipEntitlementsAndGrantsSchema,
  SkipEntitlementsSchema,
  SkipGrantsSchema,
} from '../gen/c1/connector/v2/annotation_resource_tree_pb.js';
import {
  AppTraitSchema,
  GroupTraitSchema,
  RoleTraitSchema,
  UserTraitSchema,
} from '../gen/c1/connector/v2/annotation_trait_pb.js';

type AnnotationType = Pick<DescMessage, 'typeName'>;

/** Annotations the engine acts on; readers match them by message name, not by position. */
export const SKIP_ENTITLEMENTS_AND_GRANTS: AnnotationType = SkipEntitlementsAndGrantsSchema;
export const SKIP_ENTITLEMENTS: AnnotationType = SkipEntitlementsSchema;
export const SKIP_GRANTS: AnnotationType = SkipGrantsSchema;
/** SDK-reserved: a connector returning it on a resource fails the sync (not declared in our protos). */
export const BATON_ID: AnnotationType = { typeName: 'c1.connector.v2.BatonID' };

/** Trait a resource must carry when its type declares it (baton-sdk `validateResourceTraits`). */
export const TRAIT_ANNOTATIONS: Readonly<Record<number, AnnotationType>> = {
  1: UserTraitSchema,
  2: GroupTraitSchema,
  3: RoleTraitSchema,
  4: AppTraitSchema,
  5: { typeName: 'c1.connector.v2.SecretTrait' },
};
