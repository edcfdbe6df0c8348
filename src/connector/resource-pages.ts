import type { Resource } from '../baton/gen/c1/connector/v2/resource_pb.js';
import type { SyncContext } from '../baton/sync/connector.js';
import type { ListOptions } from '../xmatters/index.js';
import { withinIdLimits } from './id-limit-warner.js';
import { invalidItemWarner } from './invalid-item-warner.js';
import { listingShortWarner } from './listing-short-warner.js';

/**
 * Pages of an xMatters listing as Baton resources. Invalid items, items whose ids Baton cannot hold (named by
 * `describe`) and listings that end short become warnings; client failures pass through (an XmattersError carries its gRPC
 * status).
 */
export async function* resourcePages<T extends { id: string }>(
  list: (opts: ListOptions) => AsyncIterable<T[]>,
  toResource: (item: T) => Resource,
  describe: string,
  ctx: SyncContext,
): AsyncIterable<Resource[]> {
  const opts: ListOptions = {
    signal: ctx.signal,
    onInvalidItem: invalidItemWarner(ctx),
    onListingShort: listingShortWarner(ctx),
  };
  for await (const page of list(opts)) {
    const resources: Resource[] = [];
    for (const item of page) {
      const r = withinIdLimits(ctx, describe, item.id, () => toResource(item));
      if (r !== undefined) resources.push(r);
    }
    yield resources;
  }
}
