import type { PresenceEntry } from '@hatch/protocol';
import type { JSX } from 'react';
import { ROLE_COLORS, ROLE_LABELS } from '../room/collab/presence';
import type { SessionChannelState } from '../session/session-state';
import { clockTime } from './panel-format';

/** Who is connected to the session, in which role, with how many tabs (the `presence` event). */
export function PresencePanel({ state }: { state: SessionChannelState }): JSX.Element {
  const aiInterviews = state.mode === 'mock';
  return (
    <div className="presence-panel" data-testid="presence-panel">
      <h3 className="panel-heading">Here now</h3>
      {state.presence.length === 0 ? (
        <p className="muted small">{state.phase === 'connected' ? 'Nobody else yet.' : 'Connecting…'}</p>
      ) : (
        <ul className="presence-list">
          {state.presence.map((p) => (
            <PresenceItem key={p.participantId} entry={p} you={p.participantId === state.participantId} />
          ))}
        </ul>
      )}
      {aiInterviews && (
        <p className="small muted presence-ai" data-testid="presence-ai">
          <span className="avatar avatar-ai" aria-hidden="true">
            AI
          </span>{' '}
          The AI interviewer runs on the server and asks follow-ups in this mock interview.
        </p>
      )}
    </div>
  );
}

function PresenceItem({ entry, you }: { entry: PresenceEntry; you: boolean }): JSX.Element {
  const tabs = entry.connections === 1 ? '1 connection' : `${entry.connections} connections`;
  return (
    <li className="presence-item" data-testid="presence-item" data-role={entry.role} data-connections={entry.connections}>
      <span className="avatar" style={{ background: ROLE_COLORS[entry.role] }} aria-hidden="true">
        {(entry.displayName || ROLE_LABELS[entry.role])[0]}
      </span>
      <span className="presence-name">
        {entry.displayName}
        {you && <span className="muted"> (you)</span>}
      </span>
      <span className="presence-role" style={{ color: ROLE_COLORS[entry.role] }}>
        {ROLE_LABELS[entry.role]}
      </span>
      <span className="presence-meta small muted" title={`Connected since ${clockTime(entry.connectedSince)}`}>
        {tabs}
      </span>
    </li>
  );
}
