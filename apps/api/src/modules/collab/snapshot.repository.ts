import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface SnapshotRow {
  seq: number;
  state: Buffer;
}

/** `snapshots`: a session's document state at a seq, so loading never reads the whole log. */
@Injectable()
export class SnapshotRepository {
  constructor(private readonly dataSource: DataSource) {}

  async newest(sessionId: string): Promise<SnapshotRow | null> {
    const rows = (await this.dataSource.query(
      'SELECT seq, state FROM snapshots WHERE session_id = $1 ORDER BY seq DESC LIMIT 1',
      [sessionId],
    )) as Array<{ seq: string; state: Buffer }>;
    return rows.length === 0 ? null : { seq: Number(rows[0].seq), state: rows[0].state };
  }

  /** Stores a snapshot; another one at the same seq (written by another process) wins quietly. */
  async write(sessionId: string, seq: number, state: Uint8Array): Promise<void> {
    await this.dataSource.query(
      'INSERT INTO snapshots (session_id, seq, state) VALUES ($1, $2, $3) ON CONFLICT (session_id, seq) DO NOTHING',
      [sessionId, seq, Buffer.from(state.buffer, state.byteOffset, state.byteLength)],
    );
  }
}
