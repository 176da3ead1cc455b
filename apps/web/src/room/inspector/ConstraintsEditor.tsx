import { addConstraint, type Constraint, type ConstraintKind, constraintKinds, type Entity, type OnDelete, removeConstraint } from '@hatch/model';
import { type JSX, useState } from 'react';
import { entityOptions, ON_DELETE_OPTIONS, Select } from '../../ui/selects';
import { useRoom } from '../room-context';
import { DefinitionList } from './DefinitionList';
import { FieldPicker, fieldNames } from './FieldPicker';

const KIND_LABELS: Record<ConstraintKind, string> = { unique: 'unique', check: 'check', foreign_key: 'foreign key', exclusion: 'exclusion' };

/** Table constraints: unique over several columns, checks, composite foreign keys, exclusions. */
export function ConstraintsEditor({ entity }: { entity: Entity }): JSX.Element {
  const { doc, model, canWrite, edit } = useRoom();
  const describe = (c: Constraint) => {
    const columns = fieldNames(entity, c.fieldIds);
    if (c.kind === 'check') return `CHECK (${c.expression})`;
    if (c.kind === 'exclusion') return `EXCLUDE ${c.expression}`;
    if (c.kind === 'unique') return `UNIQUE (${columns})`;
    const target = model.entities.find((e) => e.id === c.references?.entityId);
    return `FOREIGN KEY (${columns}) → ${target?.name ?? '?'} (${fieldNames(target, c.references?.fieldIds ?? [])})`;
  };
  return (
    <div className="constraints-editor">
      <DefinitionList
        items={entity.constraints.map((c) => ({ id: c.id, sql: describe(c), name: c.name }))}
        testId="constraint-row"
        removeLabel="Delete constraint"
        disabled={!canWrite}
        onRemove={(constraintId) => edit(() => removeConstraint(doc, { entityId: entity.id, constraintId }))}
      />
      {canWrite && <AddConstraintForm entity={entity} />}
    </div>
  );
}

function AddConstraintForm({ entity }: { entity: Entity }): JSX.Element {
  const { doc, model, canWrite, edit } = useRoom();
  const [kind, setKind] = useState<ConstraintKind>('unique');
  const [fieldIds, setFieldIds] = useState<string[]>([]);
  const [expression, setExpression] = useState('');
  const [targetId, setTargetId] = useState('');
  const [targetFields, setTargetFields] = useState<string[]>([]);
  const [onDelete, setOnDelete] = useState<OnDelete | ''>('');
  const [name, setName] = useState('');
  const target = model.entities.find((e) => e.id === targetId);
  const needsExpression = kind === 'check' || kind === 'exclusion';
  return (
    <form
      className="add-constraint"
      aria-label={`Add a constraint to ${entity.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        const id = edit(() =>
          addConstraint(doc, {
            entityId: entity.id,
            kind,
            name,
            fieldIds,
            expression: needsExpression ? expression : '',
            references: kind === 'foreign_key' ? { entityId: targetId, fieldIds: targetFields, onDelete: onDelete || null } : null,
          }),
        );
        if (id) {
          setFieldIds([]);
          setExpression('');
          setTargetFields([]);
          setName('');
        }
      }}
    >
      <div className="form-grid">
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as ConstraintKind)} disabled={!canWrite} data-testid="constraint-kind">
            {constraintKinds.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="optional" maxLength={63} disabled={!canWrite} />
        </label>
      </div>
      <FieldPicker entity={entity} value={fieldIds} onChange={setFieldIds} label={needsExpression ? 'Columns it mentions (optional)' : 'Columns'} disabled={!canWrite} />
      {needsExpression && (
        <label className="field-label">
          {kind === 'check' ? 'Expression' : 'EXCLUDE USING …'}
          <input
            type="text"
            className="mono"
            value={expression}
            onChange={(e) => setExpression(e.target.value)}
            placeholder={kind === 'check' ? 'amount_cents >= 0' : 'gist (room_id WITH =, during WITH &&)'}
            maxLength={1000}
            disabled={!canWrite}
            data-testid="constraint-expression"
          />
        </label>
      )}
      {kind === 'foreign_key' && (
        <>
          <div className="form-grid">
            <label>
              References
              <Select
                value={targetId}
                onChange={(id) => {
                  setTargetId(id);
                  setTargetFields([]);
                }}
                options={entityOptions(model.entities)}
                empty="choose…"
                disabled={!canWrite}
              />
            </label>
            <label>
              On delete
              <Select value={onDelete} onChange={setOnDelete} options={ON_DELETE_OPTIONS} empty="unspecified" disabled={!canWrite} />
            </label>
          </div>
          {target && <FieldPicker entity={target} value={targetFields} onChange={setTargetFields} label={`Columns of ${target.name}, in the same order`} disabled={!canWrite} />}
        </>
      )}
      <button type="submit" className="btn btn-small" disabled={!canWrite} data-testid="add-constraint">
        Add constraint
      </button>
    </form>
  );
}
