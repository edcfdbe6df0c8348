import { toBinary } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import { Entitlement_PurposeValue, EntitlementSchema } from '../gen/c1/connector/v2/entitlement_pb.js';
import type { Entitlement } from '../gen/c1/connector/v2/entitlement_pb.js';
import { GrantSchema } from '../gen/c1/connector/v2/grant_pb.js';
import type { Grant } from '../gen/c1/connector/v2/grant_pb.js';
import { Resource_CreationSource, ResourceSchema } from '../gen/c1/connector/v2/resource_pb.js';
import type { Resource, ResourceId } from '../gen/c1/connector/v2/resource_pb.js';
import { encodeResource } from '../model/bulk-encoding.js';

/**
 * Encodes grants to the exact bytes of `toBinary(GrantSchema, grant)`, fast. A sync writes one grant
 * per membership, and each embeds its group's full Resource: reflective encoding would re-encode that
 * resource every time. Here each Resource object is encoded once (cached by identity, so resources
 * must not be mutated after they are first written) and the grant is composed by hand as
 * length-delimited fields in field-number order. Anything unusual (sources, unknown fields, a
 * decorated entitlement or principal) falls back to the reflective encoder for that part.
 */
export class GrantEncoder {
  private readonly resources = new WeakMap<Resource, Uint8Array>();
  /** Per resource, the last bare entitlement `{resource, id}` encoded for it (grants come in runs). */
  private readonly entitlements = new WeakMap<Resource, { id: string; part: Part }>();

  /** Encoded bytes of a resource, computed once per object. */
  resourceBytes(resource: Resource): Uint8Array {
    let bytes = this.resources.get(resource);
    if (bytes === undefined) {
      bytes = encodeResource(resource);
      this.resources.set(resource, bytes);
    }
    return bytes;
  }

  encode(grant: Grant): Buffer {
    if (grant.sources !== undefined || hasUnknown(grant)) return Buffer.from(toBinary(GrantSchema, grant));
    const ent = grant.entitlement;
    const entBody = ent === undefined ? undefined : this.entitlementParts(ent);
    const principal = grant.principal;
    const principalBody = principal === undefined ? undefined : this.principalParts(principal);
    const idLen = utf8Length(grant.id);
    const annotations = grant.annotations;
    const annLens: number[] = [];
    for (const a of annotations) {
      if (hasUnknown(a)) return Buffer.from(toBinary(GrantSchema, grant));
      annLens.push(anyBodyLength(a));
    }

    let size = 0;
    if (entBody !== undefined) size += 1 + varintLength(entBody.length) + entBody.length;
    if (principalBody !== undefined) size += 1 + varintLength(principalBody.length) + principalBody.length;
    if (idLen > 0) size += 1 + varintLength(idLen) + idLen;
    for (const len of annLens) size += 1 + varintLength(len) + len;

    const w = new Writer(Buffer.allocUnsafe(size));
    if (entBody !== undefined) entBody.write(w.tagLen(0x0a, entBody.length));
    if (principalBody !== undefined) principalBody.write(w.tagLen(0x12, principalBody.length));
    if (idLen > 0) w.tagLen(0x1a, idLen).str(grant.id, idLen);
    for (let i = 0; i < annotations.length; i++) writeAny(w.tagLen(0x22, annLens[i]!), annotations[i]!);
    return w.buf;
  }

  /** Entitlement body: `{resource, id}` by hand (the shape Go's NewGrant builds), else reflective. */
  private entitlementParts(ent: Entitlement): Part {
    if (!isBareEntitlement(ent)) return bytesPart(toBinary(EntitlementSchema, ent));
    const resource = ent.resource;
    if (resource === undefined) return this.bareEntitlementPart(ent, undefined);
    const memo = this.entitlements.get(resource);
    if (memo !== undefined && memo.id === ent.id) return memo.part;
    const part = this.bareEntitlementPart(ent, resource);
    this.entitlements.set(resource, { id: ent.id, part });
    return part;
  }

  private bareEntitlementPart(ent: Entitlement, resource: Resource | undefined): Part {
    const res = resource === undefined ? undefined : this.resourceBytes(resource);
    const idLen = utf8Length(ent.id);
    let length = 0;
    if (res !== undefined) length += 1 + varintLength(res.length) + res.length;
    if (idLen > 0) length += 1 + varintLength(idLen) + idLen;
    // Kept as long as the resource (see entitlementParts): its own allocation, since a slice of Node's Buffer
    // pool would keep the whole 8 KiB slab alive, with every grant encoded into it since, per resource.
    const bytes = Buffer.allocUnsafeSlow(length);
    const w = new Writer(bytes);
    if (res !== undefined) w.tagLen(0x0a, res.length).raw(res);
    if (idLen > 0) w.tagLen(0x12, idLen).str(ent.id, idLen);
    return bytesPart(bytes);
  }

