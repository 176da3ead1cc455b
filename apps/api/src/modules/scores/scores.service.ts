import { Injectable } from '@nestjs/common';
import type { Grade } from '@hatch/grader';
import type { Model } from '@hatch/model';
import type { ScoreTimelinePage } from '@hatch/protocol';
import { PostgresUpdateStore } from '../collab/postgres-update-store';
import { ScenarioCatalog } from '../scenarios/scenario-catalog.service';
import { ScenarioNotFoundError } from '../scenarios/scenario-not-found.error';
import { ParticipantAccessService } from '../session-events/participant-access.service';
import type { GradeJob, JobOutput } from './grade-worker.protocol';
import { GradeWorkerHost } from './grade-worker-host';
import { GradeFailedError, GradeJobError } from './grading.errors';
import { LiveGradingService, toScoreUpdate } from './live-grading.service';
import { ScoreSampleRepository } from './score-sample.repository';
import type { DocumentSource, ScoreTimelineQuery, SessionGradeView, SessionModelView } from './scores.dto';

/**
 * The REST side of scores over time. Every participant of the session may read all three (the
 * candidate sees the FLOW panel live, with hints); none of them ever returns the scenario's answer key
 * (reference model, reference answers or SQL) — the grade names reference concepts only.
 */
@Injectable()
export class ScoresService {
  constructor(
    private readonly access: ParticipantAccessService,
    private readonly samples: ScoreSampleRepository,
    private readonly live: LiveGradingService,
    private readonly worker: GradeWorkerHost,
    private readonly store: PostgresUpdateStore,
    private readonly scenarios: ScenarioCatalog,
  ) {}

  async timeline(sessionId: string, token: string | undefined, page: ScoreTimelineQuery): Promise<ScoreTimelinePage> {
    await this.access.authorize(sessionId, token);
    const rows = await this.samples.list(sessionId, { after: page.after, limit: page.limit + 1 });
    const samples = rows.slice(0, page.limit).map(toScoreUpdate);
    return { sessionId, samples, nextAfter: rows.length > page.limit ? samples[samples.length - 1].id : null };
  }

  async model(sessionId: string, token: string | undefined): Promise<SessionModelView> {
    await this.access.authorize(sessionId, token);
    const { output, source, seq } = await this.evaluate(sessionId, { want: 'model' });
    return { sessionId, seq, source, model: output.model as Model };
  }

  async grade(sessionId: string, token: string | undefined): Promise<SessionGradeView> {
    const { session } = await this.access.authorize(sessionId, token);
    const scenario = this.scenarios.find(session.scenarioId);
    if (!scenario) throw new ScenarioNotFoundError(session.scenarioId);
    const { output, source, seq } = await this.evaluate(sessionId, { want: 'grade', scenarioId: scenario.id });
    return { sessionId, seq, source, gradedAt: new Date().toISOString(), grade: output.grade as Grade };
  }

  /** The current model and its full grade, for the server's own use (the interviewer): no token, no answer-key filtering needed. */
  async current(sessionId: string, scenarioId: string): Promise<{ seq: number; grade: Grade; model: Model }> {
    const { output, seq } = await this.evaluate(sessionId, { want: 'full', scenarioId });
    return { seq, grade: output.grade as Grade, model: output.model as Model };
  }

  /** In the worker: the live room's mirror when this process serves the session, else the stored log. */
  private async evaluate(
    sessionId: string,
    request: Omit<GradeJob, 'source'>,
  ): Promise<{ output: JobOutput; source: DocumentSource; seq: number }> {
    const live = this.live.liveSource(sessionId);
    if (live) {
      try {
        return { output: await this.run({ ...request, source: { mirror: live.mirror } }), source: 'live', seq: live.seq };
      } catch (error) {
        // The room unloaded while the job waited: its log is complete, read that instead.
        if (!(error instanceof GradeJobError && error.code === 'MIRROR_MISSING')) throw error;
      }
    }
    const stored = await this.store.load(sessionId);
    const updates = [...(stored.snapshot ? [stored.snapshot.state] : []), ...stored.updates.map((row) => row.update)];
    const seq = stored.updates.at(-1)?.seq ?? stored.snapshot?.seq ?? 0;
    return { output: await this.run({ ...request, source: { updates } }), source: 'stored', seq };
  }

  private async run(job: GradeJob): Promise<JobOutput> {
    try {
      return await this.worker.run(job);
    } catch (error) {
      if (error instanceof GradeJobError && error.code === 'SCENARIO_NOT_FOUND') throw new ScenarioNotFoundError(job.scenarioId ?? '');
      if (error instanceof GradeJobError && error.code === 'GRADE_FAILED') throw new GradeFailedError(error.message);
      throw error;
    }
  }
}
