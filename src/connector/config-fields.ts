import { OUTPUT_FIELD } from '../baton/cli/output-field.js';
import { defineFields } from '../baton/cli/field.js';
import type { ProgramSettings } from '../baton/cli/program.js';
import type { SyncStoreSettings } from '../baton/cli/store-fields.js';
import { CLIENT_DEFAULTS, isXmattersError, parseBaseUrl } from '../xmatters/index.js';

/**
 * The connector's own fields; the Baton defaults (--file, --log-level, ...) come from the CLI layer. A new
 * setting is one entry here: its flag, `BATON_*` variable, YAML key, checks and type in XmattersSettings.
 */
export const CONNECTOR_FIELDS = defineFields([
  {
    name: 'base-url',
    displayName: 'Base URL',
    description: 'xMatters REST API base URL, e.g. https://company.xmatters.com/api/xm/1',
    placeholder: 'https://company.xmatters.com/api/xm/1',
    type: 'string',
    required: true,
    validate: (v) => {
      try {
        parseBaseUrl(v);
        return undefined;
      } catch (err) {
        return isXmattersError(err) ? err.message : String(err);
      }
    },
  },
  {
    name: 'username',
    displayName: 'User name or API key',
    description: 'xMatters user name with the REST Web Service User role, or an API key (x-api-key-...)',
    type: 'string',
    required: true,
  },
  {
    name: 'password',
    displayName: 'Password or API secret',
    description: 'Password of that user, or the secret of the API key',
    type: 'string',
    required: true,
    secret: true,
  },
  {
    name: 'sync-emails',
    displayName: 'Sync email addresses',
    description:
      "Read people's devices (embed=devices) and keep their EMAIL addresses on users, so ConductorOne can match accounts to identities; phones and other devices are never kept",
    type: 'bool',
    defaultValue: false,
  },
  {
    name: 'request-concurrency',
    description: 'Most xMatters API requests in flight at once (xMatters alerting shares this bandwidth)',
    type: 'int',
    defaultValue: CLIENT_DEFAULTS.maxInFlight,
    min: 1,
    max: 64,
    exportTarget: 'ops',
  },
  {
    name: 'request-timeout-seconds',
    description: 'Timeout for one xMatters API request, in seconds',
    type: 'int',
    defaultValue: CLIENT_DEFAULTS.timeoutMs / 1000,
    min: 1,
    max: 3600,
    exportTarget: 'ops',
  },
  {
    name: 'max-attempts',
    description: 'Attempts per request, the first included, before a retryable failure ends the sync',
    type: 'int',
    defaultValue: CLIENT_DEFAULTS.maxAttempts,
    min: 1,
    max: 100,
    exportTarget: 'ops',
  },
  {
    name: 'max-retry-wait-seconds',
    description: 'Longest total wait between the retries of one request, in seconds',
    type: 'int',
    defaultValue: CLIENT_DEFAULTS.maxTotalWaitMs / 1000,
    min: 0,
    max: 86400,
    exportTarget: 'ops',
  },
  {
    name: 'expand-nested-groups',
    displayName: 'Expand nested groups',
    description:
      "Record groups that are members of groups, and give their people the outer group's membership (Baton grant expansion)",
    type: 'bool',
    defaultValue: false,
  },
  {
    name: 'page-size',
    description: 'Items per page (the API maximum is 1000); for testing',
    type: 'int',
    defaultValue: CLIENT_DEFAULTS.pageSize,
    min: 1,
    max: 1000,
    exportTarget: 'cli',
  },
  OUTPUT_FIELD,
]);

/** The typed settings of every baton-xmatters command: the Baton defaults plus the fields above. */
export type XmattersSettings = ProgramSettings<typeof CONNECTOR_FIELDS>;

/** The settings of a command that syncs into a c1z: the above plus the store's BATON_* variables. */
export type XmattersSyncSettings = XmattersSettings & SyncStoreSettings;
