import { type JSX, useEffect, useRef, useState } from 'react';
import { DIFFICULTY_LABELS, MODE_INFO, type PublicScenario, type SessionView } from '../api/types';
import { absoluteLink, hostLinks } from '../lobby/host-links';
import { SessionLinks } from '../lobby/SessionLinks';
import { BrandBar } from '../ui/BrandBar';
import { CopyButton } from '../ui/CopyButton';
import type { ConnectionState } from './collab/connection';
import { ROLE_COLORS, ROLE_LABELS } from './collab/presence';
import { ConnectionStatus } from './ConnectionStatus';
import { useRoom } from './room-context';

/** Scenario, mode, who you are, the connection status, and the join links to share. */
export function RoomHeader({ view, scenario, state }: { view: SessionView; scenario: PublicScenario | null; state: ConnectionState }): JSX.Element {
  const { role, canWrite, peers } = useRoom();
  const title = scenario?.title ?? view.scenario.title ?? 'Unknown scenario';
  return (
    <BrandBar>
      <div className="room-title">
        <span className="room-scenario" title={title} data-testid="room-title">
          {title}
        </span>
        <span className="badge badge-soft">{MODE_INFO[view.mode].label}</span>
        {view.scenario.difficulty && <span className={`badge level-${view.scenario.difficulty}`}>{DIFFICULTY_LABELS[view.scenario.difficulty]}</span>}
      </div>
      <div className="room-tools">
        <span className="here" aria-label="In the diagram now" data-testid="diagram-presence">
          {peers.map((peer) => (
            <span key={peer.clientId} className="avatar" style={{ background: peer.user.color }} title={`${peer.user.name} is here`}>
              {peer.user.name[0]}
            </span>
          ))}
        </span>
        <ConnectionStatus state={state} canWrite={canWrite} />
        <span className="role-badge" style={{ borderColor: ROLE_COLORS[role], color: ROLE_COLORS[role] }} data-testid="role-badge">
          You: {ROLE_LABELS[role]}
          {!canWrite && ' (read-only)'}
        </span>
        <ShareMenu sessionId={view.id} />
      </div>
    </BrandBar>
  );
}

function ShareMenu({ sessionId }: { sessionId: string }): JSX.Element {
  const { role } = useRoom();
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  const links = hostLinks(sessionId);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    const onClick = (e: MouseEvent) => !panel.current?.parentElement?.contains(e.target as Node) && setOpen(false);
    window.addEventListener('keydown', onKey);
    window.addEventListener('mousedown', onClick);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('mousedown', onClick);
    };
  }, [open]);
  return (
    <div className="share">
      <button type="button" className="btn btn-small" aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen(!open)} data-testid="share-button">
        Invite
      </button>
      {open && (
        <div className="share-panel" role="dialog" aria-label="Join links" ref={panel} data-testid="share-panel">
          {links ? (
            <>
              <p className="small muted">Each link joins as its role. Send the candidate or interviewer link to your partner; observers watch read-only.</p>
              <SessionLinks links={links} current={role} />
            </>
          ) : (
            <>
              <p className="small muted">Only the person who started the session has every role's link. Your own link:</p>
              <div className="link-row">
                <input className="link-url" readOnly value={window.location.href} aria-label="Your join link" onFocus={(e) => e.target.select()} />
                <CopyButton text={absoluteLink(window.location.pathname + window.location.hash)} />
              </div>
            </>
          )}
        </div>
      )}
    </div>
  );
}
