import { storedEventTypes, TIMELINE_PAGE_DEFAULT, TIMELINE_PAGE_MAX } from '@hatch/protocol';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** Not strict: `?token=` may ride along. */
export const timelineQuerySchema = z.object({
  after: z
    .string()
    .regex(/^\d{1,18}$/, 'must be an event id (a whole number)')
    .optional()
    .describe('Return events with a larger id (the `nextAfter` of the previous page)'),
  limit: z.coerce
    .number({ error: `must be a whole number between 1 and ${TIMELINE_PAGE_MAX}` })
    .int(`must be a whole number between 1 and ${TIMELINE_PAGE_MAX}`)
    .min(1, `must be a whole number between 1 and ${TIMELINE_PAGE_MAX}`)
    .max(TIMELINE_PAGE_MAX, `must be a whole number between 1 and ${TIMELINE_PAGE_MAX}`)
    .default(TIMELINE_PAGE_DEFAULT),
});

export const timelinePageSchema = z.object({
  sessionId: z.string(),
  events: z.array(
    z.object({
      id: z.string().describe('Increasing; order of the timeline'),
      type: z.string().describe(`One of ${storedEventTypes.join(', ')} (later issues add more)`),
      actorParticipantId: z.string().nullable().describe('Null for the AI interviewer and the server'),
      occurredAt: z.string(),
      payload: z.record(z.string(), z.unknown()).describe('The broadcast payload without id and at (docs/session-events.md)'),
    }),
  ),
  nextAfter: z.string().nullable().describe('Pass as ?after= for the next page; null on the last page'),
});

export class TimelineQueryDto extends createZodDto(timelineQuerySchema) {}
export class TimelinePageDto extends createZodDto(timelinePageSchema) {}
