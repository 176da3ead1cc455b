import type { ConnectionState } from './connection';

export type StatusKind = 'connecting' | 'connected' | 'saving' | 'saved' | 'offline' | 'closed' | 'read-only';

/** The header's one status word from the connection state (docs/web.md lists the states). */
export function statusOf(state: ConnectionState, canWrite: boolean): { kind: StatusKind; text: string } {
  const unsaved = state.unsaved === 1 ? '1 unsaved change' : `${state.unsaved} unsaved changes`;
  if (state.phase === 'closed') return { kind: 'closed', text: state.unsaved ? `Disconnected — ${unsaved}` : 'Disconnected' };
  if (state.phase === 'offline') return { kind: 'offline', text: state.unsaved ? `Offline — ${unsaved}` : 'Offline — reconnecting…' };
  if (state.phase === 'connecting' || !state.synced) return { kind: 'connecting', text: state.unsaved ? `Connecting — ${unsaved}` : 'Connecting…' };
  if (!canWrite) return { kind: 'read-only', text: 'Connected · read-only' };
  if (state.unsaved > 0) return { kind: 'saving', text: 'Saving…' };
  return state.hasEdited ? { kind: 'saved', text: 'All changes saved' } : { kind: 'connected', text: 'Connected' };
}
