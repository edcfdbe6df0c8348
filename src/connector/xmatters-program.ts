import { addCapabilitiesSubcommand } from '../baton/cli/capabilities-subcommand.js';
import { addConfigSubcommand } from '../baton/cli/config-subcommand.js';
import { addInspectSubcommand } from '../baton/cli/inspect-subcommand.js';
import { createProgram, type BatonProgram, type CliIo } from '../baton/cli/program.js';
import { SYNC_STORE_FIELDS } from '../baton/cli/store-fields.js';
import { addDiffSubcommand } from '../baton/review/diff-subcommand.js';
import { addReportSubcommand } from '../baton/review/report-subcommand.js';
import { CONNECTOR_FIELDS, type XmattersSettings } from './config-fields.js';
import { addDemoSubcommand, type DemoServer } from './demo-subcommand.js';
import { refuseWriteModes } from './refuse-write-modes.js';
import { RESOURCE_TYPE_IDS } from './resource-types.js';
import { addSimulatorSubcommand, type SimulatorRun } from './simulator-subcommand.js';
import { xmattersSyncAction } from './sync-action.js';
import { CONNECTOR_DISPLAY_NAME, xmattersCapabilities } from './xmatters-connector.js';

export interface XmattersProgramOptions {
  readonly name: string;
  readonly version: string;
  /** Shown when an internal error asks to be reported. */
  readonly reportUrl: string;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly io: CliIo;
  /** Aborted on SIGINT/SIGTERM; every action stops with it. */
  readonly signal: AbortSignal;
  /**
   * The simulator's two entry points. The connector may not import the simulator (docs/architecture.md), so
   * the executable hands them in.
   */
  readonly simulator: {
    readonly startDemoServer: () => Promise<DemoServer>;
    readonly run: (run: SimulatorRun) => Promise<void>;
  };
}

/** The baton-xmatters command line: the field table, the sync/service action and every subcommand. */
export function createXmattersProgram(opts: XmattersProgramOptions): BatonProgram<XmattersSettings> {
  const program = createProgram({
    name: opts.name,
    version: opts.version,
    description: 'ConductorOne Baton connector for xMatters: syncs people, groups and group memberships',
    fields: CONNECTOR_FIELDS,
    // Both are checked with the config, before any request (and before service mode starts).
    resourceTypeIds: RESOURCE_TYPE_IDS,
    refuseModes: refuseWriteModes,
    env: opts.env,
    cwd: opts.cwd,
    io: opts.io,
    signal: opts.signal,
    // The Authorization header carries base64(user:password): scrub that form too.
    deriveSecrets: (v) =>
      v.password === '' ? [] : [Buffer.from(`${v.username}:${v.password}`).toString('base64')],
    reportUrl: opts.reportUrl,
  });
  program.setDefaultAction(
    xmattersSyncAction({ package: opts.name, packageVersion: opts.version }),
    SYNC_STORE_FIELDS,
  );
  addCapabilitiesSubcommand(program, { capabilities: xmattersCapabilities });
  addConfigSubcommand(program, { displayName: CONNECTOR_DISPLAY_NAME });
  addInspectSubcommand(program);
  addDiffSubcommand(program);
  addReportSubcommand(program, {
    product: CONNECTOR_DISPLAY_NAME,
    command: opts.name,
    version: opts.version,
    labels: { member: 'Members', supervisor: 'Supervisors' },
  });
  addSimulatorSubcommand(program, { run: opts.simulator.run });
  addDemoSubcommand(program, { programName: opts.name, startServer: opts.simulator.startDemoServer });
  return program;
}
