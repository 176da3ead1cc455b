import type { Stage } from '@hatch/scenarios';

export type { Stage };

export type CheckStatus = 'passed' | 'partial' | 'failed' | 'justified';

/** Where a check came from: the scenario's rubric (derived from its data or authored) or a general schema rule. */
export type CheckSource = 'rubric' | 'rule';

/** The weak-move groups failed checks are coached under. */
export const MOVES = [
  'framing',
  'entities',
  'relationships',
  'keys-and-constraints',
  'idempotency',
  'money-and-time',
  'naming',
  'tracking-plan',
  'event-naming',
  'tenant-boundaries',
  'history',
  'access-pattern-indexes',
  'answerability',
] as const;

export type Move = (typeof MOVES)[number] | (string & {});

export type EvidenceKind = 'entity' | 'field' | 'index' | 'constraint' | 'relationship' | 'event' | 'frame' | 'answer';

/** One element of the candidate's model a check looked at, and the reference it was compared with. */
export interface Evidence {
  kind: EvidenceKind;
  /** The element's id in the candidate model, when it exists. */
  id?: string;
  /** The element's name (`invoices`, `invoices.tenant_id`, an index name or its columns). */
  name: string;
  /** The reference concept (or product question, actor, rule, event) it matched. */
  concept?: string;
  /** What was found or is missing, in a few words. */
  note?: string;
}

export interface Check {
  id: string;
  stage: Stage;
  move: Move;
  title: string;
  weight: number;
  status: CheckStatus;
  /** 0..1: the share of the weight earned. */
  ratio: number;
  evidence: Evidence[];
  /** What a coach would say; empty when the check passed. */
  hint: string;
  source: CheckSource;
  /** One line on what the check asks for. */
  doc?: string;
}

export interface StageGrade {
  /** 0–100, an integer: round(100 × Σ weight × ratio / Σ weight). */
  score: number;
  checks: Check[];
}

export interface WeakMove {
  move: Move;
  /** Stage points lost by the move's checks (the sum over stages), one decimal. */
  pointsLost: number;
  /** Ids of the failed or partial checks, costliest first. */
  checks: string[];
  summary: string;
}

export type MatchReason = 'exact' | 'alias' | 'similarity' | 'structure';

export interface EntityMatch {
  entityId: string;
  name: string;
  concept: string;
  /** The reference entity the concept stands for. */
  reference: string;
  confidence: number;
  why: MatchReason;
}

export interface FieldMatch {
  entityId: string;
  fieldId: string;
  /** `entity.field` in the candidate model. */
  name: string;
  concept: string;
  /** The reference field name. */
  reference: string;
  confidence: number;
  why: MatchReason;
}

export interface EventMatch {
  eventId: string;
  name: string;
  /** The reference (or rubric) event name. */
  reference: string;
  concept: string | null;
  confidence: number;
  why: MatchReason;
}

export interface Mapping {
  entities: EntityMatch[];
  fields: FieldMatch[];
  events: EventMatch[];
}

export interface ElementRef {
  id: string;
  name: string;
}

export interface Unmatched {
  /** Candidate entities that correspond to no concept (extra tables, or names the matcher could not place). */
  entities: ElementRef[];
  /** Fields of matched entities that correspond to no reference field. */
  fields: ElementRef[];
  events: ElementRef[];
  /** Reference elements the candidate has not modeled. */
  missing: {
    concepts: string[];
    /** `concept.field` of the concepts' key fields. */
    fields: string[];
    events: string[];
  };
}

export interface Grade {
  scenarioId: string;
  scenarioVersion: number;
  stages: Record<Stage, StageGrade>;
  /** The mean of the four stage scores, rounded. */
  total: number;
  weakMoves: WeakMove[];
  mapping: Mapping;
  unmatched: Unmatched;
}

/** What is stored per score sample: no checks, no evidence. */
export interface GradeSummary {
  scenarioId: string;
  scenarioVersion: number;
  stages: Record<Stage, number>;
  total: number;
  weakMoves: { move: Move; pointsLost: number; checks: string[] }[];
}

export interface GradeOptions {
  /** Joins allowed between a product question's concepts and its timestamped fact (default 3). */
  maxJoinHops?: number;
  /** Minimum name similarity for a concept match (default 0.6). */
  matchThreshold?: number;
  /** General rule ids to leave out. */
  disabledRules?: readonly string[];
}
