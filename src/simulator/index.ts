export {
  XmattersSimulator,
  SUPERVISOR_EMBED_LIMIT,
  type SimulatorOptions,
  type LoggedRequest,
} from './simulator.js';
export { generateTenant, GENERATED_CREDENTIALS, type GenerateTenantOptions } from './generate-tenant.js';
export { sampleTenant, sampleTenantData, SAMPLE_CREDENTIALS } from './sample-tenant.js';
export { parseTenantData, loadTenantFile, tenantToData, type TenantData } from './tenant-file.js';
export type {
  Tenant,
  SimPerson,
  SimGroup,
  SimRole,
  SimDevice,
  SimDynamicTeam,
  SimCredential,
} from './tenant.js';
export { TenantStore } from './tenant-store.js';
export type { SimFaults, FaultRule, FaultAction } from './faults.js';
export type { SimStats } from './sim-stats.js';
export { runSimulatorCommand, type SimulatorCommandOptions } from './run-simulator-command.js';
export { addOddIds, type OddIds } from './odd-ids.js';
