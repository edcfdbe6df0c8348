import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { GrantExpandableSchema } from '../gen/c1/connector/v2/annotation_grant_pb.js';
import type { Grant } from '../gen/c1/connector/v2/grant_pb.js';
import { BatonError, GrpcCode } from '../errors.js';
import { typeUrlOf } from '../model/type-url.js';
import type { GrantEncoder } from './grant-encoder.js';

const EXPANDABLE_URL = typeUrlOf(GrantExpandableSchema.typeName);

/** The values of one v1_grants row, minus sync_id and discovered_at. */
export interface GrantRow {
  resourceTypeId: string;
  resourceId: string;
  entitlementId: string;
  principalResourceTypeId: string;
  principalResourceId: string;
  externalId: string;
  expansion: Uint8Array | null;
  needsExpansion: 0 | 1;
  data: Buffer;
}

/**
 * Build a grant row the way Go's grant writer does (docs/c1z-format.md, "What goes in a row"): a
 * GrantExpandable annotation is removed from `data`; if it names at least one non-blank entitlement id its
 * bytes go to `expansion` with needs_expansion = 1. The caller's grant object is not modified.
 */
export function grantRow(grant: Grant, encoder: GrantEncoder): GrantRow {
  const ent = grant.entitlement;
  const entId = ent?.resource?.id;
  const principalId = grant.principal?.id;
  if (ent === undefined || entId === undefined || principalId === undefined || grant.id === '') {
    throw new BatonError(
      GrpcCode.INVALID_ARGUMENT,
      `grant "${grant.id}" needs an id, an entitlement with its resource, and a principal id`,
    );
  }
  let expansion: Uint8Array | null = null;
  let stored = grant;
  if (grant.annotations.length > 0 && grant.annotations.some((a) => a.typeUrl === EXPANDABLE_URL)) {
    const found = grant.annotations.find((a) => a.typeUrl === EXPANDABLE_URL)!;
    const expandable = fromBinary(GrantExpandableSchema, found.value);
    if (expandable.entitlementIds.some((id) => id.trim() !== '')) {
      expansion = toBinary(GrantExpandableSchema, expandable);
    }
    stored = { ...grant, annotations: grant.annotations.filter((a) => a.typeUrl !== EXPANDABLE_URL) };
  }
  // Text columns hold valid UTF-8, as Go's do: a lone surrogate is stored as U+FFFD (as in the data blob).
  return {
    resourceTypeId: entId.resourceType.toWellFormed(),
    resourceId: entId.resource.toWellFormed(),
    entitlementId: ent.id.toWellFormed(),
    principalResourceTypeId: principalId.resourceType.toWellFormed(),
    principalResourceId: principalId.resource.toWellFormed(),
    externalId: grant.id.toWellFormed(),
    expansion,
    needsExpansion: expansion === null ? 0 : 1,
    data: encoder.encode(stored),
  };
}
