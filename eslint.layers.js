// The layers (docs/architecture.md): dependencies point one way, and lint, not review, keeps them so.
// A relative import that climbs out of its layer into a forbidden sibling under src/ is refused.
// test/architecture/layers.test.ts proves each rule fires; add a layer here and a case there.

/** Files matching `files` may not import from the sibling top-level folders `forbidden` under src/. */
function layerRule(files, forbidden, why) {
  return {
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`,
              message: `Layer violation: ${why} (see docs/architecture.md).`,
            },
          ],
        },
      ],
    },
  };
}

export const layerRules = [
  layerRule(
    'src/baton/**',
    ['xmatters', 'connector', 'simulator'],
    'the generic Baton layer knows no vendor',
  ),
  layerRule(
    'src/xmatters/**',
    ['baton', 'connector', 'simulator'],
    'the REST client knows only HTTP and xMatters',
  ),
  layerRule('src/connector/**', ['simulator'], 'the connector must not depend on the test simulator'),
  layerRule('src/simulator/**', ['connector', 'baton'], 'the simulator may reuse only xMatters types'),
  layerRule(
    'src/common/**',
    ['baton', 'xmatters', 'connector', 'simulator'],
    'the shared error and abort module imports no layer, so every layer may import it',
  ),
];
