import type { Entitlement } from '../baton/gen/c1/connector/v2/entitlement_pb.js';
import type { Grant } from '../baton/gen/c1/connector/v2/grant_pb.js';
import type { Resource } from '../baton/gen/c1/connector/v2/resource_pb.js';
import { noPages, type ResourceSyncer, type SyncContext } from '../baton/sync/connector.js';
import type { Person, XmattersClient } from '../xmatters/index.js';
import { USER_RESOURCE_TYPE } from './resource-types.js';
import { resourcePages } from './resource-pages.js';
import type { RoleHoldings } from './role-holdings.js';
import { userResource } from './user-resource.js';

/**
 * Every person `GET /people` shows the account (visibility is permission-scoped: docs/xmatters-api.md,
 * "Authentication"). The listing also carries each person's roles, which are handed to the role holdings for
 * role grants.
 */
export class UserSyncer implements ResourceSyncer {
  readonly resourceType = USER_RESOURCE_TYPE;

  constructor(
    private readonly client: XmattersClient,
    private readonly holdings: RoleHoldings,
    /** `--sync-emails`: ask for devices and keep EMAIL addresses on the user trait. */
    private readonly syncEmails: boolean,
  ) {}

  async *list(ctx: SyncContext): AsyncIterable<Resource[]> {
    // Built first: a person whose id Baton cannot hold is left out, and so are their role grants.
    const toResource = (p: Person): Resource => {
      const resource = userResource(p);
      this.holdings.record(p, ctx);
      return resource;
    };
    const listing = this.holdings.beginListing();
    try {
      yield* resourcePages(
        (opts) => this.client.listPeople({ ...opts, devices: this.syncEmails }),
        toResource,
        'person',
        ctx,
      );
      listing.complete();
    } finally {
      listing.end();
    }
  }

  // Never called: the user type carries SkipEntitlementsAndGrants.
  entitlements(): AsyncIterable<Entitlement[]> {
    return noPages();
  }

  grants(): AsyncIterable<Grant[]> {
    return noPages();
  }
}
