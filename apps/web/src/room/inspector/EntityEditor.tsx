import { type Entity, entityKinds, removeEntity, renameEntity, updateEntity } from '@hatch/model';
import type { JSX } from 'react';
import { CommitInput, ConfirmButton } from '../../ui/inputs';
import { entityMap, textOf } from '../model/y-elements';
import { YTextField } from '../notes/YTextField';
import { useRoom } from '../room-context';
import { ConstraintsEditor } from './ConstraintsEditor';
import { FieldsEditor } from './FieldsEditor';
import { IndexesEditor } from './IndexesEditor';
import { RelationshipList } from './RelationshipEditor';

/** Everything about one entity: name, kind, description, fields, relationships, constraints, indexes. */
export function EntityEditor({ entity, onClose, onSelectField }: { entity: Entity; onClose: () => void; onSelectField: (id: string | null) => void }): JSX.Element {
  const { doc, canWrite, edit } = useRoom();
  return (
    <div className="entity-editor" data-testid="entity-editor" data-entity-name={entity.name}>
      <div className="editor-head">
        <button type="button" className="btn btn-quiet btn-small" onClick={onClose} data-testid="back-to-overview" aria-label="Back to all entities">
          ← All
        </button>
        <CommitInput
          className="entity-name-input"
          value={entity.name}
          label="Entity name"
          maxLength={63}
          disabled={!canWrite}
          testId="entity-name"
          onCommit={(name) => edit(() => renameEntity(doc, { entityId: entity.id, name })) !== null}
        />
        <select
          aria-label="Kind"
          value={entity.kind}
          disabled={!canWrite}
          onChange={(e) => edit(() => updateEntity(doc, { entityId: entity.id, kind: e.target.value as Entity['kind'] }))}
        >
          {entityKinds.map((kind) => (
            <option key={kind} value={kind}>
              {kind}
            </option>
          ))}
        </select>
        <ConfirmButton
          label="Delete"
          confirmLabel="Delete?"
          title={`Delete ${entity.name} and its relationships`}
          disabled={!canWrite}
          testId="delete-entity"
          onConfirm={() => {
            if (edit(() => removeEntity(doc, { entityId: entity.id }))) onClose();
          }}
        />
      </div>
      <YTextField
        text={textOf(entityMap(doc, entity.id), 'description')}
        focusKey={`entity:${entity.id}:description`}
        label="Description"
        multiline
        rows={2}
        maxLength={20000}
        placeholder="What one row means; why it exists"
      />
      <details open className="section">
        <summary className="section-title">
          Fields <span className="count">{entity.fields.length}</span>
        </summary>
        <FieldsEditor entity={entity} onSelectField={onSelectField} />
      </details>
      <details open className="section">
        <summary className="section-title">Relationships</summary>
        <RelationshipList entityId={entity.id} />
      </details>
      <details className="section" open={entity.constraints.length > 0}>
        <summary className="section-title">
          Constraints <span className="count">{entity.constraints.length}</span>
        </summary>
        <ConstraintsEditor entity={entity} />
      </details>
      <details className="section" open={entity.indexes.length > 0}>
        <summary className="section-title">
          Indexes <span className="count">{entity.indexes.length}</span>
        </summary>
        <IndexesEditor entity={entity} />
      </details>
    </div>
  );
}
