import { setFlagsFromString } from 'node:v8';

/**
 * How far V8's old generation may grow past what survived the last full collection, in percent. V8's own
 * rule lets it grow up to 4x when the program allocates fast, which a sync does all the time (parsed pages,
 * protobuf messages, encoded rows): on the large benchmark tenant ~60 MB of live objects sat in a heap of
 * 180-250 MB, and the expansion step reached 247 MB. At 20 % the heap stays near 100 MB, at the price of more
 * frequent full collections (a few percent of CPU there). Safe to change: only memory and GC time move.
 */
export const HEAP_GROWING_PERCENT = 20;

/**
 * Applies HEAP_GROWING_PERCENT to this process. V8 reads the flag at every full collection, so setting it
 * at run time takes effect (Node keeps V8's flags writable after start); the executable calls this once,
 * first thing. A process-wide setting, hence not done by library code.
 */
export function limitHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
