import type { JSX } from 'react';
import { ROLES, type Role } from '../api/types';
import { CopyButton } from '../ui/CopyButton';
import { absoluteLink } from './host-links';

const ROLE_HINTS: Record<Role, string> = {
  candidate: 'designs the model',
  interviewer: 'asks follow-ups, moves the stages',
  observer: 'watches live, read-only',
  reviewer: 'reviews afterwards, read-only',
};

/** One copyable join link per role. */
export function SessionLinks({ links, current }: { links: Record<Role, string>; current?: Role }): JSX.Element {
  return (
    <ul className="link-list" data-testid="join-links">
      {ROLES.map((role) => {
        const url = absoluteLink(links[role]);
        return (
          <li key={role} data-testid={`join-link-${role}`}>
            <div className="link-role">
              <strong>{role[0].toUpperCase() + role.slice(1)}</strong>
              <span className="muted">{ROLE_HINTS[role]}</span>
              {current === role && <span className="badge">you</span>}
            </div>
            <div className="link-row">
              <input className="link-url" readOnly value={url} aria-label={`Join link for the ${role}`} onFocus={(e) => e.target.select()} />
              <CopyButton text={url} testId={`copy-link-${role}`} />
            </div>
          </li>
        );
      })}
    </ul>
  );
}
