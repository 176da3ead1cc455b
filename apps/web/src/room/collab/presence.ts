import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type { Role } from '../../api/types';

/** What each client publishes in the Yjs awareness (relayed by the server, never stored). */
export interface PeerState {
  user: { name: string; role: Role; color: string };
  /** The entity (and field) this person has selected in the diagram. */
  selection: { entityId: string | null; fieldId: string | null };
  /** The shared text this person is typing in, e.g. `frame.domain` or `win:<answerId>:sql`. */
  focus: string | null;
}

export interface Peer extends PeerState {
  clientId: number;
}

export const ROLE_COLORS: Record<Role, string> = {
  candidate: '#2563eb',
  interviewer: '#c2410c',
  observer: '#7c3aed',
  reviewer: '#0f766e',
};

export const ROLE_LABELS: Record<Role, string> = {
  candidate: 'Candidate',
  interviewer: 'Interviewer',
  observer: 'Observer',
  reviewer: 'Reviewer',
};

export function initPresence(awareness: Awareness, name: string, role: Role): void {
  const state: PeerState = { user: { name, role, color: ROLE_COLORS[role] }, selection: { entityId: null, fieldId: null }, focus: null };
  awareness.setLocalState(state);
}

export function setSelection(awareness: Awareness, entityId: string | null, fieldId: string | null = null): void {
  const current = awareness.getLocalState() as PeerState | null;
  if (current?.selection.entityId === entityId && current.selection.fieldId === fieldId) return;
  awareness.setLocalStateField('selection', { entityId, fieldId });
}

export function setFocus(awareness: Awareness, focus: string | null): void {
  awareness.setLocalStateField('focus', focus);
}

function isPeerState(value: unknown): value is PeerState {
  const state = value as PeerState | null;
  return !!state && typeof state.user?.name === 'string' && typeof state.user.color === 'string' && !!state.selection;
}

/** Everyone else connected to the document (one entry per tab), re-rendered on awareness changes. */
export function usePeers(awareness: Awareness): Peer[] {
  const [peers, setPeers] = useState<Peer[]>(() => readPeers(awareness));
  useEffect(() => {
    const onChange = () => setPeers(readPeers(awareness));
    awareness.on('change', onChange);
    onChange();
    return () => awareness.off('change', onChange);
  }, [awareness]);
  return peers;
}

function readPeers(awareness: Awareness): Peer[] {
  return [...awareness.getStates()]
    .filter(([clientId, state]) => clientId !== awareness.clientID && isPeerState(state))
    .map(([clientId, state]) => ({ clientId, ...(state as PeerState) }));
}
