import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { CollabError } from './collab.errors';
import { SeqTracker } from './seq-tracker';
import { TokenBucket } from './token-bucket';
import {
  checkAwarenessUpdate,
  checkStateVector,
  decodeClientMessage,
  decodeHatchMessage,
  encodeAwarenessMessage,
  encodeQueryAwareness,
  encodeRefused,
  encodeSaved,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  inspectUpdate,
} from './y-websocket-codec';

const bytes = (...values: number[]) => Uint8Array.from(values);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof CollabError ? error.code : `not a CollabError: ${String(error)}`;
  }
  return undefined;
}

describe('y-websocket codec', () => {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'hello');
  const update = Y.encodeStateAsUpdate(doc);

  it('[Y1] decodes every client message type and round-trips the encoders', () => {
    const sv = Y.encodeStateVector(doc);
    expect(decodeClientMessage(encodeSyncStep1(sv))).toEqual({ type: 'sync-step1', stateVector: sv });
    expect(decodeClientMessage(encodeSyncStep2(update))).toEqual({ type: 'sync-step2', update });
    expect(decodeClientMessage(encodeSyncUpdate(update))).toEqual({ type: 'sync-update', update });
    expect(decodeClientMessage(encodeAwarenessMessage(bytes(0)))).toEqual({ type: 'awareness', update: bytes(0) });
    expect(decodeClientMessage(encodeQueryAwareness())).toEqual({ type: 'query-awareness' });
    expect(decodeHatchMessage(encodeSaved(2 ** 40, 7))).toEqual({ type: 'saved', seq: 2 ** 40, count: 7 });
    expect(decodeHatchMessage(encodeRefused({ code: 'READ_ONLY', message: 'no' }))).toEqual({
      type: 'refused',
      refusal: { code: 'READ_ONLY', message: 'no' },
    });
  });

  it.each([
    ['an empty frame', bytes()],
    ['an unknown message type', bytes(9)],
    ['an auth message (server to client only)', bytes(2, 0)],
    ['a saved message (server to client only)', bytes(100, 1, 1)],
    ['an unknown sync type', bytes(0, 7, 0)],
    ['a truncated sync message', bytes(0)],
    ['a payload longer than the frame', bytes(0, 2, 50, 1, 2)],
    ['trailing bytes', bytes(3, 3)],
    ['a varuint that never ends', bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)],
  ])('[Y2] refuses %s as MESSAGE_MALFORMED', (_label, frame) => {
    expect(codeOf(() => decodeClientMessage(frame))).toBe('MESSAGE_MALFORMED');
  });

  it('[Y3] never reads past the frame into the rest of a shared buffer', () => {
    // a frame announcing 6 payload bytes but carrying 2, sitting in a larger (pooled) buffer
    const pool = new Uint8Array(64).fill(7);
    pool.set([0, 2, 6, 1, 2], 10);
    const frame = pool.subarray(10, 15);
    expect(codeOf(() => decodeClientMessage(frame))).toBe('MESSAGE_MALFORMED');
    const ok = decodeClientMessage(pool.subarray(10, 13).map((b, i) => (i === 2 ? 0 : b)));
    expect(ok).toEqual({ type: 'sync-update', update: bytes() });
  });

  it('[Y4] inspectUpdate tells empty from content and refuses what Yjs cannot decode', () => {
    expect(inspectUpdate(update)).toEqual({ empty: false });
    expect(inspectUpdate(Y.encodeStateAsUpdate(new Y.Doc()))).toEqual({ empty: true });
    expect(codeOf(() => inspectUpdate(bytes(1, 1, 200, 1, 0, 9, 9)))).toBe('UPDATE_INVALID');
    expect(codeOf(() => inspectUpdate(update.slice(0, update.length - 3)))).toBe('UPDATE_INVALID');
  });

  it('[Y5] checks state vectors and awareness updates strictly', () => {
    expect(codeOf(() => checkStateVector(Y.encodeStateVector(doc)))).toBeUndefined();
    expect(codeOf(() => checkStateVector(bytes(2, 1)))).toBe('UPDATE_INVALID');
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 42);
    encoding.writeVarUint(e, 1);
    encoding.writeVarString(e, '{"user":{"name":"Ada"}}');
    expect(codeOf(() => checkAwarenessUpdate(encoding.toUint8Array(e)))).toBeUndefined();
    const bad = encoding.createEncoder();
    encoding.writeVarUint(bad, 1);
    encoding.writeVarUint(bad, 42);
    encoding.writeVarUint(bad, 1);
    encoding.writeVarString(bad, '{not json');
    expect(codeOf(() => checkAwarenessUpdate(encoding.toUint8Array(bad)))).toBe('UPDATE_INVALID');
  });
});

describe('SeqTracker', () => {
  it('[Q1] tracks the contiguous prefix and the gaps above it', () => {
    const t = new SeqTracker();
    t.reset(10);
    t.add(13, 14);
    expect([t.contiguous, t.highest, t.hasGap, t.has(12), t.has(13), t.has(9)]).toEqual([10, 14, true, false, true, true]);
    t.add(16);
    t.add(11, 12);
    expect([t.contiguous, t.hasGap]).toEqual([14, true]);
    t.add(15);
    expect([t.contiguous, t.highest, t.hasGap]).toEqual([16, 16, false]);
    t.add(3, 5);
    expect(t.contiguous).toBe(16);
  });
});

describe('TokenBucket', () => {
  it('[B1] allows a burst, then the refill rate', () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    expect(bucket.take(50)).toBe(false);
    expect(bucket.take(100)).toBe(true);
    expect(bucket.take(10_000)).toBe(true);
  });
});
