import type { Tenant } from './tenant.js';
import { parseTenantData, type TenantData } from './tenant-file.js';

/** Credentials of the built-in sample tenant. It is a local demo server: these are not secrets. */
export const SAMPLE_CREDENTIALS = Object.freeze({
  username: 'demo',
  password: 'demo-password',
  apiKey: 'x-api-key-3f0c9a52-6d1e-4b7a-9c2f-8e5d4a1b0c7e',
  apiSecret: 'demo-api-secret',
  noAccessUsername: 'noaccess',
  noAccessPassword: 'noaccess-password',
});

const pid = (n: number): string => `5e0a1c2d-7b3f-4a6e-9d1c-${(0x100 + n).toString(16).padStart(12, '0')}`;
const gid = (n: number): string => `9b4f6e21-3c8d-4f0a-8e2b-${(0x200 + n).toString(16).padStart(12, '0')}`;
const rid = (n: number): string => `c2bdcd9e-1a18-4ff6-bfde-${(0x300 + n).toString(16).padStart(12, '0')}`;
const SITE = 'f0c572a8-45ec-4e23-889c-df749cf19a5e';

const FIRST = [
  'Ava',
  'Ben',
  'Chloé',
  'Dmitri',
  'Elif',
  'Farah',
  'Gustavo',
  'Hana',
  'Ingrid',
  'Jonas',
  'Kofi',
  'Lena',
  'Mateo',
  'Nia',
  'Oskar',
];
const LAST = [
  'Nakamura',
  'Okafor',
  'Lindqvist',
  'Petrov',
  'Yılmaz',
  'Haddad',
  'Souza',
  'Sato',
  'Berg',
  'Meyer',
  'Mensah',
  'Novak',
  'Rossi',
  'Diallo',
  'Nyström',
];

/**
 * A small hand-made tenant for the demo and for tests: each record covers one path — an inactive person, a
 * person in no group, a person with no optional fields, Unicode, quotes and a slash in names, a non-UUID id,
 * both timestamp forms, an empty group, an inactive group, nested groups, device and dynamic-team members,
 * privileged roles held by several people (Company Supervisor), a role nobody holds, group supervisors, and
 * EMAIL and VOICE devices (one person with two emails whose primary is not the first listed).
 */
