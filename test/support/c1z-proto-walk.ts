// Walk a decoded message tree, unpacking Any values through the registry, to find unknown fields.
import { isMessage } from '@bufbuild/protobuf';
import type { DescMessage, Message, Registry } from '@bufbuild/protobuf';
import { AnySchema, anyUnpack } from '@bufbuild/protobuf/wkt';

export interface WalkReport {
  /** Paths of messages carrying $unknown fields. */
  unknown: string[];
  /** Any type URLs that the registry cannot resolve. */
  unresolved: string[];
  /** Number of Any values unpacked. */
  unpacked: number;
  /** Whether a map field with entries was seen (their order may legitimately differ on re-encode). */
  hasMaps: boolean;
  /** Unpacked Any values, for re-encode checks. */
  anys: { desc: DescMessage; message: Message; value: Uint8Array }[];
}

export function walkMessage(desc: DescMessage, message: Message, registry: Registry): WalkReport {
  const report: WalkReport = { unknown: [], unresolved: [], unpacked: 0, hasMaps: false, anys: [] };
  visit(desc, message, desc.typeName, registry, report);
  return report;
}

function visit(desc: DescMessage, message: Message, path: string, registry: Registry, report: WalkReport) {
  const unknown = (message as { $unknown?: unknown[] }).$unknown;
  if (unknown !== undefined && unknown.length > 0) report.unknown.push(path);
  if (desc.typeName === AnySchema.typeName) {
    const any = message as unknown as { typeUrl: string; value: Uint8Array };
    const name = any.typeUrl.slice(any.typeUrl.lastIndexOf('/') + 1);
    const inner = registry.getMessage(name);
    if (inner === undefined) {
      report.unresolved.push(any.typeUrl);
      return;
    }
    const unpacked = anyUnpack(message as never, registry);
    if (unpacked === undefined) throw new Error(`cannot unpack ${any.typeUrl}`);
    report.unpacked++;
    report.anys.push({ desc: inner, message: unpacked, value: any.value });
    visit(inner, unpacked, `${path}<${name}>`, registry, report);
    return;
  }
  const record = message as unknown as Record<string, unknown>;
  for (const field of desc.fields) {
    const value = record[field.localName];
    const at = `${path}.${field.name}`;
    switch (field.fieldKind) {
      case 'message':
        if (isMessage(value)) visit(field.message, value, at, registry, report);
        // protobuf-es holds google.protobuf.Struct fields as plain JSON objects: a map underneath.
        else if (typeof value === 'object' && value !== null && Object.keys(value).length > 1) {
          report.hasMaps = true;
        }
        break;
      case 'list':
        if (field.listKind === 'message') {
          (value as Message[]).forEach((v, i) => visit(field.message, v, `${at}[${i}]`, registry, report));
        }
        break;
      case 'map': {
        const entries = Object.entries(value as Record<string, unknown>);
        if (entries.length > 1) report.hasMaps = true;
        if (field.mapKind === 'message') {
          for (const [k, v] of entries) visit(field.message, v as Message, `${at}[${k}]`, registry, report);
        }
        break;
      }
      default:
        break;
    }
  }
}
