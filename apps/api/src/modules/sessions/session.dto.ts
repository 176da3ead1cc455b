import { difficulties, scenarioFormats } from '@hatch/scenarios';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { PARTICIPANT_ROLES, SESSION_MODES, SESSION_STATUSES } from '../../database/entities';

export const createSessionSchema = z.strictObject({
  scenarioId: z.string().trim().min(1, 'must not be empty').max(200),
  mode: z.enum(SESSION_MODES, { error: `must be one of ${SESSION_MODES.join(', ')}` }),
});

/** Any 8-4-4-4-12 hex id, as PostgreSQL's uuid type reads it; lower-cased like PostgreSQL prints it. */
export const sessionParamsSchema = z.object({
  id: z.guid('must be a UUID').transform((id) => id.toLowerCase()),
});

const byRole = <T extends z.ZodType>(value: T) => z.object({ candidate: value, interviewer: value, observer: value, reviewer: value });

export const createdSessionSchema = z.object({
  sessionId: z.string(),
  scenarioId: z.string(),
  scenarioVersion: z.number().int(),
  mode: z.enum(SESSION_MODES),
  status: z.enum(SESSION_STATUSES),
  createdAt: z.string(),
  tokens: byRole(z.string()).describe('One join token (JWT) per role'),
  links: byRole(z.string()).describe('Web client paths that join as each role; the token travels in the URL fragment'),
  expiresAt: z.string().describe('When the tokens expire'),
});

export const sessionViewSchema = z.object({
  id: z.string(),
  scenario: z.object({
    id: z.string(),
    version: z.number().int(),
    title: z.string().nullable(),
    formats: z.array(z.enum(scenarioFormats)),
    difficulty: z.enum(difficulties).nullable(),
    totalMinutes: z.number().int().nullable(),
  }),
  mode: z.enum(SESSION_MODES),
  status: z.enum(SESSION_STATUSES),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  participants: z.array(
    z.object({ id: z.string(), role: z.enum(PARTICIPANT_ROLES), displayName: z.string(), joinedAt: z.string().nullable() }),
  ),
  you: z.object({ role: z.enum(PARTICIPANT_ROLES), participantId: z.string() }),
});

export class CreateSessionDto extends createZodDto(createSessionSchema) {}
export class SessionParamsDto extends createZodDto(sessionParamsSchema) {}
export class CreatedSessionDto extends createZodDto(createdSessionSchema) {}
export class SessionViewDto extends createZodDto(sessionViewSchema) {}

export type CreateSessionInput = z.output<typeof createSessionSchema>;
export type CreatedSession = z.input<typeof createdSessionSchema>;
export type SessionView = z.input<typeof sessionViewSchema>;
