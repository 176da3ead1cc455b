import { CollabCloseCode } from '@hatch/protocol';

/** Why the room closed a connection or refused to serve it. Each maps to one close code (`closeCodeFor`). */
export const COLLAB_ERROR_CODES = [
  'MESSAGE_MALFORMED',
  'UPDATE_INVALID',
  'MESSAGE_TOO_LARGE',
  'RATE_LIMITED',
  'ROOM_LOAD_FAILED',
  'STORE_REJECTED',
  'SHUTTING_DOWN',
] as const;

export type CollabErrorCode = (typeof COLLAB_ERROR_CODES)[number];

export class CollabError extends Error {
  constructor(
    readonly code: CollabErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CollabError';
  }
}

const CLOSE_CODES: Record<CollabErrorCode, number> = {
  MESSAGE_MALFORMED: CollabCloseCode.badMessage,
  UPDATE_INVALID: CollabCloseCode.badUpdate,
  MESSAGE_TOO_LARGE: CollabCloseCode.tooLarge,
  RATE_LIMITED: CollabCloseCode.rateLimited,
  ROOM_LOAD_FAILED: CollabCloseCode.loadFailed,
  STORE_REJECTED: CollabCloseCode.storeFailed,
  SHUTTING_DOWN: CollabCloseCode.goingAway,
};

/** The WebSocket close code for a room error: the one place codes map to the wire. */
export function closeCodeFor(code: CollabErrorCode): number {
  return CLOSE_CODES[code];
}

/** A close reason fits in a control frame (123 bytes of UTF-8): cut longer messages. */
export function closeReason(message: string): string {
  const bytes = new TextEncoder().encode(message);
  if (bytes.length <= 123) return message;
  let cut = message.slice(0, 120);
  while (new TextEncoder().encode(`${cut}…`).length > 123) cut = cut.slice(0, -1);
  return `${cut}…`;
}
