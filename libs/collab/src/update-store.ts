/** One row of a session's update log. */
export interface StoredUpdate {
  seq: number;
  update: Uint8Array;
}

/** The document state after every update up to and including `seq`. */
export interface StoredSnapshot {
  seq: number;
  state: Uint8Array;
}

/** What loading a session reads: its newest snapshot (if any) and the updates after it, oldest first. */
export interface StoredDocument {
  snapshot: StoredSnapshot | null;
  updates: StoredUpdate[];
}

export interface AppendRow {
  sessionId: string;
  /** Who made the change; null for changes the server makes itself. */
  participantId: string | null;
  update: Uint8Array;
}

/** Rows written together. `id` makes the append idempotent: retrying a batch that did commit adds nothing. */
export interface AppendBatch {
  id: string;
  rows: readonly AppendRow[];
}

/**
 * Durable storage of sessions' update logs and snapshots. Implementations: `MemoryUpdateStore` (tests),
 * the api's PostgreSQL store. Failures throw; `UpdateStoreError` with `retryable: false` means retrying
 * cannot help (the session is gone), anything else is treated as transient and retried.
 */
export interface UpdateStore {
  load(sessionId: string): Promise<StoredDocument>;
  /**
   * Appends every row in one atomic write and returns the sequence numbers given to them, in row order.
   * A session's rows get consecutive numbers after the session's previous last one. Idempotent by batch id.
   */
  append(batch: AppendBatch): Promise<number[]>;
  /** The updates with seq > `afterSeq`, oldest first (catching up after a missed fan-out message). */
  updatesAfter(sessionId: string, afterSeq: number): Promise<StoredUpdate[]>;
  /** Stores a snapshot; a second snapshot at the same seq is ignored. */
  writeSnapshot(sessionId: string, snapshot: StoredSnapshot): Promise<void>;
}

export class UpdateStoreError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UpdateStoreError';
  }
}

export const isRetryable = (error: unknown): boolean => !(error instanceof UpdateStoreError) || error.retryable;
