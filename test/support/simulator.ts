// Shared wiring for tests that talk to the xMatters simulator over real loopback HTTP.
import assert from 'node:assert/strict';
import { after, before, beforeEach } from 'node:test';
import { inspect } from 'node:util';
import { SAMPLE_CREDENTIALS, XmattersSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import {
  XmattersClient,
  isXmattersError,
  type XmattersClientOptions,
  type XmattersError,
} from '../../src/xmatters/index.js';
import { assertNoSecrets } from './simulator-secrets.js';

export { SAMPLE_CREDENTIALS };

/** Starts a simulator on 127.0.0.1:0 (the sample tenant unless another is given). */
export function startSimulator(opts: SimulatorOptions = {}): Promise<XmattersSimulator> {
  return XmattersSimulator.start(opts);
}

/** Closes the simulator after checking the client never sent anything but GET. */
export async function stopSimulator(sim: XmattersSimulator | undefined): Promise<void> {
  if (sim === undefined) return;
  try {
    // The lifetime total survives resetStats(), so tests that reset the counters cannot hide a non-GET.
    assert.equal(sim.stats().lifetimeNonGetRequests, 0, 'the client must only ever send GET');
  } finally {
    await sim.close();
  }
}

/**
 * One simulator for the tests of the enclosing describe: started before them, with faults and counters
 * reset before each test (so each passes alone and in any order), closed after them.
 */
export function simulatorForSuite(opts: SimulatorOptions = {}): { readonly sim: XmattersSimulator } {
  let started: XmattersSimulator | undefined;
  before(async () => {
    started = await startSimulator(opts);
  });
  beforeEach(() => {
    started?.setFaults({});
    started?.resetStats();
  });
  after(() => stopSimulator(started));
  return {
    get sim() {
      assert.ok(started, 'simulatorForSuite: the simulator starts in the before hook');
      return started;
    },
  };
}

/** Runs `run` against a simulator of its own, closed (after the GET-only check) whatever happens. */
export async function withSimulator(
  opts: SimulatorOptions,
  run: (sim: XmattersSimulator) => Promise<void>,
): Promise<void> {
  const sim = await startSimulator(opts);
  try {
    await run(sim);
  } finally {
    await stopSimulator(sim);
  }
}

/** A recording, instant sleep: tests assert the waits without spending them. */
export function fakeSleep(): { sleep: (ms: number, signal?: AbortSignal) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms, signal) => {
      waits.push(ms);
      if (signal?.aborted) return Promise.reject(signal.reason as Error);
      return Promise.resolve();
    },
  };
}

export interface TestClient {
  client: XmattersClient;
  waits: number[];
}

/** A client for the sample tenant's demo user, with an instant recording sleep. */
export function clientFor(
  sim: XmattersSimulator,
  overrides: Partial<XmattersClientOptions> = {},
): TestClient {
  const { sleep, waits } = fakeSleep();
  const client = new XmattersClient({
    baseUrl: sim.baseUrl,
    username: SAMPLE_CREDENTIALS.username,
    password: SAMPLE_CREDENTIALS.password,
    sleep,
    random: () => 0.5,
    ...overrides,
  });
  return { client, waits };
}

/** Drains a paged listing. */
export async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

/**
 * Awaits a rejection, checks it is an XmattersError with `code`, and scans it for secrets. Every error
 * assertion in the xMatters and simulator suites goes through here, so every error message they produce
 * is scanned.
 */
export async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<XmattersError> {
  let caught: unknown;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  assert.ok(caught !== undefined, `expected a rejection with ${code}`);
  assertNoSecrets(caught);
  assert.ok(isXmattersError(caught), `expected an XmattersError, got ${inspect(caught)}`);
  assert.equal(caught.code, code, `unexpected code; message: ${caught.message}`);
  return caught;
}

/** A generated tenant's regular user, for clients of `generateTenant` simulators. */
export const GENERATED_USER = { username: 'sim-user', password: 'sim-password' } as const;

/** Query parameters of the logged requests to one API path, in order. */
export function loggedQueries(sim: XmattersSimulator, path: string): URLSearchParams[] {
  return sim
    .requests()
    .filter((r) => r.url.split('?')[0] === path)
    .map((r) => new URLSearchParams(r.url.split('?')[1] ?? ''));
}
