import type { Role } from '@hatch/protocol';
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { SessionChannelState } from './session-state';
import { SessionStore } from './session-store';

/** Opens the session's `/session` channel for as long as the component is mounted; re-renders on every change. */
export function useSessionChannel(sessionId: string, token: string, role: Role): { store: SessionStore; state: SessionChannelState } {
  const [store, setStore] = useState(() => new SessionStore(sessionId, token, role));
  useEffect(() => {
    // a fresh store per mount (StrictMode mounts twice; a destroyed store never reconnects)
    const next = new SessionStore(sessionId, token, role);
    next.connect();
    setStore(next);
    return () => next.destroy();
  }, [sessionId, token, role]);
  const state = useSyncExternalStore(store.subscribe, store.getState);
  return { store, state };
}

/** The current time, re-read every `intervalMs` (for countdowns; only the component using it re-renders). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}
