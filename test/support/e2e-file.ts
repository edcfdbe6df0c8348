// Shared hooks of the end-to-end files that run the built CLI against one simulator: a scratch directory
// and a simulator serving a copy of the file's tenant, both made before the file's tests and closed and
// removed after them (the close checks the connector only ever sent GET, over the whole file).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import {
  GENERATED_CREDENTIALS,
  XmattersSimulator,
  type SimulatorOptions,
  type Tenant,
} from '../../src/simulator/index.js';
import { stopSimulator } from './simulator.js';

export interface E2eFile {
  /** The file's scratch directory. */
  readonly dir: string;
  /** The file's simulator. */
  readonly sim: XmattersSimulator;
  /** The environment of a CLI run against the simulator as its first generated user, JSON logs; `extra` on top. */
  env: (extra?: Record<string, string>) => Record<string, string>;
}

/** Registers the hooks; `prefix` names the scratch directory, `opts` the simulator (with its tenant). */
export function e2eFile(prefix: string, opts: SimulatorOptions & { tenant: Tenant }): E2eFile {
  let dir: string | undefined;
  let sim: XmattersSimulator | undefined;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    sim = await XmattersSimulator.start({ ...opts, tenant: structuredClone(opts.tenant) });
  });
  after(async () => {
    try {
      await stopSimulator(sim);
    } finally {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    }
  });
  return {
    get dir() {
      assert.ok(dir, 'e2eFile: the directory is made in the before hook');
      return dir;
    },
    get sim() {
      assert.ok(sim, 'e2eFile: the simulator starts in the before hook');
      return sim;
    },
    env(extra = {}) {
      const cred = GENERATED_CREDENTIALS[0]!;
      return {
        BATON_BASE_URL: this.sim.baseUrl,
        BATON_USERNAME: cred.username,
        BATON_PASSWORD: cred.password,
        BATON_LOG_FORMAT: 'json',
        ...extra,
      };
    },
  };
}
