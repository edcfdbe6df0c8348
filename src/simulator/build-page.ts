import { listEnvelope, pageLink, type ListEnvelope } from './envelope.js';
import type { FiredFaults } from './fault-engine.js';
import type { ListResult } from './routes.js';

type Json = Record<string, unknown>;

/** A private-use character standing for an invalid UTF-8 sequence; JSON strings cannot carry one. */
export const INVALID_UTF8_MARKER = '\ue000';
/** Its UTF-8 encoding, and what replaces it on the wire: 0xC3 followed by a byte that cannot continue it. */
export const INVALID_UTF8_MARKER_BYTES = Buffer.from('\ue000', 'utf8');
export const INVALID_UTF8_BYTES = Buffer.from([0xc3, 0x28]);

/** Roster items keep the recipient fields under `member`; other lists at the top level. */
const recipientOf = (item: unknown): Json | undefined => {
  if (typeof item !== 'object' || item === null) return undefined;
  const o = item as Json;
  return typeof o.member === 'object' && o.member !== null ? (o.member as Json) : o;
};

/** Builds one list page and applies the envelope faults that fired for it. */
export function buildPage(
  result: ListResult,
  faults: FiredFaults['envelope'],
  rawCommas: boolean,
): ListEnvelope {
  const { page, total, itemAt } = result;
  const start = Math.min(page.offset, total);
  let end = Math.min(total, page.offset + page.limit);
  for (const f of faults) {
    if (f.type === 'shortPage' && end - start > 1)
      end = start + Math.max(1, Math.min(end - start - 1, f.count ?? Math.ceil((end - start) / 2)));
  }
  const hidden = faults.filter((f) => f.type === 'hideItems');
  const isHidden = (i: number): boolean => hidden.some((f) => i >= f.from && i < f.from + f.count);
  const data: unknown[] = [];
  for (let i = start; i < end; i++) if (!isHidden(i)) data.push(itemAt(i));
  for (const f of faults) {
    if (f.type === 'duplicates' && start > 0) {
      const k = Math.min(start, f.count ?? 1);
      const repeated: unknown[] = [];
      for (let i = start - k; i < start; i++) repeated.push(itemAt(i));
      data.unshift(...repeated);
    }
  }
  const env = listEnvelope(page, total, data, end, rawCommas);
  for (const f of hidden) {
    // `next` above follows the unfiltered positions; only the announced total may shrink.
    if (f.total !== 'all')
      env.total -= Math.max(0, Math.min(total, f.from + f.count) - Math.min(total, f.from));
  }
  for (const f of faults) {
    switch (f.type) {
      case 'dropNext':
        delete env.links.next;
        break;
      case 'repeatNext':
        env.links.next = pageLink(page, Math.max(0, page.offset - page.limit), rawCommas);
        break;
      case 'foreignNext':
        env.links.next = `${f.origin.replace(/\/$/, '')}${env.links.next ?? pageLink(page, end, rawCommas)}`;
        break;
      case 'invalidItem': {
        const target = recipientOf(data[Math.min(f.index ?? 0, data.length - 1)]);
        if (target === undefined) break;
        const mode = f.mode ?? 'missing';
        if (mode === 'missing') delete target[f.field];
        else target[f.field] = mode === 'empty' ? '' : 12345;
        break;
      }
      case 'absurd':
        applyAbsurd(env, recipientOf(data[0]), f.kind);
        break;
      default:
        break;
    }
  }
  return env;
}

function applyAbsurd(env: ListEnvelope, target: Json | undefined, kind: string): void {
  const e = env as unknown as Json;
  if (kind === 'huge-total') e.total = 1e12;
  else if (kind === 'negative-total') e.total = -5;
  if (target === undefined) return;
  if (kind === 'long-name') {
    target.targetName = `long-${'x'.repeat(10_240)}`;
    target.firstName = 'F'.repeat(10_240);
  } else if (kind === 'control-chars') {
    target.targetName = 'ctl\u0000\u0007\u001b[31mred\r\nfake log line';
    target.lastName = '\u0008\u007f\u2028';
  } else if (kind === 'lone-surrogate') {
    target.targetName = 'half\ud800pair';
    target.firstName = '\udc00';
  } else if (kind === 'invalid-utf8') {
    // A marker the server swaps for bytes that are not UTF-8 once the body is encoded (see INVALID_UTF8_MARKER).
    target.targetName = `bad${INVALID_UTF8_MARKER}utf8`;
  } else if (kind === 'wrong-types') {
    target.status = 42;
    target.firstName = { nested: true };
    target.externallyOwned = 'yes';
    target.roles = 'not-a-collection';
    target.site = 'not-a-reference';
  }
}
