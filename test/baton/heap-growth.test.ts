import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

const module = new URL('../../src/baton/heap-growth.ts', import.meta.url).href;

/** Largest V8 heap of a child that keeps ~20 MB alive while promoting garbage, with or without the limit. */
function peakHeapMb(limited: boolean): number {
  const script = `
    const { limitHeapGrowth } = await import(${JSON.stringify(module)});
    if (${limited}) limitHeapGrowth();
    let live = [];
    let peak = 0;
    for (let i = 0; i < 2e6; i++) {
      live.push({ i, s: 'x' + i });
      if (live.length > 2e5) live = [];
      if (i % 1e4 === 0) peak = Math.max(peak, process.memoryUsage().heapTotal);
    }
    process.stdout.write(String(peak / 1048576));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return Number(out);
}

test('limitHeapGrowth keeps the heap near its live size in this Node version (the flag is honoured at run time)', () => {
  const free = peakHeapMb(false);
  const limited = peakHeapMb(true);
  assert.ok(limited < free * 0.75, `heap peak ${limited.toFixed(0)} MB limited, ${free.toFixed(0)} MB not`);
});
