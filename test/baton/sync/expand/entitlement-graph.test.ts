import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EntitlementGraph, type EdgeSpec } from '../../../../src/baton/sync/expand/entitlement-graph.js';

const deep = (...types: string[]): EdgeSpec => ({ shallow: false, resourceTypeIds: new Set(types) });
const shallow = (...types: string[]): EdgeSpec => ({ shallow: true, resourceTypeIds: new Set(types) });

/** Node contents and edges by first entitlement id, for readable assertions. */
function shape(graph: EntitlementGraph) {
  const { nodes, longestPath } = graph.condense();
  const name = (i: number) => nodes[i]!.entitlementIds.join('+');
  return {
    order: nodes.map((n) => n.entitlementIds.join('+')),
    cyclic: nodes.filter((n) => n.cyclic).map((n) => n.entitlementIds.join('+')),
    edges: nodes.flatMap((n, i) =>
      [...n.out].map(([to, spec]) => ({
        edge: `${name(i)}>${name(to)}`,
        shallow: spec.shallow,
        types: [...spec.resourceTypeIds].sort(),
      })),
    ),
    longestPath,
  };
}

describe('EntitlementGraph (baton-sdk graph rules)', () => {
  test('a chain comes out in topological order with its length as the longest path', () => {
    const g = new EntitlementGraph();
    g.addEdge('c', 'b', deep());
    g.addEdge('b', 'a', deep());
    g.addEdge('d', 'c', deep());
    const s = shape(g);
    assert.deepEqual(s.order, ['d', 'c', 'b', 'a']);
    assert.equal(s.longestPath, 3);
    assert.deepEqual(s.cyclic, []);
  });

  test('a cycle becomes one node; the edges inside it are dropped, the ones in and out are kept', () => {
    const g = new EntitlementGraph();
    g.addEdge('x', 'y', deep('user'));
    g.addEdge('y', 'z', deep('user'));
    g.addEdge('z', 'x', deep('user'));
    g.addEdge('feed', 'x', deep('user'));
    g.addEdge('y', 'out', deep('user'));
    const s = shape(g);
    assert.deepEqual(s.order, ['feed', 'x+y+z', 'out']);
    assert.deepEqual(s.cyclic, ['x+y+z']);
    assert.deepEqual(
      s.edges.map((e) => e.edge),
      ['feed>x+y+z', 'x+y+z>out'],
    );
    assert.equal(s.longestPath, 2);
  });

  test('a self-loop is a cycle of one, and its edge is dropped', () => {
    const g = new EntitlementGraph();
    g.addEdge('a', 'a', deep());
    g.addEdge('a', 'b', deep());
    const s = shape(g);
    assert.deepEqual(s.cyclic, ['a']);
    assert.deepEqual(
      s.edges.map((e) => e.edge),
      ['a>b'],
    );
  });

  test('parallel edges fold: deep wins over shallow, unfiltered over filtered, filters union', () => {
    const g = new EntitlementGraph();
    g.addEdge('a', 'b', shallow('user'));
    g.addEdge('a', 'b', shallow('group'));
    g.addEdge('c', 'd', shallow('user'));
    g.addEdge('c', 'd', deep());
    // Into a cycle {x, y} from one neighbour over two edges: they fold into one edge into the cycle.
    g.addEdge('x', 'y', deep());
    g.addEdge('y', 'x', deep());
    g.addEdge('n', 'x', shallow('user'));
    g.addEdge('n', 'y', shallow('role'));
    const edges = Object.fromEntries(
      shape(g).edges.map((e) => [e.edge, { shallow: e.shallow, types: e.types }]),
    );
    assert.deepEqual(edges['a>b'], { shallow: true, types: ['group', 'user'] });
    assert.deepEqual(edges['c>d'], { shallow: false, types: [] });
    assert.deepEqual(edges['n>x+y'], { shallow: true, types: ['role', 'user'] });
  });

  test('a diamond keeps both paths and orders the bottom first', () => {
    const g = new EntitlementGraph();
    g.addEdge('bottom', 'left', deep());
    g.addEdge('bottom', 'right', deep());
    g.addEdge('left', 'top', deep());
    g.addEdge('right', 'top', deep());
    const s = shape(g);
    assert.equal(s.order[0], 'bottom');
    assert.equal(s.order[3], 'top');
    assert.equal(s.longestPath, 2);
    assert.equal(s.edges.length, 4);
  });

  test('a long chain needs no recursion (10,000 levels)', () => {
    const g = new EntitlementGraph();
    for (let i = 0; i < 10_000; i++) g.addEdge(`e${i + 1}`, `e${i}`, deep());
    assert.equal(g.condense().longestPath, 10_000);
  });
});
