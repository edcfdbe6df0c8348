// No container engine runs here, so this replays the Dockerfile's steps on a clean copy of the repository:
// the build context (tracked and untracked-but-not-ignored files, filtered by .dockerignore), the build
// stage's install, build and prune, the runtime stage's copies and bin link, then the entry point (the
// `baton-xmatters` command, run the way the image runs it) with --version/--help.
//
// Two steps cannot run offline and are replaced, with the reason checked where possible:
// - `npm ci --ignore-scripts` copies this checkout's node_modules, installed by `npm ci` from the same
//   package-lock.json (a registry download is not allowed in tests);
// - `npm rebuild <addons>` is skipped: the copied addons are already built for this Node version, and the
//   runtime check below loads them from the pruned tree.
// System package steps (apt-get) and ownership changes (chown) need root and are skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  lstatSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { dockerignore, parseCopy, parseDockerfile, type Stage } from './dockerfile-steps.js';

const repo = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  version: string;
  engines: { node: string };
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};
const { stages } = parseDockerfile(readFileSync(join(repo, 'Dockerfile'), 'utf8'));
/** Node lines in LTS today (2026-11-29; Node 20 ended in April 2026) that the project supports. */
const SUPPORTED_LTS = [22, 24];
/** On PATH in the node images, where an executable entry point is looked up. */
const BIN_DIR = '/usr/local/bin';

interface StageState {
  root: string;
  workdir: string;
  env: Record<string, string>;
  user: string | undefined;
  entrypoint: string[] | undefined;
  volumes: string[];
  log: string[];
}

const inRoot = (root: string, path: string): string => join(root, path);
/** The words of one simple shell command of a RUN line (the Dockerfile uses no quoting inside RUN). */
const shellWords = (command: string): string[] => command.trim().split(/\s+/);

