import * as Y from 'yjs';

/** How many updates one `Y.mergeUpdates` call takes at most: merging a long list at once is superlinear. */
const MERGE_CHUNK = 32;
/** Tail bytes after which the tail is merged into the base even without a join or a snapshot asking. */
const MAX_TAIL_BYTES = 1024 * 1024;
/** Updates held for missing dependencies, at most: beyond that the oldest is dropped (a broken client). */
const MAX_PENDING = 1000;

interface DeleteItem {
  clock: number;
  len: number;
}
type DeleteSet = ReturnType<typeof Y.createDeleteSet> & { clients: Map<number, DeleteItem[]> };

/** A struct as `Y.decodeUpdate` reads it: an Item, a GC or a Skip (a gap in a merged update). */
interface DecodedStruct {
  id: Y.ID;
  length: number;
  origin?: Y.ID | null;
  rightOrigin?: Y.ID | null;
  parent?: Y.ID | string | null | object;
}

/** Why an update cannot become part of a document (the caller turns it into a close code). */
export class InvalidUpdateError extends Error {}

/** What applying one update did. */
export interface ApplyResult<O> {
  /** The updates the document now holds and did not before, in order (this one, then any it unblocked). */
  added: Uint8Array[];
  /** Whose each of `added` is: the origin it was applied with (this call's, or a held update's). */
  origins: O[];
  /** Held: a dependency (an earlier struct of a client, or an item it refers to) has not arrived yet. */
  held: boolean;
  /** The origin of a held update dropped to make room for this one (too many held: a broken client). */
  dropped?: O;
}

/**
 * A Yjs document kept as its encoded updates instead of a live `Y.Doc`: a merged base plus the updates
 * since, a state vector and a delete set. A loaded room costs about its encoded size (a live `Y.Doc`
 * costs ~25× that), and applying an update costs decoding it, not integrating it.
 *
 * It keeps the two rules a `Y.Doc` gives a server for free: an update that adds nothing (a duplicate, a
 * replay, a reconnecting client's full delete set) is recognised and dropped — the `snapshotContainsUpdate`
 * test of Yjs, on structs by state vector and on deletions by delete set — and an update whose
 * dependencies are missing is held until they arrive, as Yjs holds pending structs.
 */
export class DocState<O = undefined> {
  private base: Uint8Array;
  private tail: Uint8Array[] = [];
  private tailBytes = 0;
  /** Next expected clock per client: the document holds every struct below it. */
  private readonly sv = new Map<number, number>();
  private readonly ds = Y.createDeleteSet() as DeleteSet;
  private pending: Array<{ update: Uint8Array; origin: O }> = [];
  /** Updates taken so far, and how many had been when implicit deletions were last learned. */
  private taken = 0;
  private learnedAt = -1;

  private constructor(base: Uint8Array) {
    this.base = base;
  }

  static empty<O = undefined>(): DocState<O> {
    return new DocState<O>(Y.encodeStateAsUpdate(new Y.Doc()));
  }

  /** From stored parts (a snapshot, then the updates after it), merged in chunks. */
  static load<O = undefined>(parts: readonly Uint8Array[]): DocState<O> {
    const state = new DocState<O>(parts.length === 0 ? DocState.empty().base : parts.length === 1 ? new Uint8Array(parts[0]) : mergeInChunks(parts));
    const { structs, ds } = Y.decodeUpdate(state.base) as { structs: DecodedStruct[]; ds: DeleteSet };
    for (const struct of structs) {
      if (isSkip(struct)) continue;
      const next = state.sv.get(struct.id.client) ?? 0;
      if (struct.id.clock <= next) state.sv.set(struct.id.client, Math.max(next, struct.id.clock + struct.length));
    }
    for (const [client, items] of ds.clients) for (const item of items) state.addDeletion(client, item);
    return state;
  }

  /** Bytes held: base, tail and held updates. */
  get byteLength(): number {
    return this.base.byteLength + this.tailBytes + this.pending.reduce((n, p) => n + p.update.byteLength, 0);
  }

  /** Updates held for missing dependencies. */
  get heldCount(): number {
    return this.pending.length;
  }

  /** Whether an update applied with `origin` is still held. */
  holds(origin: O): boolean {
    return this.pending.some((p) => p.origin === origin);
  }

