// The end-to-end tests run the built CLI (dist/), not the sources: a dist/ older than src/ would test old
// code and pass or fail for the wrong reason. This finds the first source file whose build output is
// missing or older than the source, so the runner can refuse with a message saying to build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/**
 * Why `<root>/dist` does not match `<root>/src`, or undefined when every `src/**.ts` has a `dist/**.js`
 * at least as new. Only times are compared (a build rewrites every output), so this is cheap.
 */
export function staleDistReason(root: string): string | undefined {
  const src = join(root, 'src');
  const dist = join(root, 'dist');
  if (!existsSync(join(dist, 'main.js'))) return 'dist/main.js is missing';
  for (const file of sources(src)) {
    const built = join(dist, relative(src, file)).replace(/\.ts$/, '.js');
    const rel = relative(root, file);
    if (!existsSync(built)) return `${rel} has no build output (${relative(root, built)})`;
    if (statSync(built).mtimeMs < statSync(file).mtimeMs)
      return `${rel} changed after ${relative(root, built)} was built`;
  }
  return undefined;
}

/** The error text both runners show: what is stale and the one command that fixes it. */
export function staleDistMessage(reason: string): string {
  return `dist/ is out of date (${reason}): the end-to-end tests run the built CLI. Run \`npm run build\` first (npm test does).`;
}