export function sampleTenantData(): TenantData {
  const people: NonNullable<TenantData['people']> = [
    {
      id: pid(1),
      targetName: 'mmcbride',
      firstName: 'Mary',
      lastName: 'McBride',
      webLogin: 'mmcbride',
      language: 'en',
      timezone: 'US/Pacific',
      licenseType: 'FULL_USER',
      siteId: SITE,
      externalKey: 'HR-000417',
      externallyOwned: true,
      lastLogin: '2025-06-14T22:17:31.450Z',
      whenCreated: '2019-02-01T09:00:00.000Z',
      roles: [rid(1), rid(2), rid(3)],
    },
    {
      id: pid(2),
      targetName: 'jdoe',
      status: 'INACTIVE',
      firstName: 'John',
      lastName: 'Doe',
      webLogin: 'jdoe',
      language: 'en',
      timezone: 'US/Eastern',
      licenseType: 'STAKEHOLDER_USER',
      roles: [rid(1)],
    },
    {
      id: pid(3),
      targetName: 'zoë.ørsted',
      firstName: 'Zoë',
      lastName: 'Ørsted',
      webLogin: 'zoe.orsted',
      language: 'da',
      timezone: 'Europe/Copenhagen',
      licenseType: 'FULL_USER',
      lastLogin: '2024-11-02T07:45:10.004+0000',
      roles: [rid(1)],
    },
    {
      id: pid(4),
      targetName: "sean.o'brien",
      firstName: 'Seán',
      lastName: "O'Brien",
      webLogin: "sean.o'brien",
      language: 'en',
      timezone: 'Europe/Dublin',
      licenseType: 'FULL_USER',
      roles: [rid(1), rid(3)],
    },
    {
      id: pid(5),
      targetName: 'li.wei',
      firstName: '伟',
      lastName: '李',
      webLogin: 'li.wei',
      language: 'zh',
      timezone: 'Asia/Shanghai',
      licenseType: 'FULL_USER',
      lastLogin: '2025-01-20T03:12:00.000+0000',
      roles: [rid(1)],
    },
    {
      id: pid(6),
      targetName: 'ops/bot',
      firstName: 'Ops',
      lastName: 'Bot',
      webLogin: 'ops-bot',
      language: 'en',
      timezone: 'UTC',
      licenseType: 'FULL_USER',
      roles: [rid(4)],
    },
    {
      id: pid(7),
      targetName: 'jose.alvarez',
      firstName: 'José',
      lastName: 'Álvarez',
      webLogin: 'jose.alvarez',
      language: 'es',
      timezone: 'Europe/Madrid',
      licenseType: 'FULL_USER',
      siteId: SITE,
      lastLogin: '2023-08-30T18:00:00.000+0000',
      whenCreated: '2021-05-05T05:05:05.505+0000',
      roles: [rid(1)],
    },
    { id: pid(8), targetName: 'minimal.person', roles: [] },
    {
      id: 'legacy-0009',
      targetName: 'legacy.user',
      firstName: 'Legacy',
      lastName: 'User',
      webLogin: 'legacy.user',
      licenseType: 'STAKEHOLDER_USER',
      roles: [rid(1)],
    },
    {
      id: pid(10),
      targetName: 'renee.dubois',
      firstName: 'Renée "Rae"',
      lastName: 'Dubois',
      webLogin: 'renee.dubois',
      language: 'fr',
      timezone: 'Europe/Paris',
      licenseType: 'FULL_USER',
      externalKey: 'HR-000999',
      externallyOwned: true,
      roles: [rid(1), rid(5)],
    },
  ];
  for (let n = 11; n <= 25; n++) {
    const first = FIRST[n - 11] as string;
    const last = LAST[n - 11] as string;
    const login = `${first}.${last}`.toLowerCase();
    people.push({
      id: pid(n),
      targetName: login,
      firstName: first,
      lastName: last,
      webLogin: login,
      language: 'en',
      timezone: 'America/New_York',
      licenseType: n % 5 === 0 ? 'STAKEHOLDER_USER' : 'FULL_USER',
      ...(n % 2 === 0
        ? { lastLogin: `2025-0${1 + (n % 9)}-1${n % 10}T12:00:00.000${n % 4 === 0 ? '+0000' : 'Z'}` }
        : {}),
      roles: [rid(1)],
    });
  }
  const P = (n: number): { type: 'PERSON'; id: string } => ({
    type: 'PERSON',
    id: n === 9 ? 'legacy-0009' : pid(n),
  });
  return {
    roles: [
      { id: rid(1), name: 'Standard User', description: 'Default role for every user' },
      { id: rid(2), name: 'Group Supervisor' },
      { id: rid(3), name: 'Company Supervisor' },
      { id: rid(4), name: 'REST Web Service User' },
      { id: rid(5), name: 'Full Access User' },
      { id: rid(6), name: 'Developer', description: 'Integration builders; held by nobody here' },
    ],
    people,
    groups: [
      {
        id: gid(1),
        targetName: 'Oracle Administrators',
        groupType: 'ON_CALL',
        description: 'DBA on-call rotation',
        observedByAll: false,
        allowDuplicates: true,
        useDefaultDevices: true,
        created: '2023-02-28T19:33:37.521Z',
        siteId: SITE,
        supervisors: [pid(1), pid(3)],
      },
      {
        id: gid(2),
        targetName: 'West Coast Staff',
        status: 'INACTIVE',
        groupType: 'BROADCAST',
        description: '',
        externallyOwned: true,
        externalKey: 'AD-CN=WestCoast',
        observedByAll: true,
        created: '2021-07-09T08:01:12.004+0000',
      },
      {
        id: gid(3),
        targetName: 'Café Support / EMEA',
        groupType: 'ON_CALL',
        description: 'Tier 1 – Europe',
        observedByAll: true,
        created: '2022-03-01T10:00:00.000Z',
        supervisors: [pid(7)],
      },
      { id: gid(4), targetName: 'The "Night Owls"', groupType: 'ON_CALL', description: 'No members yet' },
      { id: gid(5), targetName: 'Escalation (dynamic)', groupType: 'DYNAMIC', observedByAll: true },
      {
        id: gid(6),
        targetName: 'Everyone',
        groupType: 'BROADCAST',
        description: 'All staff',
        observedByAll: true,
        created: '2019-01-01T00:00:00.000Z',
        supervisors: [pid(1)],
      },
      {
        id: gid(7),
        targetName: 'Platform Leads',
        groupType: 'ON_CALL',
        description: 'Nests other groups',
        supervisors: [pid(14), 'legacy-0009'],
      },
      { id: 'legacy-group-8', targetName: 'Legacy Team', groupType: 'BROADCAST' },
    ],
    devices: [
      {
        id: 'd7a1c3e5-0b2d-4f6a-8c9e-000000000401',
        name: 'Work Phone',
        deviceType: 'VOICE',
        phoneNumber: '+15555550102',
        sequence: 1,
        ownerId: pid(2),
      },
      {
        id: 'd7a1c3e5-0b2d-4f6a-8c9e-000000000402',
        name: 'Work Email',
        deviceType: 'EMAIL',
        emailAddress: 'ava.nakamura@example.com',
        sequence: 1,
        ownerId: pid(11),
      },
      {
        id: 'd7a1c3e5-0b2d-4f6a-8c9e-000000000403',
        name: 'Home Email',
        deviceType: 'EMAIL',
        emailAddress: 'mary.home@example.net',
        sequence: 3,
        ownerId: pid(1),
      },
      {
        id: 'd7a1c3e5-0b2d-4f6a-8c9e-000000000404',
        name: 'Mobile Phone',
        deviceType: 'VOICE',
        phoneNumber: '+15555550101',
        sequence: 2,
        ownerId: pid(1),
      },
      {
        id: 'd7a1c3e5-0b2d-4f6a-8c9e-000000000405',
        name: 'Work Email',
        deviceType: 'EMAIL',
        emailAddress: 'mary.mcbride@example.com',
        sequence: 1,
        ownerId: pid(1),
      },
      {
        id: 'd7a1c3e5-0b2d-4f6a-8c9e-000000000406',
        name: 'Work Email',
        deviceType: 'EMAIL',
        emailAddress: 'zoe.orsted@example.dk',
        sequence: 1,
        ownerId: pid(3),
      },
      {
        id: 'd7a1c3e5-0b2d-4f6a-8c9e-000000000407',
        name: 'Work Email',
        deviceType: 'EMAIL',
        emailAddress: 'john.doe@example.com',
        sequence: 2,
        ownerId: pid(2),
      },
    ],
    dynamicTeams: [{ id: 'e3b0c442-98fc-4c14-9afb-000000000501', targetName: 'Database Escalation Team' }],
    memberships: {
      [gid(1)]: [
        P(1),
        P(3),
        { type: 'GROUP', id: gid(2) },
        { type: 'DEVICE', id: 'd7a1c3e5-0b2d-4f6a-8c9e-000000000401' },
        { type: 'DYNAMIC_TEAM', id: 'e3b0c442-98fc-4c14-9afb-000000000501' },
      ],
      [gid(2)]: [P(4), P(5), P(2)],
      [gid(3)]: [P(6), P(7), P(10), P(12)],
      [gid(5)]: [P(1), P(13)],
      [gid(6)]: [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20].map(P),
      [gid(7)]: [{ type: 'GROUP', id: gid(1) }, { type: 'GROUP', id: gid(3) }, P(14)],
      'legacy-group-8': [{ type: 'DEVICE', id: 'd7a1c3e5-0b2d-4f6a-8c9e-000000000402' }, P(9), P(15)],
    },
    credentials: [
      { username: SAMPLE_CREDENTIALS.username, password: SAMPLE_CREDENTIALS.password },
      { username: SAMPLE_CREDENTIALS.apiKey, password: SAMPLE_CREDENTIALS.apiSecret },
      {
        username: SAMPLE_CREDENTIALS.noAccessUsername,
        password: SAMPLE_CREDENTIALS.noAccessPassword,
        forbidden: ['**'],
      },
    ],
  };
}

/** The built-in sample tenant (25 people, 8 groups), a fresh copy on each call. */
export function sampleTenant(): Tenant {
  return parseTenantData(sampleTenantData(), 'sample tenant');
}
