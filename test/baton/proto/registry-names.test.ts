// Full names become `type.googleapis.com/<full name>` URLs in every annotation, so each message and enum that
// baton-interop.md §3 lists must exist in the generated registry under exactly its upstream name (package
// included), and in the .proto file the document names for it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { batonRegistry } from '../../../src/baton/model/registry.js';

const CONNECTOR = 'c1.connector.v2';

/** `[full name, kind, file (without .proto) that declares it]`, in the order of baton-interop.md §3. */
const LISTED: [string, 'message' | 'enum', string][] = [
  // §3.2 core messages
  [`${CONNECTOR}.ResourceType`, 'message', 'resource'],
  [`${CONNECTOR}.ResourceType.Trait`, 'enum', 'resource'],
  [`${CONNECTOR}.ResourceId`, 'message', 'resource'],
  [`${CONNECTOR}.Resource`, 'message', 'resource'],
  [`${CONNECTOR}.Resource.CreationSource`, 'enum', 'resource'],
  [`${CONNECTOR}.ExternalId`, 'message', 'resource'],
  [`${CONNECTOR}.Status`, 'message', 'resource'],
  [`${CONNECTOR}.Status.ResourceStatus`, 'enum', 'resource'],
  [`${CONNECTOR}.AssetRef`, 'message', 'asset'],
  [`${CONNECTOR}.Entitlement`, 'message', 'entitlement'],
  [`${CONNECTOR}.Entitlement.PurposeValue`, 'enum', 'entitlement'],
  [`${CONNECTOR}.Grant`, 'message', 'grant'],
  [`${CONNECTOR}.GrantSources`, 'message', 'grant'],
  [`${CONNECTOR}.GrantSources.GrantSource`, 'message', 'grant'],
  // §3.3 traits
  [`${CONNECTOR}.UserTrait`, 'message', 'annotation_trait'],
  [`${CONNECTOR}.UserTrait.Email`, 'message', 'annotation_trait'],
  [`${CONNECTOR}.UserTrait.Status`, 'message', 'annotation_trait'],
  [`${CONNECTOR}.UserTrait.Status.Status`, 'enum', 'annotation_trait'],
  [`${CONNECTOR}.UserTrait.AccountType`, 'enum', 'annotation_trait'],
  [`${CONNECTOR}.UserTrait.MFAStatus`, 'message', 'annotation_trait'],
  [`${CONNECTOR}.UserTrait.SSOStatus`, 'message', 'annotation_trait'],
  [`${CONNECTOR}.UserTrait.StructuredName`, 'message', 'annotation_trait'],
  [`${CONNECTOR}.GroupTrait`, 'message', 'annotation_trait'],
  [`${CONNECTOR}.RoleTrait`, 'message', 'annotation_trait'],
  [`${CONNECTOR}.RoleScopeConditions`, 'message', 'annotation_trait'],
  [`${CONNECTOR}.RoleScopeCondition`, 'message', 'annotation_trait'],
  [`${CONNECTOR}.AppTrait`, 'message', 'annotation_trait'],
  [`${CONNECTOR}.AppTrait.AppFlag`, 'enum', 'annotation_trait'],
  // §3.4 annotations
  [`${CONNECTOR}.ExternalLink`, 'message', 'annotation_external_link'],
  [`${CONNECTOR}.V1Identifier`, 'message', 'annotation_v1_identifier'],
  [`${CONNECTOR}.RawId`, 'message', 'annotation_raw_id'],
  [`${CONNECTOR}.Aliases`, 'message', 'annotation_id_alias'],
  [`${CONNECTOR}.ChildResourceType`, 'message', 'annotation_resource_tree'],
  [`${CONNECTOR}.SkipEntitlementsAndGrants`, 'message', 'annotation_resource_tree'],
  [`${CONNECTOR}.SkipGrants`, 'message', 'annotation_resource_tree'],
  [`${CONNECTOR}.SkipEntitlements`, 'message', 'annotation_resource_tree'],
  [`${CONNECTOR}.EntitlementImmutable`, 'message', 'annotation_entitlement'],
  [`${CONNECTOR}.GrantImmutable`, 'message', 'annotation_grant'],
  [`${CONNECTOR}.GrantMetadata`, 'message', 'annotation_grant'],
  [`${CONNECTOR}.GrantExpandable`, 'message', 'annotation_grant'],
  [`${CONNECTOR}.InsertResourceGrants`, 'message', 'annotation_grant'],
  [`${CONNECTOR}.RateLimitDescription`, 'message', 'annotation_ratelimit'],
  [`${CONNECTOR}.ETag`, 'message', 'annotation_etag'],
  // §3.6 metadata and capabilities, with their parts
  [`${CONNECTOR}.ConnectorMetadata`, 'message', 'connector'],
  [`${CONNECTOR}.ConnectorCapabilities`, 'message', 'connector'],
  [`${CONNECTOR}.ResourceTypeCapability`, 'message', 'connector'],
  [`${CONNECTOR}.Capability`, 'enum', 'connector'],
  [`${CONNECTOR}.CapabilityPermissions`, 'message', 'connector'],
  [`${CONNECTOR}.CapabilityPermission`, 'message', 'connector'],
  [`${CONNECTOR}.CredentialDetails`, 'message', 'connector'],
  [`${CONNECTOR}.CredentialDetailsAccountProvisioning`, 'message', 'connector'],
  [`${CONNECTOR}.CredentialDetailsCredentialRotation`, 'message', 'connector'],
  [`${CONNECTOR}.CapabilityDetailCredentialOption`, 'enum', 'connector'],
  // §3.7 reader side
  ['c1.reader.v2.SyncRun', 'message', 'sync'],
  ['c1.reader.v2.SyncStats', 'message', 'sync'],
];

/** The packages of baton-interop.md; google.* are the well-known types. */
const PACKAGES = ['c1.connector.v2', 'c1.reader.v2', 'c1.c1z.v1'];

describe('the generated registry', () => {
  const registry = batonRegistry();

  test('holds every message and enum of baton-interop.md §3 under its exact full name', () => {
    const missing: string[] = [];
    for (const [name, kind, file] of LISTED) {
      const desc = kind === 'message' ? registry.getMessage(name) : registry.getEnum(name);
      if (desc === undefined) {
        missing.push(`${kind} ${name}`);
        continue;
      }
      assert.equal(desc.typeName, name);
      const pkg = name.startsWith(CONNECTOR) ? 'c1/connector/v2' : 'c1/reader/v2';
      assert.equal(desc.file.name, `${pkg}/${file}`, `${name} is declared in ${pkg}/${file}.proto`);
    }
    assert.deepEqual(missing, [], 'listed in baton-interop.md §3 but not generated');
  });

  test('declares nothing outside the documented packages', () => {
    for (const desc of registry) {
      if (desc.typeName.startsWith('google.')) continue;
      assert.ok(
        PACKAGES.some((p) => desc.typeName.startsWith(`${p}.`)),
        `${desc.typeName} is not in ${PACKAGES.join(', ')}`,
      );
    }
  });
});