function buildContext(dir: string): void {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repo,
  })
    .toString('utf8')
    .split('\0')
    .filter((f) => f !== '');
  const ignored = dockerignore(readFileSync(join(repo, '.dockerignore'), 'utf8'));
  for (const file of listed) {
    if (ignored(file) || !existsSync(join(repo, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(repo, file), join(dir, file));
  }
}

function run(state: StageState, command: string): void {
  const env = {
    ...process.env,
    ...state.env,
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  const result = spawnSync('sh', ['-c', command], {
    cwd: state.workdir,
    env,
    encoding: 'utf8',
    timeout: 150_000,
  });
  assert.equal(result.status, 0, `RUN ${command} failed:\n${result.stdout}\n${result.stderr}`);
}

function replayRun(state: StageState, args: string): void {
  for (const command of args.split('&&').map((c) => c.trim())) {
    if (/^(apt-get|rm -rf \/var\/lib\/apt)/.test(command) || command.startsWith('chown ')) {
      state.log.push(`skipped (needs root): ${command}`);
    } else if (command.startsWith('npm ci')) {
      // `prepare` builds, and the sources are not copied yet: scripts must be off.
      assert.match(
        command,
        /--ignore-scripts/,
        'npm ci must not run the prepare script before src is copied',
      );
      assert.ok(existsSync(join(state.workdir, 'package-lock.json')), 'npm ci needs package-lock.json');
      cpSync(join(repo, 'node_modules'), join(state.workdir, 'node_modules'), { recursive: true });
      state.log.push(`replaced by a copy of node_modules: ${command}`);
    } else if (command.startsWith('npm rebuild')) {
      for (const name of shellWords(command).slice(2)) {
        assert.ok(
          existsSync(join(state.workdir, 'node_modules', name)),
          `npm rebuild ${name}: not installed`,
        );
      }
      state.log.push(`skipped (addons already built for this Node): ${command}`);
    } else if (command.startsWith('mkdir -p ')) {
      for (const dir of shellWords(command).slice(2)) mkdirSync(inRoot(state.root, dir), { recursive: true });
    } else if (command.startsWith('ln -s ')) {
      // An absolute link in the image: made inside this stage's root, pointing into the same root.
      const [target, link, ...rest] = shellWords(command).slice(2);
      assert.ok(target !== undefined && link !== undefined && rest.length === 0, `cannot replay: ${command}`);
      assert.ok(isAbsolute(target) && isAbsolute(link), `ln -s with absolute paths only: ${command}`);
      mkdirSync(dirname(inRoot(state.root, link)), { recursive: true });
      symlinkSync(inRoot(state.root, target), inRoot(state.root, link));
      state.log.push(`linked: ${command}`);
    } else {
      run(state, command);
      state.log.push(`ran: ${command}`);
    }
  }
}

function replayStage(
  stage: Stage,
  root: string,
  context: string,
  built: Map<string, StageState>,
): StageState {
  const state: StageState = {
    root,
    workdir: root,
    env: {},
    user: undefined,
    entrypoint: undefined,
    volumes: [],
    log: [],
  };
  mkdirSync(root, { recursive: true });
  for (const ins of stage.instructions) {
    switch (ins.keyword) {
      case 'WORKDIR':
        state.workdir = isAbsolute(ins.args) ? inRoot(root, ins.args) : join(state.workdir, ins.args);
        mkdirSync(state.workdir, { recursive: true });
        break;
      case 'COPY': {
        const { from, sources, dest } = parseCopy(ins);
        const source = from === undefined ? undefined : built.get(from);
        if (from !== undefined) assert.ok(source, `COPY --from=${from}: no such stage`);
        const target = isAbsolute(dest) ? inRoot(root, dest) : join(state.workdir, dest);
        for (const src of sources) {
          const path = source === undefined ? join(context, src) : inRoot(source.root, src);
          assert.ok(existsSync(path), `line ${ins.line}: COPY source ${src} does not exist`);
          const into =
            dest.endsWith('/') || sources.length > 1 ? join(target, src.split('/').at(-1)!) : target;
          mkdirSync(dirname(into), { recursive: true });
          cpSync(path, into, { recursive: true });
        }
        break;
      }
      case 'RUN':
        replayRun(state, ins.args);
        break;
      case 'ENV': {
        const [name, ...value] = ins.args.split('=');
        state.env[name!] = value.join('=');
        break;
      }
      case 'USER':
        state.user = ins.args;
        break;
      case 'VOLUME':
        state.volumes.push(...ins.words);
        break;
      case 'ENTRYPOINT':
        state.entrypoint = ins.words;
        break;
      default:
        assert.fail(`line ${ins.line}: the replay does not know ${ins.keyword}`);
    }
  }
  return state;
}

/** Every installed package as its package-lock key: `node_modules/a`, `node_modules/a/node_modules/b`. */
function installedPackages(dir: string, prefix = ''): string[] {
  const nodeModules = join(dir, 'node_modules');
  if (!existsSync(nodeModules)) return [];
  const out: string[] = [];
  for (const name of readdirSync(nodeModules)) {
    if (name.startsWith('.')) continue;
    const names = name.startsWith('@')
      ? readdirSync(join(nodeModules, name)).map((s) => `${name}/${s}`)
      : [name];
    for (const n of names) {
      const key = `${prefix}node_modules/${n}`;
      out.push(key, ...installedPackages(join(nodeModules, n), `${key}/`));
    }
  }
  return out;
}

test('the Dockerfile has a build stage and a slim, non-root runtime stage running baton-xmatters', () => {
  assert.equal(stages.length, 2, 'multi-stage: build, then runtime');
  const [build, runtime] = stages as [Stage, Stage];
  assert.equal(build.name, 'build');
  // A Node line in active or maintenance LTS that the project supports (engines allows 20.18+, and Node 20
  // is end-of-life): the same line in both stages, so the native addons built in one load in the other.
  const minMajor = Number(/(\d+)/.exec(pkg.engines.node)?.[1]);
  const majors = stages.map((s) => /^node:(\d+)(-[a-z]+)*-slim$/.exec(s.image)?.[1]);
  for (const [i, major] of majors.entries()) {
    assert.ok(major !== undefined, `${stages[i]!.image} is not a node:<major>-…-slim image`);
    assert.ok(
      SUPPORTED_LTS.includes(Number(major)),
      `node ${major} is not one of ${SUPPORTED_LTS.join(', ')}`,
    );
    assert.ok(Number(major) >= minMajor, `node ${major} is below engines.node ${pkg.engines.node}`);
  }
  assert.equal(new Set(majors).size, 1, 'both stages use the same Node line');
  const runtimeRuns = runtime.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
  assert.ok(!runtimeRuns.some((r) => /\bnpm\b/.test(r)), 'nothing is installed in the runtime stage');
  const copies = runtime.instructions.filter((i) => i.keyword === 'COPY').map((i) => parseCopy(i));
  assert.ok(
    copies.every((c) => c.from === 'build'),
    'the runtime stage copies only from the build stage',
  );
  const user = runtime.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args;
  assert.ok(user !== undefined && user !== 'root' && user !== '0', 'the image runs as a non-root user');
  const entrypoint = runtime.instructions.find((i) => i.keyword === 'ENTRYPOINT')!.words;
  assert.deepEqual(entrypoint, ['baton-xmatters'], 'the entry point is the baton-xmatters command');
  assert.ok(
    runtimeRuns.some((r) => r.includes(`ln -s /app/${pkg.bin['baton-xmatters']} ${BIN_DIR}/baton-xmatters`)),
    `the runtime stage links ${BIN_DIR}/baton-xmatters to the package's bin`,
  );
  assert.ok(runtime.instructions.some((i) => i.keyword === 'VOLUME' && i.words.includes('/out')));
  assert.equal(runtime.instructions.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args, '/out');
});

test('.dockerignore keeps installed modules, build output and local files out of the context', () => {
  const ignored = dockerignore(readFileSync(join(repo, '.dockerignore'), 'utf8'));
  for (const path of [
    'node_modules/pino/package.json',
    'dist/main.js',
    '.git/config',
    'sync.c1z',
    '.baton.yaml',
  ]) {
    assert.ok(ignored(path), `${path} must not be sent to the builder`);
  }
  for (const path of ['package.json', 'package-lock.json', 'tsconfig.build.json', 'src/main.ts']) {
    assert.ok(!ignored(path), `${path} is needed by the build`);
  }
});

test(
  'replaying the install and start steps on a clean copy gives a production-only app that runs',
  { timeout: 180_000 },
  () => {
    const work = mkdtempSync(join(tmpdir(), 'docker-replay-'));
    try {
      const context = join(work, 'context');
      buildContext(context);
      const built = new Map<string, StageState>();
      let final: StageState | undefined;
      stages.forEach((stage, i) => {
        final = replayStage(stage, join(work, `stage-${i}`), context, built);
        built.set(stage.name ?? String(i), final);
      });
      const runtime = final!;
      const app = inRoot(runtime.root, '/app');

      // Production only, by the lockfile: nothing flagged `dev`, and every package the app needs is there.
      const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, { dev?: boolean; optional?: boolean }>;
      };
      const installed = new Set(installedPackages(app));
      for (const key of installed) {
        assert.ok(key in lock.packages, `${key} is not in package-lock.json`);
        assert.ok(lock.packages[key]!.dev !== true, `${key} is a development-only package`);
      }
      const needed = Object.entries(lock.packages).filter(
        ([k, v]) => k !== '' && v.dev !== true && v.optional !== true,
      );
      for (const [key] of needed) assert.ok(installed.has(key), `${key} is missing`);
      for (const dep of Object.keys(pkg.dependencies)) assert.ok(installed.has(`node_modules/${dep}`), dep);
      assert.ok(statSync(join(app, 'dist/main.js')).isFile());
      assert.ok((statSync(join(app, 'dist/main.js')).mode & 0o111) !== 0, 'dist/main.js is executable');
      assert.ok(!existsSync(join(app, 'src')) && !existsSync(join(app, 'test')), 'no sources in the image');

      // The entry point is a command found on the image's PATH: the link to dist/main.js, run through its
      // `#!/usr/bin/env node` line (the image's node is on PATH; here, this test's node stands in for it).
      const [command, ...entry] = runtime.entrypoint!;
      assert.equal(command, 'baton-xmatters');
      const bin = inRoot(runtime.root, `${BIN_DIR}/${command}`);
      assert.ok(lstatSync(bin).isSymbolicLink(), `${BIN_DIR}/${command} is a link`);
      assert.equal(readlinkSync(bin), join(app, pkg.bin['baton-xmatters']!));
      assert.match(readFileSync(bin, 'utf8').split('\n')[0]!, /^#!\/usr\/bin\/env node$/);
      const start = (...args: string[]) =>
        spawnSync(bin, [...entry, ...args], {
          cwd: runtime.workdir,
          env: {
            PATH: [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter),
            HOME: work,
            ...runtime.env,
          },
          encoding: 'utf8',
          timeout: 30_000,
        });
      const version = start('--version');
      assert.equal(version.status, 0, version.stderr);
      assert.equal(version.stdout.trim(), `baton-xmatters version ${pkg.version}`);
      const help = start('--help');
      assert.equal(help.status, 0, help.stderr);
      assert.match(help.stdout, /--client-id/);
      assert.match(help.stdout, /BATON_CLIENT_SECRET/);

      // The native addons load from the pruned tree.
      const addons = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          "import Database from 'better-sqlite3'; new Database(':memory:').close(); await import('zstd-napi');",
        ],
        { cwd: app, encoding: 'utf8', timeout: 30_000 },
      );
      assert.equal(addons.status, 0, addons.stderr);
      console.log(built.get('build')!.log.concat(runtime.log).join('\n'));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
);
