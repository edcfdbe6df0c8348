/** Annotation Any values use this prefix, like Go's anypb.New (docs/c1z-format.md, "Protobuf messages"). */
export const TYPE_URL_PREFIX = 'type.googleapis.com/';

export const typeUrlOf = (typeName: string): string => TYPE_URL_PREFIX + typeName;
