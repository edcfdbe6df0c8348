import { createRegistry } from '@bufbuild/protobuf';
import type { Registry } from '@bufbuild/protobuf';
import {
  file_google_protobuf_any,
  file_google_protobuf_duration,
  file_google_protobuf_struct,
  file_google_protobuf_timestamp,
} from '@bufbuild/protobuf/wkt';
import { file_c1_c1z_v1_annotation_sync_details } from '../gen/c1/c1z/v1/annotation_sync_details_pb.js';
import { file_c1_connector_v2_annotation_entitlement } from '../gen/c1/connector/v2/annotation_entitlement_pb.js';
import { file_c1_connector_v2_annotation_etag } from '../gen/c1/connector/v2/annotation_etag_pb.js';
import { file_c1_connector_v2_annotation_external_link } from '../gen/c1/connector/v2/annotation_external_link_pb.js';
import { file_c1_connector_v2_annotation_grant } from '../gen/c1/connector/v2/annotation_grant_pb.js';
import { file_c1_connector_v2_annotation_id_alias } from '../gen/c1/connector/v2/annotation_id_alias_pb.js';
import { file_c1_connector_v2_annotation_ratelimit } from '../gen/c1/connector/v2/annotation_ratelimit_pb.js';
import { file_c1_connector_v2_annotation_raw_id } from '../gen/c1/connector/v2/annotation_raw_id_pb.js';
import { file_c1_connector_v2_annotation_resource } from '../gen/c1/connector/v2/annotation_resource_pb.js';
import { file_c1_connector_v2_annotation_resource_tree } from '../gen/c1/connector/v2/annotation_resource_tree_pb.js';
import { file_c1_connector_v2_annotation_trait } from '../gen/c1/connector/v2/annotation_trait_pb.js';
import { file_c1_connector_v2_annotation_v1_identifier } from '../gen/c1/connector/v2/annotation_v1_identifier_pb.js';
import { file_c1_connector_v2_asset } from '../gen/c1/connector/v2/asset_pb.js';
import { file_c1_connector_v2_connector } from '../gen/c1/connector/v2/connector_pb.js';
import { file_c1_connector_v2_entitlement } from '../gen/c1/connector/v2/entitlement_pb.js';
import { file_c1_connector_v2_grant } from '../gen/c1/connector/v2/grant_pb.js';
import { file_c1_connector_v2_resource } from '../gen/c1/connector/v2/resource_pb.js';
import { file_c1_reader_v2_sync } from '../gen/c1/reader/v2/sync_pb.js';

/**
 * Every message type the Baton layer declares, plus the well-known types, so that `Any` annotations
 * can be unpacked by type URL. Built on first use: no work happens on import.
 */
let registry: Registry | undefined;

export function batonRegistry(): Registry {
  registry ??= createRegistry(
    file_google_protobuf_any,
    file_google_protobuf_duration,
    file_google_protobuf_struct,
    file_google_protobuf_timestamp,
    file_c1_connector_v2_asset,
    file_c1_connector_v2_resource,
    file_c1_connector_v2_entitlement,
    file_c1_connector_v2_grant,
    file_c1_connector_v2_annotation_trait,
    file_c1_connector_v2_annotation_entitlement,
    file_c1_connector_v2_annotation_etag,
    file_c1_connector_v2_annotation_external_link,
    file_c1_connector_v2_annotation_grant,
    file_c1_connector_v2_annotation_id_alias,
    file_c1_connector_v2_annotation_ratelimit,
    file_c1_connector_v2_annotation_raw_id,
    file_c1_connector_v2_annotation_resource,
    file_c1_connector_v2_annotation_resource_tree,
    file_c1_connector_v2_annotation_v1_identifier,
    file_c1_connector_v2_connector,
    file_c1_reader_v2_sync,
    file_c1_c1z_v1_annotation_sync_details,
  );
  return registry;
}
