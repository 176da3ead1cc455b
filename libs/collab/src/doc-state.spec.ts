import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { DocState, InvalidUpdateError, mergeInChunks } from './doc-state';

/** Every update `edit` makes on `doc`, in order. */
function record(doc: Y.Doc, edit: () => void): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const listener = (u: Uint8Array) => updates.push(u);
  doc.on('update', listener);
  edit();
  doc.off('update', listener);
  return updates;
}

function decoded(state: DocState<unknown>): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state.encode());
  return doc;
}

const same = (a: Y.Doc, b: Y.Doc) => Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b));

/** A one-item update in Yjs's v1 encoding: a string item of `client` at `clock` with the given origin. */
function craftItem(client: number, clock: number, origin: { client: number; clock: number }): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1); // clients
  encoding.writeVarUint(e, 1); // structs of this client
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, clock);
  encoding.writeUint8(e, 0x80 | 4); // has origin, ContentString
  encoding.writeVarUint(e, origin.client);
  encoding.writeVarUint(e, origin.clock);
  encoding.writeVarString(e, 'x');
  encoding.writeVarUint(e, 0); // empty delete set
  return encoding.toUint8Array(e);
}

describe('DocState', () => {
  it('[DS1] takes new updates, and drops a duplicate, a replay of the whole state and a reconnect’s delete set', () => {
    const doc = new Y.Doc();
    const updates = record(doc, () => {
      doc.getArray('a').push(['x', 'y']);
      doc.getText('t').insert(0, 'hello');
      doc.getText('t').delete(1, 2);
      doc.getMap('m').set('k', 1);
    });
    const state = DocState.empty();
    for (const u of updates) expect(state.apply(u).added).toEqual([u]);
    expect(state.apply(updates[0]).added).toEqual([]);
    expect(state.apply(updates[2]).added).toEqual([]); // a pure deletion, already held
    expect(state.apply(Y.encodeStateAsUpdate(doc)).added).toEqual([]);
    // a client in sync sends its full delete set in sync step 2: nothing new
    expect(state.apply(Y.encodeStateAsUpdate(doc, state.stateVector())).added).toEqual([]);
    expect(same(decoded(state), doc)).toBe(true);
  });

  it('[DS2] a new deletion of known items is new; an overlapping update adds only what is new', () => {
    const doc = new Y.Doc();
    const first = record(doc, () => doc.getText('t').insert(0, 'abcdef'));
    const state = DocState.empty();
    state.apply(first[0]);
    const del = record(doc, () => doc.getText('t').delete(0, 3));
    expect(state.apply(del[0]).added).toHaveLength(1);
    // everything since the start: the insert is known, so only the rest is added
    const more = record(doc, () => doc.getText('t').insert(3, 'XYZ'));
    const overlapping = Y.mergeUpdates([first[0], ...more]);
    const { added } = state.apply(overlapping);
    expect(added).toHaveLength(1);
    expect(added[0].byteLength).toBeLessThan(overlapping.byteLength);
    expect(same(decoded(state), doc)).toBe(true);
  });

  it('[DS8] a replay naming deletions Yjs made without saying so (a map key set concurrently) adds nothing', () => {
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    const state = DocState.empty();
    const [fromA] = record(a, () => a.getMap('m').set('k', 'a'));
    const [fromB] = record(b, () => b.getMap('m').set('k', 'b'));
    state.apply(fromA);
    state.apply(fromB);
    Y.applyUpdate(a, fromB);
    // a's delete set now holds the losing value: no update ever said it was deleted
    expect(state.apply(Y.encodeStateAsUpdate(a)).added).toEqual([]);
    expect(state.apply(Y.encodeStateAsUpdate(a, state.stateVector())).added).toEqual([]);
    expect(same(decoded(state), a)).toBe(true);
  });

  it('[DS3] holds an update whose dependencies are missing and takes it, in order and as its sender’s, once they arrive', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const [u1] = record(a, () => a.getText('t').insert(0, 'one'));
    Y.applyUpdate(b, u1);
    const [u2] = record(b, () => b.getText('t').insert(3, ' two')); // b's item has its origin in a's item
    const [u3] = record(a, () => a.getText('t').insert(0, '>')); // a's second struct: needs its first
    const state = DocState.empty<string>();
    expect(state.apply(u2, 'b')).toEqual({ added: [], origins: [], held: true });
    expect(state.apply(u3, 'a')).toEqual({ added: [], origins: [], held: true });
    expect(state.heldCount).toBe(2);
    expect([state.holds('a'), state.holds('b'), state.holds('c')]).toEqual([true, true, false]);
    const { added, origins } = state.apply(u1, 'c');
    expect(added).toEqual([u1, u2, u3]);
    expect(origins).toEqual(['c', 'b', 'a']);
    expect(state.heldCount).toBe(0);
    expect(state.holds('a')).toBe(false);
    Y.applyUpdate(a, u2);
    expect(same(decoded(state), a)).toBe(true);
  });

  it('[DS4] refuses what Yjs cannot integrate: undecodable bytes, a struct referring to its own future', () => {
    const state = DocState.empty();
    expect(() => state.apply(Uint8Array.of(1, 2, 3))).toThrow(InvalidUpdateError);
    expect(() => state.apply(craftItem(7, 0, { client: 7, clock: 5 }))).toThrow(/refers to 5, not before it/);
    // the same shape pointing at another client's item not yet here is held, not refused
    expect(state.apply(craftItem(7, 0, { client: 8, clock: 0 })).held).toBe(true);
    expect(state.encode().byteLength).toBe(DocState.empty().encode().byteLength);
  });

  it('[DS5] loads from a snapshot plus updates (merged in chunks) and serves a peer exactly what it lacks', () => {
    const doc = new Y.Doc();
    const updates = record(doc, () => {
      for (let i = 0; i < 200; i++) doc.getArray('a').push([i]);
      doc.getArray('a').delete(10, 50);
    });
    const snapshot = mergeInChunks(updates.slice(0, 120));
    const state = DocState.load([snapshot, ...updates.slice(120)]);
    expect(same(decoded(state), doc)).toBe(true);
    expect(state.stateVector()).toEqual(Y.encodeStateVector(doc));
    // everything it holds is a duplicate now
    for (const u of updates) expect(state.apply(u).added).toEqual([]);
    const peer = new Y.Doc();
    Y.applyUpdate(peer, updates[0]);
    Y.applyUpdate(peer, state.diff(Y.encodeStateVector(peer)));
    expect(same(peer, doc)).toBe(true);
  });

  it('[DS6] random delivery (reordered, duplicated, merged) of several writers’ updates: same document, every take adds content', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(2), fc.nat(3), fc.nat(20), fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 30 }),
        fc.array(fc.nat(1000), { minLength: 0, maxLength: 60 }),
        (edits, order) => {
          const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
          const all: Uint8Array[] = [];
          for (const [who, kind, at, value] of edits) {
            const doc = docs[who];
            all.push(
              ...record(doc, () => {
                const t = doc.getText('t');
                if (kind === 0) t.insert(Math.min(at, t.length), value || 'v');
                else if (kind === 1 && t.length > 0) t.delete(at % t.length, 1);
                else if (kind === 2) doc.getMap('m').set(value || 'k', at);
                else doc.getArray('a').push([at]);
              }),
            );
            // writers see each other now and then, so their items depend on each other's
            if (at % 3 === 0) for (const other of docs) Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
          }
          const delivered = [...order.map((i) => all[i % all.length]), ...all.reverse()];
          if (order.length % 2 === 1) delivered.push(Y.mergeUpdates(all.slice(0, 5)));
          const state = DocState.empty();
          const replica = new Y.Doc();
          for (const u of delivered) {
            for (const added of state.apply(u).added) {
              const before = Y.snapshot(replica);
              Y.applyUpdate(replica, added);
              expect(Y.equalSnapshots(before, Y.snapshot(replica))).toBe(false);
            }
          }
          const union = new Y.Doc();
          for (const u of all) Y.applyUpdate(union, u);
          expect(state.heldCount).toBe(0);
          expect(same(decoded(state), union)).toBe(true);
          expect(same(replica, union)).toBe(true);
        },
      ),
      { seed: 20261124, numRuns: 200 },
    );
  });

  it('[DS7] corrupted updates are refused or harmless: whatever is taken, a real Y.Doc integrates without throwing', () => {
    const doc = new Y.Doc();
    const base = record(doc, () => {
      doc.getText('t').insert(0, 'hello world');
      doc.getMap('m').set('k', { nested: [1, 2] });
      doc.getArray('a').push(['x']);
    });
    const [next] = record(doc, () => {
      doc.getText('t').insert(5, ', dear');
      doc.getText('t').delete(0, 1);
      doc.getMap('m').set('j', 'v');
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(next.byteLength - 1), fc.nat(255)), { minLength: 1, maxLength: 4 }), (flips) => {
        const bytes = next.slice();
        for (const [at, value] of flips) bytes[at] = value;
        const state = DocState.empty();
        for (const u of base) state.apply(u);
        const replica = new Y.Doc();
        for (const u of base) Y.applyUpdate(replica, u);
        let added: Uint8Array[] = [];
        try {
          added = state.apply(bytes).added;
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidUpdateError);
          return;
        }
        for (const u of added) expect(() => Y.applyUpdate(replica, u)).not.toThrow();
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});
