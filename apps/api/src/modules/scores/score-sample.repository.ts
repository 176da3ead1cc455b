import { Injectable } from '@nestjs/common';
import type { FlowStage, ScoreWeakMove } from '@hatch/protocol';
import { DataSource, MoreThan } from 'typeorm';
import { ScoreSampleEntity } from '../../database/entities';
import { queryPrepared } from '../../database/prepared-query';

/** What `score_samples.scores` holds: the grade summary without the total (a column of its own). */
export interface StoredScores {
  scenarioId: string;
  scenarioVersion: number;
  stages: Record<FlowStage, number>;
  weakMoves: ScoreWeakMove[];
}

export interface NewScoreSample {
  sessionId: string;
  seq: number;
  total: number;
  scores: StoredScores;
}

export interface ScoreSampleRecord extends NewScoreSample {
  id: string;
  sampledAt: Date;
}

/** `score_samples`: the grader's scores for a session's document as of a seq. Append-only, one row per seq. */
@Injectable()
export class ScoreSampleRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores a sample; null when the session already has one for this seq (another process graded it). */
  async insert(sample: NewScoreSample): Promise<ScoreSampleRecord | null> {
    const rows = await queryPrepared<{ id: string; sampled_at: Date }>(
      this.dataSource,
      'hatch_score_insert',
      `INSERT INTO score_samples (session_id, seq, scores, total) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (session_id, seq) DO NOTHING
       RETURNING id, sampled_at`,
      [sample.sessionId, sample.seq, JSON.stringify(sample.scores), sample.total],
    );
    if (rows.length === 0) return null;
    return { ...sample, id: String(rows[0].id), sampledAt: new Date(rows[0].sampled_at) };
  }

  /** A page of a session's samples in the order they were stored (id), with ids above `after`. */
  async list(sessionId: string, options: { after?: string; limit: number }): Promise<ScoreSampleRecord[]> {
    const rows = await this.dataSource.getRepository(ScoreSampleEntity).find({
      where: { sessionId, ...(options.after !== undefined ? { id: MoreThan(options.after) } : {}) },
      order: { id: 'ASC' },
      take: options.limit,
    });
    return rows.map((row) => ({
      id: String(row.id),
      sessionId: row.sessionId,
      seq: row.seq,
      sampledAt: row.sampledAt,
      total: row.total,
      scores: row.scores as unknown as StoredScores,
    }));
  }
}
