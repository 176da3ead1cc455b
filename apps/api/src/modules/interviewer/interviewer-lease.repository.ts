import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * `interviewer_leases`: which api process drives the AI interviewer of a session. One statement takes
 * the lease when it is free, already ours, or expired — so among processes racing for it exactly one
 * wins — and renews it for the holder.
 */
@Injectable()
export class InterviewerLeaseRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Takes or renews the session's lease for `holder` until `ttlMs` from now; false when another holder's lease is still running. */
  async acquire(sessionId: string, holder: string, ttlMs: number): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `INSERT INTO interviewer_leases AS l (session_id, holder, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3::double precision / 1000))
       ON CONFLICT (session_id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
         WHERE l.holder = EXCLUDED.holder OR l.expires_at < now()
       RETURNING holder`,
      [sessionId, holder, ttlMs],
    )) as unknown[];
    return rows.length === 1;
  }

  /** Gives the lease up (shutdown, session over), if `holder` still has it. */
  async release(sessionId: string, holder: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM interviewer_leases WHERE session_id = $1 AND holder = $2`, [sessionId, holder]);
  }

  /** Who holds the session's lease and until when (expired leases included); null when nobody ever took it or it was released. */
  async find(sessionId: string): Promise<{ holder: string; expiresAt: Date } | null> {
    const rows = (await this.dataSource.query(`SELECT holder, expires_at FROM interviewer_leases WHERE session_id = $1`, [sessionId])) as Array<{
      holder: string;
      expires_at: Date;
    }>;
    return rows[0] ? { holder: rows[0].holder, expiresAt: new Date(rows[0].expires_at) } : null;
  }
}
