import { basename, extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { REPO_ROOT } from '../../config/paths';
import { GradeJobError, GraderUnavailableError } from './grading.errors';
import { type FromWorker, GRADE_WORKER_KIND, type GradeJob, type GradeWorkerData, type JobOutput, type ToWorker } from './grade-worker.protocol';

/** How to start the worker thread. */
export interface GradeWorkerEntry {
  file: string;
  execArgv: string[];
  env?: Record<string, string>;
}

/**
 * The built app runs `grade-worker.js` beside this file. From source (Jest, `node -r @swc-node/register`)
 * there is only `grade-worker.ts`, which Jest's transform never sees (a worker is a fresh Node context):
 * the worker compiles it on the fly with `@swc-node/register`, whose tsconfig paths point `@hatch/*` at
 * the libraries' sources, as Jest does.
 */
export function defaultGradeWorkerEntry(): GradeWorkerEntry {
  if (extname(__filename) !== '.ts') return { file: join(__dirname, 'grade-worker.js'), execArgv: [] };
  return {
    file: join(__dirname, 'grade-worker.ts'),
    execArgv: ['--require', require.resolve('@swc-node/register')],
    env: { SWC_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.base.json') },
  };
}

export interface GradeWorkerLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface GradeWorkerHostOptions {
  scenariosDir: string;
  /** A job running longer stops the worker (which is restarted) and fails with GRADER_UNAVAILABLE. */
  timeoutMs: number;
  logger: GradeWorkerLogger;
  /** Heap limit of the worker: a document too big for it kills the worker, never the api. Default 512. */
  maxOldGenerationSizeMb?: number;
  /** Restart delay after a crash, doubling per crash in a row. Default 100 ms up to 5 s. */
  restartDelayMs?: { initial: number; max: number };
  /** Jobs waiting beyond this many are refused (GRADER_UNAVAILABLE). Default 200. */
  maxQueuedJobs?: number;
  entry?: GradeWorkerEntry;
  /** Niceness of the worker thread, so grading never slows relaying and acknowledging (Linux). Default 10. */
  nice?: number;
}

export interface GradeWorkerStats {
  /** Workers started after the first. */
  restarts: number;
  timeouts: number;
  completed: number;
  failed: number;
}

interface QueuedJob {
  job: GradeJob;
  resolve(output: JobOutput): void;
  reject(error: unknown): void;
}

interface LatestJob<M> {
  prepare(): { job: GradeJob; meta: M } | undefined;
  resolve(value: { output: JobOutput; meta: M } | undefined): void;
  reject(error: unknown): void;
}

interface InFlight {
  id: number;
  resolve(output: JobOutput): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout;
}

/**
 * One grading worker thread per api process, and the queue in front of it. One job runs at a time;
 * `runLatest` jobs are keyed (per session) and a newer one replaces a waiting one (latest wins), and
 * are prepared only when the worker is free, so they grade the freshest state. Mirror messages
 * (`seed`, `update`, `drop`) go straight through, in order with the jobs. A job over the time limit
 * stops the worker; a worker that dies (timeout, out of memory, crash) is restarted with a backoff,
 * `onRestart` listeners re-seed the mirrors, and only the job it was running fails.
 */
export class GradeWorkerHost {
  private worker: Worker | undefined;
  private ready = false;
  private closed = false;
  private started = 0;
  private initError: string | undefined;
  private lastError: string | undefined;
  private consecutiveFailures = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private inFlight: InFlight | undefined;
  private nextId = 1;
  private readonly queue: QueuedJob[] = [];
  private readonly latest = new Map<string, LatestJob<unknown>>();
  private readonly restartListeners: Array<() => void> = [];
  private readonly mirrorLostListeners: Array<(mirror: number) => void> = [];
  private readonly counters: GradeWorkerStats = { restarts: 0, timeouts: 0, completed: 0, failed: 0 };
  /** Mirror updates not posted yet (see `update`). */
  private pendingUpdates: { mirrors: number[]; updates: Uint8Array[] } = { mirrors: [], updates: [] };
  private flushScheduled = false;
  private exited: Promise<void> = Promise.resolve();
  private entryFile = '';

  constructor(private readonly options: GradeWorkerHostOptions) {
    this.spawn();
  }

  get stats(): GradeWorkerStats {
    return { ...this.counters };
  }

  /** Called after each restart, before any job reaches the new worker: post the seeds again. */
  onRestart(listener: () => void): void {
    this.restartListeners.push(listener);
  }

  onMirrorLost(listener: (mirror: number) => void): void {
    this.mirrorLostListeners.push(listener);
  }

  /** The state stays usable by the caller (a room's own encoded document): a copy is moved, not it. */
  seed(mirror: number, state: Uint8Array): void {
    const bytes = new Uint8Array(state);
    this.post({ type: 'seed', mirror, state: bytes }, [bytes.buffer as ArrayBuffer]);
  }

  /**
   * The update stays usable by the caller (it is copied, never transferred). Updates are posted in one
   * message per turn of the event loop (a `postMessage` per update costs more than the fan-out itself),
   * and always before any later seed, drop or job.
   */
  update(mirror: number, update: Uint8Array): void {
    if (!this.worker) return; // restarting: the restart re-seeds from the rooms
    this.pendingUpdates.mirrors.push(mirror);
    this.pendingUpdates.updates.push(new Uint8Array(update));
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flushUpdates();
      });
    }
  }

  drop(mirror: number): void {
    this.post({ type: 'drop', mirror });
  }

  run(job: GradeJob): Promise<JobOutput> {
    const refusal = this.refusal();
    if (refusal) return Promise.reject(refusal);
    if (this.queue.length >= (this.options.maxQueuedJobs ?? 200)) {
      return Promise.reject(new GraderUnavailableError('too many grades are waiting; try again shortly'));
    }
    return new Promise<JobOutput>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  /**
   * Queues a keyed job; `prepare` runs when the worker is free (undefined: nothing to do). Resolves
   * undefined when a newer job with the same key replaced it before it ran.
   */
  runLatest<M>(key: string, prepare: () => { job: GradeJob; meta: M } | undefined): Promise<{ output: JobOutput; meta: M } | undefined> {
    const refusal = this.refusal();
    if (refusal) return Promise.reject(refusal);
    return new Promise((resolve, reject) => {
      this.latest.get(key)?.resolve(undefined);
      this.latest.set(key, { prepare, resolve, reject } as LatestJob<unknown>);
      this.dispatch();
    });
  }

  /** Stops the worker for good; waiting and running jobs fail with GRADER_UNAVAILABLE. */
  async close(): Promise<void> {
    if (this.closed) return this.exited;
    this.closed = true;
    clearTimeout(this.restartTimer);
    const shutDown = new GraderUnavailableError('the server is shutting down');
    this.failWaiting(shutDown);
    if (this.inFlight) {
      clearTimeout(this.inFlight.timer);
      this.inFlight.reject(shutDown);
      this.inFlight = undefined;
    }
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate().catch(() => undefined);
    await this.exited;
  }

  // ---- the worker's life -------------------------------------------------------------------------

  private spawn(): void {
    if (this.closed) return;
    const entry = this.options.entry ?? defaultGradeWorkerEntry();
    this.entryFile = basename(entry.file);
    const data: GradeWorkerData = { kind: GRADE_WORKER_KIND, scenariosDir: this.options.scenariosDir, nice: this.options.nice ?? 10 };
    const worker = new Worker(entry.file, {
      workerData: data,
      execArgv: entry.execArgv,
      env: { ...process.env, ...entry.env },
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxOldGenerationSizeMb ?? 512 },
    });
    // Never keeps the process alive by itself (the app's close stops it anyway).
    worker.unref();
    this.worker = worker;
    this.ready = false;
    this.lastError = undefined;
    let exited!: () => void;
    this.exited = new Promise<void>((resolve) => (exited = resolve));
    worker.on('message', (message: FromWorker) => this.onMessage(worker, message));
    worker.on('error', (error) => {
      if (worker === this.worker) this.lastError = error.message;
    });
    worker.on('exit', (code) => {
      exited();
      this.onExit(worker, code);
    });
    if (this.started++ > 0) {
      this.counters.restarts++;
      for (const listener of this.restartListeners) {
        try {
          listener();
        } catch (error) {
          this.options.logger.error(`Re-seeding the grading worker failed: ${(error as Error)?.message ?? String(error)}`);
        }
      }
    }
  }

  private onMessage(worker: Worker, message: FromWorker): void {
    if (worker !== this.worker) return;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.initError = undefined;
        this.options.logger.log(`Grading worker ready (${this.entryFile}, ${message.scenarios} scenarios)`);
        this.dispatch();
        return;
      case 'init-failed':
        this.initError = message.message;
        this.options.logger.error(`The grading worker could not start: ${message.message}`);
        this.failWaiting(new GraderUnavailableError(`the grading worker could not start: ${message.message}`));
        return;
      case 'mirror-lost':
        this.options.logger.warn(`The grading worker lost mirror ${message.mirror}: ${message.message}`);
        for (const listener of this.mirrorLostListeners) listener(message.mirror);
        return;
      case 'result': {
        const running = this.inFlight;
        if (!running || running.id !== message.id) return;
        clearTimeout(running.timer);
        this.inFlight = undefined;
        if (message.ok) {
          this.consecutiveFailures = 0;
          this.counters.completed++;
          running.resolve(message.output);
        } else {
          this.counters.failed++;
          running.reject(new GradeJobError(message.code, message.message));
        }
        this.dispatch();
        return;
      }
    }
  }

  private onExit(worker: Worker, code: number): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    this.pendingUpdates = { mirrors: [], updates: [] }; // meant for the dead worker: the restart re-seeds
    this.ready = false;
    if (this.closed) return;
    const reason = this.lastError ?? `exit code ${code}`;
    if (this.inFlight) {
      clearTimeout(this.inFlight.timer);
      this.counters.failed++;
      this.inFlight.reject(new GraderUnavailableError(`the grading worker stopped while grading (${reason})`));
      this.inFlight = undefined;
    }
    this.consecutiveFailures++;
    const { initial, max } = this.options.restartDelayMs ?? { initial: 100, max: 5000 };
    const delay = Math.min(max, initial * 2 ** (this.consecutiveFailures - 1));
    this.options.logger.error(`The grading worker stopped (${reason}); restarting it in ${delay} ms`);
    this.restartTimer = setTimeout(() => this.spawn(), delay);
    this.restartTimer.unref();
  }

  // ---- jobs --------------------------------------------------------------------------------------

  private refusal(): GraderUnavailableError | undefined {
    if (this.closed) return new GraderUnavailableError('the server is shutting down');
    if (this.initError && !this.ready) return new GraderUnavailableError(`the grading worker could not start: ${this.initError}`);
    return undefined;
  }

  private dispatch(): void {
    const worker = this.worker;
    if (!worker || !this.ready || this.inFlight || this.closed) return;
    for (;;) {
      const queued = this.queue.shift();
      if (queued) {
        this.start(worker, queued.job, queued.resolve, queued.reject);
        return;
      }
      const next = this.latest.entries().next();
      if (next.done) return;
      const [key, keyed] = next.value;
      this.latest.delete(key);
      let prepared: { job: GradeJob; meta: unknown } | undefined;
      try {
        prepared = keyed.prepare();
      } catch (error) {
        keyed.reject(error);
        continue;
      }
      if (!prepared) {
        keyed.resolve(undefined);
        continue;
      }
      const { job, meta } = prepared;
      this.start(worker, job, (output) => keyed.resolve({ output, meta }), keyed.reject);
      return;
    }
  }

  private start(worker: Worker, job: GradeJob, resolve: (output: JobOutput) => void, reject: (error: unknown) => void): void {
    const id = this.nextId++;
    const timer = setTimeout(() => this.timedOut(worker, id), this.options.timeoutMs);
    timer.unref();
    this.inFlight = { id, resolve, reject, timer };
    const transfer: ArrayBuffer[] = [];
    if ('updates' in job.source) {
      // Copies (the caller keeps its buffers), moved rather than cloned a second time.
      // `new Uint8Array(x)` copies into its own buffer; a Buffer's `slice()` is a view of a shared pool
      const updates = job.source.updates.map((update) => new Uint8Array(update));
      job = { ...job, source: { updates } };
      for (const update of updates) transfer.push(update.buffer as ArrayBuffer);
    }
    try {
      this.post({ type: 'job', id, job }, transfer);
    } catch (error) {
      clearTimeout(timer);
      this.inFlight = undefined;
      reject(new GraderUnavailableError(`the job could not be sent to the grading worker: ${(error as Error)?.message ?? String(error)}`));
      this.dispatch();
    }
  }

  private timedOut(worker: Worker, id: number): void {
    const running = this.inFlight;
    if (!running || running.id !== id || worker !== this.worker) return;
    this.inFlight = undefined;
    this.ready = false;
    this.counters.timeouts++;
    this.counters.failed++;
    this.lastError = `a grade took longer than ${this.options.timeoutMs} ms`;
    running.reject(new GraderUnavailableError(`grading took longer than ${this.options.timeoutMs} ms`));
    // Terminating is the only way to stop synchronous work in a thread; `exit` restarts it.
    void worker.terminate();
  }

  private failWaiting(error: GraderUnavailableError): void {
    for (const queued of this.queue.splice(0)) queued.reject(error);
    const keyed = [...this.latest.values()];
    this.latest.clear();
    for (const job of keyed) job.reject(error);
  }

  private post(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    if (message.type !== 'updates') this.flushUpdates();
    const worker = this.worker;
    // Without a worker (restarting) mirror messages are dropped: the restart re-seeds from the rooms.
    if (!worker) return;
    worker.postMessage(message, transfer);
  }

  private flushUpdates(): void {
    const { mirrors, updates } = this.pendingUpdates;
    if (mirrors.length === 0) return;
    this.pendingUpdates = { mirrors: [], updates: [] };
    this.post({ type: 'updates', mirrors, updates });
  }
}
