/**
 * The Yjs sync endpoint speaks the y-websocket protocol (`y-protocols` sync and awareness messages) at
 * `ws://HOST:PORT/collab/:sessionId?token=JOIN_TOKEN`, so the stock `WebsocketProvider` works unchanged.
 * Hatch adds message types above y-websocket's own (0 sync, 1 awareness, 2 auth, 3 query-awareness);
 * the server sends them only to clients that opt in with `?acks=1`, because a stock client logs unknown types.
 */
export const CollabMessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** server → client: varuint `seq`, the last update of this session that is durable in the log. */
  saved: 100,
  /** server → client: a JSON `{ code, message }` explaining why a message was refused (e.g. read-only role). */
  refused: 101,
} as const;

/** WebSocket close codes of the sync endpoint (4000–4999 is the application range). */
export const CollabCloseCode = {
  /** Frame is not a valid y-websocket message, or carries an update Yjs cannot decode. */
  badMessage: 4400,
  /** Token missing, forged or expired. */
  unauthorized: 4401,
  /** Token valid, but for another session. */
  forbidden: 4403,
  /** No such session. */
  sessionNotFound: 4404,
  /** Message larger than the configured limit. */
  tooLarge: 4413,
  /** Client sent faster than the rate limit. */
  rateLimited: 4429,
  /** The room could not be loaded from storage; the client should retry later. */
  loadFailed: 4503,
} as const;

export type CollabCloseCode = (typeof CollabCloseCode)[keyof typeof CollabCloseCode];
