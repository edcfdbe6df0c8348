// The simulator in its own process (`baton-xmatters simulator`), so that its CPU use on a 2-core machine does
// not come out of the connector's share; counters are read over its admin endpoint.
import { spawn, type ChildProcess } from 'node:child_process';
import type { SimStats } from '../../src/simulator/index.js';
import type { BenchProfile } from './profiles.js';

export class SimProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    readonly origin: string,
  ) {}

  static start(cli: string, profile: BenchProfile): Promise<SimProcess> {
    const args = [
      cli,
      'simulator',
      '--people',
      String(profile.people),
      '--groups',
      String(profile.groups),
      '--seed',
      String(profile.seed),
      '--latency-ms',
      String(profile.latencyMs),
      '--per-item-latency-ms',
      String(profile.perItemLatencyMs),
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    return new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      const fail = (why: string): void => {
        child.kill('SIGKILL');
        reject(new Error(`the simulator did not start (${why}): ${err}${out}`));
      };
      const timer = setTimeout(() => fail('no base URL within 60 s'), 60_000);
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /base URL:\s+(\S+)/.exec(out);
        if (m?.[1] !== undefined && out.includes('Press Ctrl+C')) {
          clearTimeout(timer);
          const baseUrl = m[1];
          resolve(new SimProcess(child, baseUrl, new URL(baseUrl).origin));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(`exited with ${code}`);
      });
    });
  }

  async stats(): Promise<SimStats> {
    const res = await fetch(`${this.origin}/_sim/stats`);
    if (!res.ok) throw new Error(`GET /_sim/stats answered ${res.status}`);
    return (await res.json()) as SimStats;
  }

  async reset(): Promise<void> {
    const res = await fetch(`${this.origin}/_sim/reset`, { method: 'POST' });
    if (!res.ok) throw new Error(`POST /_sim/reset answered ${res.status}`);
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    await exited;
  }
}
