import type { Any } from '@bufbuild/protobuf/wkt';

const TYPE_PREFIX = 'type.googleapis.com/';

/** Annotation type names the engine acts on; readers match on the message name, not on order. */
export const SKIP_ENTITLEMENTS_AND_GRANTS = 'c1.connector.v2.SkipEntitlementsAndGrants';
export const SKIP_ENTITLEMENTS = 'c1.connector.v2.SkipEntitlements';
export const SKIP_GRANTS = 'c1.connector.v2.SkipGrants';
export const GRANT_EXPANDABLE = 'c1.connector.v2.GrantExpandable';
export const BATON_ID = 'c1.connector.v2.BatonID';

export const hasAnnotation = (annotations: readonly Any[], typeName: string): boolean =>
  annotations.some((a) => a.typeUrl === TYPE_PREFIX + typeName);

/** Trait a resource must carry when its type declares it (baton-sdk `validateResourceTraits`). */
export const TRAIT_ANNOTATIONS: Readonly<Record<number, string>> = {
  1: 'c1.connector.v2.UserTrait',
  2: 'c1.connector.v2.GroupTrait',
  3: 'c1.connector.v2.RoleTrait',
  4: 'c1.connector.v2.AppTrait',
  5: 'c1.connector.v2.SecretTrait',
};
