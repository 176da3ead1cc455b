import { FOLLOWUP_MAX_LENGTH, type FollowUpSuggestion, NOTE_MAX_LENGTH } from '@hatch/protocol';
import { type FormEvent, type JSX, useState } from 'react';
import type { SessionChannelState } from '../session/session-state';
import type { SessionStore } from '../session/session-store';
import { ConfirmButton } from '../ui/inputs';
import { actorLabel, clockTime, flowStages, moveLabel, STAGE_LABELS } from './panel-format';

/**
 * The human interviewer's console: start/end, stage control, the engine's suggested follow-ups (send as
 * is, or edit and send), a question of one's own, and private notes. Observers and reviewers see the
 * controls disabled, with the reason; suggestions and notes are never sent to them.
 */
export function ConsolePanel({ state, store }: { state: SessionChannelState; store: SessionStore }): JSX.Element {
  const interviewer = state.role === 'interviewer';
  const readOnlyReason = interviewer ? null : `Read-only: ${state.role}s watch; only the interviewer controls the session.`;
  return (
    <div className="console-panel" data-testid="console-panel">
      {readOnlyReason && (
        <p className="read-only-note" data-testid="console-readonly-reason" role="note">
          {readOnlyReason}
        </p>
      )}
      <SessionControl state={state} store={store} disabledReason={readOnlyReason} />
      <StageControl state={state} store={store} disabledReason={readOnlyReason} />
      {interviewer ? (
        <>
          <Suggestions state={state} store={store} />
          <Notes state={state} store={store} />
        </>
      ) : (
        <p className="muted small">Suggested follow-ups and private notes are for interviewers only.</p>
      )}
    </div>
  );
}

function SessionControl({ state, store, disabledReason }: { state: SessionChannelState; store: SessionStore; disabledReason: string | null }): JSX.Element {
  const status = state.session?.status ?? null;
  const offline = state.phase !== 'connected';
  return (
    <section className="console-section" aria-labelledby="console-session">
      <h3 id="console-session" className="panel-heading">
        Session
      </h3>
      <div className="console-row">
        <span className="small" data-testid="console-status">
          {status === 'created' ? 'Not started' : status === 'live' ? `Live since ${clockTime(state.session?.startedAt ?? '')}` : status === 'ended' ? 'Ended' : '…'}
        </span>
        <span className="grow" />
        {status === 'created' && (
          <button type="button" className="btn btn-small btn-primary" disabled={!!disabledReason || offline} title={disabledReason ?? undefined} onClick={() => void store.startSession()} data-testid="console-start">
            Start session
          </button>
        )}
        {status !== 'ended' && (
          <ConfirmButton
            label="End session"
            confirmLabel="End it now?"
            className="btn btn-small btn-danger"
            disabled={!!disabledReason || offline || status === null}
            title={disabledReason ?? 'Ends the session for everyone'}
            onConfirm={() => void store.endSession()}
            testId="console-end"
          />
        )}
      </div>
    </section>
  );
}

function StageControl({ state, store, disabledReason }: { state: SessionChannelState; store: SessionStore; disabledReason: string | null }): JSX.Element {
  const live = state.session?.status === 'live';
  const reason = disabledReason ?? (state.session?.status === 'ended' ? 'The session has ended.' : !live ? 'The stage can move once the session is live.' : state.phase !== 'connected' ? 'Not connected.' : null);
  return (
    <section className="console-section" aria-labelledby="console-stage">
      <h3 id="console-stage" className="panel-heading">
        Stage
      </h3>
      <div className="stage-control" role="group" aria-labelledby="console-stage" aria-describedby={reason ? 'stage-reason' : undefined} data-testid="stage-control">
        {flowStages.map((s, i) => (
          <button
            key={s}
            type="button"
            className="stage-button"
            aria-pressed={state.stage === s && live}
            disabled={!!reason}
            data-testid={`stage-set-${s}`}
            onClick={() => state.stage !== s && void store.setStage(s)}
          >
            <span className="stage-number" aria-hidden="true">
              {i + 1}
            </span>
            {STAGE_LABELS[s]}
          </button>
        ))}
      </div>
      {reason && !disabledReason && (
        <p id="stage-reason" className="small muted" data-testid="stage-control-reason">
          {reason}
        </p>
      )}
    </section>
  );
}

