import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { DescMessage, MessageInitShape, MessageShape } from '@bufbuild/protobuf';
import { AnySchema } from '@bufbuild/protobuf/wkt';
import type { Any } from '@bufbuild/protobuf/wkt';
import { typeUrlOf } from './type-url.js';

/**
 * Pack a message as an annotation (`type.googleapis.com/<full name>` + its binary encoding), as
 * Go's annotations.New does. Empty messages get an empty value, which is omitted on the wire.
 */
export function packAnnotation<Desc extends DescMessage>(schema: Desc, message: MessageInitShape<Desc>): Any {
  const value = toBinary(schema, create(schema, message));
  return create(AnySchema, { typeUrl: typeUrlOf(schema.typeName), value });
}

/** First annotation of the given type, decoded; undefined when absent. */
export function findAnnotation<Desc extends DescMessage>(
  annotations: readonly Any[],
  schema: Desc,
): MessageShape<Desc> | undefined {
  const url = typeUrlOf(schema.typeName);
  const found = annotations.find((a) => a.typeUrl === url);
  return found === undefined ? undefined : fromBinary(schema, found.value);
}

/** Any message descriptor, or just its full name for types this project does not declare (BatonID, SecretTrait). */
export function hasAnnotation(annotations: readonly Any[], schema: Pick<DescMessage, 'typeName'>): boolean {
  const url = typeUrlOf(schema.typeName);
  return annotations.some((a) => a.typeUrl === url);
}

/**
 * Return `annotations` with the annotation of `any`'s type replaced in place, or appended when absent
 * (Go's Annotations.Update): readers expect at most one annotation per type.
 */
export function upsertAnnotation(annotations: readonly Any[], any: Any): Any[] {
  const index = annotations.findIndex((a) => a.typeUrl === any.typeUrl);
  if (index < 0) return [...annotations, any];
  const out = [...annotations];
  out[index] = any;
  return out;
}