  /** Principal body: `{id: {resource_type, resource}}` by hand, a full resource from the cache. */
  private principalParts(principal: Resource): Part {
    if (!isBareResource(principal)) return bytesPart(this.resourceBytes(principal));
    const id = principal.id;
    if (id === undefined) return bytesPart(new Uint8Array());
    if (id.batonResource || hasUnknown(id)) return bytesPart(toBinary(ResourceSchema, principal));
    const idBody = resourceIdLength(id);
    return {
      length: 1 + varintLength(idBody) + idBody,
      write(w) {
        writeResourceId(w.tagLen(0x0a, idBody), id);
      },
    };
  }
}

interface Part {
  length: number;
  write(w: Writer): void;
}

const bytesPart = (bytes: Uint8Array): Part => ({ length: bytes.length, write: (w) => w.raw(bytes) });

// The field lists below must name every field of the message; a test checks them against the schema.
export const BARE_ENTITLEMENT_FIELDS = ['resource', 'id'] as const;
export const BARE_RESOURCE_FIELDS = ['id'] as const;

function isBareEntitlement(e: Entitlement): boolean {
  return (
    e.displayName === '' &&
    e.description === '' &&
    e.grantableTo.length === 0 &&
    e.annotations.length === 0 &&
    e.purpose === Entitlement_PurposeValue.UNSPECIFIED &&
    e.slug === '' &&
    !hasUnknown(e)
  );
}

function isBareResource(r: Resource): boolean {
  return (
    r.parentResourceId === undefined &&
    r.displayName === '' &&
    r.annotations.length === 0 &&
    r.description === '' &&
    !r.batonResource &&
    r.externalId === undefined &&
    r.creationSource === Resource_CreationSource.UNSPECIFIED &&
    r.profile === undefined &&
    r.icon === undefined &&
    r.status === undefined &&
    r.createdAt === undefined &&
    !hasUnknown(r)
  );
}

const hasUnknown = (m: { $unknown?: unknown[] | undefined }): boolean =>
  m.$unknown !== undefined && m.$unknown.length > 0;

function resourceIdLength(id: ResourceId): number {
  const rt = utf8Length(id.resourceType);
  const r = utf8Length(id.resource);
  return (rt > 0 ? 1 + varintLength(rt) + rt : 0) + (r > 0 ? 1 + varintLength(r) + r : 0);
}

function writeResourceId(w: Writer, id: ResourceId): void {
  const rt = utf8Length(id.resourceType);
  const r = utf8Length(id.resource);
  if (rt > 0) w.tagLen(0x0a, rt).str(id.resourceType, rt);
  if (r > 0) w.tagLen(0x12, r).str(id.resource, r);
}

function anyBodyLength(a: Any): number {
  const url = utf8Length(a.typeUrl);
  const v = a.value.length;
  return (url > 0 ? 1 + varintLength(url) + url : 0) + (v > 0 ? 1 + varintLength(v) + v : 0);
}

function writeAny(w: Writer, a: Any): void {
  const url = utf8Length(a.typeUrl);
  if (url > 0) w.tagLen(0x0a, url).str(a.typeUrl, url);
  if (a.value.length > 0) w.tagLen(0x12, a.value.length).raw(a.value);
}

const varintLength = (n: number): number =>
  n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;

/**
 * UTF-8 length of a string as protobuf-es writes it (TextEncoder: a lone surrogate becomes U+FFFD,
 * 3 bytes, which is also what Buffer#byteLength counts and Buffer#write writes).
 */
export const utf8Length = (s: string): number => (s.length === 0 ? 0 : Buffer.byteLength(s, 'utf8'));

class Writer {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  tagLen(tag: number, len: number): this {
    this.buf[this.pos++] = tag;
    while (len >= 0x80) {
      this.buf[this.pos++] = (len & 0x7f) | 0x80;
      len >>>= 7;
    }
    this.buf[this.pos++] = len;
    return this;
  }

  str(s: string, byteLength: number): void {
    // Buffer#write is utf8 by default and replaces lone surrogates like TextEncoder.
    this.pos += this.buf.write(s, this.pos, byteLength, 'utf8');
  }

  raw(bytes: Uint8Array): void {
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }
}
