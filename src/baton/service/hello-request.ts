import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname, machine, platform, release } from 'node:os';
import { create } from '@bufbuild/protobuf';
import type { ConnectorMetadata } from '../gen/c1/connector/v2/connector_pb.js';
import {
  BatonServiceHelloRequest_BuildInfoSchema,
  BatonServiceHelloRequest_OSInfoSchema,
  type BatonServiceHelloRequest_BuildInfo,
  type BatonServiceHelloRequest_OSInfo,
} from '../gen/c1/connectorapi/baton/v1/baton_pb.js';

export interface BuildInfo {
  /** What Go fills with the module path, e.g. the npm package name. */
  package: string;
  packageVersion: string;
}

export interface HelloFields {
  taskId: string;
  buildInfo: BatonServiceHelloRequest_BuildInfo;
  osInfo: BatonServiceHelloRequest_OSInfo;
  connectorMetadata: ConnectorMetadata;
}

/**
 * The body of a Hello (docs/service-mode.md, "The conversation") minus host_id, which the client adds: build
 * info with the Node version where Go puts its own (`go1.22.1` → `node20.18.0`), and the host facts gopsutil
 * reports in Go.
 */
export async function helloFields(opts: {
  taskId: string;
  build: BuildInfo;
  connectorMetadata: ConnectorMetadata;
}): Promise<HelloFields> {
  return {
    taskId: opts.taskId,
    buildInfo: create(BatonServiceHelloRequest_BuildInfoSchema, {
      langVersion: `node${process.versions.node}`,
      package: opts.build.package,
      packageVersion: opts.build.packageVersion,
    }),
    osInfo: await osInfo(),
    connectorMetadata: opts.connectorMetadata,
  };
}

async function osInfo(): Promise<BatonServiceHelloRequest_OSInfo> {
  const release_ = await osRelease();
  return create(BatonServiceHelloRequest_OSInfoSchema, {
    hostname: hostname(),
    // Go's GOOS spelling, which is what ConductorOne sees from every other connector.
    os: platform() === 'win32' ? 'windows' : platform(),
    platform: release_.ID ?? '',
    platformVersion: release_.VERSION_ID ?? '',
    platformFamily: (release_.ID_LIKE ?? release_.ID ?? '').split(' ')[0] ?? '',
    kernelVersion: release(),
    kernelArch: machine(),
    virtualizationSystem: existsSync('/.dockerenv') ? 'docker' : 'none',
  });
}

/** /etc/os-release as key → value; empty where the file does not exist (macOS, Windows). */
async function osRelease(): Promise<Record<string, string>> {
  const text = await readFile('/etc/os-release', 'utf8').catch(() => '');
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=("?)(.*)\2$/.exec(line.trim());
    if (m?.[1] !== undefined && m[3] !== undefined) out[m[1]] = m[3];
  }
  return out;
}
