/**
 * One id as a URL path segment. Percent-encoding alone leaves `.` and `..` as they are, and every URL parser
 * and proxy on the way resolves those as dot segments (`/groups/../members` becomes `/members`), so a segment
 * that is only dots has its dots encoded too. Dots inside other ids stay literal: some servers refuse an
 * encoded period where none is needed.
 */
export function encodePathSegment(id: string): string {
  const encoded = encodeURIComponent(id);
  return encoded === '.' || encoded === '..' ? encoded.replace(/\./g, '%2E') : encoded;
}

/** True for a path segment that URL resolution would treat as `.` or `..`, in any spelling. */
export function isDotSegment(segment: string): boolean {
  return /^(?:\.|%2e){1,2}$/i.test(segment);
}
