import { CollabMessageType, type CollabRefusal, CollabSyncMessageType } from '@hatch/protocol';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { CollabError } from './collab.errors';

/** A y-websocket message a client may send, decoded and bounds-checked. Payloads are copies the caller owns. */
export type ClientMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2'; update: Uint8Array }
  | { type: 'sync-update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' };

const malformed = (reason: string) => new CollabError('MESSAGE_MALFORMED', `not a y-websocket message: ${reason}`);

/**
 * A strict reader over one message. lib0's decoder trusts lengths: a view past the end of a message
 * would read whatever follows it in the underlying (pooled) buffer, so every length is checked here.
 */
class StrictReader {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  varUint(what: string): number {
    let result = 0;
    let multiplier = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.bytes.length) throw malformed(`truncated ${what}`);
      const byte = this.bytes[this.pos++];
      result += (byte & 0x7f) * multiplier;
      if (byte < 0x80) {
        if (result > Number.MAX_SAFE_INTEGER) break;
        return result;
      }
      multiplier *= 128;
    }
    throw malformed(`${what} is out of range`);
  }

  /** A varuint length and that many bytes, copied into an exactly sized buffer. */
  varBytes(what: string): Uint8Array {
    const length = this.varUint(`${what} length`);
    if (length > this.remaining) throw malformed(`${what} is truncated (${length} bytes announced, ${this.remaining} left)`);
    const copy = this.bytes.slice(this.pos, this.pos + length);
    this.pos += length;
    return copy;
  }

  end(): void {
    if (this.remaining !== 0) throw malformed(`${this.remaining} unexpected trailing bytes`);
  }
}

/** Decodes one binary frame from a client. Throws `CollabError('MESSAGE_MALFORMED')`. */
export function decodeClientMessage(data: Uint8Array): ClientMessage {
  const reader = new StrictReader(data);
  const type = reader.varUint('message type');
  let message: ClientMessage;
  switch (type) {
    case CollabMessageType.sync: {
      const subType = reader.varUint('sync message type');
      const payload = reader.varBytes('sync payload');
      if (subType === CollabSyncMessageType.step1) message = { type: 'sync-step1', stateVector: payload };
      else if (subType === CollabSyncMessageType.step2) message = { type: 'sync-step2', update: payload };
      else if (subType === CollabSyncMessageType.update) message = { type: 'sync-update', update: payload };
      else throw malformed(`unknown sync message type ${subType}`);
      break;
    }
    case CollabMessageType.awareness:
      message = { type: 'awareness', update: reader.varBytes('awareness update') };
      break;
    case CollabMessageType.queryAwareness:
      message = { type: 'query-awareness' };
      break;
    default:
      throw malformed(`message type ${type} is not one a client sends`);
  }
  reader.end();
  return message;
}

const invalid = (reason: string, cause?: unknown) => new CollabError('UPDATE_INVALID', reason, { cause });

/** Checks a state vector (sync step 1) is a well-formed list of (client, clock) pairs. */
export function checkStateVector(stateVector: Uint8Array): void {
  try {
    const reader = new StrictReader(stateVector);
    const count = reader.varUint('client count');
    for (let i = 0; i < count; i++) {
      reader.varUint('client id');
      reader.varUint('clock');
    }
    reader.end();
  } catch (error) {
    throw invalid(`the state vector cannot be decoded: ${(error as Error).message}`, error);
  }
}

/**
 * Decodes a Yjs update completely without applying it, so an update Yjs cannot read is refused before
 * it touches the room's document. Returns whether it carries anything (structs or deletions).
 */
export function inspectUpdate(update: Uint8Array): { empty: boolean } {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch (error) {
    throw invalid(`the update cannot be decoded: ${(error as Error).message}`, error);
  }
  return { empty: decoded.structs.length === 0 && decoded.ds.clients.size === 0 };
}

/** Checks an awareness update: entries of (client id, clock, JSON state), nothing after them. */
export function checkAwarenessUpdate(update: Uint8Array): void {
  try {
    const reader = new StrictReader(update);
    const count = reader.varUint('entry count');
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for (let i = 0; i < count; i++) {
      reader.varUint('client id');
      reader.varUint('clock');
      JSON.parse(decoder.decode(reader.varBytes('state')));
    }
    reader.end();
  } catch (error) {
    throw invalid(`the awareness update cannot be decoded: ${(error as Error).message}`, error);
  }
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, CollabMessageType.sync);
    encoding.writeVarUint(e, CollabSyncMessageType.step1);
    encoding.writeVarUint8Array(e, stateVector);
  });

export const encodeSyncStep2 = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, CollabMessageType.sync);
    encoding.writeVarUint(e, CollabSyncMessageType.step2);
    encoding.writeVarUint8Array(e, update);
  });

export const encodeSyncUpdate = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, CollabMessageType.sync);
    encoding.writeVarUint(e, CollabSyncMessageType.update);
    encoding.writeVarUint8Array(e, update);
  });

export const encodeAwarenessMessage = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, CollabMessageType.awareness);
    encoding.writeVarUint8Array(e, update);
  });

export const encodeQueryAwareness = (): Uint8Array => frame((e) => encoding.writeVarUint(e, CollabMessageType.queryAwareness));

/** Hatch's durable acknowledgement (see `CollabMessageType.saved`). */
export const encodeSaved = (seq: number, count: number): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, CollabMessageType.saved);
    encoding.writeVarUint(e, seq);
    encoding.writeVarUint(e, count);
  });

export const encodeRefused = (refusal: CollabRefusal): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, CollabMessageType.refused);
    encoding.writeVarString(e, JSON.stringify(refusal));
  });

/** Reads a `saved` or `refused` message (for clients and tests); undefined for any other type. */
export function decodeHatchMessage(
  data: Uint8Array,
): { type: 'saved'; seq: number; count: number } | { type: 'refused'; refusal: CollabRefusal } | undefined {
  const reader = new StrictReader(data);
  const type = reader.varUint('message type');
  if (type === CollabMessageType.saved) {
    const seq = reader.varUint('seq');
    const count = reader.varUint('count');
    return { type: 'saved', seq, count };
  }
  if (type === CollabMessageType.refused) {
    const text = new TextDecoder().decode(reader.varBytes('refusal'));
    return { type: 'refused', refusal: JSON.parse(text) as CollabRefusal };
  }
  return undefined;
}
