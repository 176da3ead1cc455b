import type { FollowUp, FollowUpClosing } from '@hatch/protocol';
import { type FormEvent, type JSX, useState } from 'react';
import type { FollowUpVerdict, SessionChannelState } from '../session/session-state';
import type { SessionStore } from '../session/session-store';
import { actorLabel, clockTime, moveLabel, points, STAGE_LABELS } from './panel-format';

const CLOSED_HOW: Record<FollowUpClosing, string> = {
  chat: 'answered in words',
  model: 'answered in the model',
  marked: 'marked answered',
  superseded: 'superseded by a newer question',
};

const VERDICT_TEXT = { met: 'Met', partly: 'Partly met', missed: 'Missed' } as const;

/**
 * One follow-up: the question, what it probes, its status, and once closed the answer and whether the
 * probed move improved. The candidate can answer it in words; the interviewer can mark it answered.
 */
export function FollowUpCard(props: { followUp: FollowUp; verdict: FollowUpVerdict | undefined; state: SessionChannelState; store: SessionStore }): JSX.Element {
  const { followUp: f, verdict, state, store } = props;
  const open = f.status === 'open';
  const live = state.session?.status === 'live' && state.phase === 'connected';
  const canClose = open && live && (state.role === 'candidate' || state.role === 'interviewer');
  const improvement = f.answer?.improvement ?? null;
  return (
    <article className={`followup${open ? ' open' : ''}`} data-testid="followup-item" data-followup-id={f.id} data-status={f.status} aria-label={`Follow-up, ${open ? 'open' : 'answered'}`}>
      <header className="followup-head">
        <span className="followup-kind">Follow-up</span>
        <span className={`badge ${open ? 'badge-open' : 'badge-done'}`} data-testid="followup-status">
          {open ? 'Open' : 'Answered'}
        </span>
        <span className="feed-meta">{clockTime(f.at)}</span>
      </header>
      <p className="followup-question" data-testid="followup-question">
        {f.question}
      </p>
      <p className="followup-probe small muted">
        {actorLabel(f.askedBy)} · {STAGE_LABELS[f.probe.stage]} · {moveLabel(f.probe.move)}
      </p>
      {f.why && state.role !== 'candidate' && (
        <p className="followup-why small">
          Why now: {f.why}
          {f.baseline ? ` (${moveLabel(f.probe.move).toLowerCase()} had lost ${points(f.baseline.pointsLost)} points)` : ''}
        </p>
      )}
      {f.answer && (
        <div className="followup-answer" data-testid="followup-answer">
          <p className="small">
            <strong>{actorLabel(f.answer.by)}</strong> {CLOSED_HOW[f.answer.how]} · {clockTime(f.answer.at)}
          </p>
          {f.answer.text && <p className="answer-text">{f.answer.text}</p>}
          {improvement && (
            <p className={`small ${improvement.improved ? 'improved' : 'not-improved'}`} data-testid="followup-improvement">
              {moveLabel(f.probe.move)}: {points(improvement.before)} → {points(improvement.now)} points lost {improvement.improved ? '(improved)' : '(no better yet)'}
            </p>
          )}
        </div>
      )}
      {verdict && (
        <p className={`small verdict verdict-${verdict.verdict}`} data-testid="followup-verdict">
          Judge: {VERDICT_TEXT[verdict.verdict]} — {verdict.rationale}
        </p>
      )}
      {canClose && <CloseForm followUp={f} role={state.role} store={store} />}
    </article>
  );
}

/** Candidate: "Answer" (words required). Interviewer: "Mark answered" (a summary is optional). */
function CloseForm({ followUp, role, store }: { followUp: FollowUp; role: string; store: SessionStore }): JSX.Element {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const candidate = role === 'candidate';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (candidate && !text.trim()) return;
    setBusy(true);
    const result = await store.markAnswered(followUp.id, text.trim() || undefined);
    setBusy(false);
    if (result.ok) {
      setEditing(false);
      setText('');
    }
  };
  if (!editing) {
    return (
      <div className="followup-actions">
        <button type="button" className="btn btn-small" data-testid={candidate ? 'answer-followup' : 'mark-answered'} onClick={() => setEditing(true)}>
          {candidate ? 'Answer in words' : 'Mark answered'}
        </button>
      </div>
    );
  }
  const label = candidate ? 'Your answer' : 'Summary of the answer (optional)';
  return (
    <form className="followup-form" onSubmit={(e) => void submit(e)}>
      <label className="field-label">
        {label}
        <textarea
          rows={2}
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="followup-answer-input"
          autoFocus
          onKeyDown={(e) => {
            if (e.key === 'Escape') setEditing(false);
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit(e);
          }}
        />
      </label>
      <div className="followup-actions">
        <button type="submit" className="btn btn-small btn-primary" disabled={busy || (candidate && !text.trim())} data-testid="followup-answer-submit">
          {candidate ? 'Send answer' : 'Mark answered'}
        </button>
        <button type="button" className="btn btn-small btn-quiet" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
