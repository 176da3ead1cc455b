import { setPriority } from 'node:os';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { grade, gradeSummary } from '@hatch/grader';
import { toJSON } from '@hatch/model';
import { loadScenarioLibrary, type ScenarioLibrary } from '@hatch/scenarios';
import * as Y from 'yjs';
import { type FromWorker, GRADE_WORKER_KIND, type GradeJob, type GradeWorkerData, type JobErrorCode, type JobOutput, type ToWorker } from './grade-worker.protocol';

/**
 * The grading worker: `toJSON` + `grade` off the api's event loop. One per api process, started by
 * `GradeWorkerHost`; it loads the scenario library itself (from the same folder as the app) and imports
 * nothing of Nest. Messages are handled one at a time, in order, so a job sees every update posted
 * before it.
 */
class JobError extends Error {
  constructor(
    readonly code: JobErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export class GradeWorkerCore {
  private readonly mirrors = new Map<number, Y.Doc>();

  constructor(
    private readonly library: ScenarioLibrary,
    private readonly send: (message: FromWorker) => void,
  ) {}

  handle(message: ToWorker): void {
    switch (message.type) {
      case 'seed': {
        this.mirrors.get(message.mirror)?.destroy();
        const doc = new Y.Doc();
        this.mirrors.set(message.mirror, doc);
        this.apply(message.mirror, doc, message.state);
        return;
      }
      case 'updates':
        message.mirrors.forEach((mirror, i) => {
          const doc = this.mirrors.get(mirror);
          if (doc) this.apply(mirror, doc, message.updates[i]);
        });
        return;
      case 'drop':
        this.drop(message.mirror);
        return;
      case 'job':
        this.run(message.id, message.job);
        return;
    }
  }

  private apply(mirror: number, doc: Y.Doc, update: Uint8Array): void {
    try {
      Y.applyUpdate(doc, update);
    } catch (error) {
      // The room applied this update, so this should not happen; if it does, ask for a fresh seed.
      this.drop(mirror);
      this.send({ type: 'mirror-lost', mirror, message: (error as Error)?.message ?? String(error) });
    }
  }

  private drop(mirror: number): void {
    this.mirrors.get(mirror)?.destroy();
    this.mirrors.delete(mirror);
  }

  private run(id: number, job: GradeJob): void {
    try {
      this.send({ type: 'result', id, ok: true, output: this.execute(job) });
    } catch (error) {
      const code = error instanceof JobError ? error.code : 'GRADE_FAILED';
      this.send({ type: 'result', id, ok: false, code, message: (error as Error)?.message ?? String(error) });
    } finally {
      if (job.dropMirrorAfter !== undefined) this.drop(job.dropMirrorAfter);
    }
  }

  private execute(job: GradeJob): JobOutput {
    const started = performance.now();
    let skippedUpdates = 0;
    let doc: Y.Doc;
    let temporary = false;
    if ('mirror' in job.source) {
      const mirror = this.mirrors.get(job.source.mirror);
      if (!mirror) throw new JobError('MIRROR_MISSING', `no mirror document ${job.source.mirror}`);
      doc = mirror;
    } else {
      doc = new Y.Doc();
      temporary = true;
      for (const update of job.source.updates) {
        try {
          Y.applyUpdate(doc, update);
        } catch {
          skippedUpdates++;
        }
      }
    }
    try {
      const model = toJSON(doc);
      if (job.want === 'model') return { model, ms: performance.now() - started, skippedUpdates };
      const scenario = job.scenarioId === undefined ? undefined : this.library.get(job.scenarioId);
      if (!scenario) throw new JobError('SCENARIO_NOT_FOUND', `there is no scenario "${job.scenarioId}" in the library`);
      const result = grade(model, scenario);
      const output =
        job.want === 'grade'
          ? { grade: result }
          : job.want === 'full'
            ? { model, grade: result, summary: gradeSummary(result) }
            : { summary: gradeSummary(result) };
      return { ...output, ms: performance.now() - started, skippedUpdates };
    } finally {
      if (temporary) doc.destroy();
    }
  }
}

/**
 * Lowers this thread's scheduling priority: relaying and acknowledging edits come first, grades use what
 * is left. On Linux the nice value is per thread and `setpriority` on "process" 0 means the calling
 * thread; elsewhere it would nice the whole api, so it is left alone there.
 */
export function lowerThreadPriority(nice: number): boolean {
  if (process.platform !== 'linux' || nice <= 0) return false;
  try {
    setPriority(0, nice);
    return true;
  } catch {
    return false;
  }
}

function start(port: MessagePort, data: GradeWorkerData): void {
  lowerThreadPriority(data.nice);
  let core: GradeWorkerCore;
  try {
    const library = loadScenarioLibrary(data.scenariosDir);
    core = new GradeWorkerCore(library, (message) => port.postMessage(message));
    port.postMessage({ type: 'ready', scenarios: library.list().length } satisfies FromWorker);
  } catch (error) {
    port.postMessage({ type: 'init-failed', message: (error as Error)?.message ?? String(error) } satisfies FromWorker);
    return;
  }
  port.on('message', (message: ToWorker) => core.handle(message));
}

const data = workerData as GradeWorkerData | undefined;
if (parentPort && data?.kind === GRADE_WORKER_KIND) start(parentPort, data);
