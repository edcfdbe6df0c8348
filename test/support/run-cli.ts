// Runs the built CLI (dist/main.js) as a child process, the way a user runs it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { staleDistMessage, staleDistReason } from './dist-freshness.js';

export const CLI = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Checked once per test process: a stale build would test old code. */
let distChecked = false;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  /** The whole environment of the child: nothing leaks in from the test process but PATH. */
  env?: Record<string, string>;
  cwd: string;
  timeoutMs?: number;
  /** Called with the child once started, e.g. to kill it at a chosen moment. */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void;
}

export function runCli(args: readonly string[], opts: RunCliOptions): Promise<CliResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  if (!distChecked) {
    const stale = staleDistReason(REPO_ROOT);
    if (stale !== undefined) throw new Error(staleDistMessage(stale));
    distChecked = true;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    opts.onSpawn?.(child);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
