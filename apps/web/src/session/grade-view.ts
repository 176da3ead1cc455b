import type { FlowStage } from '@hatch/protocol';

/** One check of a grade as `GET /api/sessions/:id/grade` returns it (libs/grader's `Check`, the fields the panels use). */
export interface GradeCheck {
  id: string;
  stage: FlowStage;
  move: string;
  title: string;
  weight: number;
  status: 'passed' | 'partial' | 'failed' | 'justified';
  /** 0..1: the share of the weight earned. */
  ratio: number;
  evidence: { kind: string; name: string; concept?: string; note?: string }[];
  /** What a coach would say; empty when the check passed. */
  hint: string;
  doc?: string;
}

export interface GradeView {
  stages: Record<FlowStage, { score: number; checks: GradeCheck[] }>;
  total: number;
  weakMoves: { move: string; pointsLost: number; checks: string[]; summary: string }[];
}

/** `GET /api/sessions/:id/grade` */
export interface GradeResponse {
  sessionId: string;
  seq: number;
  source: 'live' | 'stored';
  gradedAt: string;
  grade: GradeView;
}
