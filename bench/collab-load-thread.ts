/**
 * One load thread of bench/collab-load.bench.ts: connects its share of the rooms' clients, and on `go`
 * has them append `clientId|sendTime` to their room's log array at its share of the rate. A room's
 * clients all live in one thread, so send and receive times come from the same clock. Samples count
 * from the end of the warm-up; the thread reports them once every client has every update (and acks).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import * as Y from 'yjs';
import { type BenchClient, type BenchRoom, type TargetName, targets } from './collab-clients';

export interface LoadThreadData {
  target: TargetName;
  port: number;
  rooms: BenchRoom[];
  perRoom: number;
  firstClientId: number;
  /** Updates per second this thread sends. */
  rate: number;
  warmupMs: number;
  seconds: number;
}

export type LoadThreadMessage =
  | { type: 'ready' }
  /** The measured window starts (the warm-up is over). */
  | { type: 'measuring' }
  /** Every update is sent. */
  | { type: 'sent' }
  | { type: 'result'; /** Updates sent in the measured window. */ sent: number; fanout: number[]; acks: number[]; dropped: number; loopP99: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}

/**
 * The log entries a remote transaction added: the items in the clock ranges it added. (`event.changes`
 * walks the whole array on every event: with it, the clients' own cost grew with the log and took a
 * tenth of their CPU.)
 */
function addedEntries(tx: Y.Transaction): string[] {
  const entries: string[] = [];
  tx.afterState.forEach((after, client) => {
    const before = tx.beforeState.get(client) ?? 0;
    const structs = tx.doc.store.clients.get(client) ?? [];
    for (let i = structs.length - 1; i >= 0 && after > before && structs[i].id.clock + structs[i].length > before; i--) {
      const struct = structs[i];
      if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentAny)) continue;
      for (const value of struct.content.getContent().slice(Math.max(0, before - struct.id.clock))) {
        if (typeof value === 'string') entries.push(value);
      }
    }
  });
  return entries;
}

async function main(data: LoadThreadData, port: NonNullable<typeof parentPort>): Promise<void> {
  const post = (message: LoadThreadMessage) => port.postMessage(message);
  const target = targets[data.target](data.port);
  let nextId = data.firstClientId;
  const groups: BenchClient[][] = data.rooms.map((room) => Array.from({ length: data.perRoom }, (_, k) => target.client(nextId++, room, k)));
  const all = groups.flat();
  await Promise.all(all.map((c) => c.synced));
  await sleep(500);

  const fanout: number[] = [];
  const acks: number[] = [];
  let measureFrom = Infinity;
  const pushedPerRoom = new Array<number>(groups.length).fill(0);
  for (const c of all) {
    c.doc.on('afterTransaction', (tx: Y.Transaction) => {
      if (tx.local) return;
      const now = performance.now();
      for (const entry of addedEntries(tx)) {
        const sentAt = Number(entry.split('|')[1]);
        if (sentAt >= measureFrom) fanout.push(now - sentAt);
      }
    });
  }
  const pending = new Map<BenchClient, Array<{ index: number; t: number }>>();
  if (target.acks) {
    for (const c of all) {
      const queue: Array<{ index: number; t: number }> = [];
      pending.set(c, queue);
      c.onSaved = (count) => {
        const now = performance.now();
        while (queue.length > 0 && queue[0].index <= count) {
          const { t } = queue.shift() as { t: number };
          if (t >= measureFrom) acks.push(now - t);
        }
      };
    }
  }

  post({ type: 'ready' });
  await new Promise<void>((resolve) => port.once('message', () => resolve())); // go
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const start = performance.now();
  const end = start + data.warmupMs + data.seconds * 1000;
  let sent = 0;
  let measured = 0;
  let cursor = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      if (measureFrom === Infinity && now - start >= data.warmupMs) {
        measureFrom = now;
        loop.enable();
        post({ type: 'measuring' });
      }
      if (now >= end) {
        clearInterval(timer);
        resolve();
        return;
      }
      const due = Math.floor(((now - start) * data.rate) / 1000) - sent;
      for (let i = 0; i < due; i++) {
        const c = all[cursor];
        const room = Math.floor(cursor / data.perRoom);
        cursor = (cursor + 1) % all.length;
        const t = performance.now();
        c.doc.getArray<string>('log').push([`${c.id}|${t.toFixed(3)}`]);
        pushedPerRoom[room]++;
        pending.get(c)?.push({ index: c.sentIndex(), t });
        sent++;
        if (t >= measureFrom) measured++;
      }
    }, 5);
  });
  loop.disable();
  post({ type: 'sent' });
  await waitFor(() => groups.every((g, r) => g.every((c) => c.doc.getArray('log').length >= pushedPerRoom[r])), 10_000);
  if (target.acks) await waitFor(() => [...pending.values()].every((q) => q.length === 0), 10_000);
  const dropped = groups.reduce((sum, g, r) => sum + g.reduce((s, c) => s + Math.max(0, pushedPerRoom[r] - c.doc.getArray('log').length), 0), 0);
  for (const c of all) c.destroy();
  post({ type: 'result', sent: measured, fanout, acks, dropped, loopP99: loop.percentile(99) / 1e6 });
}

if (parentPort) {
  const port = parentPort;
  process.setMaxListeners(0); // every y-websocket provider listens to process 'exit'
  main(workerData as LoadThreadData, port).catch((error: unknown) => {
    throw error;
  });
}
