/**
 * Counts local edits the server has not acknowledged yet, from Hatch's `saved` acks (docs/collab.md):
 * the server acknowledges `count` = how many content messages (sync step 2 and update) this connection has
 * sent are durable. Each local edit is covered by one such message: the update sent when the edit was made
 * while connected, or the sync step 2 answered on the next connection (it carries everything the server
 * lacks). Pure: the connection feeds it events.
 */
export class SaveTracker {
  /** Content messages sent on the current connection. */
  private sent = 0;
  /** Per unsaved edit: the `sent` count of the message that carries it; Infinity until one is sent. */
  private pending: number[] = [];
  private connected = false;
  private everEdited = false;

  /** A new connection: counts restart; every unsaved edit rides on its sync step 2. */
  opened(): void {
    this.connected = true;
    this.sent = 0;
    this.pending = this.pending.map(() => Infinity);
  }

  closed(): void {
    this.connected = false;
    this.pending = this.pending.map(() => Infinity);
  }

  /** A content message left on the current connection; a sync step 2 carries every edit not sent yet. */
  contentSent(kind: 'step2' | 'update'): void {
    if (!this.connected) return;
    this.sent += 1;
    if (kind === 'step2') this.pending = this.pending.map((at) => (at === Infinity ? this.sent : at));
  }

  /** A local edit, reported after the provider has sent it (if it could). `sentNow`: it went out as an update. */
  localEdit(sentNow: boolean): void {
    this.everEdited = true;
    this.pending.push(sentNow && this.connected ? this.sent : Infinity);
  }

  /** The server's `saved` ack: `count` content messages of this connection are durable. */
  saved(count: number): void {
    this.pending = this.pending.filter((at) => at > count);
  }

  get unsaved(): number {
    return this.pending.length;
  }

  get hasEdited(): boolean {
    return this.everEdited;
  }
}