function Suggestions({ state, store }: { state: SessionChannelState; store: SessionStore }): JSX.Element {
  const live = state.session?.status === 'live' && state.phase === 'connected';
  const [editing, setEditing] = useState<number | null>(null);
  const suggestions = state.suggestions ?? [];
  const open = state.followUps.some((f) => f.status === 'open');
  return (
    <section className="console-section" aria-labelledby="console-suggestions" data-testid="suggestions">
      <div className="console-row">
        <h3 id="console-suggestions" className="panel-heading">
          Suggested follow-ups
        </h3>
        <span className="grow" />
        <button type="button" className="btn btn-small btn-quiet" onClick={() => void store.refreshSuggestions()} disabled={state.phase !== 'connected'} data-testid="refresh-suggestions">
          Refresh
        </button>
      </div>
      {open && <p className="small muted">A follow-up is open: sending another closes it as superseded.</p>}
      {state.suggestions === null ? (
        <p className="muted small">Loading suggestions…</p>
      ) : suggestions.length === 0 ? (
        <p className="muted small">{live ? 'No suggestions right now.' : 'Suggestions come once the session is live.'}</p>
      ) : (
        <ul className="suggestion-list">
          {suggestions.map((s, i) => (
            <li key={`${s.bankId ?? 'free'}:${s.question}`} className="suggestion" data-testid="suggestion-item">
              {editing === i ? (
                <QuestionForm initial={s.question} bankId={s.bankId} store={store} disabled={!live} submitLabel="Send edited" onDone={() => setEditing(null)} testId="suggestion-edit" />
              ) : (
                <SuggestionView suggestion={s} live={live} store={store} onEdit={() => setEditing(i)} />
              )}
            </li>
          ))}
        </ul>
      )}
      <details className="own-question">
        <summary>Ask your own question</summary>
        <QuestionForm initial="" bankId={null} store={store} disabled={!live} submitLabel="Send" testId="own-followup-input" />
      </details>
    </section>
  );
}

function SuggestionView({ suggestion, live, store, onEdit }: { suggestion: FollowUpSuggestion; live: boolean; store: SessionStore; onEdit: () => void }): JSX.Element {
  const [busy, setBusy] = useState(false);
  const send = async () => {
    setBusy(true);
    await store.sendFollowUp(suggestion.question, suggestion.bankId);
    setBusy(false);
  };
  return (
    <>
      <p className="suggestion-question">{suggestion.question}</p>
      <p className="small muted">
        {STAGE_LABELS[suggestion.probe.stage]} · {moveLabel(suggestion.probe.move)} — {suggestion.why}
      </p>
      <div className="followup-actions">
        <button type="button" className="btn btn-small btn-primary" disabled={!live || busy} onClick={() => void send()} data-testid="suggestion-send">
          Send
        </button>
        <button type="button" className="btn btn-small" disabled={!live} onClick={onEdit} data-testid="suggestion-edit-button">
          Edit &amp; send
        </button>
      </div>
    </>
  );
}

/** A follow-up question to send: an edited suggestion (keeps its bank id) or one of the interviewer's own. */
function QuestionForm(props: { initial: string; bankId: string | null; store: SessionStore; disabled: boolean; submitLabel: string; onDone?: () => void; testId: string }): JSX.Element {
  const [text, setText] = useState(props.initial);
  const [busy, setBusy] = useState(false);
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!text.trim() || props.disabled) return;
    setBusy(true);
    const result = await props.store.sendFollowUp(text.trim(), props.bankId);
    setBusy(false);
    if (result.ok) {
      setText('');
      props.onDone?.();
    }
  };
  return (
    <form className="question-form" onSubmit={(e) => void submit(e)}>
      <textarea
        rows={3}
        value={text}
        maxLength={FOLLOWUP_MAX_LENGTH}
        aria-label="Follow-up question"
        data-testid={props.testId}
        autoFocus={!!props.onDone}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
          if (e.key === 'Escape') props.onDone?.();
        }}
      />
      <div className="followup-actions">
        <button type="submit" className="btn btn-small btn-primary" disabled={props.disabled || busy || !text.trim()} data-testid={`${props.testId}-submit`}>
          {props.submitLabel}
        </button>
        {props.onDone && (
          <button type="button" className="btn btn-small btn-quiet" onClick={props.onDone}>
            Cancel
          </button>
        )}
        <span className="small muted">Ctrl+Enter sends</span>
      </div>
    </form>
  );
}

function Notes({ state, store }: { state: SessionChannelState; store: SessionStore }): JSX.Element {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const connected = state.phase === 'connected';
  const add = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!text.trim() || !connected) return;
    setBusy(true);
    const result = await store.addNote(text.trim());
    setBusy(false);
    if (result.ok) setText('');
  };
  return (
    <section className="console-section notes-section" aria-labelledby="console-notes" data-testid="notes">
      <h3 id="console-notes" className="panel-heading">
        Private notes
      </h3>
      <p className="private-label" data-testid="notes-private-label">
        Private — only interviewers see these
      </p>
      {state.notes.length > 0 && (
        <ul className="note-list">
          {state.notes.map((n) => (
            <li key={n.id} className="note" data-testid="note-item">
              <span className="feed-meta">
                {actorLabel(n.author)} · {clockTime(n.at)}
              </span>
              <p>{n.text}</p>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={(e) => void add(e)} className="question-form">
        <textarea
          rows={2}
          value={text}
          maxLength={NOTE_MAX_LENGTH}
          aria-label="Private note (only interviewers see it)"
          placeholder="A private note…"
          data-testid="note-input"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && (e.ctrlKey || e.metaKey) && void add()}
        />
        <div className="followup-actions">
          <button type="submit" className="btn btn-small" disabled={!connected || busy || !text.trim()} data-testid="note-add">
            Add note
          </button>
          <span className="small muted">Ctrl+Enter adds</span>
        </div>
      </form>
    </section>
  );
}
