import { addIndex, type Entity, type Index, removeIndex } from '@hatch/model';
import { type JSX, useState } from 'react';
import { useRoom } from '../room-context';
import { DefinitionList } from './DefinitionList';
import { FieldPicker, fieldNames } from './FieldPicker';

const METHODS: Index['method'][] = ['btree', 'hash', 'gin', 'gist', 'brin'];

/** Indexes: ordered key columns, unique, method, partial predicate. Immutable once added: delete and re-add. */
export function IndexesEditor({ entity }: { entity: Entity }): JSX.Element {
  const { doc, canWrite, edit } = useRoom();
  return (
    <div className="indexes-editor">
      <DefinitionList
        items={entity.indexes.map((index) => ({
          id: index.id,
          sql: `${index.unique ? 'UNIQUE ' : ''}${index.method !== 'btree' ? `${index.method} ` : ''}(${fieldNames(entity, index.fieldIds)})${index.where ? ` WHERE ${index.where}` : ''}`,
          name: index.name,
        }))}
        testId="index-row"
        removeLabel="Delete index"
        disabled={!canWrite}
        onRemove={(indexId) => edit(() => removeIndex(doc, { entityId: entity.id, indexId }))}
      />
      {canWrite && <AddIndexForm entity={entity} />}
    </div>
  );
}

function AddIndexForm({ entity }: { entity: Entity }): JSX.Element {
  const { doc, canWrite, edit } = useRoom();
  const [fieldIds, setFieldIds] = useState<string[]>([]);
  const [unique, setUnique] = useState(false);
  const [method, setMethod] = useState<Index['method']>('btree');
  const [where, setWhere] = useState('');
  const [name, setName] = useState('');
  return (
    <form
      className="add-index"
      aria-label={`Add an index to ${entity.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        const id = edit(() => addIndex(doc, { entityId: entity.id, fieldIds, unique, method, where, name }));
        if (id) {
          setFieldIds([]);
          setUnique(false);
          setWhere('');
          setName('');
        }
      }}
    >
      <FieldPicker entity={entity} value={fieldIds} onChange={setFieldIds} label="Key columns, in order" disabled={!canWrite} />
      <div className="form-grid">
        <label>
          Method
          <select value={method} onChange={(e) => setMethod(e.target.value as Index['method'])} disabled={!canWrite}>
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="optional" maxLength={63} disabled={!canWrite} />
        </label>
      </div>
      <label className="field-label">
        Partial: WHERE
        <input type="text" className="mono" value={where} onChange={(e) => setWhere(e.target.value)} placeholder="deleted_at IS NULL (optional)" maxLength={1000} disabled={!canWrite} />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={unique} onChange={(e) => setUnique(e.target.checked)} disabled={!canWrite} /> unique
      </label>
      <button type="submit" className="btn btn-small" disabled={!canWrite || fieldIds.length === 0} data-testid="add-index">
        Add index
      </button>
    </form>
  );
}
