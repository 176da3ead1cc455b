import type { Grade, GradeSummary } from '@hatch/grader';
import type { Model } from '@hatch/model';

/**
 * Messages between the api's main thread and the grading worker (`grade-worker.ts`). The worker keeps a
 * mirror document per live room (seeded once, then fed every update the room applies, in order), so a
 * grade never has to encode a whole document on the main thread.
 */

/** What the worker needs to start. */
export interface GradeWorkerData {
  /** Marks the data as ours, so importing the worker file anywhere else starts nothing. */
  kind: typeof GRADE_WORKER_KIND;
  scenariosDir: string;
  /** Niceness of the worker thread (Linux; 0 leaves it alone). */
  nice: number;
}

export const GRADE_WORKER_KIND = 'hatch-grade-worker';

/** A job grades either a mirror or a document rebuilt from stored updates (snapshot first). */
export type JobSource = { mirror: number } | { updates: Uint8Array[] };

/** `model`: the model JSON; `grade`: the full grade; `summary`: what a score sample stores; `full`: all three. */
export type JobWant = 'model' | 'grade' | 'summary' | 'full';

export interface GradeJob {
  source: JobSource;
  want: JobWant;
  /** Required unless `want` is `model`. */
  scenarioId?: string;
  /** Drop this mirror once the job is done (the room unloaded while a grade was due). */
  dropMirrorAfter?: number;
}

export interface JobOutput {
  model?: Model;
  grade?: Grade;
  summary?: GradeSummary;
  /** Time spent in the worker (rebuild, toJSON, grade). */
  ms: number;
  /** Stored updates that could not be applied (a damaged log) and were skipped. */
  skippedUpdates: number;
}

export type JobErrorCode = 'MIRROR_MISSING' | 'SCENARIO_NOT_FOUND' | 'GRADE_FAILED';

export type ToWorker =
  | { type: 'seed'; mirror: number; state: Uint8Array }
  /** Updates in the order the rooms applied them: `updates[i]` is for mirror `mirrors[i]`. */
  | { type: 'updates'; mirrors: number[]; updates: Uint8Array[] }
  | { type: 'drop'; mirror: number }
  | { type: 'job'; id: number; job: GradeJob };

export type FromWorker =
  | { type: 'ready'; scenarios: number }
  | { type: 'init-failed'; message: string }
  | { type: 'result'; id: number; ok: true; output: JobOutput }
  | { type: 'result'; id: number; ok: false; code: JobErrorCode; message: string }
  /** A mirror could not take an update: it is gone until seeded again. */
  | { type: 'mirror-lost'; mirror: number; message: string };
