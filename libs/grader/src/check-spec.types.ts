import type { Cardinality, ConstraintKind } from '@hatch/model';
import type { Stage } from '@hatch/scenarios';
import type { Move } from './grade.types';

/** A constraint the reference model uses to enforce an invariant, in reference names. */
export interface ExpectedConstraint {
  concept: string;
  kind: ConstraintKind;
  /** Reference field names of the concept's entity. */
  fields: string[];
  /** A partial unique index (`WHERE …`). */
  partial: boolean;
  /** `foreign_key`: the concept the key points at. */
  targetConcept?: string;
  /** `unique (tenant_id, idempotency_key) on usage_events`. */
  label: string;
}

/** Consecutive key fields of one concept: the leading columns one index must have. */
export interface KeyRun {
  concept: string;
  fields: string[];
}

interface SpecBase {
  id: string;
  stage: Stage;
  move: Move;
  weight: number;
  title: string;
  doc: string;
  /** An authored hint replaces the generated one. */
  hint?: string;
}

/**
 * What one rubric check evaluates. Derived checks come from the scenario's structured data;
 * authored rubric entries (`RubricCheck`) are translated to the same shapes.
 */
export type CheckSpec = SpecBase &
  (
    | { kind: 'concept'; concept: string }
    | { kind: 'required-concepts'; concepts: string[] }
    | { kind: 'required-fields'; concept: string; fields: string[] }
    | { kind: 'relationship'; from: string; to: string; cardinality: Cardinality }
    | { kind: 'constraints'; rule: string | null; expected: ExpectedConstraint[] }
    | { kind: 'access-pattern'; pattern: string; runs: KeyRun[] }
    | { kind: 'tenant-scoped'; concepts: string[] }
    | { kind: 'unique-keys-include-tenant'; concepts: string[] }
    | { kind: 'append-only'; concept: string; parts: string[] }
    | { kind: 'validity-range'; concept: string }
    | { kind: 'state-history'; concept: string; field: string }
    | { kind: 'idempotency-key'; concept: string; field: string }
    | { kind: 'money'; concepts: string[] }
    | { kind: 'event'; name: string; aliases: string[]; concept: string | null; properties: string[] }
    | { kind: 'answerable'; question: string; maxHops: number | null }
    | { kind: 'win-answer'; question: string }
    | { kind: 'frame-domain' }
    | { kind: 'frame-actors' }
    | { kind: 'frame-rules' }
    | { kind: 'frame-access-patterns' }
    | { kind: 'frame-tenancy' }
    | { kind: 'frame-mentions'; terms: string[]; min: number }
  );

export type CheckSpecKind = CheckSpec['kind'];
