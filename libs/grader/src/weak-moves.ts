import { getOrCreate } from './collections';
import type { Check, Move, Stage, StageGrade, WeakMove } from './grade.types';

/** One line of coaching per move, followed by the costliest check's hint. */
export const MOVE_SUMMARIES: Record<string, string> = {
  framing: 'Frame before you model: the actors, the rules, the access patterns with their frequency, and the tenancy.',
  entities: 'List the core entities the product cannot work without, with their key fields.',
  relationships: 'Relate the entities with foreign keys and the right cardinality, and say what happens on delete.',
  'keys-and-constraints': 'Let the database enforce the invariants: primary keys, unique keys and checks.',
  idempotency: 'Make retried writes harmless: a client idempotency key, unique per tenant.',
  'money-and-time': 'Store money exactly (integer minor units plus currency) and instants as timestamptz.',
  naming: 'Name things one way: one casing, one inflection, one type per column name, no reserved words.',
  'tracking-plan': 'Track the events the product questions need, tied to their entities.',
  'event-naming': 'Name events object + past-tense action in one casing, with typed, described properties and no values in names.',
  'tenant-boundaries': 'Keep every row inside its tenant: tenant_id with a foreign key, in every unique key and composite foreign key.',
  history: 'Keep history instead of overwriting it: append-only logs, validity ranges, state transitions.',
  'access-pattern-indexes': 'Index for the access patterns: the leading columns match the equality filters, then the sort.',
  answerability: 'Show how the model answers the product questions: the tables, the join path to a timestamped fact, the SQL.',
};

/** Stage points a check costs: its share of the stage's weight it did not earn. */
export function pointsLost(check: Check, stageWeight: number): number {
  return stageWeight === 0 ? 0 : (100 * check.weight * (1 - check.ratio)) / stageWeight;
}

/** Failed and partial checks grouped by move, costliest move first; ties by move name. */
export function weakMoves(stages: Record<Stage, StageGrade>): WeakMove[] {
  const byMove = new Map<Move, { lost: number; checks: { id: string; lost: number; hint: string }[] }>();
  for (const stage of Object.values(stages)) {
    const total = stage.checks.reduce((sum, check) => sum + check.weight, 0);
    for (const check of stage.checks) {
      const lost = pointsLost(check, total);
      if (lost <= 0) continue;
      const entry = getOrCreate(byMove, check.move, () => ({ lost: 0, checks: [] as { id: string; lost: number; hint: string }[] }));
      entry.lost += lost;
      entry.checks.push({ id: check.id, lost, hint: check.hint });
    }
  }
  const moves: WeakMove[] = [];
  for (const [move, entry] of byMove) {
    entry.checks.sort((a, b) => b.lost - a.lost || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const top = entry.checks[0]?.hint;
    const summary = MOVE_SUMMARIES[move] ?? 'Revisit these checks.';
    moves.push({
      move,
      pointsLost: Math.round(entry.lost * 10) / 10,
      checks: entry.checks.map((c) => c.id),
      summary: top ? `${summary} Next: ${top}` : summary,
    });
  }
  return moves
    .filter((move) => move.pointsLost > 0)
    .sort((a, b) => b.pointsLost - a.pointsLost || (a.move < b.move ? -1 : a.move > b.move ? 1 : 0));
}
