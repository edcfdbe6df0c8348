import type { Resource } from '../baton/gen/c1/connector/v2/resource_pb.js';
import type { SyncContext } from '../baton/sync/connector.js';
import type { ListOptions } from '../xmatters/index.js';
import { invalidItemWarner } from './invalid-item-warner.js';
import { toBatonError } from './to-baton-error.js';

/** Pages of an xMatters listing as Baton resources; invalid items become warnings, failures BatonErrors. */
export async function* resourcePages<T>(
  list: (opts: ListOptions) => AsyncIterable<T[]>,
  toResource: (item: T) => Resource,
  ctx: SyncContext,
): AsyncIterable<Resource[]> {
  try {
    for await (const page of list({ signal: ctx.signal, onInvalidItem: invalidItemWarner(ctx) })) {
      yield page.map(toResource);
    }
  } catch (err) {
    throw toBatonError(err);
  }
}
