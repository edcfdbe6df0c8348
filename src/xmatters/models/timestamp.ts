/**
 * xMatters writes timestamps both as `2019-06-14T22:17:31.450Z` and as `2017-03-05T12:02:11.604+0000`
 * (docs/xmatters-api.md, "Endpoints used"). `Date.parse` rejects the colon-less offset, so it is normalised
 * first.
 */
const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?$/i;

export function parseXmattersTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const m = ISO.exec(value.trim());
  if (m === null) return undefined;
  const [, local, zone] = m;
  let offset = 'Z';
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    offset = zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  }
  // Fractions beyond milliseconds are legal ISO but not for Date.parse in every engine: trim them.
  const normalised = (local ?? '').replace(/(\.\d{3})\d+$/, '$1');
  const ms = Date.parse(`${normalised}${offset}`);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
