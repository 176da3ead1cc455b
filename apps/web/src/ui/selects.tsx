import { onDeleteActions } from '@hatch/model';
import type { JSX } from 'react';

interface SelectProps<T extends string> {
  value: T | '';
  onChange: (value: T | '') => void;
  /** `[value, label]` pairs. */
  options: readonly (readonly [T, string])[];
  /** The empty choice's label; none when every value is a choice. */
  empty?: string;
  label?: string;
  disabled?: boolean;
  testId?: string;
}

/** A `<select>` over a fixed list of values, with an optional empty choice ("" = none). */
export function Select<T extends string>(props: SelectProps<T>): JSX.Element {
  return (
    <select value={props.value} aria-label={props.label} disabled={props.disabled} data-testid={props.testId} onChange={(e) => props.onChange(e.target.value as T | '')}>
      {props.empty !== undefined && <option value="">{props.empty}</option>}
      {props.options.map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </select>
  );
}

/** The entities of the model as choices. */
export const entityOptions = (entities: readonly { id: string; name: string }[]) => entities.map((e) => [e.id, e.name] as const);

/** `ON DELETE …` actions, "unspecified" being none. */
export const ON_DELETE_OPTIONS = onDeleteActions.map((action) => [action, action] as const);
