/**
 * Which sequence numbers of a session's log a room's document holds: everything up to `contiguous`,
 * plus ranges above it (committed by other processes, arrived out of order). A range above
 * `contiguous` means a gap: some committed update has not reached this room yet.
 */
export class SeqTracker {
  private low = 0;
  private top = 0;
  /** Sorted, disjoint, non-adjacent ranges strictly above `contiguous + 1`. */
  private ranges: Array<[number, number]> = [];

  get contiguous(): number {
    return this.low;
  }

  get highest(): number {
    return this.top;
  }

  get hasGap(): boolean {
    return this.ranges.length > 0;
  }

  reset(seq: number): void {
    this.low = seq;
    this.top = seq;
    this.ranges = [];
  }

  has(seq: number): boolean {
    return seq <= this.low || this.ranges.some(([from, to]) => seq >= from && seq <= to);
  }

  add(from: number, to: number = from): void {
    if (to < from) return;
    this.top = Math.max(this.top, to);
    if (to <= this.low) return;
    from = Math.max(from, this.low + 1);
    const merged: Array<[number, number]> = [];
    let current: [number, number] = [from, to];
    for (const range of this.ranges) {
      if (range[1] + 1 < current[0] || current[1] + 1 < range[0]) merged.push(range);
      else current = [Math.min(range[0], current[0]), Math.max(range[1], current[1])];
    }
    merged.push(current);
    merged.sort((a, b) => a[0] - b[0]);
    if (merged[0][0] === this.low + 1) {
      this.low = merged[0][1];
      merged.shift();
    }
    this.ranges = merged;
  }
}
