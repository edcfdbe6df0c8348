import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { Any } from '@bufbuild/protobuf/wkt';
import { AliasesSchema } from '../gen/c1/connector/v2/annotation_id_alias_pb.js';
import { ExternalLinkSchema } from '../gen/c1/connector/v2/annotation_external_link_pb.js';
import { AssetRefSchema } from '../gen/c1/connector/v2/asset_pb.js';
import { ResourceSchema, StatusSchema } from '../gen/c1/connector/v2/resource_pb.js';
import type {
  Resource,
  ResourceId,
  ResourceType,
  Status_ResourceStatus,
} from '../gen/c1/connector/v2/resource_pb.js';
import { packAnnotation, upsertAnnotation } from './annotations.js';
import { newResourceId } from './resource-id.js';
import type { ObjectId } from './resource-id.js';
import { structFromObject } from './struct.js';
import type { ProfileObject } from './struct.js';
import { Limits, truncateUtf8 } from './truncate.js';

export interface ResourceOptions {
  parent?: ResourceId | undefined;
  description?: string | undefined;
  /** Appended in order, like Go's WithAnnotation. */
  annotations?: readonly Any[] | undefined;
  profile?: ProfileObject | undefined;
  /** AssetRef id of the icon. */
  iconId?: string | undefined;
  status?: { status: Status_ResourceStatus; details?: string | undefined } | undefined;
  createdAt?: Date | undefined;
  aliases?: readonly string[] | undefined;
  externalLink?: string | undefined;
}

/** Go's NewResource: {id, display_name: name} plus the options. */
export function newResource(
  name: string,
  resourceType: string | ResourceType,
  objectId: ObjectId,
  opts: ResourceOptions = {},
): Resource {
  let annotations: Any[] = [...(opts.annotations ?? [])];
  if (opts.aliases !== undefined && opts.aliases.length > 0) {
    annotations = upsertAnnotation(annotations, packAnnotation(AliasesSchema, { ids: [...opts.aliases] }));
  }
  if (opts.externalLink !== undefined && opts.externalLink !== '') {
    const url = truncateUtf8(opts.externalLink, Limits.url);
    annotations = upsertAnnotation(annotations, packAnnotation(ExternalLinkSchema, { url }));
  }
  const resource = create(ResourceSchema, {
    id: newResourceId(resourceType, objectId),
    displayName: truncateUtf8(name, Limits.displayName),
    description: truncateUtf8(opts.description ?? '', Limits.description),
    annotations,
  });
  if (opts.parent !== undefined) resource.parentResourceId = opts.parent;
  if (opts.profile !== undefined) resource.profile = structFromObject(opts.profile);
  if (opts.iconId !== undefined) resource.icon = create(AssetRefSchema, { id: opts.iconId });
  if (opts.status !== undefined) {
    resource.status = create(StatusSchema, {
      status: opts.status.status,
      details: truncateUtf8(opts.status.details ?? '', Limits.statusDetails),
    });
  }
  if (opts.createdAt !== undefined) resource.createdAt = timestampFromDate(opts.createdAt);
  return resource;
}
