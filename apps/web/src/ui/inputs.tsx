import { type JSX, type KeyboardEvent, useEffect, useRef, useState } from 'react';

interface CommitInputProps {
  value: string;
  /** Called on Enter or blur with a changed value; return false to keep the input open (the edit was refused). */
  onCommit: (next: string) => boolean | void;
  label: string;
  disabled?: boolean;
  testId?: string;
  placeholder?: string;
  maxLength?: number;
  className?: string;
  list?: string;
}

/**
 * A text input for a value key (a name, a type): edits stay local until Enter or blur commit them as one
 * operation; Escape puts the shared value back. Remote changes show unless the user is typing here.
 */
export function CommitInput(props: CommitInputProps): JSX.Element {
  const [draft, setDraft] = useState(props.value);
  const editing = useRef(false);
  useEffect(() => {
    if (!editing.current) setDraft(props.value);
  }, [props.value]);
  const commit = () => {
    editing.current = false;
    if (draft.trim() === props.value) return setDraft(props.value);
    if (props.onCommit(draft) === false) {
      editing.current = true;
      return;
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      commit();
    } else if (event.key === 'Escape') {
      editing.current = false;
      setDraft(props.value);
      event.currentTarget.blur();
    }
  };
  return (
    <input
      type="text"
      className={props.className}
      value={draft}
      aria-label={props.label}
      title={props.disabled ? undefined : `${props.label} — Enter to save, Escape to cancel`}
      disabled={props.disabled}
      placeholder={props.placeholder}
      maxLength={props.maxLength}
      list={props.list}
      data-testid={props.testId}
      onChange={(e) => {
        editing.current = true;
        setDraft(e.target.value);
      }}
      onKeyDown={onKeyDown}
      onBlur={commit}
    />
  );
}

/** A small labelled checkbox styled as a toggle pill (PK, null, unique…). */
export function Toggle(props: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
  title: string;
  disabled?: boolean;
  testId?: string;
}): JSX.Element {
  return (
    <label className={`toggle${props.checked ? ' on' : ''}${props.disabled ? ' disabled' : ''}`} title={props.title}>
      <input type="checkbox" checked={props.checked} disabled={props.disabled} onChange={(e) => props.onChange(e.target.checked)} data-testid={props.testId} aria-label={props.title} />
      {props.label}
    </label>
  );
}

/** A destructive button that asks once more ("Delete?" → "Really?") before acting; Escape or blur cancels. */
export function ConfirmButton(props: { label: string; confirmLabel?: string; onConfirm: () => void; disabled?: boolean; testId?: string; title?: string; className?: string }): JSX.Element {
  const [armed, setArmed] = useState(false);
  return (
    <button
      type="button"
      className={`btn btn-small btn-danger${armed ? ' armed' : ''} ${props.className ?? ''}`}
      disabled={props.disabled}
      title={props.title}
      aria-label={armed ? `${props.confirmLabel ?? 'Confirm'}: ${props.title ?? props.label}` : props.title ?? props.label}
      data-testid={props.testId}
      onClick={() => {
        if (armed) {
          setArmed(false);
          props.onConfirm();
        } else setArmed(true);
      }}
      onBlur={() => setArmed(false)}
      onKeyDown={(e) => e.key === 'Escape' && setArmed(false)}
    >
      {armed ? (props.confirmLabel ?? 'Sure?') : props.label}
    </button>
  );
}

/** Shown at the top of every editor a read-only role sees. */
export function ReadOnlyNote({ role }: { role: string }): JSX.Element {
  return (
    <p className="read-only-note" data-testid="read-only-note" role="note">
      Read-only: {role}. You can follow everything live; editing is for the candidate and the interviewer.
    </p>
  );
}

/** Common PostgreSQL types, offered as suggestions (any type can be typed). */
export const PG_TYPES = [
  'bigint',
  'integer',
  'smallint',
  'uuid',
  'text',
  'varchar(255)',
  'boolean',
  'numeric(12,2)',
  'timestamptz',
  'date',
  'jsonb',
  'bytea',
  'bigserial',
  'interval',
  'inet',
  'citext',
];

export function PgTypeList({ id }: { id: string }): JSX.Element {
  return (
    <datalist id={id}>
      {PG_TYPES.map((type) => (
        <option key={type} value={type} />
      ))}
    </datalist>
  );
}

/** The small "×" that removes one item of a list; its label says what it removes. */
export function RemoveButton(props: { label: string; onClick: () => void; disabled?: boolean; testId?: string }): JSX.Element {
  return (
    <button type="button" className="btn btn-icon btn-danger-quiet" aria-label={props.label} title={props.label} disabled={props.disabled} data-testid={props.testId} onClick={props.onClick}>
      ×
    </button>
  );
}
