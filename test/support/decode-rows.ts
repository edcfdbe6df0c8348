// Decodes stored protobuf rows with our generated messages, for assertions on single values.
import { fromBinary } from '@bufbuild/protobuf';
import type Database from 'better-sqlite3';
import { ResourceSchema, Status_ResourceStatus } from '../../src/baton/gen/c1/connector/v2/resource_pb.js';

export function decodeSimpleResource(db: Database.Database, externalId: string) {
  const data = db
    .prepare('select data from v1_resources where external_id = ? order by id desc limit 1')
    .pluck()
    .get(externalId);
  if (!(data instanceof Uint8Array)) throw new Error(`no resource ${externalId}`);
  const r = fromBinary(ResourceSchema, data);
  return { displayName: r.displayName, status: Status_ResourceStatus[r.status?.status ?? 0], resource: r };
}
