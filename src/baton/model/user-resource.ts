import { create } from '@bufbuild/protobuf';
import { AnySchema, timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  UserTrait_AccountType,
  UserTrait_EmailSchema,
  UserTrait_MFAStatusSchema,
  UserTrait_SSOStatusSchema,
  UserTrait_Status_Status,
  UserTrait_StatusSchema,
  UserTrait_StructuredNameSchema,
  UserTraitSchema,
} from '../gen/c1/connector/v2/annotation_trait_pb.js';
import type { UserTrait } from '../gen/c1/connector/v2/annotation_trait_pb.js';
import { AssetRefSchema } from '../gen/c1/connector/v2/asset_pb.js';
import { StatusSchema } from '../gen/c1/connector/v2/resource_pb.js';
import type { Resource, ResourceType, Status_ResourceStatus } from '../gen/c1/connector/v2/resource_pb.js';
import { upsertAnnotation } from './annotations.js';
import { encodeUserTrait } from './bulk-encoding.js';
import { newResource } from './resource.js';
import type { ResourceOptions } from './resource.js';
import type { ObjectId } from './resource-id.js';
import { structFromObject } from './struct.js';
import type { ProfileObject } from './struct.js';
import { Limits, truncateUtf8 } from './truncate.js';
import { typeUrlOf } from './type-url.js';

export interface UserTraitOptions {
  emails?: readonly { address: string; primary?: boolean | undefined }[] | undefined;
  login?: string | undefined;
  loginAliases?: readonly string[] | undefined;
  employeeIds?: readonly string[] | undefined;
  /** Default ACCOUNT_TYPE_HUMAN. */
  accountType?: UserTrait_AccountType | undefined;
  /** Default STATUS_ENABLED. */
  status?: UserTrait_Status_Status | undefined;
  statusDetails?: string | undefined;
  profile?: ProfileObject | undefined;
  iconId?: string | undefined;
  createdAt?: Date | undefined;
  lastLogin?: Date | undefined;
  mfaEnabled?: boolean | undefined;
  ssoEnabled?: boolean | undefined;
  structuredName?:
    | {
        givenName?: string | undefined;
        familyName?: string | undefined;
        middleNames?: readonly string[] | undefined;
        prefix?: string | undefined;
        suffix?: string | undefined;
      }
    | undefined;
}

/** Go's NewUserTrait: status ENABLED and account type HUMAN unless given; empty emails are skipped. */
export function newUserTrait(opts: UserTraitOptions = {}): UserTrait {
  const trait = create(UserTraitSchema, {
    emails: (opts.emails ?? [])
      .filter((e) => e.address !== '')
      .map((e) => create(UserTrait_EmailSchema, { address: e.address, isPrimary: e.primary ?? false })),
    status: create(UserTrait_StatusSchema, {
      status: opts.status ?? UserTrait_Status_Status.ENABLED,
      details: truncateUtf8(opts.statusDetails ?? '', Limits.statusDetails),
    }),
    accountType:
      opts.accountType === undefined || opts.accountType === UserTrait_AccountType.UNSPECIFIED
        ? UserTrait_AccountType.HUMAN
        : opts.accountType,
    login: opts.login ?? '',
    loginAliases: opts.login ? [...(opts.loginAliases ?? [])] : [],
    employeeIds: [...(opts.employeeIds ?? [])],
  });
  if (opts.profile !== undefined) trait.profile = structFromObject(opts.profile);
  if (opts.iconId !== undefined) trait.icon = create(AssetRefSchema, { id: opts.iconId });
  if (opts.createdAt !== undefined) trait.createdAt = timestampFromDate(opts.createdAt);
  if (opts.lastLogin !== undefined) trait.lastLogin = timestampFromDate(opts.lastLogin);
  if (opts.mfaEnabled !== undefined) {
    trait.mfaStatus = create(UserTrait_MFAStatusSchema, { mfaEnabled: opts.mfaEnabled });
  }
  if (opts.ssoEnabled !== undefined) {
    trait.ssoStatus = create(UserTrait_SSOStatusSchema, { ssoEnabled: opts.ssoEnabled });
  }
  if (opts.structuredName !== undefined) {
    const n = opts.structuredName;
    trait.structuredName = create(UserTrait_StructuredNameSchema, {
      givenName: n.givenName ?? '',
      familyName: n.familyName ?? '',
      middleNames: [...(n.middleNames ?? [])],
      prefix: n.prefix ?? '',
      suffix: n.suffix ?? '',
    });
  }
  return trait;
}

/**
 * Go's NewUserResource: the resource options first, then the UserTrait annotation, whose profile,
 * icon, created_at and status are copied onto Resource fields 9–12 unless already set there (older
 * readers only look at the trait, newer ones at the resource, so both carry them).
 */
export function newUserResource(
  name: string,
  resourceType: string | ResourceType,
  objectId: ObjectId,
  traitOpts: UserTraitOptions = {},
  opts: ResourceOptions = {},
): Resource {
  const resource = newResource(name, resourceType, objectId, opts);
  const trait = newUserTrait(traitOpts);
  // packAnnotation's bytes, by the bulk encoder: one trait per user adds up at 100k users.
  const packed = create(AnySchema, {
    typeUrl: typeUrlOf(UserTraitSchema.typeName),
    value: encodeUserTrait(trait),
  });
  resource.annotations = upsertAnnotation(resource.annotations, packed);
  if (resource.profile === undefined && trait.profile !== undefined) resource.profile = trait.profile;
  if (resource.icon === undefined && trait.icon !== undefined) resource.icon = trait.icon;
  if (resource.createdAt === undefined && trait.createdAt !== undefined) resource.createdAt = trait.createdAt;
  if (resource.status === undefined && trait.status !== undefined) {
    resource.status = create(StatusSchema, {
      status: trait.status.status as number as Status_ResourceStatus,
      details: trait.status.details,
    });
  }
  return resource;
}
