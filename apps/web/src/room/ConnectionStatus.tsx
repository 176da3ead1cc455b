import type { JSX } from 'react';
import type { ConnectionState } from './collab/connection';
import { statusOf } from './collab/status';

export function ConnectionStatus({ state, canWrite }: { state: ConnectionState; canWrite: boolean }): JSX.Element {
  const status = statusOf(state, canWrite);
  return (
    <span className={`status status-${status.kind}`} data-testid="connection-status" data-state={status.kind} data-unsaved={state.unsaved} role="status" aria-live="polite">
      <span className="status-dot" aria-hidden="true" />
      <span className="status-text">{status.text}</span>
    </span>
  );
}
