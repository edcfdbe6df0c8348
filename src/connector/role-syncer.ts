import type { Entitlement } from '../baton/gen/c1/connector/v2/entitlement_pb.js';
import type { Grant } from '../baton/gen/c1/connector/v2/grant_pb.js';
import type { Resource } from '../baton/gen/c1/connector/v2/resource_pb.js';
import type { ResourceSyncer, SyncContext } from '../baton/sync/connector.js';
import { newGrant, newResourceId } from '../baton/model/index.js';
import { XmattersErrorCode, hasXmattersCode, type Role, type XmattersClient } from '../xmatters/index.js';
import { invalidItemWarner } from './invalid-item-warner.js';
import { quoteId, withinIdLimits } from './id-limit-warner.js';
import { ASSIGNED_ENTITLEMENT, ROLE_RESOURCE_TYPE, USER_RESOURCE_TYPE } from './resource-types.js';
import type { RoleHoldings } from './role-holdings.js';
import { assignedEntitlement, roleResource } from './role-resource.js';

/**
 * Role grants per page, as many as a page of roster members: the engine holds a page (and hands all of it to
 * the writer) before it waits for the writer to catch up, so the page size bounds that memory.
 */
const GRANTS_PER_PAGE = 1000;

/**
 * Roles from `GET /roles`, their `assigned` entitlement, and one grant per person holding the role (from the
 * people listing's embedded roles, so no request per role). An account that may read people but not `/roles`
 * (403, or 404 on instances without the endpoint) still gets every role a person holds: the resources are
 * then built from those embedded roles (id and name), with one `roles-list-forbidden` warning. A role held
 * by someone but missing from `/roles` is added the same way, with a `role-not-listed` warning.
 */
export class RoleSyncer implements ResourceSyncer {
  readonly resourceType = ROLE_RESOURCE_TYPE;
  /** Role grants come from the people listing: asked for once it has ended. */
  readonly grantsNeedListed = [USER_RESOURCE_TYPE.id];

  constructor(
    private readonly client: XmattersClient,
    private readonly holdings: RoleHoldings,
  ) {}

  async *list(ctx: SyncContext): AsyncIterable<Resource[]> {
    const listed = new Set<string>();
    let forbidden = false;
    try {
      const pages = this.client.listRoles({
        signal: ctx.signal,
        onInvalidItem: invalidItemWarner(ctx),
      });
      for await (const page of pages) {
        for (const r of page) listed.add(r.id);
        const resources = representable(page, ctx);
        if (resources.length > 0) yield resources;
      }
    } catch (err) {
      if (!hasXmattersCode(err, XmattersErrorCode.PERMISSION, XmattersErrorCode.NOT_FOUND)) {
        throw err;
      }
      forbidden = true;
      ctx.warn({
        kind: 'roles-list-forbidden',
        message:
          `GET /roles was refused (${err.message}); the roles people hold are synced from their embedded ` +
          'roles (id and name only). Give the account a role that may read roles to get descriptions and unassigned roles.',
      });
    }
    await this.holdings.ensure(ctx);
    const extra: Role[] = this.holdings.rolesSeen().filter((r) => !listed.has(r.id));
    if (!forbidden) {
      for (const r of extra) {
        ctx.warn({
          kind: 'role-not-listed',
          message: `role "${r.name}" (${r.id}) is held by people but GET /roles did not list it; synced from their embedded roles`,
        });
      }
    }
    const extraResources = representable(extra, ctx);
    if (extraResources.length > 0) yield extraResources;
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async *entitlements(resource: Resource): AsyncIterable<Entitlement[]> {
    yield [assignedEntitlement(resource)];
  }

  /** In pages of GRANTS_PER_PAGE: a role every person holds must not become one page of 100k grants. */
  async *grants(resource: Resource, ctx: SyncContext): AsyncIterable<Grant[]> {
    await this.holdings.ensure(ctx);
    let grants: Grant[] = [];
    for (const personId of this.holdings.holdersOf(resource.id!.resource)) {
      const grant = withinIdLimits(
        ctx,
        `the role ${quoteId(resource.id!.resource)} of person`,
        personId,
        () => newGrant(resource, ASSIGNED_ENTITLEMENT, newResourceId(USER_RESOURCE_TYPE, personId)),
      );
      if (grant !== undefined) grants.push(grant);
      if (grants.length === GRANTS_PER_PAGE) {
        yield grants;
        grants = [];
      }
    }
    if (grants.length > 0) yield grants;
  }
}

/** Role resources whose ids (and their entitlement's) Baton can hold; the others are counted warnings. */
function representable(roles: readonly Role[], ctx: SyncContext): Resource[] {
  const out: Resource[] = [];
  for (const r of roles) {
    const resource = withinIdLimits(ctx, 'role', r.id, () => {
      const built = roleResource(r);
      assignedEntitlement(built);
      return built;
    });
    if (resource !== undefined) out.push(resource);
  }
  return out;
}
