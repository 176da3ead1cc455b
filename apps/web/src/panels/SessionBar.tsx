import type { JSX } from 'react';
import type { SessionChannelState } from '../session/session-state';
import type { SessionStore } from '../session/session-store';
import { formatDuration, stageClock } from '../session/timer';
import { useNow } from '../session/use-session';
import { STAGE_LABELS } from './panel-format';

/** The panel's top line: the channel's connection, the session status, the current stage and its timer. */
export function SessionBar({ state, store }: { state: SessionChannelState; store: SessionStore }): JSX.Element {
  const status = state.session?.status ?? state.timer?.status ?? null;
  return (
    <div className="session-bar" data-testid="session-bar">
      <ChannelStatus state={state} />
      {status === 'live' && state.stage ? (
        <span className="bar-stage" data-testid="current-stage" data-stage={state.stage}>
          <span className="muted">Stage</span> <strong>{STAGE_LABELS[state.stage]}</strong>
        </span>
      ) : (
        <span className="bar-stage" data-testid="current-stage" data-stage="">
          {status === 'ended' ? 'Ended' : status === 'created' ? 'Not started' : ''}
        </span>
      )}
      {status === 'created' && state.role === 'interviewer' ? (
        <button type="button" className="btn btn-small btn-primary bar-action" data-testid="start-session" onClick={() => void store.startSession()} disabled={state.phase !== 'connected'}>
          Start
        </button>
      ) : (
        <StageTimer state={state} />
      )}
    </div>
  );
}

function ChannelStatus({ state }: { state: SessionChannelState }): JSX.Element {
  const status = state.session?.status ?? null;
  const { text, kind } =
    state.phase === 'connected'
      ? status === 'live'
        ? { text: 'Live', kind: 'live' }
        : status === 'ended'
          ? { text: 'Ended', kind: 'ended' }
          : { text: 'Waiting', kind: 'waiting' }
      : state.phase === 'refused'
        ? { text: 'Refused', kind: 'refused' }
        : state.phase === 'offline'
          ? { text: 'Offline', kind: 'offline' }
          : { text: 'Connecting', kind: 'connecting' };
  return (
    <span className={`channel-status channel-${kind}`} data-testid="channel-status" data-phase={state.phase} data-status={status ?? ''} title={state.connectionMessage ?? undefined}>
      <span className="status-dot" aria-hidden="true" />
      {text}
    </span>
  );
}

/** Remaining time of the stage, ticking locally each second from the last `timer` (server clock offset applied). */
export function StageTimer({ state }: { state: SessionChannelState }): JSX.Element {
  const now = useNow(1000);
  const clock = state.session?.status === 'created' ? null : stageClock(state.timer, state.clockOffsetMs, now);
  if (!clock) {
    return (
      <span className="stage-timer" data-testid="stage-timer" data-remaining="">
        <span className="muted">–:––</span>
      </span>
    );
  }
  if (clock.remainingSeconds === null) {
    return (
      <span className="stage-timer" data-testid="stage-timer" data-remaining="" title="Time in this stage">
        {formatDuration(clock.elapsedSeconds)}
      </span>
    );
  }
  const over = clock.remainingSeconds < 0;
  const limit = formatDuration(clock.limitSeconds ?? 0);
  return (
    <span
      className={`stage-timer${over ? ' overtime' : clock.remainingSeconds <= 60 ? ' ending' : ''}`}
      data-testid="stage-timer"
      data-remaining={clock.remainingSeconds}
      title={`${STAGE_LABELS[clock.stage]}: ${limit} planned`}
      role="timer"
      aria-label={over ? `${formatDuration(-clock.remainingSeconds)} over the ${limit} planned for ${STAGE_LABELS[clock.stage]}` : `${formatDuration(clock.remainingSeconds)} left of ${limit} for ${STAGE_LABELS[clock.stage]}`}
    >
      {over ? `+${formatDuration(-clock.remainingSeconds)} over` : `${formatDuration(clock.remainingSeconds)} left`}
    </span>
  );
}