  /**
   * Adds what `update` holds that the document does not. Throws `InvalidUpdateError` for an update Yjs
   * cannot decode or that refers to a struct of its own client not before it (Yjs would throw integrating it).
   */
  apply(update: Uint8Array, origin?: O): ApplyResult<O> {
    const result = this.applyOne(update, decode(update));
    if (result === 'held') {
      this.pending.push({ update, origin: origin as O });
      const dropped = this.pending.length > MAX_PENDING ? this.pending.shift() : undefined;
      return { added: [], origins: [], held: true, ...(dropped ? { dropped: dropped.origin } : {}) };
    }
    const added = result ? [result] : [];
    const origins = result ? [origin as O] : [];
    if (result) this.retryPending(added, origins);
    return { added, origins, held: false };
  }

  /** The document's state vector, encoded. */
  stateVector(): Uint8Array {
    return Y.encodeStateVector(this.sv);
  }

  /** What a peer with state vector `sv` lacks (sync step 2). */
  diff(sv: Uint8Array): Uint8Array {
    return Y.diffUpdate(this.encode(), sv);
  }

  /** The whole document as one update (merging the tail into the base). */
  encode(): Uint8Array {
    if (this.tail.length > 0) {
      this.base = mergeInChunks([this.base, ...this.tail]);
      this.tail = [];
      this.tailBytes = 0;
    }
    return this.base;
  }

  private applyOne(update: Uint8Array, { structs, ds }: { structs: DecodedStruct[]; ds: DeleteSet }): Uint8Array | null | 'held' {
    // structs: which are new, and are all they build on present (here or earlier in this update)?
    const after = new Map<number, number>();
    const known = (client: number) => after.get(client) ?? this.sv.get(client) ?? 0;
    let fresh = false;
    let trimmed = false;
    for (const struct of structs) {
      if (isSkip(struct)) continue;
      const { client, clock } = struct.id;
      const next = known(client);
      if (clock > next) return 'held';
      if (clock + struct.length > next) {
        fresh = true;
        if (clock < next) trimmed = true;
        after.set(client, clock + struct.length);
      } else {
        trimmed = true;
      }
    }
    for (const struct of structs) {
      if (isSkip(struct)) continue;
      for (const ref of references(struct)) {
        if (ref.client === struct.id.client) {
          if (ref.clock >= struct.id.clock) throw new InvalidUpdateError(`struct ${struct.id.client}:${struct.id.clock} refers to ${ref.clock}, not before it`);
        } else if (ref.clock >= known(ref.client)) {
          return 'held';
        }
      }
    }
    // deletions: of structs not here yet, held (as Yjs holds a pending delete set); new unless all deleted already
    for (const [client, items] of ds.clients) {
      if (items.some((item) => item.len > 0 && item.clock + item.len > known(client))) return 'held';
    }
    if (!fresh && !this.deletesSomethingNew(ds)) return null;

    // kept, so copied: a socket's or a driver's bytes may be a view of a larger buffer
    const added = trimmed && fresh ? Y.diffUpdate(update, Y.encodeStateVector(this.sv)) : new Uint8Array(update);
    for (const [client, clock] of after) this.sv.set(client, clock);
    for (const [client, items] of ds.clients) for (const item of items) this.addDeletion(client, item);
    this.tail.push(added);
    this.tailBytes += added.byteLength;
    this.taken++;
    if (this.tailBytes > MAX_TAIL_BYTES) this.encode();
    return added;
  }

  private retryPending(added: Uint8Array[], origins: O[]): void {
    let progress = true;
    while (progress && this.pending.length > 0) {
      progress = false;
      for (const entry of [...this.pending]) {
        let result: Uint8Array | null | 'held';
        try {
          result = this.applyOne(entry.update, decode(entry.update));
        } catch {
          result = null; // was decodable when held; cannot happen, but never keep it forever
        }
        if (result === 'held') continue;
        this.pending.splice(this.pending.indexOf(entry), 1);
        if (result) {
          added.push(result);
          origins.push(entry.origin);
          progress = true;
        }
      }
    }
  }

