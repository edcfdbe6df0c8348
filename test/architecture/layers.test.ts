// The layer rules of eslint.layers.js, proved to fire: each forbidden edge is refused and each allowed one passes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ESLint } from 'eslint';
// @ts-expect-error -- a plain ESM config module shared with eslint.config.js; it has no type declarations.
import { layerRules } from '../../eslint.layers.js';

const eslint = new ESLint({
  cwd: new URL('../..', import.meta.url).pathname,
  overrideConfigFile: true,
  // Lint .ts paths as plain modules: the snippets below need no type information.
  overrideConfig: [
    { files: ['**/*.ts'] },
    ...(layerRules as ESLint.ConfigData[]),
  ] as ESLint.Options['overrideConfig'],
});

async function violations(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import { x } from '${source}';\nexport const y = x;\n`, {
    filePath: file,
  });
  return result!.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

const forbidden: [file: string, source: string][] = [
  ['src/baton/sync/engine.ts', '../../xmatters/index.js'],
  ['src/baton/c1z/store.ts', '../../connector/xmatters-connector.js'],
  ['src/baton/cli/program.ts', '../../simulator/index.js'],
  ['src/xmatters/client.ts', '../baton/errors.js'],
  ['src/xmatters/models/person.ts', '../../connector/user-resource.js'],
  ['src/xmatters/client.ts', '../simulator/index.js'],
  ['src/connector/group-syncer.ts', '../simulator/tenant.js'],
  ['src/simulator/routes.ts', '../connector/index.js'],
  ['src/simulator/routes.ts', '../baton/model/index.js'],
  ['src/common/coded-error.ts', '../baton/errors.js'],
  ['src/common/abort.ts', '../xmatters/errors.js'],
  ['src/common/causes.ts', '../connector/index.js'],
  ['src/common/causes.ts', '../simulator/index.js'],
];

const allowed: [file: string, source: string][] = [
  ['src/connector/group-syncer.ts', '../baton/model/index.js'],
  ['src/connector/group-syncer.ts', '../xmatters/index.js'],
  ['src/simulator/routes.ts', '../xmatters/models/person.js'],
  ['src/baton/sync/engine.ts', '../c1z/index.js'],
  ['src/baton/sync/engine.ts', './connector.js'],
  ['src/main.ts', './connector/xmatters-connector.js'],
  ['src/baton/errors.ts', '../common/coded-error.js'],
  ['src/xmatters/errors.ts', '../common/coded-error.js'],
  ['src/simulator/routes.ts', '../common/abort.js'],
  ['src/common/abort.ts', './causes.js'],
];

describe('layer rules', () => {
  for (const [file, source] of forbidden) {
    test(`${file} may not import ${source}`, async () => {
      const found = await violations(file, source);
      assert.equal(found.length, 1, `expected one violation, got ${JSON.stringify(found)}`);
      assert.match(found[0]!, /^no-restricted-imports: .*Layer violation/);
    });
  }
  for (const [file, source] of allowed) {
    test(`${file} may import ${source}`, async () => {
      assert.deepEqual(await violations(file, source), []);
    });
  }
});
