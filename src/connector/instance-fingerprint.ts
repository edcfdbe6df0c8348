import { createHash } from 'node:crypto';
import type { XmattersClient } from '../xmatters/index.js';

/**
 * Who a sync reads from: a hash of the instance's normalised API base URL and the account's user name (never
 * the password). The sync engine keeps it with its checkpoints so that an interrupted sync is resumed only by
 * a run against the same instance as the same account; any other run starts afresh instead of mixing data.
 */
export function instanceFingerprint(client: XmattersClient): string {
  const { origin, username } = client.toJSON();
  return createHash('sha256').update(`xmatters\n${origin}\n${username}`).digest('hex');
}
