import type { CreatedSession, Role } from '../api/types';

/**
 * The join links of sessions this browser started, so the host can still share them from the room.
 * Kept in localStorage (tokens never leave the browser); people who joined by a link only have their own.
 */
const key = (sessionId: string) => `hatch:host-links:${sessionId}`;

export function rememberHostLinks(session: CreatedSession): void {
  try {
    localStorage.setItem(key(session.sessionId), JSON.stringify({ links: session.links, expiresAt: session.expiresAt }));
  } catch {
    // storage full or disabled: the lobby still shows the links once
  }
}

export function hostLinks(sessionId: string): Record<Role, string> | null {
  try {
    const raw = localStorage.getItem(key(sessionId));
    if (!raw) return null;
    const stored = JSON.parse(raw) as { links: Record<Role, string>; expiresAt: string };
    if (Date.parse(stored.expiresAt) < Date.now()) return null;
    return stored.links;
  } catch {
    return null;
  }
}

/** An absolute link for a `/sessions/<id>#token=…` path. */
export function absoluteLink(path: string): string {
  return new URL(path, window.location.origin).toString();
}
