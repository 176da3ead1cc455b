import type { PublicScenario, ScenarioSummary } from '@hatch/scenarios';

export type { PublicScenario, ScenarioSummary };
export type Role = 'candidate' | 'interviewer' | 'observer' | 'reviewer';
export const ROLES: readonly Role[] = ['candidate', 'interviewer', 'observer', 'reviewer'];
export type SessionMode = 'mock' | 'pair' | 'practice';
export type ScenarioFormat = ScenarioSummary['formats'][number];
export type Difficulty = ScenarioSummary['difficulty'];
export type Stage = keyof PublicScenario['timePerStage'];

/** `POST /api/sessions` (docs/api.md). */
export interface CreatedSession {
  sessionId: string;
  scenarioId: string;
  scenarioVersion: number;
  mode: SessionMode;
  status: 'created' | 'live' | 'ended';
  createdAt: string;
  tokens: Record<Role, string>;
  /** `/sessions/<id>#token=<token>` per role */
  links: Record<Role, string>;
  expiresAt: string;
}

/** `GET /api/sessions/:id` as the holder of a token sees it. */
export interface SessionView {
  id: string;
  scenario: {
    id: string;
    version: number;
    title: string | null;
    formats: ScenarioFormat[];
    difficulty: Difficulty | null;
    totalMinutes: number | null;
  };
  mode: SessionMode;
  status: 'created' | 'live' | 'ended';
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  participants: { id: string; role: Role; displayName: string; joinedAt: string | null }[];
  you: { role: Role; participantId: string };
}

export const FORMAT_LABELS: Record<ScenarioFormat, string> = {
  'multi-tenant-saas': 'Multi-tenant SaaS',
  'billing-metering': 'Billing & metering',
  'audit-logs': 'Audit logs',
  marketplace: 'Marketplace',
  'event-tracking': 'Event tracking plan',
};

export const DIFFICULTY_LABELS: Record<Difficulty, string> = { junior: 'Junior', mid: 'Mid', senior: 'Senior', staff: 'Staff' };

export const MODE_INFO: Record<SessionMode, { label: string; description: string; hostRole: Role }> = {
  mock: {
    label: 'Mock interview',
    description: 'You design; the AI interviewer probes your weak moves.',
    hostRole: 'candidate',
  },
  pair: {
    label: 'Pair practice',
    description: 'You interview a peer who joins with the candidate link.',
    hostRole: 'interviewer',
  },
  practice: {
    label: 'Solo practice',
    description: 'You and the live grader, at your own pace.',
    hostRole: 'candidate',
  },
};

export const STAGE_LABELS: Record<Stage, string> = { frame: 'Frame', list: 'List', optimize: 'Optimize', win: 'Win' };
