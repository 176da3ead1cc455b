import type { ELK } from 'elkjs/lib/elk-api';
import { type DiagramEdge, type EntityNodeData, NODE_WIDTH, nodeHeight } from './graph';

// ELK (compiled from Java, ~1.4 MB) loads with the first layout, in its own chunk: the lobby never needs it.
let elk: Promise<ELK> | undefined;
const loadElk = () => (elk ??= import('elkjs/lib/elk.bundled.js').then(({ default: Elk }) => new Elk()));

/** ELK's layered algorithm, left to right, keeping the model's order where it can (so additions do not reshuffle). */
const OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.spacing.nodeNode': '36',
  'elk.layered.spacing.nodeNodeBetweenLayers': '90',
  'elk.spacing.componentComponent': '48',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.edgeRouting': 'ORTHOGONAL',
};

export type Positions = Map<string, { x: number; y: number }>;

export async function layoutDiagram(nodes: EntityNodeData[], edges: DiagramEdge[]): Promise<Positions> {
  const ids = new Set(nodes.map((n) => n.entityId));
  const graph = await (await loadElk()).layout({
    id: 'root',
    layoutOptions: OPTIONS,
    children: nodes.map((n) => ({ id: n.entityId, width: NODE_WIDTH, height: nodeHeight(n.fields.length) })),
    edges: edges
      .filter((e) => ids.has(e.source) && ids.has(e.target))
      .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  return new Map((graph.children ?? []).map((child) => [child.id, { x: child.x ?? 0, y: child.y ?? 0 }]));
}
