import { compareUtf8 } from '../../model/utf8-compare.js';

/**
 * Which holders of a source entitlement an edge passes on. Parallel edges between the same two nodes fold
 * with baton-sdk's widest-grant rules: any deep edge makes the fold deep, and any unfiltered edge (no
 * resource type ids, meaning "every principal type") makes it unfiltered; otherwise filters are unioned.
 */
export interface EdgeSpec {
  shallow: boolean;
  /** Principal resource types passed on; empty means all. */
  resourceTypeIds: ReadonlySet<string>;
}

function foldSpec(a: EdgeSpec, b: EdgeSpec): EdgeSpec {
  const unfiltered = a.resourceTypeIds.size === 0 || b.resourceTypeIds.size === 0;
  return {
    shallow: a.shallow && b.shallow,
    resourceTypeIds: unfiltered ? new Set() : new Set([...a.resourceTypeIds, ...b.resourceTypeIds]),
  };
}

/** One unit of the condensed graph: a single entitlement, or every entitlement of a cycle. */
export interface GraphNode {
  /** Sorted (UTF-8), so that the expansion order is the same on every run. */
  entitlementIds: string[];
  /** Outgoing edges to other nodes, by node index. */
  out: Map<number, EdgeSpec>;
  /** True when the node stands for a cycle (several entitlements, or one that feeds itself). */
  cyclic: boolean;
}

/**
 * The entitlement graph of baton-sdk's expander (pkg/sync/expand): an edge S → D says "whoever holds S
 * also gets D". Cycles are collapsed the way baton-sdk's FixCycles does it: every strongly connected
 * component becomes one node holding all its entitlements, the edges inside it are dropped, and edges in
 * and out of it fold with the widest-grant rules. Holders of a node's entitlements therefore reach every
 * node downstream of it, but not the other entitlements of their own cycle.
 */
export class EntitlementGraph {
  private readonly edges = new Map<string, Map<string, EdgeSpec>>();
  private readonly ids = new Set<string>();

  /** Adds S → D; a repeated pair folds into the existing edge. */
  addEdge(source: string, destination: string, spec: EdgeSpec): void {
    this.ids.add(source);
    this.ids.add(destination);
    let out = this.edges.get(source);
    if (out === undefined) this.edges.set(source, (out = new Map<string, EdgeSpec>()));
    const existing = out.get(destination);
    out.set(destination, existing === undefined ? spec : foldSpec(existing, spec));
  }

  get edgeCount(): number {
    let n = 0;
    for (const out of this.edges.values()) n += out.size;
    return n;
  }

  /** Removes S → D (a destination that turned out not to exist). */
  deleteEdge(source: string, destination: string): void {
    this.edges.get(source)?.delete(destination);
  }

  /**
   * The condensed graph's nodes in topological order (every node after all nodes with an edge into it),
   * and its longest path in edges, which is how many rounds baton-sdk's expander needs.
   */
  condense(): { nodes: GraphNode[]; longestPath: number } {
    const ids = [...this.ids].sort(compareUtf8);
    const components = stronglyConnected(ids, (id) => this.edges.get(id)?.keys() ?? []);
    const componentOf = new Map<string, number>();
    components.forEach((members, i) => {
      for (const id of members) componentOf.set(id, i);
    });
    const nodes: GraphNode[] = components.map((members) => ({
      entitlementIds: [...members].sort(compareUtf8),
      out: new Map(),
      cyclic: members.length > 1,
    }));
    for (const [source, out] of this.edges) {
      const from = componentOf.get(source)!;
      for (const [destination, spec] of out) {
        const to = componentOf.get(destination)!;
        if (from === to) {
          // An edge inside a cycle (or a self-loop) is dropped by the collapse.
          nodes[from]!.cyclic = true;
          continue;
        }
        const node = nodes[from]!;
        const existing = node.out.get(to);
        node.out.set(to, existing === undefined ? spec : foldSpec(existing, spec));
      }
    }
    return topologicalOrder(nodes);
  }
}

/** Tarjan's algorithm without recursion (deep nesting must not overflow the stack). Components in any order. */
function stronglyConnected(ids: readonly string[], next: (id: string) => Iterable<string>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (index.has(root)) continue;
    const work: { id: string; it: Iterator<string> }[] = [];
    const visit = (id: string): void => {
      index.set(id, counter);
      low.set(id, counter);
      counter += 1;
      stack.push(id);
      onStack.add(id);
      work.push({ id, it: next(id)[Symbol.iterator]() });
    };
    visit(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const step = frame.it.next();
      if (!step.done) {
        const w = step.value;
        if (!index.has(w)) visit(w);
        else if (onStack.has(w)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const members: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          members.push(w);
        } while (w !== frame.id);
        components.push(members);
      }
    }
  }
  return components;
}

/** Kahn's algorithm, ties broken by the first entitlement id; also the longest path (in edges). */
function topologicalOrder(nodes: GraphNode[]): { nodes: GraphNode[]; longestPath: number } {
  const indegree = new Array<number>(nodes.length).fill(0);
  for (const node of nodes) for (const to of node.out.keys()) indegree[to]! += 1;
  const level = new Array<number>(nodes.length).fill(0);
  const ready = nodes.map((_, i) => i).filter((i) => indegree[i] === 0);
  const byName = (a: number, b: number) =>
    compareUtf8(nodes[a]!.entitlementIds[0]!, nodes[b]!.entitlementIds[0]!);
  ready.sort(byName);
  const order: GraphNode[] = [];
  let longestPath = 0;
  while (ready.length > 0) {
    const i = ready.shift()!;
    const node = nodes[i]!;
    order.push(node);
    const next: number[] = [];
    for (const to of node.out.keys()) {
      level[to] = Math.max(level[to]!, level[i]! + 1);
      longestPath = Math.max(longestPath, level[to]);
      indegree[to]! -= 1;
      if (indegree[to] === 0) next.push(to);
    }
    ready.push(...next.sort(byName));
  }
  // Renumber the edges to positions in `order`, which is what callers iterate.
  const position = new Map(order.map((n, p) => [n, p]));
  const renumbered = order.map((n) => ({
    ...n,
    out: new Map([...n.out].map(([to, spec]) => [position.get(nodes[to]!)!, spec])),
  }));
  return { nodes: renumbered, longestPath };
}
