import { type JSX, useState } from 'react';
import type { SessionChannelState } from '../session/session-state';
import type { SessionStore } from '../session/session-store';
import { actorLabel, clockTime } from './panel-format';

/**
 * What the session is waiting for, by role: before the start (the first candidate to connect starts
 * it; an interviewer may start it earlier), after the end, and the practice candidate's
 * "Ask me a follow-up".
 */
export function SessionNotice({ state, store }: { state: SessionChannelState; store: SessionStore }): JSX.Element | null {
  const status = state.session?.status;
  if (state.phase === 'refused' || (state.phase === 'offline' && state.connectionMessage)) {
    return (
      <div className="session-notice warn" role="status" data-testid="channel-problem">
        {state.connectionMessage}
      </div>
    );
  }
  if (status === 'created') {
    return (
      <div className="session-notice" role="status" data-testid="session-not-started">
        <strong>The session has not started.</strong>{' '}
        {state.role === 'interviewer' ? (
          <>
            It starts when the candidate joins — or start it now.{' '}
            <button type="button" className="btn btn-small btn-primary" onClick={() => void store.startSession()} data-testid="start-session-notice">
              Start session
            </button>
          </>
        ) : state.role === 'candidate' ? (
          'It starts as soon as you are connected…'
        ) : (
          'It starts when the candidate joins (or the interviewer starts it).'
        )}
      </div>
    );
  }
  if (status === 'ended') {
    const s = state.session;
    return (
      <div className="session-notice" role="status" data-testid="session-ended">
        <strong>The session has ended</strong>
        {s?.endedAt ? ` at ${clockTime(s.endedAt)}` : ''}
        {s?.by ? ` (${actorLabel(s.by)}${s.reason ? `: ${s.reason}` : ''})` : ''}. Everything stays readable.
      </div>
    );
  }
  if (status === 'live' && state.role === 'candidate' && state.mode === 'practice') return <AskForFollowUp state={state} store={store} />;
  return null;
}

function AskForFollowUp({ state, store }: { state: SessionChannelState; store: SessionStore }): JSX.Element {
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<string | null>(null);
  const ask = async () => {
    setBusy(true);
    setAnswer(null);
    const result = await store.requestFollowUp();
    setBusy(false);
    if (result.ok && result.kind !== 'followup') setAnswer(result.kind === 'silence' ? `Nothing to ask right now: ${result.why}` : result.why);
  };
  return (
    <div className="session-notice practice" data-testid="practice-request">
      <button type="button" className="btn btn-small btn-primary" onClick={() => void ask()} disabled={busy || state.phase !== 'connected'} data-testid="request-followup">
        {busy ? 'Thinking…' : 'Ask me a follow-up'}
      </button>
      <span className="small muted" aria-live="polite" data-testid="request-followup-result">
        {answer ?? 'The engine picks one aimed at your weakest move.'}
      </span>
    </div>
  );
}
