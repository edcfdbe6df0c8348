import type { Entitlement } from '../baton/gen/c1/connector/v2/entitlement_pb.js';
import type { Grant } from '../baton/gen/c1/connector/v2/grant_pb.js';
import type { Resource } from '../baton/gen/c1/connector/v2/resource_pb.js';
import { noPages, type ResourceSyncer, type SyncContext } from '../baton/sync/connector.js';
import type { XmattersClient } from '../xmatters/index.js';
import { USER_RESOURCE_TYPE } from './resource-types.js';
import { resourcePages } from './resource-pages.js';
import { userResource } from './user-resource.js';

/** Every person `GET /people` shows the account (visibility is permission-scoped: xmatters-api.md §2.4). */
export class UserSyncer implements ResourceSyncer {
  readonly resourceType = USER_RESOURCE_TYPE;

  constructor(private readonly client: XmattersClient) {}

  list(ctx: SyncContext): AsyncIterable<Resource[]> {
    return resourcePages((opts) => this.client.listPeople(opts), userResource, 'person', ctx);
  }

  // Never called: the user type carries SkipEntitlementsAndGrants.
  entitlements(): AsyncIterable<Entitlement[]> {
    return noPages();
  }

  grants(): AsyncIterable<Grant[]> {
    return noPages();
  }
}
