import { addRelationship, type Cardinality, cardinalities, type Model, type OnDelete, type Relationship, removeRelationship, updateRelationship } from '@hatch/model';
import { type JSX, useState } from 'react';
import { RemoveButton } from '../../ui/inputs';
import { entityOptions, ON_DELETE_OPTIONS, Select } from '../../ui/selects';
import { useRoom } from '../room-context';

const READING: Record<Cardinality, string> = { '1:1': 'has one', '1:N': 'has many', 'N:M': 'many-to-many' };

const nameOf = (model: Model, id: string | null) => model.entities.find((e) => e.id === id)?.name ?? '?';

/** Relationships (all of them, or those touching `entityId`), each editable, and a form to add one. */
export function RelationshipList({ entityId }: { entityId?: string }): JSX.Element {
  const { model, canWrite } = useRoom();
  const shown = model.relationships.filter((r) => !entityId || r.fromEntityId === entityId || r.toEntityId === entityId || r.throughEntityId === entityId);
  return (
    <section className="relationships" aria-label="Relationships" data-testid="relationships">
      {!entityId && (
        <h3 className="section-title">
          Relationships <span className="count">{model.relationships.length}</span>
        </h3>
      )}
      {shown.length === 0 && <p className="muted small">No relationships yet.</p>}
      <ul className="relationship-list">
        {shown.map((r) => (
          <RelationshipRow key={r.id} relationship={r} />
        ))}
      </ul>
      {canWrite && model.entities.length > 0 && <AddRelationshipForm defaultFrom={entityId ?? model.entities[0].id} />}
    </section>
  );
}

function RelationshipRow({ relationship: r }: { relationship: Relationship }): JSX.Element {
  const { doc, model, canWrite, edit } = useRoom();
  return (
    <li className="relationship-row" data-testid="relationship-row">
      <span className="relationship-text">
        <strong>{nameOf(model, r.fromEntityId)}</strong> <span className="card-pill">{r.cardinality}</span> <strong>{nameOf(model, r.toEntityId)}</strong>
        {r.throughEntityId && <span className="muted small"> via {nameOf(model, r.throughEntityId)}</span>}
        {r.name && <span className="muted small"> — {r.name}</span>}
      </span>
      <select
        aria-label="Cardinality"
        value={r.cardinality}
        disabled={!canWrite}
        onChange={(e) => {
          const cardinality = e.target.value as Cardinality;
          if (cardinality === 'N:M' && !r.throughEntityId) {
            const through = model.entities.find((x) => x.id !== r.fromEntityId && x.id !== r.toEntityId);
            edit(() => updateRelationship(doc, { relationshipId: r.id, cardinality, throughEntityId: through?.id ?? null }));
          } else edit(() => updateRelationship(doc, { relationshipId: r.id, cardinality }));
        }}
      >
        {cardinalities.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
      <RemoveButton label="Delete relationship" disabled={!canWrite} onClick={() => edit(() => removeRelationship(doc, { relationshipId: r.id }))} />
    </li>
  );
}

function AddRelationshipForm({ defaultFrom }: { defaultFrom: string }): JSX.Element {
  const { doc, model, canWrite, edit } = useRoom();
  const [from, setFrom] = useState(defaultFrom);
  const [to, setTo] = useState('');
  const [cardinality, setCardinality] = useState<Cardinality>('1:N');
  const [through, setThrough] = useState('');
  const [viaField, setViaField] = useState('');
  const [onDelete, setOnDelete] = useState<OnDelete | ''>('');
  const [name, setName] = useState('');
  const toEntity = model.entities.find((e) => e.id === to);
  const fromEntity = model.entities.find((e) => e.id === from);
  const submit = () => {
    const pk = fromEntity?.fields.filter((f) => f.primaryKey) ?? [];
    const id = edit(() =>
      addRelationship(doc, {
        fromEntityId: from,
        toEntityId: to,
        cardinality,
        name,
        throughEntityId: cardinality === 'N:M' ? through || null : null,
        toFieldIds: cardinality !== 'N:M' && viaField ? [viaField] : [],
        fromFieldIds: cardinality !== 'N:M' && viaField && pk.length === 1 ? [pk[0].id] : [],
        onDelete: onDelete || null,
      }),
    );
    if (id) {
      setTo('');
      setName('');
      setViaField('');
    }
  };
  return (
    <details className="add-disclosure">
      <summary className="btn btn-small" data-testid="add-relationship-toggle">
        + Add a relationship
      </summary>
      <form
        className="add-relationship"
        aria-label="Add a relationship"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="form-grid">
          <label>
            From
            <Select value={from} onChange={setFrom} options={entityOptions(model.entities)} disabled={!canWrite} testId="rel-from" />
          </label>
          <label>
            Cardinality
            <select value={cardinality} onChange={(e) => setCardinality(e.target.value as Cardinality)} disabled={!canWrite} data-testid="rel-cardinality">
              {cardinalities.map((c) => (
                <option key={c} value={c}>
                  {c} ({READING[c]})
                </option>
              ))}
            </select>
          </label>
          <label>
            To
            <Select value={to} onChange={setTo} options={entityOptions(model.entities)} empty="choose…" disabled={!canWrite} testId="rel-to" />
          </label>
          {cardinality === 'N:M' ? (
            <label>
              Through (join table)
              <Select value={through} onChange={setThrough} options={entityOptions(model.entities)} empty="choose…" disabled={!canWrite} testId="rel-through" />
            </label>
          ) : (
            <label>
              Via field of {toEntity?.name ?? 'to'}
              <Select value={viaField} onChange={setViaField} options={entityOptions(toEntity?.fields ?? [])} empty="(not yet)" disabled={!canWrite || !toEntity} />
            </label>
          )}
          <label>
            On delete
            <Select value={onDelete} onChange={setOnDelete} options={ON_DELETE_OPTIONS} empty="unspecified" disabled={!canWrite} />
          </label>
          <label>
            Label
            <input type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="optional" disabled={!canWrite} maxLength={200} />
          </label>
        </div>
        <button type="submit" className="btn btn-small" disabled={!canWrite || !to || (cardinality === 'N:M' && !through)} data-testid="add-relationship">
          Add relationship
        </button>
      </form>
    </details>
  );
}
