export interface GradeSchedule {
  /** Due once no change came for this long... */
  debounceMs: number;
  /** ...or this long after the first change since the last due, whichever is first (so steady typing still grades). */
  maxWaitMs: number;
  /** ...but never sooner than this after the key's previous run (bursty typing would otherwise fire per burst). */
  minIntervalMs?: number;
}

interface Pending {
  firstAt: number;
  timer: NodeJS.Timeout;
}

/** Debounce with a max wait, per key (a session): `changed` arms it, `due(key)` fires once per quiet spell. */
export class GradeScheduler {
  private readonly pending = new Map<string, Pending>();
  private readonly lastDue = new Map<string, number>();

  constructor(
    private readonly schedule: GradeSchedule,
    private readonly due: (key: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  changed(key: string): void {
    const now = this.now();
    const current = this.pending.get(key);
    const firstAt = current?.firstAt ?? now;
    if (current) clearTimeout(current.timer);
    const earliest = (this.lastDue.get(key) ?? -Infinity) + (this.schedule.minIntervalMs ?? 0);
    const delay = Math.max(0, Math.min(this.schedule.debounceMs, firstAt + this.schedule.maxWaitMs - now), earliest - now);
    const timer = setTimeout(() => {
      this.pending.delete(key);
      this.lastDue.set(key, this.now());
      this.due(key);
    }, delay);
    timer.unref();
    this.pending.set(key, { firstAt, timer });
  }

  isPending(key: string): boolean {
    return this.pending.has(key);
  }

  /** Disarms the key; true when it was armed. */
  cancel(key: string): boolean {
    this.lastDue.delete(key);
    const current = this.pending.get(key);
    if (!current) return false;
    clearTimeout(current.timer);
    this.pending.delete(key);
    return true;
  }

  close(): void {
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    this.lastDue.clear();
  }
}
