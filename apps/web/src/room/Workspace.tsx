import { type JSX, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { oneLine, Paragraphs } from '../ui/Paragraphs';
import { setSelection } from './collab/presence';
import { Diagram } from './diagram/Diagram';
import { Inspector } from './inspector/Inspector';
import { EventsTable } from './notes/EventsTable';
import { FrameEditor } from './notes/FrameEditor';
import { WinEditor } from './notes/WinEditor';
import { useRoom } from './room-context';

type Tab = 'diagram' | 'events' | 'frame' | 'win';
const TABS: { id: Tab; label: string; hint: string }[] = [
  { id: 'frame', label: 'Frame', hint: 'domain, actors, rules, access patterns, tenancy' },
  { id: 'diagram', label: 'Diagram', hint: 'entities, fields, relationships, constraints, indexes' },
  { id: 'events', label: 'Events', hint: 'the tracking plan' },
  { id: 'win', label: 'Win', hint: 'answers to product questions, with SQL' },
];

/** The shared work: the prompt, then tabs for the diagram, the events table, and the Frame and Win notes. */
export function Workspace(): JSX.Element {
  const { model, awareness, scenario } = useRoom();
  const [tab, setTab] = useState<Tab>('diagram');
  const [entityId, setEntityId] = useState<string | null>(null);
  const [fieldId, setFieldId] = useState<string | null>(null);
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});

  // A selected entity someone else deleted: back to the overview.
  const selected = entityId && model.entities.some((e) => e.id === entityId) ? entityId : null;
  useEffect(() => {
    setSelection(awareness, tab === 'diagram' ? selected : null, tab === 'diagram' && selected ? fieldId : null);
  }, [awareness, tab, selected, fieldId]);

  const select = (id: string | null) => {
    setEntityId(id);
    setFieldId(null);
  };
  const onTabKey = (event: KeyboardEvent) => {
    const index = TABS.findIndex((t) => t.id === tab);
    const next = event.key === 'ArrowRight' ? index + 1 : event.key === 'ArrowLeft' ? index - 1 : null;
    if (next === null) return;
    const target = TABS[(next + TABS.length) % TABS.length];
    setTab(target.id);
    tabRefs.current[target.id]?.focus();
  };
  const counts: Record<Tab, number> = {
    diagram: model.entities.length,
    events: model.events.length,
    frame: model.frame.actors.length + model.frame.rules.length + model.frame.accessPatterns.length,
    win: model.win.answers.length,
  };

  return (
    <main className="workspace">
      <Prompt text={scenario?.prompt ?? null} />
      <div className="tabs" role="tablist" aria-label="Work areas" onKeyDown={onTabKey}>
        {TABS.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            title={t.hint}
            className="tab"
            data-testid={`tab-${t.id}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
            <span className="count">{counts[t.id]}</span>
          </button>
        ))}
      </div>
      <div className="tab-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'diagram' && (
          <div className="diagram-pane">
            <Diagram selectedEntityId={selected} selectedFieldId={fieldId} onSelect={select} />
            <Inspector selectedEntityId={selected} onSelect={select} onSelectField={setFieldId} />
          </div>
        )}
        {tab === 'events' && <EventsTable />}
        {tab === 'frame' && <FrameEditor />}
        {tab === 'win' && <WinEditor />}
      </div>
    </main>
  );
}

/** The scenario prompt: two lines, expandable; collapsed it always has the same height (no layout jumps). */
function Prompt({ text }: { text: string | null }): JSX.Element {
  const [open, setOpen] = useState(false);
  if (!text) return <div className="prompt-strip muted">The scenario's prompt is not available.</div>;
  return (
    <div className={`prompt-strip${open ? ' open' : ''}`} data-testid="room-prompt">
      <strong className="prompt-label">Prompt</strong>
      {open ? <Paragraphs className="prompt-text" text={text} /> : <p className="prompt-text">{oneLine(text)}</p>}
      <button type="button" className="btn btn-quiet btn-small" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Less' : 'More'}
      </button>
    </div>
  );
}
