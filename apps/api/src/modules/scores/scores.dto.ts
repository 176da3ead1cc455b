import type { Grade } from '@hatch/grader';
import type { Model } from '@hatch/model';
import { SCORE_PAGE_DEFAULT, SCORE_PAGE_MAX } from '@hatch/protocol';
import { stages } from '@hatch/scenarios';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const pageLimit = `must be a whole number between 1 and ${SCORE_PAGE_MAX}`;

/** Not strict: `?token=` may ride along. */
export const scoreTimelineQuerySchema = z.object({
  after: z
    .string()
    .regex(/^\d{1,18}$/, 'must be a sample id (a whole number)')
    .optional()
    .describe('Return samples with a larger id (the `nextAfter` of the previous page)'),
  limit: z.coerce.number({ error: pageLimit }).int(pageLimit).min(1, pageLimit).max(SCORE_PAGE_MAX, pageLimit).default(SCORE_PAGE_DEFAULT),
});

const stageScore = z.number().int().describe('0–100');
const stageScores = z.object({ frame: stageScore, list: stageScore, optimize: stageScore, win: stageScore });

const weakMoveSchema = z.object({
  move: z.string().describe('A named move, e.g. tenant-boundaries, history, access-pattern-indexes'),
  pointsLost: z.number().describe('Stage points its failed checks cost (summed over stages)'),
  checks: z.array(z.string()).describe('Ids of its failed or partial checks, costliest first'),
});

export const scoreSampleSchema = z.object({
  id: z.string().describe('The sample id (increasing)'),
  seq: z.number().int().describe('The highest committed document update the graded state holds'),
  at: z.string().describe('When it was sampled'),
  total: z.number().describe('Mean of the four stage scores, 0–100'),
  stages: stageScores,
  weakMoves: z.array(weakMoveSchema),
});

export const scoreTimelinePageSchema = z.object({
  sessionId: z.string(),
  samples: z.array(scoreSampleSchema).describe('Oldest first (by id); the same payloads as the `score` socket.io event'),
  nextAfter: z.string().nullable().describe('Pass as ?after= for the next page; null on the last page'),
});

const sourceSchema = z
  .enum(['live', 'stored'])
  .describe('live: the document of the room this process serves (may hold updates not yet committed); stored: newest snapshot + logged updates');

export const sessionModelSchema = z.object({
  sessionId: z.string(),
  seq: z.number().int().describe('The highest committed update the model reflects'),
  source: sourceSchema,
  model: z.record(z.string(), z.unknown()).describe('The model JSON (docs/model.md): entities, relationships, events, frame, win'),
});

const evidenceSchema = z.object({
  kind: z.string(),
  id: z.string().optional(),
  name: z.string(),
  concept: z.string().optional(),
  note: z.string().optional(),
});

const checkSchema = z.object({
  id: z.string(),
  stage: z.enum(stages),
  move: z.string(),
  title: z.string(),
  weight: z.number(),
  status: z.enum(['passed', 'partial', 'failed', 'justified']),
  ratio: z.number().describe('0..1: the share of the weight earned'),
  evidence: z.array(evidenceSchema),
  hint: z.string().describe('What a coach would say; empty when passed'),
  source: z.enum(['rubric', 'rule']),
  doc: z.string().optional(),
});

const stageGrade = z.object({ score: stageScore, checks: z.array(checkSchema) });

export const sessionGradeSchema = z.object({
  sessionId: z.string(),
  seq: z.number().int(),
  source: sourceSchema,
  gradedAt: z.string(),
  grade: z.object({
    scenarioId: z.string(),
    scenarioVersion: z.number().int(),
    total: z.number().int(),
    stages: z.object({ frame: stageGrade, list: stageGrade, optimize: stageGrade, win: stageGrade }),
    weakMoves: z.array(weakMoveSchema.extend({ summary: z.string() })),
    mapping: z
      .object({ entities: z.array(z.unknown()), fields: z.array(z.unknown()), events: z.array(z.unknown()) })
      .describe("Which of the candidate's entities, fields and events matched which reference concepts, and why"),
    unmatched: z
      .object({ entities: z.array(z.unknown()), fields: z.array(z.unknown()), events: z.array(z.unknown()), missing: z.unknown() })
      .describe('Elements no concept matched, and the concepts (ids) not modeled yet'),
  }),
});

export class ScoreTimelineQueryDto extends createZodDto(scoreTimelineQuerySchema) {}
export class ScoreTimelinePageDto extends createZodDto(scoreTimelinePageSchema) {}
export class SessionModelDto extends createZodDto(sessionModelSchema) {}
export class SessionGradeDto extends createZodDto(sessionGradeSchema) {}

export type ScoreTimelineQuery = z.output<typeof scoreTimelineQuerySchema>;

export type DocumentSource = 'live' | 'stored';

export interface SessionModelView {
  sessionId: string;
  seq: number;
  source: DocumentSource;
  model: Model;
}

export interface SessionGradeView {
  sessionId: string;
  seq: number;
  source: DocumentSource;
  gradedAt: string;
  grade: Grade;
}
