import { create } from '@bufbuild/protobuf';
import {
  ConnectorMetadataSchema,
  type ConnectorMetadata,
} from '../baton/gen/c1/connector/v2/connector_pb.js';
import { connectorCapabilities } from '../baton/sync/capabilities.js';
import type { Connector, ResourceSyncer } from '../baton/sync/connector.js';
import type { XmattersClient } from '../xmatters/index.js';
import { GroupSyncer } from './group-syncer.js';
import { toBatonError } from './to-baton-error.js';
import { UserSyncer } from './user-syncer.js';

export const CONNECTOR_DISPLAY_NAME = 'xMatters';
export const CONNECTOR_DESCRIPTION =
  'Syncs xMatters people, groups and group memberships (read-only) for access reviews in ConductorOne.';

/** The xMatters connector: users from /people, groups from /groups, grants from each group's roster. */
export class XmattersConnector implements Connector {
  readonly users: UserSyncer;
  readonly groups: GroupSyncer;

  /**
   * `readsRosters: false` (a sync that skips grants, or lists no groups) keeps the access check from asking
   * for a roster permission the sync does not need.
   */
  constructor(
    readonly client: XmattersClient,
    private readonly opts: { readsRosters?: boolean } = {},
  ) {
    this.users = new UserSyncer(client);
    this.groups = new GroupSyncer(client);
  }

  metadata(): ConnectorMetadata {
    return create(ConnectorMetadataSchema, {
      displayName: CONNECTOR_DISPLAY_NAME,
      description: CONNECTOR_DESCRIPTION,
      capabilities: connectorCapabilities(this),
    });
  }

  async validate(signal: AbortSignal): Promise<void> {
    try {
      await this.client.checkAccess(signal, { roster: this.opts.readsRosters !== false });
    } catch (err) {
      throw toBatonError(err);
    }
  }

  resourceSyncers(): ResourceSyncer[] {
    return [this.users, this.groups];
  }
}
