import { CollabCloseCode } from '@hatch/protocol';
import * as Y from 'yjs';
import type { CollabSettingsInput } from './collab-settings';
import { docFromLog, FakeClient, FakeNetwork, roomDoc, sameContent, settle, until } from './fake-client.test-util';
import { MemoryFanoutHub } from './fanout';
import { MemoryUpdateStore } from './memory-update-store';
import { RoomRegistry } from './room-registry';
import { encodeSyncUpdate } from './y-websocket-codec';

const SESSION = 'session-1';

describe('Room', () => {
  let network: FakeNetwork;
  let store: MemoryUpdateStore;
  let registries: RoomRegistry[];
  let clients: FakeClient[];

  const registry = (settings: CollabSettingsInput = {}, fanout?: MemoryFanoutHub, node = 'a') => {
    const r = new RoomRegistry({ store, settings, fanout: fanout?.node(node) });
    registries.push(r);
    return r;
  };
  const client = (role: FakeClient['role'] = 'candidate', acks = true) => {
    const c = new FakeClient(network, SESSION, role, acks);
    clients.push(c);
    return c;
  };
  const items = (c: FakeClient | Y.Doc) => ((c instanceof Y.Doc ? c : c.doc).getArray<string>('items').toArray());
  const push = (c: FakeClient, ...values: string[]) => c.doc.getArray<string>('items').push(values);
  const logDoc = async (session = SESSION) => docFromLog(await store.load(session));
  const roomOf = (rooms: RoomRegistry, session = SESSION) => {
    const room = rooms.get(session);
    if (!room) throw new Error(`no room for ${session}`);
    return room;
  };

  beforeEach(() => {
    network = new FakeNetwork();
    store = new MemoryUpdateStore();
    registries = [];
    clients = [];
  });

  afterEach(async () => {
    for (const c of clients) c.destroy();
    await Promise.all(registries.map((r) => r.close(1000)));
  });

  it('[C1] two clients converge through the room; the log rebuilds the same document', async () => {
    const rooms = registry();
    const [a, b] = [client().connect(rooms), client().connect(rooms)];
    push(a, 'a1');
    push(b, 'b1');
    a.doc.getText('t').insert(0, 'hello');
    await settle(network, registries);
    expect(items(a).sort()).toEqual(['a1', 'b1']);
    expect(sameContent(a.doc, b.doc)).toBe(true);
    expect(sameContent(a.doc, roomDoc(roomOf(rooms)))).toBe(true);
    expect(sameContent(a.doc, await logDoc())).toBe(true);
    expect(store.rows(SESSION).map((r) => r.participantId)).toEqual(
      expect.arrayContaining([a.participantId, b.participantId]),
    );
  });

  it('[C2] relays before the commit and acknowledges only after it, counting the sender’s messages', async () => {
    const rooms = registry();
    const [a, b] = [client().connect(rooms), client().connect(rooms)];
    await settle(network, registries);
    store.latencyMs = 80;
    push(a, 'x');
    await until(() => items(b).includes('x'), 1000, 'relay');
    expect(store.rows(SESSION)).toHaveLength(0); // relayed, not yet committed
    expect(a.durable).toBe(false);
    await until(() => a.durable, 2000, 'ack');
    expect(store.rows(SESSION)).toHaveLength(1);
    expect(a.saved).toEqual({ seq: 1, count: a.sentContent });
  });

  it('[C3] group commit: a burst costs few appends; seqs are consecutive and in order', async () => {
    const rooms = registry();
    const a = client().connect(rooms);
    await settle(network, registries);
    store.latencyMs = 5;
    const before = store.appendCommits;
    for (let i = 0; i < 60; i++) push(a, `v${i}`);
    await until(() => a.durable, 3000, 'ack');
    expect(store.appendCommits - before).toBeLessThanOrEqual(5);
    expect(store.rows(SESSION).map((r) => r.seq)).toEqual(store.rows(SESSION).map((_, i) => i + 1));
    expect(items(await logDoc())).toEqual(items(a));
  });

  it('[C4] an update delivered twice (same connection, or another one) leaves one log row', async () => {
    const rooms = registry();
    const [a, b] = [client().connect(rooms), client().connect(rooms)];
    await settle(network, registries);
    const other = new Y.Doc();
    other.getArray('items').push(['dup']);
    const update = Y.encodeStateAsUpdate(other);
    a.sendUpdate(update);
    a.sendUpdate(update);
    b.sendUpdate(update);
    await settle(network, registries);
    expect(store.rows(SESSION)).toHaveLength(1);
    expect(items(b)).toEqual(['dup']);
    expect(a.saved?.count).toBe(a.sentContent);
    expect(b.saved?.count).toBe(b.sentContent);
  });

  it('[C5] an observer’s writes reach neither the others nor the log; it is told why; its awareness shows', async () => {
    const rooms = registry();
    const writer = client().connect(rooms);
    const observer = client('observer').connect(rooms);
    await settle(network, registries);
    push(writer, 'w');
    observer.awareness.setLocalStateField('user', { name: 'Olga' });
    push(observer, 'sneaky');
    await settle(network, registries);
    expect(items(writer)).toEqual(['w']);
    expect(items(roomDoc(roomOf(rooms)))).toEqual(['w']);
    expect(store.rows(SESSION)).toHaveLength(1);
    expect(observer.refusals).toEqual(['READ_ONLY']);
    expect(observer.closedWith).toBeUndefined();
    expect(writer.awareness.getStates().get(observer.doc.clientID)).toEqual({ user: { name: 'Olga' } });
  });

  it.each([
    ['a frame that is not a y-websocket message', () => Uint8Array.from([9, 9, 9]), CollabCloseCode.badMessage],
    ['an update Yjs cannot decode', () => encodeSyncUpdate(Uint8Array.from([1, 1, 200, 1, 0, 9, 9])), CollabCloseCode.badUpdate],
    ['an over-size message', () => encodeSyncUpdate(new Uint8Array(5000)), CollabCloseCode.tooLarge],
  ])('[C6] %s closes that connection with its code; the room and the others carry on; the log is unchanged', async (_l, frame, code) => {
    const rooms = registry({ limits: { maxMessageBytes: 4096 } });
    const [a, bad] = [client().connect(rooms), client().connect(rooms)];
    push(a, 'before');
    await settle(network, registries);
    const rows = store.rows(SESSION).length;
    bad.sendRaw(frame());
    await settle(network, registries);
    expect(bad.closedWith?.code).toBe(code);
    expect(store.rows(SESSION)).toHaveLength(rows);
    const c = client().connect(rooms);
    push(a, 'after');
    await settle(network, registries);
    expect(items(c)).toEqual(['before', 'after']);
    expect(a.closedWith).toBeUndefined();
  });

  it('[C6] a flood closes the connection with the rate-limit code', async () => {
    const rooms = registry({ limits: { ratePerSecond: 10, rateBurst: 20 } });
    const [a, flooder] = [client().connect(rooms), client().connect(rooms)];
    await settle(network, registries);
    for (let i = 0; i < 40; i++) flooder.sendRaw(Uint8Array.from([3]));
    await settle(network, registries);
    expect(flooder.closedWith?.code).toBe(CollabCloseCode.rateLimited);
    push(a, 'still here');
    await settle(network, registries);
    expect(a.durable).toBe(true);
  });

  it('[C7] a room whose load fails refuses its clients and is forgotten; the stored history is untouched', async () => {
    const seedRooms = registry();
    const seed = client().connect(seedRooms);
    push(seed, 'stored');
    await settle(network, registries);
    seed.disconnect();
    await settle(network, registries);
    expect(seedRooms.size).toBe(0);

    const rooms = registry();
    store.inject('load', { kind: 'fail', retryable: true });
    const [a, b] = [client().connect(rooms), client().connect(rooms)];
    push(a, 'typed while refused');
    await settle(network, registries);
    expect([a.closedWith?.code, b.closedWith?.code]).toEqual([CollabCloseCode.loadFailed, CollabCloseCode.loadFailed]);
    expect(rooms.size).toBe(0);
    expect(store.rows(SESSION)).toHaveLength(1);

    const c = client().connect(rooms);
    await settle(network, registries);
    expect(items(c)).toEqual(['stored']);
  });

  it('[C8] clients joining while the room loads share one load', async () => {
    const rooms = registry();
    const load = jest.spyOn(store, 'load');
    store.latencyMs = 20;
    const joined = [client(), client(), client()].map((c) => c.connect(rooms));
    push(joined[0], 'early');
    await settle(network, registries);
    expect(load).toHaveBeenCalledTimes(1);
    for (const c of joined) expect(items(c)).toEqual(['early']);
  });

  it('[C9] unloads when the last client leaves and everything is written (memory released)', async () => {
    const unloaded: string[] = [];
    const rooms = new RoomRegistry({ store, hooks: { onUnload: (id) => unloaded.push(id) } });
    registries.push(rooms);
    const a = client().connect(rooms);
    push(a, 'x');
    await settle(network, registries);
    const room = roomOf(rooms);
    a.disconnect();
    await settle(network, registries);
    expect(rooms.size).toBe(0);
    expect(room.state).toBe('closed');
    expect(unloaded).toEqual([SESSION]);
    expect(room.stateBytes).toBeLessThan(64); // the document's bytes were let go
  });

  it('[C10] database outage: keeps editing and relaying, stops acknowledging, writes everything once when back', async () => {
    const rooms = registry({ commit: { retryInitialMs: 5, retryMaxMs: 20 } });
    const [a, b] = [client().connect(rooms), client().connect(rooms)];
    push(a, 'before');
    await settle(network, registries);
    const ackedBefore = a.saved?.count;
    store.breakOperation('append');
    for (let i = 0; i < 10; i++) push(i % 2 ? a : b, `during-${i}`);
    await until(() => items(b).length === 11, 1000, 'relay during outage');
    await new Promise((r) => setTimeout(r, 60));
    expect(a.saved?.count).toBe(ackedBefore);
    expect(rooms.stats()).toMatchObject({ unsaved: 10, storeFailing: true });
    // the reply of the first write after the outage is lost: the retry must not write it twice
    store.heal();
    store.inject('append', { kind: 'commit-then-fail' });
    await until(() => a.durable && b.durable, 3000, 'acks after the outage');
    expect(store.rows(SESSION)).toHaveLength(11);
    expect(items(await logDoc())).toEqual(items(a));
    a.disconnect();
    b.disconnect();
    await settle(network, registries);
    expect(rooms.size).toBe(0);
  });

  it('[C11] a failing store never leaks the room: it unloads as soon as the rows are written', async () => {
    const rooms = registry({ commit: { retryInitialMs: 5, retryMaxMs: 10 } });
    const a = client().connect(rooms);
    await settle(network, registries);
    store.breakOperation('append');
    push(a, 'unsaved');
    await until(() => rooms.stats().unsaved === 1);
    a.disconnect();
    await new Promise((r) => setTimeout(r, 40));
    expect(rooms.size).toBe(1); // kept: its row is not written yet
    store.heal();
    await until(() => rooms.size === 0, 1000, 'unload after the write');
    expect(store.rows(SESSION)).toHaveLength(1);
  });

  it('[C11] a store that refuses a session for good closes its clients and releases the room', async () => {
    const rooms = registry();
    const [a, other] = [client().connect(rooms), new FakeClient(network, 'session-2').connect(rooms)];
    clients.push(other);
    await settle(network, registries);
    store.rejectSession(SESSION);
    push(a, 'refused');
    other.doc.getArray('items').push(['fine']);
    await settle(network, registries);
    expect(a.closedWith?.code).toBe(CollabCloseCode.storeFailed);
    expect(rooms.get(SESSION)).toBeUndefined();
    expect(store.rows('session-2')).toHaveLength(1);
    expect(other.durable).toBe(true);
  });

  it('[C12] snapshots every N updates; a load reads the newest snapshot and the updates after it', async () => {
    const rooms = registry({ snapshots: { everyUpdates: 5, intervalMs: 60_000 } });
    const a = client().connect(rooms);
    for (let i = 0; i < 12; i++) {
      push(a, `v${i}`);
      await settle(network, registries, 1);
    }
    await settle(network, registries);
    await rooms.settled();
    const snapshots = store.snapshots(SESSION).map((s) => s.seq);
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
    for (const snapshot of store.snapshots(SESSION)) expect(items(docFromLog({ snapshot, updates: [] }))).toHaveLength(snapshot.seq);
    const loaded = await store.load(SESSION);
    expect(loaded.updates.every((u) => u.seq > (loaded.snapshot?.seq ?? Infinity))).toBe(true);
    expect(items(docFromLog(loaded))).toEqual(items(a));
  });

  it('[C12] snapshots after the interval, and once more on unload', async () => {
    const rooms = registry({ snapshots: { everyUpdates: 1000, intervalMs: 30 } });
    const a = client().connect(rooms);
    push(a, 'one');
    await settle(network, registries);
    await until(() => store.snapshots(SESSION).length === 1, 1000, 'interval snapshot');
    push(a, 'two');
    await settle(network, registries);
    a.disconnect();
    await settle(network, registries);
    await rooms.settled();
    expect(store.snapshots(SESSION).map((s) => s.seq)).toEqual([1, 2]);
  });

  it('[C13] unloaded and loaded again, a client that kept its copy reconnects without duplicating anything', async () => {
    const rooms = registry({ snapshots: { everyUpdates: 2, intervalMs: 60_000 } });
    const a = client().connect(rooms);
    push(a, 'a', 'b');
    a.doc.getText('t').insert(0, 'text');
    push(a, 'c');
    await settle(network, registries);
    a.disconnect();
    await settle(network, registries);
    expect(rooms.size).toBe(0);
    const rows = store.rows(SESSION).length;
    push(a, 'offline');
    a.connect(rooms);
    await settle(network, registries);
    const doc = roomDoc(roomOf(rooms));
    expect(items(doc)).toEqual(['a', 'b', 'c', 'offline']);
    expect(doc.getText('t').toString()).toBe('text');
    expect(store.rows(SESSION)).toHaveLength(rows + 1);
    expect(sameContent(doc, await logDoc())).toBe(true);
  });

  it('[C14] two processes share a session through the fan-out; each update is logged once, by its origin', async () => {
    const hub = new MemoryFanoutHub();
    const [one, two] = [registry({}, hub, 'one'), registry({}, hub, 'two')];
    const [a, b] = [client().connect(one), client().connect(two)];
    push(a, 'from-one');
    push(b, 'from-two');
    b.awareness.setLocalStateField('user', 'Bea');
    await settle(network, registries);
    await until(() => items(a).length === 2 && items(b).length === 2, 1000, 'convergence');
    expect(sameContent(a.doc, b.doc)).toBe(true);
    expect(store.rows(SESSION)).toHaveLength(2);
    expect(a.awareness.getStates().get(b.doc.clientID)).toEqual({ user: 'Bea' });

    // a lost message is repaired from the log (the gap shows at the next message, or a head)
    hub.dropping = true;
    push(a, 'lost-on-the-bus');
    await settle(network, registries);
    hub.dropping = false;
    push(a, 'next');
    await until(() => items(b).includes('lost-on-the-bus') && items(b).includes('next'), 2000, 'catch-up');
    hub.dropping = true;
    push(a, 'lost-again');
    await settle(network, registries);
    hub.dropping = false;
    hub.resync();
    await until(() => items(b).includes('lost-again'), 2000, 'resync');
    expect(store.rows(SESSION)).toHaveLength(5);
    expect(sameContent(a.doc, await logDoc())).toBe(true);
  });

  /** Two updates of one writer, the second depending on the first (as a tab gets them over BroadcastChannel). */
  const dependentPair = (): [Uint8Array, Uint8Array] => {
    const writer = new Y.Doc();
    const updates: Uint8Array[] = [];
    writer.on('update', (u: Uint8Array) => updates.push(u));
    writer.getArray<string>('items').push(['first']);
    writer.getArray<string>('items').push(['second']);
    writer.destroy();
    return [updates[0], updates[1]];
  };

  it('[C17] an update held for a missing dependency is acknowledged only once it is applied and written, as its sender’s', async () => {
    const rooms = registry();
    const [a, b] = [client().connect(rooms), client().connect(rooms)];
    await settle(network, registries);
    const [first, second] = dependentPair();
    b.sendUpdate(second);
    push(b, 'after'); // b's next message: its ack waits behind the held one
    await settle(network, registries);
    expect(store.rows(SESSION)).toHaveLength(1); // 'after' only
    expect(b.saved?.count ?? 0).toBeLessThan(b.sentContent);
    expect(items(a)).toEqual(['after']);
    Y.applyUpdate(a.doc, first); // a gets it too, and sends it on
    await until(() => b.durable, 2000, 'b’s acks');
    expect(store.rows(SESSION).map((r) => r.participantId)).toEqual([b.participantId, a.participantId, b.participantId]);
    expect(items(a)).toEqual(expect.arrayContaining(['first', 'second', 'after'])); // b's held update was relayed once taken
    expect(sameContent(roomDoc(roomOf(rooms)), await logDoc())).toBe(true);
  });

  it('[C18] a client’s held update unblocked by another process’s update is logged by its own process and acknowledged', async () => {
    const hub = new MemoryFanoutHub();
    const [one, two] = [registry({}, hub, 'one'), registry({}, hub, 'two')];
    const [a, b] = [client().connect(one), client().connect(two)];
    await settle(network, registries);
    const [first, second] = dependentPair();
    b.sendUpdate(second);
    await settle(network, registries);
    expect(store.rows(SESSION)).toHaveLength(0);
    expect(b.durable).toBe(false);
    Y.applyUpdate(a.doc, first); // a sends it: logged by process one, it reaches two through the fan-out and unblocks b's update there
    await until(() => b.durable, 2000, 'b’s ack');
    expect(store.rows(SESSION).map((r) => r.participantId)).toEqual([a.participantId, b.participantId]);
    expect(items(await logDoc())).toEqual(['first', 'second']);
    await until(() => items(a).length === 2, 2000, 'a gets b’s update');
  });

  it('[C16] hooks: onLoad may seed the document (logged as the server’s), onChange and onSaved follow each change', async () => {
    const changes: string[] = [];
    const saved: number[] = [];
    const rooms = new RoomRegistry({
      store,
      hooks: {
        onLoad: (room) =>
          room.edit((doc) => {
            if (doc.getArray('items').length === 0) doc.getArray('items').push(['seeded']);
          }),
        onChange: (_room, _update, source) => changes.push(source),
        onSaved: (_room, seq) => saved.push(seq),
        canWrite: (participant) => participant.role !== 'interviewer',
      },
    });
    registries.push(rooms);
    const [a, interviewer] = [client().connect(rooms), client('interviewer').connect(rooms)];
    push(a, 'typed');
    push(interviewer, 'refused by the canWrite hook');
    await settle(network, registries);
    expect(items(a).sort()).toEqual(['seeded', 'typed']); // concurrent inserts: Yjs orders them by client id
    expect(new Set(interviewer.refusals)).toEqual(new Set(['READ_ONLY']));
    expect(store.rows(SESSION).map((r) => r.participantId)).toEqual([null, a.participantId]);
    expect(changes).toEqual(['local', 'local']);
    expect(saved.at(-1)).toBe(2);
  });

  it('[C15] shutdown writes what is pending, closes clients with 1001 and unloads', async () => {
    const rooms = new RoomRegistry({ store });
    const a = client().connect(rooms);
    await settle(network, registries);
    store.latencyMs = 30;
    push(a, 'last words');
    await until(() => rooms.stats().unsaved === 1);
    expect(await rooms.close(2000)).toBe(0);
    await settle(network);
    expect(a.closedWith?.code).toBe(1001);
    expect(rooms.size).toBe(0);
    expect(store.rows(SESSION)).toHaveLength(1);
  });
});
