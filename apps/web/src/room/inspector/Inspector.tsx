import { addEntity } from '@hatch/model';
import { type JSX, useRef, useState } from 'react';
import { ReadOnlyNote } from '../../ui/inputs';
import { useRoom } from '../room-context';
import { EntityEditor } from './EntityEditor';
import { RelationshipList } from './RelationshipEditor';

interface Props {
  selectedEntityId: string | null;
  onSelect: (entityId: string | null) => void;
  onSelectField: (fieldId: string | null) => void;
}

/** The right side of the diagram: the selected entity's editor, or the model overview with "Add entity". */
export function Inspector({ selectedEntityId, onSelect, onSelectField }: Props): JSX.Element {
  const { model, canWrite, role } = useRoom();
  const entity = model.entities.find((e) => e.id === selectedEntityId);
  return (
    <aside className="inspector" aria-label="Model editor" data-testid="inspector">
      {!canWrite && <ReadOnlyNote role={role} />}
      {entity ? (
        <EntityEditor key={entity.id} entity={entity} onClose={() => onSelect(null)} onSelectField={onSelectField} />
      ) : (
        <Overview onSelect={onSelect} />
      )}
    </aside>
  );
}

function Overview({ onSelect }: { onSelect: (entityId: string) => void }): JSX.Element {
  const { model, canWrite, doc, edit } = useRoom();
  const [name, setName] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const submit = () => {
    const id = edit(() => addEntity(doc, { name }));
    if (id) {
      setName('');
      onSelect(id);
    }
  };
  return (
    <div className="overview">
      <form
        className="add-entity"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label htmlFor="new-entity-name" className="section-title">
          Add an entity
        </label>
        <div className="inline-form">
          <input
            ref={input}
            id="new-entity-name"
            type="text"
            value={name}
            placeholder="table name, e.g. invoices"
            maxLength={63}
            disabled={!canWrite}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setName('')}
            data-testid="new-entity-name"
          />
          <button type="submit" className="btn btn-primary" disabled={!canWrite || !name.trim()} data-testid="add-entity">
            Add
          </button>
        </div>
      </form>
      <section aria-labelledby="entities-heading">
        <h3 id="entities-heading" className="section-title">
          Entities <span className="count">{model.entities.length}</span>
        </h3>
        {model.entities.length === 0 ? (
          <p className="muted small">None yet. Start with the nouns of the prompt: who uses the product, what do they create, what gets billed?</p>
        ) : (
          <ul className="entity-list">
            {model.entities.map((entity) => (
              <li key={entity.id}>
                <button type="button" className="list-button" onClick={() => onSelect(entity.id)} data-testid="select-entity">
                  <span>{entity.name}</span>
                  <span className="muted small">{entity.fields.length} fields</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <RelationshipList />
    </div>
  );
}
