import { defineFields, type Settings } from './field.js';
import type { FieldRelationship } from './relationship.js';

/**
 * The flags every Go `baton-*` binary has (baton-sdk `pkg/field/defaults.go`, docs/architecture.md, "What the
 * CLI shares with Go connectors"), limited to the ones that mean something for a one-process TypeScript
 * connector. Export targets follow the SDK: log-level, otel-collector-endpoint and the health-check trio are
 * `ops`; the rest stay off the schema.
 *
 * `otel-collector-endpoint` is accepted so that configuration written for Go connectors keeps working, but
 * this connector exports no telemetry: setting it only produces a warning.
 */
export function defaultFields(options: {
  readonly stderrIsTTY: boolean;
  /** The connector's resource type ids: --sync-resource-types accepts only these when given. */
  readonly resourceTypeIds?: readonly string[];
}) {
  return defineFields([
    {
      name: 'file',
      short: 'f',
      type: 'string',
      defaultValue: 'sync.c1z',
      description: 'Path of the c1z file the sync writes',
      exportTarget: 'none',
    },
    {
      name: 'log-level',
      type: 'string',
      defaultValue: 'info',
      choices: ['debug', 'info', 'warn', 'error'],
      description: 'Minimum level of log lines: debug, info, warn or error',
      exportTarget: 'ops',
    },
    {
      name: 'log-format',
      type: 'string',
      // A person at a terminal reads console lines; pipes and CI collect JSON.
      defaultValue: options.stderrIsTTY ? 'console' : 'json',
      choices: ['console', 'json'],
      description: 'Format of log lines: console or json',
      exportTarget: 'none',
    },
    {
      name: 'client-id',
      type: 'string',
      description: 'ConductorOne client ID; setting it selects service mode',
      exportTarget: 'none',
    },
    {
      name: 'client-secret',
      type: 'string',
      secret: true,
      description: 'ConductorOne client secret, used with --client-id',
      exportTarget: 'none',
    },
    {
      name: 'provisioning',
      short: 'p',
      type: 'bool',
      description: 'Enable provisioning actions',
      exportTarget: 'none',
    },
    {
      name: 'ticketing',
      type: 'bool',
      description: 'Enable ticketing support',
      exportTarget: 'none',
    },
    {
      name: 'skip-full-sync',
      type: 'bool',
      description: 'Service mode: record an empty full sync instead of listing the connector',
      exportTarget: 'none',
    },
    {
      name: 'sync-resource-types',
      type: 'string-slice',
      description:
        options.resourceTypeIds === undefined
          ? 'Only sync these resource type IDs (comma separated)'
          : `Only sync these resource types (comma separated): ${options.resourceTypeIds.join(', ')}`,
      // Checked with the other fields, so a typo fails before any request instead of inside the sync.
      ...(options.resourceTypeIds === undefined ? {} : { choices: options.resourceTypeIds }),
      exportTarget: 'none',
    },
    {
      name: 'skip-entitlements-and-grants',
      type: 'bool',
      description: 'Sync resources only, without entitlements and grants',
      exportTarget: 'none',
    },
    {
      name: 'c1z-temp-dir',
      type: 'string',
      description: 'Existing writable directory for temporary files (default: the OS temporary directory)',
      exportTarget: 'none',
    },
    {
      name: 'otel-collector-endpoint',
      type: 'string',
      description:
        'OpenTelemetry collector endpoint (accepted for compatibility; this connector exports no telemetry)',
      exportTarget: 'ops',
    },
    {
      name: 'health-check',
      type: 'bool',
      description: 'Serve health check endpoints',
      exportTarget: 'ops',
    },
    {
      name: 'health-check-port',
      type: 'int',
      defaultValue: 8081,
      min: 1,
      max: 65535,
      description: 'Port of the health check server',
      exportTarget: 'ops',
    },
    {
      name: 'health-check-bind-address',
      type: 'string',
      defaultValue: '127.0.0.1',
      description: 'Address the health check server binds to',
      exportTarget: 'ops',
    },
    {
      name: 'task-concurrency',
      type: 'int',
      defaultValue: 3,
      min: 1,
      max: 100,
      description: 'Number of service-mode tasks run at the same time',
      exportTarget: 'none',
    },
    {
      name: 'host-id',
      type: 'string',
      envOnly: true,
      description: 'Service mode: how this instance is named in ConductorOne (default: the host name)',
      exportTarget: 'none',
    },
    {
      name: 'c1-api-host',
      type: 'string',
      envOnly: true,
      description: 'Service mode: another host (and port) for the token endpoint and the task API',
      exportTarget: 'none',
    },
  ]);
}

/** The settings every Baton program has, typed from the table above. */
export type BatonSettings = Settings<ReturnType<typeof defaultFields>>;

/** The SDK's default relationships (`pkg/field/default_relationships.go`) among the fields above. */
export const DEFAULT_RELATIONSHIPS: readonly FieldRelationship[] = [
  { kind: 'required-together', fields: ['client-id', 'client-secret'] },
  {
    kind: 'dependent-on',
    fields: ['health-check-port', 'health-check-bind-address'],
    dependsOn: ['health-check'],
  },
];
