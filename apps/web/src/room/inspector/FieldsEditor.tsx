import { addField, type Entity, type Field, removeField, renameField, updateField } from '@hatch/model';
import { type JSX, useRef, useState } from 'react';
import { CommitInput, PgTypeList, RemoveButton, Toggle } from '../../ui/inputs';
import { fieldMap, textOf } from '../model/y-elements';
import { YTextField } from '../notes/YTextField';
import { ON_DELETE_OPTIONS, Select } from '../../ui/selects';
import { useRoom } from '../room-context';

/** The entity's columns: one editable row each (name, type, PK / null / unique, reference), then "add field". */
export function FieldsEditor({ entity, onSelectField }: { entity: Entity; onSelectField: (id: string | null) => void }): JSX.Element {
  return (
    <div className="fields-editor">
      <PgTypeList id="pg-types" />
      {entity.fields.length > 0 && (
        <ul className="field-editor-list" aria-label={`Fields of ${entity.name}`}>
          {entity.fields.map((field) => (
            <FieldRowEditor key={field.id} entity={entity} field={field} onSelectField={onSelectField} />
          ))}
        </ul>
      )}
      <AddFieldForm entity={entity} />
    </div>
  );
}

function FieldRowEditor({ entity, field, onSelectField }: { entity: Entity; field: Field; onSelectField: (id: string | null) => void }): JSX.Element {
  const { doc, canWrite, edit } = useRoom();
  const [open, setOpen] = useState(false);
  const ids = { entityId: entity.id, fieldId: field.id };
  return (
    <li className="field-editor" data-testid="field-editor" data-field-name={field.name} onFocus={() => onSelectField(field.id)}>
      <div className="field-line">
        <CommitInput
          className="field-name-input"
          value={field.name}
          label={`Name of field ${field.name}`}
          maxLength={63}
          disabled={!canWrite}
          testId="field-name"
          onCommit={(name) => edit(() => renameField(doc, { ...ids, name })) !== null}
        />
        <CommitInput
          className="field-type-input"
          value={field.type}
          label={`Type of ${field.name}`}
          list="pg-types"
          maxLength={200}
          disabled={!canWrite}
          testId="field-type"
          onCommit={(type) => edit(() => updateField(doc, { ...ids, type })) !== null}
        />
        <Toggle label="PK" title={`${field.name}: primary key`} checked={field.primaryKey} disabled={!canWrite} onChange={(primaryKey) => edit(() => updateField(doc, { ...ids, primaryKey }))} testId="field-pk" />
        <Toggle label="null" title={`${field.name}: nullable`} checked={field.nullable} disabled={!canWrite} onChange={(nullable) => edit(() => updateField(doc, { ...ids, nullable }))} testId="field-nullable" />
        <button type="button" className="btn btn-icon" aria-expanded={open} aria-label={`More about ${field.name}: unique, reference, default, description`} title="unique, reference, default, description" onClick={() => setOpen(!open)}>
          {open ? '▾' : '▸'}
        </button>
        <RemoveButton label={`Delete field ${field.name}`} disabled={!canWrite} testId="delete-field" onClick={() => edit(() => removeField(doc, ids))} />
      </div>
      {open && (
        <div className="field-more">
          <label className="checkbox">
            <input type="checkbox" checked={field.unique} disabled={!canWrite} onChange={(e) => edit(() => updateField(doc, { ...ids, unique: e.target.checked }))} data-testid="field-unique" />
            unique
          </label>
          <ReferencePicker entity={entity} field={field} />
          <label className="field-label">
            Default
            <CommitInput
              value={field.default ?? ''}
              label={`Default of ${field.name}`}
              placeholder="e.g. now()"
              disabled={!canWrite}
              onCommit={(value) => edit(() => updateField(doc, { ...ids, default: value.trim() ? value : null })) !== null}
            />
          </label>
          <YTextField text={textOf(fieldMap(doc, entity.id, field.id), 'description')} focusKey={`field:${field.id}:description`} label="Description" maxLength={1000} />
        </div>
      )}
    </li>
  );
}

/** `references`: another entity's column this field points at, and what happens on delete. */
function ReferencePicker({ entity, field }: { entity: Entity; field: Field }): JSX.Element {
  const { doc, model, canWrite, edit } = useRoom();
  const value = field.references ? `${field.references.entityId}/${field.references.fieldId}` : '';
  return (
    <div className="reference-picker">
      <label className="field-label">
        References
        <select
          value={value}
          disabled={!canWrite}
          data-testid="field-references"
          onChange={(e) => {
            const [entityId, fieldId] = e.target.value.split('/');
            edit(() => updateField(doc, { entityId: entity.id, fieldId: field.id, references: entityId ? { entityId, fieldId, onDelete: field.references?.onDelete ?? null } : null }));
          }}
        >
          <option value="">— nothing —</option>
          {model.entities.map((target) => (
            <optgroup key={target.id} label={target.name}>
              {target.fields.map((f) => (
                <option key={f.id} value={`${target.id}/${f.id}`}>
                  {target.name}.{f.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      {field.references && (
        <label className="field-label">
          On delete
          <Select
            value={field.references.onDelete ?? ''}
            options={ON_DELETE_OPTIONS}
            empty="unspecified"
            disabled={!canWrite}
            onChange={(onDelete) => {
              const references = field.references;
              if (references) edit(() => updateField(doc, { entityId: entity.id, fieldId: field.id, references: { ...references, onDelete: onDelete || null } }));
            }}
          />
        </label>
      )}
    </div>
  );
}

function AddFieldForm({ entity }: { entity: Entity }): JSX.Element {
  const { doc, canWrite, edit } = useRoom();
  const [name, setName] = useState('');
  const [type, setType] = useState('');
  const [primaryKey, setPrimaryKey] = useState(false);
  const [nullable, setNullable] = useState(false);
  const nameInput = useRef<HTMLInputElement>(null);
  const reset = () => {
    setName('');
    setType('');
    setPrimaryKey(false);
    setNullable(false);
  };
  return (
    <form
      className="add-field"
      aria-label={`Add a field to ${entity.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        const id = edit(() => addField(doc, { entityId: entity.id, name, type: type.trim() || 'text', primaryKey, nullable: primaryKey ? false : nullable }));
        if (id) {
          reset();
          nameInput.current?.focus();
        }
      }}
    >
      <input
        ref={nameInput}
        type="text"
        value={name}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && reset()}
        placeholder="new field"
        aria-label="New field name"
        maxLength={63}
        disabled={!canWrite}
        data-testid="new-field-name"
      />
      <input
        type="text"
        value={type}
        onChange={(e) => setType(e.target.value)}
        placeholder="type (text)"
        aria-label="New field type"
        list="pg-types"
        maxLength={200}
        disabled={!canWrite}
        data-testid="new-field-type"
      />
      <Toggle label="PK" title="New field: primary key" checked={primaryKey} disabled={!canWrite} onChange={setPrimaryKey} testId="new-field-pk" />
      <Toggle label="null" title="New field: nullable" checked={nullable && !primaryKey} disabled={!canWrite || primaryKey} onChange={setNullable} testId="new-field-nullable" />
      <button type="submit" className="btn btn-small" disabled={!canWrite || !name.trim()} data-testid="add-field">
        Add
      </button>
    </form>
  );
}
