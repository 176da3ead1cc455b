import { type JSX, type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import type { SessionChannelState } from '../session/session-state';
import { useSessionChannel } from '../session/use-session';
import { ConsolePanel } from './ConsolePanel';
import { FlowPanel } from './FlowPanel';
import { InterviewPanel } from './InterviewPanel';
import { PresencePanel } from './PresencePanel';
import { ScoreTiles, type TileScores } from './ScoreTiles';
import { SessionBar } from './SessionBar';
import '../styles/panels.css';

type Role = 'candidate' | 'interviewer' | 'observer' | 'reviewer';
type PanelTab = 'flow' | 'interview' | 'console' | 'people';

const TAB_LABELS: Record<PanelTab, string> = { flow: 'FLOW', interview: 'Interview', console: 'Console', people: 'People' };

/** The tiles show the newest of the last score sample and the last full grade (by the document seq they grade). */
function tileScores(state: SessionChannelState): { scores: TileScores | null; previous: TileScores | null } {
  const samples = state.scores;
  const last = samples[samples.length - 1] ?? null;
  const previous = samples[samples.length - 2] ?? null;
  const grade = state.grade;
  if (grade && (!last || grade.seq > last.seq)) {
    const stages = { frame: grade.grade.stages.frame.score, list: grade.grade.stages.list.score, optimize: grade.grade.stages.optimize.score, win: grade.grade.stages.win.score };
    return { scores: { stages, total: grade.grade.total }, previous: last };
  }
  return { scores: last, previous };
}

/**
 * The room's right-hand column: the session bar (status, stage, timer), the FLOW scores, then tabs —
 * FLOW (chart, weak moves, checks), Interview (follow-ups, hints, chat), Console (interviewer controls;
 * read-only for observers and reviewers) and People (presence). Fixed heights throughout: live scores
 * change digits and lines, never the layout.
 */
export function SidePanels(props: { sessionId: string; token: string; role: Role }): JSX.Element {
  const { state, store } = useSessionChannel(props.sessionId, props.token, props.role);
  const tabs: PanelTab[] = props.role === 'candidate' ? ['flow', 'interview', 'people'] : ['flow', 'interview', 'console', 'people'];
  const [tab, setTab] = useState<PanelTab>('flow');
  const tabRefs = useRef<Partial<Record<PanelTab, HTMLButtonElement | null>>>({});
  const { scores, previous } = useMemo(() => tileScores(state), [state]);

  // unread follow-ups, hints and chat while another tab is open
  const feedCount = state.chat.length + state.followUps.length + state.hints.length;
  const [seen, setSeen] = useState(0);
  useEffect(() => {
    if (tab === 'interview' || !state.historyLoaded) setSeen(feedCount);
  }, [tab, feedCount, state.historyLoaded]);
  const unread = Math.max(0, feedCount - seen);

  const onTabKey = (event: KeyboardEvent) => {
    const index = tabs.indexOf(tab);
    const next = event.key === 'ArrowRight' ? index + 1 : event.key === 'ArrowLeft' ? index - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? tabs.length - 1 : null;
    if (next === null) return;
    event.preventDefault();
    const target = tabs[(next + tabs.length) % tabs.length];
    setTab(target);
    tabRefs.current[target]?.focus();
  };
  const badge = (t: PanelTab): string | null => (t === 'interview' && unread > 0 ? String(unread) : t === 'people' ? String(state.presence.length) : null);

  return (
    <aside className="side-panels panels" data-testid="side-panels" aria-label="Session panels" data-role={props.role}>
      <SessionBar state={state} store={store} />
      <ScoreTiles scores={scores} previous={previous} stage={state.session?.status === 'live' ? state.stage : null} />
      <div className="tabs panel-tabs" role="tablist" aria-label="Session panels" onKeyDown={onTabKey}>
        {tabs.map((t) => (
          <button
            key={t}
            ref={(el) => {
              tabRefs.current[t] = el;
            }}
            type="button"
            role="tab"
            id={`panel-tab-${t}`}
            aria-selected={tab === t}
            aria-controls={`panel-body-${t}`}
            tabIndex={tab === t ? 0 : -1}
            className="tab"
            data-testid={`panel-tab-${t}`}
            onClick={() => setTab(t)}
          >
            {TAB_LABELS[t]}
            <span className={`count${t === 'interview' && unread > 0 ? ' count-new' : ''}`} data-testid={`panel-tab-${t}-count`} aria-label={t === 'interview' ? `${unread} new` : undefined}>
              {badge(t) ?? ''}
            </span>
          </button>
        ))}
      </div>
      <div className="panel-body" role="tabpanel" id={`panel-body-${tab}`} aria-labelledby={`panel-tab-${tab}`}>
        {tab === 'flow' && <FlowPanel state={state} />}
        {tab === 'interview' && <InterviewPanel state={state} store={store} />}
        {tab === 'console' && <ConsolePanel state={state} store={store} />}
        {tab === 'people' && <PresencePanel state={state} />}
      </div>
      <div className="panel-toast-area" aria-live="assertive">
        {state.problem && <ProblemToast key={state.problem.key} code={state.problem.code} text={state.problem.text} onDismiss={store.dismissProblem} />}
      </div>
    </aside>
  );
}

/** A refused action (`{ ok: false, code, message }`) in words; dismissible, gone after ten seconds. */
function ProblemToast({ code, text, onDismiss }: { code: string | null; text: string; onDismiss: () => void }): JSX.Element {
  useEffect(() => {
    const id = window.setTimeout(onDismiss, 10_000);
    return () => window.clearTimeout(id);
  }, [onDismiss]);
  return (
    <div className="toast panel-toast" role="alert" data-testid="panel-problem" data-code={code ?? ''}>
      <span>{text}</span>
      <button type="button" className="btn btn-icon" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
