import { Injectable } from '@nestjs/common';
import type { LlmUsage } from '@hatch/interviewer';
import { DataSource } from 'typeorm';

/** The latencies kept per session (the newest). */
export const USAGE_LATENCIES_KEPT = 500;

/** LLM use to add to a session's totals: the counters of the calls since the last record, and their latencies, oldest first. */
export type UsageDelta = Pick<
  LlmUsage,
  'model' | 'calls' | 'requests' | 'failures' | 'fallbacks' | 'promptTokens' | 'completionTokens' | 'estimatedCalls' | 'latenciesMs' | 'lastError'
>;

export type StoredUsage = UsageDelta & { updatedAt: Date };

interface UsageRow {
  model: string;
  calls: number;
  requests: number;
  failures: number;
  fallbacks: number;
  prompt_tokens: string;
  completion_tokens: string;
  estimated_calls: number;
  latencies_ms: number[];
  last_error: string | null;
  updated_at: Date;
}

/** `interviewer_usage`: running totals of a session's LLM use, added to after each call. */
@Injectable()
export class InterviewerUsageRepository {
  constructor(private readonly dataSource: DataSource) {}

  async add(sessionId: string, delta: UsageDelta): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO interviewer_usage AS u (session_id, model, calls, requests, failures, fallbacks, prompt_tokens, completion_tokens,
                                           estimated_calls, latencies_ms, last_error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::integer[], $11)
       ON CONFLICT (session_id) DO UPDATE SET
         model = EXCLUDED.model,
         calls = u.calls + EXCLUDED.calls,
         requests = u.requests + EXCLUDED.requests,
         failures = u.failures + EXCLUDED.failures,
         fallbacks = u.fallbacks + EXCLUDED.fallbacks,
         prompt_tokens = u.prompt_tokens + EXCLUDED.prompt_tokens,
         completion_tokens = u.completion_tokens + EXCLUDED.completion_tokens,
         estimated_calls = u.estimated_calls + EXCLUDED.estimated_calls,
         latencies_ms = (u.latencies_ms || EXCLUDED.latencies_ms)[greatest(1, cardinality(u.latencies_ms || EXCLUDED.latencies_ms) - $12 + 1):],
         last_error = COALESCE(EXCLUDED.last_error, u.last_error),
         updated_at = now()`,
      [
        sessionId,
        delta.model,
        delta.calls,
        delta.requests,
        delta.failures,
        delta.fallbacks,
        delta.promptTokens,
        delta.completionTokens,
        delta.estimatedCalls,
        delta.latenciesMs.slice(-USAGE_LATENCIES_KEPT).map(Math.round),
        delta.lastError,
        USAGE_LATENCIES_KEPT,
      ],
    );
  }

  async find(sessionId: string): Promise<StoredUsage | null> {
    const rows = (await this.dataSource.query(
      `SELECT model, calls, requests, failures, fallbacks, prompt_tokens, completion_tokens, estimated_calls, latencies_ms, last_error, updated_at
         FROM interviewer_usage WHERE session_id = $1`,
      [sessionId],
    )) as UsageRow[];
    const row = rows[0];
    if (!row) return null;
    return {
      model: row.model,
      calls: row.calls,
      requests: row.requests,
      failures: row.failures,
      fallbacks: row.fallbacks,
      promptTokens: Number(row.prompt_tokens),
      completionTokens: Number(row.completion_tokens),
      estimatedCalls: row.estimated_calls,
      latenciesMs: row.latencies_ms,
      lastError: row.last_error,
      updatedAt: new Date(row.updated_at),
    };
  }
}
