import type { JSX } from 'react';
import { RemoveButton } from '../../ui/inputs';

/** Constraints or indexes as SQL-ish one-liners, each with its optional name and a remove button. */
export function DefinitionList(props: {
  items: { id: string; sql: string; name: string }[];
  testId: string;
  removeLabel: string;
  disabled: boolean;
  onRemove: (id: string) => void;
}): JSX.Element {
  return (
    <ul className="item-list">
      {props.items.map((item) => (
        <li key={item.id} className="item-row" data-testid={props.testId}>
          <code>{item.sql}</code>
          {item.name && <span className="muted small">{item.name}</span>}
          <RemoveButton label={props.removeLabel} disabled={props.disabled} onClick={() => props.onRemove(item.id)} />
        </li>
      ))}
    </ul>
  );
}
