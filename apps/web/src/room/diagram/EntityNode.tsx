import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import { type JSX, memo } from 'react';
import type { Peer } from '../collab/presence';
import type { EntityNodeData } from './graph';

export type EntityFlowNode = Node<EntityNodeData & { peers: Peer[]; selectedField: string | null }, 'entity'>;

/** An entity card: name, one row per field (type and key markers), and the people who selected it. */
export const EntityNode = memo(function EntityNode({ data, selected }: NodeProps<EntityFlowNode>): JSX.Element {
  const ring = data.peers[0]?.user.color;
  return (
    <div
      className={`entity-node${selected ? ' selected' : ''}${ring ? ' peer-selected' : ''}`}
      style={ring ? { boxShadow: `0 0 0 3px ${ring}` } : undefined}
      data-testid="entity-node"
      data-entity-name={data.name}
      data-entity-id={data.entityId}
    >
      {data.peers.length > 0 && (
        <div className="peer-tags" aria-label="Also looking at this">
          {data.peers.map((peer) => (
            <span key={peer.clientId} className="peer-tag" style={{ background: peer.user.color }} data-testid="peer-tag">
              {peer.user.name}
            </span>
          ))}
        </div>
      )}
      <Handle type="target" position={Position.Left} className="entity-handle" isConnectable={false} />
      <div className="entity-header">
        <span className="entity-name">{data.name}</span>
        {data.kind === 'view' && <span className="entity-kind">view</span>}
        {(data.indexCount > 0 || data.constraintCount > 0) && (
          <span className="entity-counts" title={`${data.indexCount} indexes, ${data.constraintCount} constraints`}>
            {data.indexCount > 0 && `${data.indexCount} idx`}
            {data.indexCount > 0 && data.constraintCount > 0 && ' · '}
            {data.constraintCount > 0 && `${data.constraintCount} con`}
          </span>
        )}
      </div>
      <ul className="entity-fields">
        {data.fields.length === 0 && <li className="entity-empty">no fields yet</li>}
        {data.fields.map((field) => {
          const fieldPeer = data.peers.find((peer) => peer.selection.fieldId === field.id);
          return (
            <li
              key={field.id}
              className={`field-row${data.selectedField === field.id ? ' selected' : ''}`}
              style={fieldPeer ? { background: `${fieldPeer.user.color}22` } : undefined}
              data-testid="field-row"
              data-field-name={field.name}
            >
              <span className="field-keys">
                {field.primaryKey && <abbr title="primary key" className="key key-pk">PK</abbr>}
                {field.references && <abbr title={`references ${field.references}`} className="key key-fk">FK</abbr>}
                {field.unique && !field.primaryKey && <abbr title="unique" className="key key-uq">UQ</abbr>}
              </span>
              <span className="field-name">{field.name}</span>
              <span className="field-type" title={field.references ? `→ ${field.references}` : undefined}>
                {field.type}
                {field.nullable && !field.primaryKey ? <span className="nullable" title="nullable">?</span> : null}
              </span>
            </li>
          );
        })}
      </ul>
      <Handle type="source" position={Position.Right} className="entity-handle" isConnectable={false} />
    </div>
  );
});
