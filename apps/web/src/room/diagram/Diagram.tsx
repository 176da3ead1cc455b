import {
  Background,
  Controls,
  type Edge,
  MarkerType,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { type JSX, useEffect, useMemo, useRef, useState } from 'react';
import { useRoom } from '../room-context';
import { type EntityFlowNode, EntityNode } from './EntityNode';
import { diagramOf, layoutKey, NODE_WIDTH, nodeHeight } from './graph';
import { layoutDiagram, type Positions } from './layout';

const nodeTypes = { entity: EntityNode };

interface Props {
  selectedEntityId: string | null;
  selectedFieldId: string | null;
  onSelect: (entityId: string | null) => void;
}

/** The ER diagram: React Flow cards placed by ELK, re-laid out only when entities, sizes or edges change. */
export function Diagram(props: Props): JSX.Element {
  return (
    <ReactFlowProvider>
      <DiagramCanvas {...props} />
    </ReactFlowProvider>
  );
}

function DiagramCanvas({ selectedEntityId, selectedFieldId, onSelect }: Props): JSX.Element {
  const { model, peers } = useRoom();
  const { fitView, getViewport } = useReactFlow();
  const { nodes: entities, edges: links } = useMemo(() => diagramOf(model), [model]);
  const key = layoutKey(entities, links);
  const [positions, setPositions] = useState<Positions>(new Map());
  const [laidOutKey, setLaidOutKey] = useState<string | null>(null);
  // React Flow 12 hides a node until it has `measured` dimensions, and in a controlled flow they come back
  // only through onNodesChange: kept here, or a card whose size does not change (a rename) stays hidden.
  const [measured, setMeasured] = useState<ReadonlyMap<string, { width: number; height: number }>>(new Map());
  const first = useRef(true);

  useEffect(() => {
    let cancelled = false;
    layoutDiagram(entities, links).then(
      (next) => {
        if (cancelled) return;
        setPositions(next);
        setLaidOutKey(key);
      },
      (error: unknown) => console.warn('diagram layout failed', error),
    );
    return () => {
      cancelled = true;
    };
    // the layout depends on `key` only: renames and flag changes keep every card in place
  }, [key]);

  // Move the viewport only when a card would be out of sight after a layout (first layout included).
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (laidOutKey === null || positions.size === 0) return;
    const id = window.setTimeout(() => {
      const box = container.current?.getBoundingClientRect();
      const { x, y, zoom } = getViewport();
      const outside = entities.some((entity) => {
        const at = positions.get(entity.entityId);
        if (!at || !box) return false;
        const left = at.x * zoom + x;
        const top = at.y * zoom + y;
        return left < 0 || top < 0 || left + NODE_WIDTH * zoom > box.width || top + nodeHeight(entity.fields.length) * zoom > box.height;
      });
      if (outside || first.current) void fitView({ padding: 0.15, maxZoom: 1, duration: first.current ? 0 : 250 });
      first.current = false;
    }, 30);
    return () => window.clearTimeout(id);
    // after each layout only: entities' content changes that keep the layout do not move the view
  }, [laidOutKey, positions]);

  const nodes: EntityFlowNode[] = useMemo(
    () =>
      entities.map((data) => ({
        id: data.entityId,
        type: 'entity' as const,
        position: positions.get(data.entityId) ?? { x: 0, y: 0 },
        measured: measured.get(data.entityId),
        hidden: !positions.has(data.entityId),
        selected: data.entityId === selectedEntityId,
        data: {
          ...data,
          peers: peers.filter((peer) => peer.selection.entityId === data.entityId),
          selectedField: data.entityId === selectedEntityId ? selectedFieldId : null,
        },
      })),
    [entities, positions, measured, peers, selectedEntityId, selectedFieldId],
  );
  const edges: Edge[] = useMemo(
    () =>
      links.map((link) => ({
        id: link.id,
        source: link.source,
        target: link.target,
        label: link.label,
        type: 'smoothstep',
        className: `edge-${link.kind}`,
        ariaLabel: `${link.label} ${link.title}`.trim(),
        labelBgPadding: [6, 2] as [number, number],
        labelBgBorderRadius: 8,
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
        data: { title: link.title },
      })),
    [links],
  );

  return (
    <div className="diagram" data-testid="diagram" ref={container}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        nodesDraggable={false}
        nodesConnectable={false}
        edgesFocusable={false}
        onNodeClick={(_event, node) => onSelect(node.id)}
        onPaneClick={() => onSelect(null)}
        minZoom={0.2}
        maxZoom={1.5}
        proOptions={{ hideAttribution: true }}
        ariaLabelConfig={{ 'node.a11yDescription.default': 'Press Enter to select this entity and edit it on the right.' }}
        onNodesChange={(changes) => {
          // keyboard selection (focus + Enter) arrives as a select change
          for (const change of changes) if (change.type === 'select' && change.selected) onSelect(change.id);
          const sized = changes.filter((change) => change.type === 'dimensions' && change.dimensions);
          if (sized.length > 0) {
            setMeasured((previous) => {
              let next: Map<string, { width: number; height: number }> | null = null;
              for (const change of sized) {
                if (change.type !== 'dimensions' || !change.dimensions) continue;
                const known = previous.get(change.id);
                if (known?.width === change.dimensions.width && known.height === change.dimensions.height) continue;
                next ??= new Map(previous);
                next.set(change.id, change.dimensions);
              }
              return next ?? previous;
            });
          }
        }}
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false} position="bottom-left" />
      </ReactFlow>
      {entities.length === 0 && (
        <div className="diagram-empty" data-testid="diagram-empty">
          <p>
            <strong>No entities yet.</strong>
          </p>
          <p className="muted">Add the first one on the right: what are the nouns of this product?</p>
        </div>
      )}
    </div>
  );
}
