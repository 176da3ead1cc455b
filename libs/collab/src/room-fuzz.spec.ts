import fc from 'fast-check';
import * as Y from 'yjs';
import { docFromLog, FakeClient, roomDoc, FakeNetwork, sameContent, settle, until } from './fake-client.test-util';
import { MemoryFanoutHub } from './fanout';
import { MemoryUpdateStore } from './memory-update-store';
import { RoomRegistry } from './room-registry';

const SESSION = 'fuzz';
const WRITERS = 4;

type Op =
  | { op: 'push'; who: number; value: string }
  | { op: 'text'; who: number; at: number; value: string }
  | { op: 'erase'; who: number; at: number }
  | { op: 'set'; who: number; key: string; value: number }
  | { op: 'disconnect'; who: number }
  | { op: 'connect'; who: number }
  | { op: 'replay'; who: number }
  | { op: 'observer-edit' }
  | { op: 'outage'; on: boolean }
  | { op: 'bus-loss'; on: boolean }
  | { op: 'wait'; ms: number };

const who = fc.integer({ min: 0, max: WRITERS - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('push' as const), who, value: fc.string({ maxLength: 4 }) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('text' as const), who, at: fc.nat(50), value: fc.string({ minLength: 1, maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('erase' as const), who, at: fc.nat(50) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('set' as const), who, key: fc.constantFrom('a', 'b', 'c'), value: fc.integer() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('disconnect' as const), who }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('connect' as const), who }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('replay' as const), who }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('observer-edit' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('outage' as const), on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('bus-loss' as const), on: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 4 }) }) },
);

/** True when every row of the log adds something to the document rebuilt from the rows before it. */
function everyRowAddsContent(rows: ReadonlyArray<{ update: Uint8Array }>): boolean {
  const doc = new Y.Doc();
  return rows.every(({ update }) => {
    const before = Y.snapshot(doc);
    Y.applyUpdate(doc, update);
    return !Y.equalSnapshots(before, Y.snapshot(doc));
  });
}

// tldraw's syncFuzz idea: random edits, disconnects, replays, outages and lost bus messages over two
// processes; afterwards every writer, every process and the log hold the same document, the log holds
// no row twice, and nothing an observer typed got in.
describe('Room fuzz', () => {
  it('[F1] random operations with disconnects, replays, outages and bus losses converge; log = document', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 10, maxLength: 60 }), async (ops) => {
        const network = new FakeNetwork();
        const store = new MemoryUpdateStore();
        const hub = new MemoryFanoutHub();
        const settings = { commit: { retryInitialMs: 1, retryMaxMs: 5 }, snapshots: { everyUpdates: 7, intervalMs: 60_000 }, catchUpDelayMs: 5 };
        const registries = ['one', 'two'].map((node) => new RoomRegistry({ store, fanout: hub.node(node), settings }));
        const writers = Array.from({ length: WRITERS }, () => new FakeClient(network, SESSION));
        const observer = new FakeClient(network, SESSION, 'observer');
        const home = (i: number) => registries[i % 2];
        try {
          writers.forEach((c, i) => c.connect(home(i)));
          observer.connect(registries[1]);
          for (const step of ops) {
            switch (step.op) {
              case 'push':
                writers[step.who].doc.getArray('items').push([step.value]);
                break;
              case 'text': {
                const text = writers[step.who].doc.getText('t');
                text.insert(Math.min(step.at, text.length), step.value);
                break;
              }
              case 'erase': {
                const text = writers[step.who].doc.getText('t');
                if (text.length > 0) text.delete(step.at % text.length, 1);
                break;
              }
              case 'set':
                writers[step.who].doc.getMap('m').set(step.key, step.value);
                break;
              case 'disconnect':
                writers[step.who].disconnect();
                break;
              case 'connect':
                writers[step.who].connect(home(step.who));
                break;
              case 'replay':
                writers[step.who].sendUpdate(Y.encodeStateAsUpdate(writers[step.who].doc));
                break;
              case 'observer-edit':
                observer.doc.getArray('items').push(['observer']);
                break;
              case 'outage':
                if (step.on) store.breakOperation('append');
                else store.heal('append');
                break;
              case 'bus-loss':
                hub.dropping = step.on;
                break;
              case 'wait':
                await new Promise((r) => setTimeout(r, step.ms));
                break;
            }
          }
          store.heal();
          hub.dropping = false;
          writers.forEach((c, i) => c.connect(home(i)));
          await settle(network, registries);
          hub.resync();
          await until(() => writers.every((c) => sameContent(c.doc, writers[0].doc)), 3000, 'writers to converge');
          await settle(network, registries);

          const log = docFromLog(await store.load(SESSION));
          for (const registry of registries) expect(sameContent(roomDoc(registry.get(SESSION) ?? { encodeState: () => Y.encodeStateAsUpdate(new Y.Doc()) }), log)).toBe(true);
          for (const c of writers) expect(sameContent(c.doc, log)).toBe(true);
          expect(everyRowAddsContent(store.rows(SESSION))).toBe(true);
          expect(Y.decodeStateVector(Y.encodeStateVector(log)).has(observer.doc.clientID)).toBe(false);
          expect(writers.every((c) => c.durable)).toBe(true);
        } finally {
          for (const c of [...writers, observer]) c.destroy();
          await Promise.all(registries.map((r) => r.close(1000)));
        }
      }),
      { seed: 20251123, numRuns: 40 },
    );
  });
});
