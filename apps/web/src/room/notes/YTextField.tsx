import { type JSX, useEffect, useRef } from 'react';
import { setYText } from '@hatch/model';
import type * as Y from 'yjs';
import { setFocus } from '../collab/presence';
import { useRoom } from '../room-context';

interface Props {
  /** The shared text; null when the element is gone (or was written without one by a foreign client). */
  text: Y.Text | null;
  label: string;
  /** Awareness key naming this text, shown to others as "X is typing here". */
  focusKey: string;
  multiline?: boolean;
  rows?: number;
  maxLength?: number;
  placeholder?: string;
  testId?: string;
  className?: string;
  hideLabel?: boolean;
  monospace?: boolean;
}

/**
 * An input or textarea bound to a Y.Text: each keystroke becomes one minimal delete/insert on the shared
 * text (so two people typing in it merge), and remote changes keep the local caret where it was.
 */
export function YTextField(props: Props): JSX.Element {
  const { doc, awareness, canWrite, peers } = useRoom();
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const { text } = props;

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.value = text?.toString() ?? '';
    if (!text) return;
    const onChange = (event: Y.YTextEvent, transaction: Y.Transaction) => {
      if (transaction.local && document.activeElement === element) return; // our own keystrokes: already shown
      const focused = document.activeElement === element;
      let [start, end] = [element.selectionStart ?? 0, element.selectionEnd ?? 0];
      let index = 0;
      for (const op of event.delta) {
        if (op.retain !== undefined) index += op.retain;
        else if (typeof op.insert === 'string') {
          const length = op.insert.length;
          if (index <= start) start += length;
          if (index < end) end += length;
          index += length;
        } else if (op.delete !== undefined) {
          start -= Math.max(0, Math.min(op.delete, start - index));
          end -= Math.max(0, Math.min(op.delete, end - index));
        }
      }
      element.value = text.toString();
      if (focused) element.setSelectionRange(start, end);
    };
    text.observe(onChange);
    return () => text.unobserve(onChange);
  }, [text]);

  const typing = peers.filter((peer) => peer.focus === props.focusKey);
  const common = {
    ref,
    id: `yt-${props.focusKey}`,
    className: `${props.monospace ? 'mono ' : ''}${props.className ?? ''}`,
    'data-testid': props.testId,
    placeholder: props.placeholder,
    maxLength: props.maxLength,
    readOnly: !canWrite || !text,
    'aria-readonly': !canWrite || !text,
    onInput: (event: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => {
      if (!text || !canWrite) return;
      const value = event.currentTarget.value;
      doc.transact(() => setYText(text, value));
    },
    onFocus: () => setFocus(awareness, props.focusKey),
    onBlur: () => setFocus(awareness, null),
  };
  return (
    <div className={`ytext-field${typing.length ? ' has-peers' : ''}`} style={typing.length ? { borderColor: typing[0].user.color } : undefined}>
      <label htmlFor={common.id} className={props.hideLabel ? 'visually-hidden' : 'field-label'}>
        {props.label}
      </label>
      {typing.length > 0 && (
        <span className="peer-typing" style={{ color: typing[0].user.color }} data-testid="peer-typing">
          {typing.map((peer) => peer.user.name).join(', ')} typing…
        </span>
      )}
      {props.multiline ? <textarea rows={props.rows ?? 3} {...common} /> : <input type="text" {...common} />}
    </div>
  );
}
