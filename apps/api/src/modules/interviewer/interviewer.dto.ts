import {
  ANSWER_MAX_LENGTH,
  flowStages,
  followUpClosings,
  followupSendSchema,
  noteAddSchema,
  roles,
} from '@hatch/protocol';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { SESSION_MODES } from '../../database/entities';

// --- requests ------------------------------------------------------------------------------------

export const followUpParamsSchema = z.object({
  id: z.guid('must be a UUID').transform((id) => id.toLowerCase()),
  followUpId: z.string().regex(/^\d{1,18}$/, 'must be a follow-up id (a whole number)'),
});

/** `POST …/answered`: an optional answer or summary; an empty body is `{}`. */
export const markAnsweredBodySchema = z.preprocess(
  (value) => value ?? {},
  z.strictObject({
    answer: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(ANSWER_MAX_LENGTH, `must be at most ${ANSWER_MAX_LENGTH} characters`)
      .optional()
      .describe('The answer in words (required for the candidate), or an interviewer’s summary'),
  }),
);

export class SendFollowUpDto extends createZodDto(followupSendSchema) {}
export class AddNoteDto extends createZodDto(noteAddSchema) {}
export class MarkAnsweredDto extends createZodDto(markAnsweredBodySchema) {}
export class FollowUpParamsDto extends createZodDto(followUpParamsSchema) {}

// --- responses -----------------------------------------------------------------------------------

const actorSchema = z.object({
  participantId: z.string().nullable().describe('Null for the AI interviewer'),
  role: z.enum([...roles, 'ai-interviewer']),
  displayName: z.string(),
});

const probeSchema = z.object({
  stage: z.enum(flowStages),
  move: z.string().nullable().describe('The grader move probed (e.g. tenant-boundaries); null for a free question'),
  checks: z.array(z.string()).describe('The grade checks behind it'),
});

const improvementSchema = z.object({
  before: z.number().describe('Points the probe lost when asked'),
  now: z.number().describe('Points it loses at the closing grade'),
  improved: z.boolean(),
});

export const followUpSchema = z.object({
  id: z.string().describe('The stored follow-up event id'),
  bankId: z.string().nullable().describe('The scenario follow-up bank entry; null for a free question'),
  stage: z.enum(flowStages),
  question: z.string(),
  probe: probeSchema,
  why: z.string().nullable(),
  baseline: z.object({ stageScore: z.number(), pointsLost: z.number() }).nullable(),
  askedBy: actorSchema,
  at: z.string(),
  status: z.enum(['open', 'answered']),
  answer: z
    .object({ how: z.enum(followUpClosings), text: z.string().nullable(), improvement: improvementSchema.nullable(), by: actorSchema, at: z.string() })
    .nullable(),
});

export const suggestionSchema = z.object({
  bankId: z.string().nullable(),
  question: z.string(),
  probe: probeSchema,
  why: z.string().describe('Why now, in a sentence'),
});

export const noteSchema = z.object({ id: z.string(), text: z.string(), author: actorSchema, at: z.string() });

export const usageSchema = z.object({
  model: z.string(),
  calls: z.number().int().describe('LLM calls (moves and judgments), each possibly several HTTP requests'),
  requests: z.number().int().describe('HTTP requests, retries included'),
  failures: z.number().int().describe('Calls that failed: error, timeout, malformed reply'),
  fallbacks: z.number().int().describe('Moves the offline interviewer made instead'),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  totalTokens: z.number().int(),
  estimatedCalls: z.number().int().describe('Calls whose tokens were estimated (the server reported none)'),
  medianLatencyMs: z.number().nullable(),
  p95LatencyMs: z.number().nullable(),
  maxLatencyMs: z.number().nullable(),
  lastError: z.string().nullable(),
  updatedAt: z.string(),
});

export const interviewerViewSchema = z.object({
  sessionId: z.string(),
  mode: z.enum(SESSION_MODES),
  kind: z.enum(['offline', 'llm']).describe('offline: the deterministic engine; llm: an OpenAI-compatible model with the offline engine as fallback'),
  model: z.string().nullable().describe('The LLM model; null offline'),
  usage: usageSchema.nullable().describe('Token use, failures and latency of the LLM in this session; null before its first call'),
  openFollowUp: followUpSchema.nullable(),
  suggestions: z.array(suggestionSchema).optional().describe('Interviewer tokens only'),
});

export const suggestionsPageSchema = z.object({ sessionId: z.string(), suggestions: z.array(suggestionSchema) });
export const followUpListSchema = z.object({ sessionId: z.string(), followUps: z.array(followUpSchema) });
export const noteListSchema = z.object({ sessionId: z.string(), notes: z.array(noteSchema) });
export const markedSchema = z.object({ followUp: followUpSchema, changed: z.boolean().describe('False when it was closed already') });

export type InterviewerView = z.infer<typeof interviewerViewSchema>;

export class InterviewerViewDto extends createZodDto(interviewerViewSchema) {}
export class SuggestionsPageDto extends createZodDto(suggestionsPageSchema) {}
export class FollowUpDto extends createZodDto(followUpSchema) {}
export class FollowUpListDto extends createZodDto(followUpListSchema) {}
export class NoteDto extends createZodDto(noteSchema) {}
export class NoteListDto extends createZodDto(noteListSchema) {}
export class MarkedDto extends createZodDto(markedSchema) {}
