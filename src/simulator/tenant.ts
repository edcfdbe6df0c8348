/**
 * The simulator's in-memory tenant. Records hold the fields the real API returns, under the same names;
 * references between records are array indices so a 100k-people / 750k-membership tenant stays compact.
 * The JSON file format (tenant-file.ts) is the same data with references by id.
 */
export type SimStatus = 'ACTIVE' | 'INACTIVE';
export type SimGroupType = 'ON_CALL' | 'BROADCAST' | 'DYNAMIC';
export type SimMemberType = 'PERSON' | 'GROUP' | 'DEVICE' | 'DYNAMIC_TEAM';

export interface SimRole {
  id: string;
  name: string;
  description?: string;
}

export interface SimPerson {
  id: string;
  targetName: string;
  status: SimStatus;
  firstName?: string;
  lastName?: string;
  webLogin?: string;
  language?: string;
  timezone?: string;
  licenseType?: string;
  phoneLogin?: string;
  siteId?: string;
  externalKey?: string;
  externallyOwned?: boolean;
  /** Timestamps are stored as served, in either `…Z` or `…+0000` form. */
  lastLogin?: string;
  whenCreated?: string;
  /** Indices into Tenant.roles. */
  roles: number[];
  /** Indices into Tenant.people: served with `embed=supervisors` and at /people/{id}/supervisors. */
  supervisors?: number[];
  /**
   * On group rosters but not visible to the API account: absent from GET /people and 404 on /people/{id}, as
   * xMatters does for people outside the account's role-on-role visibility (docs/xmatters-api.md,
   * "Authentication"; README).
   */
  hidden?: boolean;
}

export interface SimGroup {
  id: string;
  targetName: string;
  status: SimStatus;
  groupType: SimGroupType;
  description?: string;
  externalKey?: string;
  externallyOwned?: boolean;
  observedByAll?: boolean;
  allowDuplicates?: boolean;
  useDefaultDevices?: boolean;
  created?: string;
  siteId?: string;
  /** Indices into Tenant.people: served with `embed=supervisors` and at /groups/{id}/supervisors. */
  supervisors?: number[];
  /** Indices into Tenant.roles: served with `embed=observers`. */
  observers?: number[];
  /** Encoded member references, see member-ref.ts. */
  members: number[];
}

export interface SimDevice {
  id: string;
  /** e.g. "Work Email"; the served targetName is `<owner targetName>|<name>`. */
  name: string;
  deviceType: string;
  status: SimStatus;
  /** Index into Tenant.people. */
  owner: number;
  /** EMAIL devices. */
  emailAddress?: string;
  /** VOICE and other phone devices, E.164. */
  phoneNumber?: string;
  /** The owner's delivery order (1 first). */
  sequence?: number;
}

export interface SimDynamicTeam {
  id: string;
  targetName: string;
}

export interface SimCredential {
  /** A user name, or an API key `x-api-key-<uuid>`. */
  username: string;
  /** The password, or the API key's secret. */
  password: string;
  /** Path patterns (as in fault rules, e.g. "/roles", or "**" for everything) answered 403 for this user. */
  forbidden?: string[];
}

export interface Tenant {
  roles: SimRole[];
  people: SimPerson[];
  groups: SimGroup[];
  devices: SimDevice[];
  dynamicTeams: SimDynamicTeam[];
  credentials: SimCredential[];
}
