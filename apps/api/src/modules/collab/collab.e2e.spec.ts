import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { CollabCloseCode } from '@hatch/protocol';
import * as encoding from 'lib0/encoding';
import { DataSource } from 'typeorm';
import * as Y from 'yjs';
import type { HatchApp } from '../../app.factory';
import {
  CollabTestClient,
  collabUrl,
  createSession,
  docFromStored,
  openRaw,
  roomDoc,
  sameContent,
  type TestSession,
  waitFor,
} from '../../testing/collab-clients';
import { startTestApp } from '../../testing/test-app';
import { type TestDatabase, testBackends } from '../../testing/test-databases';
import { JOIN_TOKEN_AUDIENCE, JOIN_TOKEN_ISSUER, JoinTokenService } from '../auth/join-token.service';
import { CollabService } from './collab.service';
import { PostgresUpdateStore } from './postgres-update-store';

const syncUpdate = (update: Uint8Array): Uint8Array => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
};

describe.each(testBackends())('Yjs sync endpoint /collab on $name', (backend) => {
  let testDb: TestDatabase;
  let hatch: HatchApp;
  let store: PostgresUpdateStore;
  const clients: CollabTestClient[] = [];

  const client = (session: TestSession, role: keyof TestSession['tokens'] = 'candidate', options = {}) => {
    const c = new CollabTestClient(hatch.url, session.sessionId, session.tokens[role], options);
    clients.push(c);
    return c;
  };
  const rows = async (sessionId: string) =>
    (await hatch.app.get(DataSource).query('SELECT seq FROM document_updates WHERE session_id = $1', [sessionId])).length as number;
  const logDoc = async (sessionId: string) => docFromStored(await store.load(sessionId));
  const rooms = () => hatch.app.get(CollabService).rooms;
  const roomOf = (sessionId: string) => {
    const room = rooms().get(sessionId);
    if (!room) throw new Error(`no room for ${sessionId}`);
    return room;
  };

  beforeAll(async () => {
    testDb = await backend.create();
    hatch = await startTestApp({ ...testDb.env, COLLAB_MAX_MESSAGE_BYTES: '65536', COLLAB_RATE_LIMIT: '40', COLLAB_RATE_BURST: '80' });
    store = hatch.app.get(PostgresUpdateStore);
  });

  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
  });

  afterAll(async () => {
    await hatch?.close();
    await testDb?.dispose();
  });

  it('[W1] two y-websocket clients co-edit and converge; the log rebuilds the same document', async () => {
    const session = await createSession(hatch.url);
    const [a, b] = [client(session, 'candidate'), client(session, 'interviewer')];
    await Promise.all([a.synced(), b.synced()]);
    a.items.push(['customers']);
    b.items.push(['invoices']);
    a.doc.getText('notes').insert(0, 'tenant_id everywhere');
    await waitFor(() => a.items.length === 2 && b.items.length === 2 && b.doc.getText('notes').length > 0);
    await waitFor(() => a.durable && b.durable, 5000, 'durable acks');
    expect(sameContent(a.doc, b.doc)).toBe(true);
    expect(sameContent(a.doc, await logDoc(session.sessionId))).toBe(true);
  });

  it('[W2] five clients converge', async () => {
    const session = await createSession(hatch.url);
    const five = [0, 1, 2, 3, 4].map((i) => client(session, i % 2 ? 'interviewer' : 'candidate'));
    await Promise.all(five.map((c) => c.synced()));
    five.forEach((c, i) => {
      for (let k = 0; k < 5; k++) c.items.push([`c${i}-${k}`]);
      c.doc.getMap('fields').set(`f${i}`, i);
    });
    await waitFor(() => five.every((c) => c.items.length === 25 && c.doc.getMap('fields').size === 5), 8000, 'convergence');
    await waitFor(() => five.every((c) => c.durable), 8000, 'durable acks');
    for (const c of five) expect(sameContent(c.doc, five[0].doc)).toBe(true);
    expect(sameContent(five[0].doc, await logDoc(session.sessionId))).toBe(true);
  });

  it('[W3] a client that goes offline, edits and reconnects merges its offline edits', async () => {
    const session = await createSession(hatch.url);
    const [a, b] = [client(session), client(session, 'interviewer')];
    await Promise.all([a.synced(), b.synced()]);
    a.items.push(['shared']);
    await waitFor(() => b.items.length === 1);
    b.provider.disconnect();
    b.items.push(['offline-1', 'offline-2']);
    a.items.push(['online']);
    b.provider.connect();
    await waitFor(() => a.items.length === 4 && b.items.length === 4, 5000, 'merge');
    await waitFor(() => a.durable && b.durable);
    expect(sameContent(a.doc, b.doc)).toBe(true);
    expect(sameContent(a.doc, await logDoc(session.sessionId))).toBe(true);
  });

  it('[W4] an observer’s writes reach neither the other clients nor the log; it is told why; its awareness shows', async () => {
    const session = await createSession(hatch.url);
    const [writer, observer] = [client(session), client(session, 'observer')];
    await Promise.all([writer.synced(), observer.synced()]);
    writer.items.push(['entity']);
    await waitFor(() => observer.items.length === 1 && writer.durable);
    const before = await rows(session.sessionId);
    observer.provider.awareness.setLocalStateField('user', { name: 'Olga' });
    observer.items.push(['observer-edit']);
    observer.doc.getText('notes').insert(0, 'nope');
    await waitFor(() => observer.refusals.length >= 2, 5000, 'refusals');
    await waitFor(() => writer.provider.awareness.getStates().get(observer.doc.clientID) !== undefined, 5000, 'awareness');
    writer.items.push(['after']);
    await waitFor(() => writer.durable && observer.items.toArray().includes('after'));
    expect(observer.refusals.every((code) => code === 'READ_ONLY')).toBe(true);
    expect(writer.items.toArray()).toEqual(['entity', 'after']);
    expect(writer.doc.getText('notes').toString()).toBe('');
    expect(await rows(session.sessionId)).toBe(before + 1);
    expect((await logDoc(session.sessionId)).getArray('items').toArray()).toEqual(['entity', 'after']);
    expect(observer.closes).toEqual([]);
  });

  it('[W5] refuses bad tokens and unknown sessions with their close codes, after the handshake', async () => {
    const session = await createSession(hatch.url);
    const other = await createSession(hatch.url);
    const tokens = hatch.app.get(JoinTokenService);
    const participantId = JSON.parse(Buffer.from(session.tokens.candidate.split('.')[1], 'base64url').toString()).sub as string;
    const expired = await tokens.sign({ sessionId: session.sessionId, role: 'candidate', participantId }, -60);
    const forged = await new JwtService({ secret: 'f'.repeat(48) }).signAsync(
      { sid: session.sessionId, role: 'interviewer' },
      { subject: participantId, issuer: JOIN_TOKEN_ISSUER, audience: JOIN_TOKEN_AUDIENCE, expiresIn: 3600 },
    );
    const missing = randomUUID();
    const tokenForMissing = await tokens.sign({ sessionId: missing, role: 'candidate', participantId: randomUUID() });
    const strangerToken = await tokens.sign({ sessionId: session.sessionId, role: 'candidate', participantId: randomUUID() });
    const base = collabUrl(hatch.url);
    const cases: Array<[string, number]> = [
      [`${base}/${session.sessionId}`, CollabCloseCode.unauthorized],
      [`${base}/${session.sessionId}?token=${forged}`, CollabCloseCode.unauthorized],
      [`${base}/${session.sessionId}?token=${expired}`, CollabCloseCode.unauthorized],
      [`${base}/${session.sessionId}?token=garbage`, CollabCloseCode.unauthorized],
      [`${base}/${session.sessionId}?token=${strangerToken}`, CollabCloseCode.unauthorized],
      [`${base}/${session.sessionId}?token=${other.tokens.candidate}`, CollabCloseCode.forbidden],
      [`${base}/${missing}?token=${tokenForMissing}`, CollabCloseCode.sessionNotFound],
      [`${base}/not-a-session?token=${session.tokens.candidate}`, CollabCloseCode.sessionNotFound],
      [`${base}/%E0%A4%A?token=${session.tokens.candidate}`, CollabCloseCode.sessionNotFound],
    ];
    const results = await Promise.all(
      cases.map(async ([url]) => {
        const socket = openRaw(url);
        await socket.opened; // the handshake completes, then the close carries the reason
        return (await socket.closed).code;
      }),
    );
    expect(results).toEqual(cases.map(([, code]) => code));
  });

  describe('[W6] bad input: the offender gets its close code, the room and the others carry on, the log is unchanged', () => {
    const undecodable = syncUpdate(Uint8Array.from([1, 1, 200, 1, 0, 9, 9]));
    it.each([
      ['a frame that is not a y-websocket message', (ws: import('ws').WebSocket) => ws.send(Uint8Array.from([7, 7, 7])), CollabCloseCode.badMessage],
      ['a text frame', (ws: import('ws').WebSocket) => ws.send('hello'), CollabCloseCode.badMessage],
      ['a truncated sync message', (ws: import('ws').WebSocket) => ws.send(Uint8Array.from([0, 2, 40, 1])), CollabCloseCode.badMessage],
      ['an update Yjs cannot decode', (ws: import('ws').WebSocket) => ws.send(undecodable), CollabCloseCode.badUpdate],
      ['an over-size message', (ws: import('ws').WebSocket) => ws.send(syncUpdate(new Uint8Array(70_000))), CollabCloseCode.tooLarge],
      [
        'a flood',
        (ws: import('ws').WebSocket) => {
          for (let i = 0; i < 300; i++) ws.send(Uint8Array.from([3]));
        },
        CollabCloseCode.rateLimited,
      ],
    ])('%s', async (_label, misbehave, code) => {
      const session = await createSession(hatch.url);
      const good = client(session);
      await good.synced();
      good.items.push(['before']);
      await waitFor(() => good.durable);
      const before = await rows(session.sessionId);
      const bad = openRaw(`${collabUrl(hatch.url)}/${session.sessionId}?token=${session.tokens.interviewer}`);
      await bad.opened;
      misbehave(bad.ws);
      expect((await bad.closed).code).toBe(code);
      expect(await rows(session.sessionId)).toBe(before);
      const late = client(session, 'interviewer');
      good.items.push(['after']);
      await waitFor(() => late.items.length === 2 && good.durable, 5000, 'the room to carry on');
      expect(good.closes).toEqual([]);
      expect(await rows(session.sessionId)).toBe(before + 1);
    });
  });

  it('[W7] a room whose load fails refuses its clients and never overwrites the stored document', async () => {
    const session = await createSession(hatch.url);
    const writer = client(session);
    await writer.synced();
    writer.items.push(['stored']);
    await waitFor(() => writer.durable);
    writer.provider.disconnect();
    await waitFor(() => rooms().get(session.sessionId) === undefined, 5000, 'unload');
    // a row Yjs cannot read: loading this session fails
    const db = hatch.app.get(DataSource);
    await db.query(`INSERT INTO document_log_heads (session_id, last_seq) VALUES ($1, 2) ON CONFLICT (session_id) DO UPDATE SET last_seq = 2`, [
      session.sessionId,
    ]);
    await db.query(`INSERT INTO document_updates (session_id, seq, update) VALUES ($1, 2, '\\x010101c8010009')`, [session.sessionId]);
    const before = await db.query('SELECT seq, update FROM document_updates WHERE session_id = $1 ORDER BY seq', [session.sessionId]);
    const fresh = client(session, 'interviewer', { doc: new Y.Doc() });
    await waitFor(() => fresh.closes.some((c) => c.code === CollabCloseCode.loadFailed), 5000, 'the refusal');
    fresh.items.push(['would overwrite']);
    await new Promise((r) => setTimeout(r, 300));
    expect(fresh.provider.synced).toBe(false);
    expect(rooms().get(session.sessionId)).toBeUndefined();
    expect(await db.query('SELECT seq, update FROM document_updates WHERE session_id = $1 ORDER BY seq', [session.sessionId])).toEqual(before);
  });

  it('[W8] a room unloaded and loaded again, with a client that kept its copy reconnecting, holds no duplicate', async () => {
    const session = await createSession(hatch.url);
    const a = client(session);
    await a.synced();
    a.items.push(['one', 'two']);
    a.doc.getText('notes').insert(0, 'text');
    await waitFor(() => a.durable);
    a.provider.disconnect();
    await waitFor(() => rooms().get(session.sessionId) === undefined, 5000, 'unload');
    const stored = await rows(session.sessionId);
    a.provider.connect();
    await a.synced();
    await waitFor(() => a.durable);
    const room = roomDoc(roomOf(session.sessionId));
    expect(room.getArray('items').toArray()).toEqual(['one', 'two']);
    expect(room.getText('notes').toString()).toBe('text');
    expect(await rows(session.sessionId)).toBe(stored);
    expect(sameContent(a.doc, await logDoc(session.sessionId))).toBe(true);
  });

  it('[W9] every update delivered twice leaves one log row', async () => {
    const session = await createSession(hatch.url);
    const a = client(session);
    await a.synced();
    const before = await rows(session.sessionId);
    const source = new Y.Doc();
    source.getArray('items').push(['twice']);
    const frame = syncUpdate(Y.encodeStateAsUpdate(source));
    const raw = openRaw(`${collabUrl(hatch.url)}/${session.sessionId}?token=${session.tokens.interviewer}`);
    await raw.opened;
    raw.ws.send(frame);
    raw.ws.send(frame);
    const again = openRaw(`${collabUrl(hatch.url)}/${session.sessionId}?token=${session.tokens.candidate}`);
    await again.opened;
    again.ws.send(frame);
    await waitFor(() => a.items.length === 1);
    await waitFor(() => roomOf(session.sessionId).unsaved === 0);
    await new Promise((r) => setTimeout(r, 100));
    expect(await rows(session.sessionId)).toBe(before + 1);
    raw.ws.close();
    again.ws.close();
  });
});
