import { create } from '@bufbuild/protobuf';
import {
  ConnectorMetadataSchema,
  type ConnectorCapabilities,
  type ConnectorMetadata,
} from '../baton/gen/c1/connector/v2/connector_pb.js';
import { capabilitiesOf } from '../baton/sync/capabilities.js';
import type { Connector, ResourceSyncer } from '../baton/sync/connector.js';
import type { XmattersClient } from '../xmatters/index.js';
import { GroupSyncer } from './group-syncer.js';
import { RESOURCE_TYPES } from './resource-types.js';
import { RoleHoldings } from './role-holdings.js';
import { RoleSyncer } from './role-syncer.js';
import { UserSyncer } from './user-syncer.js';

export const CONNECTOR_DISPLAY_NAME = 'xMatters';
export const CONNECTOR_DESCRIPTION =
  'Syncs xMatters people, groups, group memberships and supervisors, and roles (read-only) for access reviews in ConductorOne.';

/**
 * What the connector is, without any instance of it: name, description and capabilities (every resource
 * type, sync only). `capabilities` and service mode's Hello use this; no client or credentials needed.
 */
export function xmattersConnectorMetadata(): ConnectorMetadata {
  return create(ConnectorMetadataSchema, {
    displayName: CONNECTOR_DISPLAY_NAME,
    description: CONNECTOR_DESCRIPTION,
    capabilities: xmattersCapabilities(),
  });
}

/** Sync of every resource type; the `capabilities` subcommand's answer. */
export function xmattersCapabilities(): ConnectorCapabilities {
  return capabilitiesOf(RESOURCE_TYPES);
}

export interface XmattersConnectorOptions {
  /** `--sync-emails`: read people's devices and keep their EMAIL addresses. Default off. */
  syncEmails?: boolean;
  /** False when the sync reads no rosters: the access check then does not ask for that permission. */
  readsRosters?: boolean;
  /** `--expand-nested-groups`: groups on rosters become expandable grants (nested-group-grant.ts). */
  expandNestedGroups?: boolean;
}

/**
 * The xMatters connector: users from /people, groups from /groups (grants from each group's roster and its
 * supervisors), roles from /roles (grants from the roles embedded in the people listing).
 */
export class XmattersConnector implements Connector {
  readonly users: UserSyncer;
  readonly groups: GroupSyncer;
  readonly roles: RoleSyncer;

  /**
   * `readsRosters: false` (a sync that skips grants, or lists no groups) keeps the access check from asking
   * for a roster permission the sync does not need. `expandNestedGroups` makes groups on rosters expandable
   * grants (see nested-group-grant.ts).
   */
  constructor(
    readonly client: XmattersClient,
    private readonly opts: XmattersConnectorOptions = {},
  ) {
    const holdings = new RoleHoldings(client);
    this.users = new UserSyncer(client, holdings, opts.syncEmails === true);
    this.groups = new GroupSyncer(client, opts.expandNestedGroups === true);
    this.roles = new RoleSyncer(client, holdings);
  }

  metadata(): ConnectorMetadata {
    return xmattersConnectorMetadata();
  }

  async validate(signal: AbortSignal): Promise<void> {
    await this.client.checkAccess(signal, { roster: this.opts.readsRosters !== false });
  }

  resourceSyncers(): ResourceSyncer[] {
    return [this.users, this.groups, this.roles];
  }
}
