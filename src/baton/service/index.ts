export { runServiceMode, type ServiceModeOptions } from './run-service-mode.js';
export type { FullSyncRequest, RunFullSync } from './task-context.js';
export type { BuildInfo } from './hello-request.js';
export { SERVICE_TIMING, type ServiceTiming } from './service-timing.js';
export { parseClientId, type ClientId } from './client-id.js';
export { parseClientSecret, type ClientKey } from './client-secret.js';