  /** Whether `ds` deletes anything not deleted yet (after learning implicit deletions, if it seems to). */
  private deletesSomethingNew(ds: DeleteSet): boolean {
    const uncovered = () => [...ds.clients].some(([client, items]) => items.some((item) => !this.covers(client, item)));
    return uncovered() && (!this.learnImplicitDeletions() || uncovered());
  }

  /**
   * Yjs deletes some items without a delete set saying so: the loser of two concurrent sets of one map
   * key, an item inserted into a type someone deleted meanwhile. Every replica decides the same, and a
   * peer's full delete set (a reconnect, a replay) then names them. Only integration knows them: decode
   * the document once and take its delete set. Rare (once per such conflict), and O(document).
   * Returns whether anything was learned.
   */
  private learnImplicitDeletions(): boolean {
    if (this.learnedAt === this.taken) return false;
    const doc = new Y.Doc();
    try {
      Y.applyUpdate(doc, this.encode());
      const before = this.deletedCount();
      const truth = Y.createDeleteSetFromStructStore(doc.store) as DeleteSet;
      for (const [client, items] of truth.clients) for (const item of items) this.addDeletion(client, item);
      this.learnedAt = this.taken;
      return this.deletedCount() !== before;
    } finally {
      doc.destroy();
    }
  }

  private deletedCount(): number {
    let n = 0;
    for (const items of this.ds.clients.values()) for (const item of items) n += item.len;
    return n;
  }

  /** Whether the document's delete set covers `item` of `client` entirely. */
  private covers(client: number, item: DeleteItem): boolean {
    if (item.len === 0) return true;
    const ranges = this.ds.clients.get(client);
    if (!ranges) return false;
    const i = lastStartingAtOrBefore(ranges, item.clock);
    return i >= 0 && ranges[i].clock + ranges[i].len >= item.clock + item.len;
  }

  /** Adds a deleted range, keeping the client's ranges sorted and merged. */
  private addDeletion(client: number, item: DeleteItem): void {
    if (item.len === 0) return;
    let ranges = this.ds.clients.get(client);
    if (!ranges) {
      ranges = [];
      this.ds.clients.set(client, ranges);
    }
    let start = item.clock;
    let end = item.clock + item.len;
    let from = lastStartingAtOrBefore(ranges, start);
    if (from >= 0 && ranges[from].clock + ranges[from].len >= start) {
      start = ranges[from].clock;
      end = Math.max(end, ranges[from].clock + ranges[from].len);
    } else {
      from++;
    }
    let to = from;
    while (to < ranges.length && ranges[to].clock <= end) {
      end = Math.max(end, ranges[to].clock + ranges[to].len);
      to++;
    }
    ranges.splice(from, to - from, { clock: start, len: end - start });
  }
}

function decode(update: Uint8Array): { structs: DecodedStruct[]; ds: DeleteSet } {
  try {
    return Y.decodeUpdate(update) as { structs: DecodedStruct[]; ds: DeleteSet };
  } catch (error) {
    throw new InvalidUpdateError(`the update cannot be decoded: ${(error as Error).message}`, { cause: error });
  }
}

/** Index of the last range starting at or before `clock`, or -1. */
function lastStartingAtOrBefore(ranges: DeleteItem[], clock: number): number {
  let lo = 0;
  let hi = ranges.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid].clock <= clock) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

const isSkip = (struct: DecodedStruct): boolean => struct instanceof Y.Skip;

/** The ids an Item needs present before it can be integrated (Yjs's `Item.getMissing`). */
function references(struct: DecodedStruct): Y.ID[] {
  const refs: Y.ID[] = [];
  if (struct.origin) refs.push(struct.origin);
  if (struct.rightOrigin) refs.push(struct.rightOrigin);
  if (struct.parent instanceof Y.ID) refs.push(struct.parent);
  return refs;
}

/** Merges updates in chunks of `MERGE_CHUNK`, then the chunks' results, so no call merges a long list. */
export function mergeInChunks(updates: readonly Uint8Array[]): Uint8Array {
  let level = [...updates];
  if (level.length === 0) return Y.encodeStateAsUpdate(new Y.Doc());
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += MERGE_CHUNK) {
      const chunk = level.slice(i, i + MERGE_CHUNK);
      next.push(chunk.length === 1 ? chunk[0] : Y.mergeUpdates(chunk));
    }
    level = next;
  }
  return level[0];
}
