import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { AnySchema, anyPack } from '@bufbuild/protobuf/wkt';
import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { GrantImmutableSchema } from '../../gen/c1/connector/v2/annotation_grant_pb.js';
import { GrantSourcesSchema } from '../../gen/c1/connector/v2/grant_pb.js';
import { compareUtf8 } from '../../model/utf8-compare.js';

/**
 * Grant rows are read and written as bytes: expansion touches one row per derived grant, and decoding each
 * grant (which embeds its entitlement's whole resource) would cost more than the rest of the work. Only the
 * fields expansion needs are looked at; everything else is copied as stored.
 *
 * Field numbers of c1.connector.v2.Grant (grant.proto): entitlement 1, principal 2, id 3, annotations 4,
 * sources 5. Go's deterministic marshalling writes them in that order with map keys sorted, and so do these.
 */
const PRINCIPAL = 2;
const SOURCES = 5;

/** Entitlement id → is_direct, as in GrantSources.sources. */
export type Sources = Map<string, boolean>;

export interface GrantParts {
  /** The encoded principal Resource (field 2), copied into derived grants as it is. */
  principal: Uint8Array | undefined;
  sources: Sources;
}

export function readGrantParts(data: Uint8Array): GrantParts {
  const reader = new BinaryReader(data);
  let principal: Uint8Array | undefined;
  let sources: Sources | undefined;
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === PRINCIPAL && wireType === WireType.LengthDelimited) principal = reader.bytes();
    else if (field === SOURCES && wireType === WireType.LengthDelimited)
      sources = mergeSources(sources, reader.bytes());
    else reader.skip(wireType, field);
  }
  return { principal, sources: sources ?? new Map<string, boolean>() };
}

function mergeSources(into: Sources | undefined, bytes: Uint8Array): Sources {
  const out = into ?? new Map<string, boolean>();
  for (const [key, source] of Object.entries(fromBinary(GrantSourcesSchema, bytes).sources)) {
    out.set(key, source.isDirect);
  }
  return out;
}

/** The stored grant with its sources replaced (every other field copied byte for byte, in its place). */
export function withSources(data: Uint8Array, sources: Sources): Uint8Array {
  const reader = new BinaryReader(data);
  const writer = new BinaryWriter();
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [field, wireType] = reader.tag();
    reader.skip(wireType, field);
    if (field !== SOURCES) writer.raw(data.subarray(start, reader.pos));
  }
  writeSources(writer, sources);
  return writer.finish();
}

const IMMUTABLE_ANNOTATION = toBinary(AnySchema, anyPack(GrantImmutableSchema, create(GrantImmutableSchema)));

/**
 * A grant made by expansion, as baton-sdk's newExpandedGrant builds it: the destination entitlement as
 * stored, the principal of the source grant, id `<entitlement>:<principal type>:<principal id>`, a
 * GrantImmutable annotation and the sources.
 */
export function expandedGrantBytes(
  entitlement: Uint8Array,
  principal: Uint8Array,
  id: string,
  sources: Sources,
): Uint8Array {
  const writer = new BinaryWriter();
  writer.tag(1, WireType.LengthDelimited).bytes(entitlement);
  writer.tag(PRINCIPAL, WireType.LengthDelimited).bytes(principal);
  writer.tag(3, WireType.LengthDelimited).string(id);
  writer.tag(4, WireType.LengthDelimited).bytes(IMMUTABLE_ANNOTATION);
  writeSources(writer, sources);
  return writer.finish();
}

/** GrantSources{sources: map<string, GrantSource{is_direct}>} with keys in UTF-8 order (Go's deterministic order). */
function writeSources(writer: BinaryWriter, sources: Sources): void {
  writer.tag(SOURCES, WireType.LengthDelimited).fork();
  for (const key of [...sources.keys()].sort(compareUtf8)) {
    writer.tag(1, WireType.LengthDelimited).fork();
    writer.tag(1, WireType.LengthDelimited).string(key);
    writer.tag(2, WireType.LengthDelimited).fork();
    if (sources.get(key) === true) writer.tag(1, WireType.Varint).bool(true);
    writer.join();
    writer.join();
  }
  writer.join();
}
