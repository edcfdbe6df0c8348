#!/usr/bin/env node
// The executable: wires the xMatters program (src/connector) to the process and to the simulator, which the
// connector may not import. Nothing else happens here (docs/architecture.md).
import { readFileSync } from 'node:fs';
import { BatonError, GrpcCode } from './baton/errors.js';
import { limitHeapGrowth } from './baton/heap-growth.js';
import { createXmattersProgram } from './connector/xmatters-program.js';
import type { DemoServer } from './connector/demo-subcommand.js';
import {
  XmattersSimulator,
  runSimulatorCommand,
  sampleTenant,
  SAMPLE_CREDENTIALS,
} from './simulator/index.js';

function readVersion(): string {
  // dist/main.js and src/main.ts both sit one level below package.json.
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** The demo's stand-in: the simulator with the sample tenant and its credentials. */
async function startDemoServer(): Promise<DemoServer> {
  const sim = await XmattersSimulator.start({ tenant: sampleTenant() });
  const { username, password } = SAMPLE_CREDENTIALS;
  return { baseUrl: sim.baseUrl, username, password, close: () => sim.close() };
}

async function main(): Promise<number> {
  // Peak memory of a sync: the V8 heap stays near its live size (see heap-growth.ts).
  limitHeapGrowth();
  const controller = new AbortController();
  const stop = (signal: string) => () =>
    controller.abort(
      new BatonError(
        GrpcCode.CANCELLED,
        `interrupted by ${signal}; the previous file is unchanged. Run the same command again to resume ` +
          'the sync where it stopped.',
      ),
    );
  process.once('SIGINT', stop('SIGINT'));
  process.once('SIGTERM', stop('SIGTERM'));

  const program = createXmattersProgram({
    name: 'baton-xmatters',
    version: readVersion(),
    reportUrl: 'https://github.com/baton-xmatters/baton-xmatters/issues',
    env: process.env,
    cwd: process.cwd(),
    io: { stdout: process.stdout, stderr: process.stderr },
    signal: controller.signal,
    simulator: { startDemoServer, run: runSimulatorCommand },
  });
  return program.run(process.argv.slice(2));
}

process.exitCode = await main();
