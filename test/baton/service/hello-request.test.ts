import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { create } from '@bufbuild/protobuf';
import { ConnectorMetadataSchema } from '../../../src/baton/gen/c1/connector/v2/connector_pb.js';
import { helloFields } from '../../../src/baton/service/hello-request.js';

describe('helloFields', () => {
  test('carries the task ID, build info with the Node version, host facts and the metadata', async () => {
    const metadata = create(ConnectorMetadataSchema, { displayName: 'xMatters' });
    const hello = await helloFields({
      taskId: 'task-27',
      build: { package: 'baton-xmatters', packageVersion: '1.2.3' },
      connectorMetadata: metadata,
    });
    assert.equal(hello.taskId, 'task-27');
    assert.equal(hello.buildInfo.langVersion, `node${process.versions.node}`);
    assert.equal(hello.buildInfo.package, 'baton-xmatters');
    assert.equal(hello.buildInfo.packageVersion, '1.2.3');
    assert.equal(hello.osInfo.hostname, hostname());
    // Go's GOOS spelling.
    assert.equal(hello.osInfo.os, process.platform === 'win32' ? 'windows' : process.platform);
    assert.notEqual(hello.osInfo.kernelVersion, '');
    assert.notEqual(hello.osInfo.kernelArch, '');
    assert.match(hello.osInfo.virtualizationSystem, /^(docker|none)$/);
    assert.equal(hello.connectorMetadata, metadata);
  });
});
