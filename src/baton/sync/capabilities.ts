import { create, toJson } from '@bufbuild/protobuf';
import { anyPack, AnySchema } from '@bufbuild/protobuf/wkt';
import {
  Capability,
  CapabilityPermissionsSchema,
  ConnectorCapabilitiesSchema,
  ResourceTypeCapabilitySchema,
  type ConnectorCapabilities,
} from '../gen/c1/connector/v2/connector_pb.js';
import type { ResourceType } from '../gen/c1/connector/v2/resource_pb.js';
import { batonRegistry } from '../model/registry.js';
import type { Connector } from './connector.js';

/**
 * What baton-sdk's GetCapabilities reports for a connector that only syncs: CAPABILITY_SYNC on the connector
 * and on every resource type (sorted by id), `permissions` always present (docs/architecture.md, "What the
 * CLI shares with Go connectors").
 */
export function connectorCapabilities(connector: Pick<Connector, 'resourceSyncers'>): ConnectorCapabilities {
  return capabilitiesOf(connector.resourceSyncers().map((s) => s.resourceType));
}

/**
 * The same answer from the resource types alone: a connector's description needs no client or credentials,
 * so `capabilities` and service mode's Hello can be answered before (or without) connecting anywhere.
 */
export function capabilitiesOf(resourceTypes: readonly ResourceType[]): ConnectorCapabilities {
  const types = [...resourceTypes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return create(ConnectorCapabilitiesSchema, {
    resourceTypeCapabilities: types.map((resourceType) =>
      create(ResourceTypeCapabilitySchema, {
        resourceType,
        capabilities: [Capability.SYNC],
        permissions: create(CapabilityPermissionsSchema),
      }),
    ),
    connectorCapabilities: [Capability.SYNC],
  });
}

/** The `capabilities` subcommand's output: the message wrapped in an Any, as protojson with 2-space indent. */
export function capabilitiesJson(capabilities: ConnectorCapabilities): string {
  const any = anyPack(ConnectorCapabilitiesSchema, capabilities);
  const json = toJson(AnySchema, any, { registry: batonRegistry() }) as Record<string, unknown>;
  // Go's protojson writes "@type" first; keep that order so the output diffs cleanly against Go's.
  const { '@type': type, ...fields } = json;
  return JSON.stringify({ '@type': type, ...fields }, null, 2);
}
