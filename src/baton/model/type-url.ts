/** Annotation Any values use this prefix, like Go's anypb.New (baton-interop.md §3.1). */
export const TYPE_URL_PREFIX = 'type.googleapis.com/';

export const typeUrlOf = (typeName: string): string => TYPE_URL_PREFIX + typeName;
