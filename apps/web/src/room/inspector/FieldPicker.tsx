import type { Entity } from '@hatch/model';
import type { JSX } from 'react';

/** Checkboxes over an entity's fields; the order of ticking is the order kept (index key order matters). */
export function FieldPicker(props: { entity: Entity; value: string[]; onChange: (ids: string[]) => void; label: string; disabled?: boolean }): JSX.Element {
  const { entity, value } = props;
  return (
    <fieldset className="field-picker" disabled={props.disabled}>
      <legend>{props.label}</legend>
      {entity.fields.length === 0 && <span className="muted small">This entity has no fields yet.</span>}
      {entity.fields.map((field) => {
        const position = value.indexOf(field.id);
        return (
          <label key={field.id} className={`pick${position >= 0 ? ' on' : ''}`}>
            <input
              type="checkbox"
              checked={position >= 0}
              onChange={(e) => props.onChange(e.target.checked ? [...value, field.id] : value.filter((id) => id !== field.id))}
            />
            {position >= 0 && value.length > 1 && <span className="pick-order">{position + 1}</span>}
            {field.name}
          </label>
        );
      })}
    </fieldset>
  );
}

export const fieldNames = (entity: Entity | undefined, ids: string[]): string => ids.map((id) => entity?.fields.find((f) => f.id === id)?.name ?? '?').join(', ');
