/**
 * The Yjs sync endpoint speaks the y-websocket protocol (`y-protocols` sync and awareness messages) at
 * `ws://HOST:PORT/collab/:sessionId?token=JOIN_TOKEN`, so the stock `WebsocketProvider` works unchanged.
 * Hatch adds message types above y-websocket's own (0 sync, 1 awareness, 2 auth, 3 query-awareness);
 * the server sends them only to clients that opt in with `?acks=1`, because a stock client logs unknown types.
 * Full description: docs/collab.md.
 */
export const CollabMessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /**
   * server → client: varuint `seq`, varuint `count`. `count` content messages (sync step 2 and update)
   * this connection has sent are durable in the log; `seq` is the highest sequence number of the
   * session's log the server knows is committed. Sent only after the commit.
   */
  saved: 100,
  /** server → client: a JSON string `{ code, message }` explaining why a message was refused (e.g. read-only role). */
  refused: 101,
} as const;

/** The sub-types of a `sync` message (y-protocols). */
export const CollabSyncMessageType = { step1: 0, step2: 1, update: 2 } as const;

/** Codes of a `refused` message. */
export const CollabRefusalCode = {
  /** The participant's role may not change the document (observer, reviewer). */
  readOnly: 'READ_ONLY',
} as const;

export type CollabRefusalCode = (typeof CollabRefusalCode)[keyof typeof CollabRefusalCode];

export interface CollabRefusal {
  code: CollabRefusalCode;
  message: string;
}

/**
 * WebSocket close codes of the sync endpoint (4000–4999 is the application range). y-websocket's
 * provider treats 4400–4499 as permanent (it stops reconnecting) and every other code as transient.
 */
export const CollabCloseCode = {
  /** Frame is not a valid y-websocket message (unknown type, truncated, trailing bytes, text frame). */
  badMessage: 4400,
  /** Token missing, forged or expired, or naming a participant the session does not have. */
  unauthorized: 4401,
  /** Token valid, but for another session. */
  forbidden: 4403,
  /** No such session. */
  sessionNotFound: 4404,
  /** Message larger than the configured limit (COLLAB_MAX_MESSAGE_BYTES). */
  tooLarge: 4413,
  /** A well-framed sync message whose Yjs update (or state vector, or awareness update) cannot be decoded or applied. */
  badUpdate: 4422,
  /** Client sent faster than the rate limit. */
  rateLimited: 4429,
  /** The room's updates were refused by the log for good (e.g. the session was deleted); reconnect to resync. */
  storeFailed: 4500,
  /** The room could not be loaded from storage (or the database is unreachable); the client should retry later. */
  loadFailed: 4503,
  /** The server is shutting down (standard "going away"). */
  goingAway: 1001,
} as const;

export type CollabCloseCode = (typeof CollabCloseCode)[keyof typeof CollabCloseCode];
