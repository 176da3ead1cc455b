import { addField, addIndex, renameField, updateField } from '@hatch/model';
import { AI_INTERVIEWER_ACTOR, type FollowUp, type TimelineEvent } from '@hatch/protocol';
import { testBackends } from '../../testing/test-databases';
import type { CreatedSession } from '../sessions/session.dto';
import { createTestSession } from '../session-events/session-events.test-util';
import { InterviewerLeaseRepository } from './interviewer-lease.repository';
import { InterviewerService } from './interviewer.service';
import { buildWeakModel, frameEverything, INTERVIEW_SCENARIO_ID, noneFor, type Role, useInterviewerApp } from './interviewer.test-util';

interface GradeCheck {
  id: string;
  status: string;
  move: string;
}

describe.each(testBackends())('the AI interviewer in a mock session on $name', (backend) => {
  const rig = useInterviewerApp(backend);
  const { join } = rig;
  const get = (session: CreatedSession, path: string, role: Role = 'interviewer') => rig.api(session, path, role);
  /** The failing checks of the session's current grade, by stage. */
  const failing = async (session: CreatedSession, stage: string): Promise<GradeCheck[]> => {
    const { body } = await get(session, 'grade');
    return (body.grade.stages[stage].checks as GradeCheck[]).filter((c) => c.status === 'failed' || c.status === 'partial');
  };
  /** The follow-up targets a move the grade finds weak now, in the session's stage: its checks are failing checks of that move. */
  const expectAimedAtWeakMove = async (session: CreatedSession, followUp: FollowUp, move: string) => {
    expect(followUp.probe).toMatchObject({ stage: followUp.stage, move });
    const weak = (await failing(session, followUp.stage)).filter((c) => c.move === move).map((c) => c.id);
    expect(weak.length).toBeGreaterThan(0);
    expect(followUp.probe.checks.length).toBeGreaterThan(0);
    expect(weak).toEqual(expect.arrayContaining(followUp.probe.checks));
  };

  it('[IV1] a scripted candidate edits and chats; the AI asks about the real weak moves, each closes when fixed or answered, and the questions stop once the moves are fixed', async () => {
    const session = await createTestSession(rig.hatch.url, INTERVIEW_SCENARIO_ID, 'mock');
    const candidate = await join(session, 'candidate'); // the first candidate starts the session
    const observer = await join(session, 'observer');
    await candidate.next('session', (s) => s.status === 'live');
    const { doc } = await rig.edit(session);

    // Frame done, and a first model with three weak moves: money-and-time, history (List), access-pattern-indexes (Optimize).
    frameEverything(doc);
    const model = buildWeakModel(doc);

    // Frame scores 100: at the end of its (paced) time the AI moves on.
    const toList = await candidate.next('stage', (s) => s.stage === 'list', 20_000);
    expect(toList).toMatchObject({ previous: 'frame', changedBy: AI_INTERVIEWER_ACTOR });

    // List: the costliest weak move first.
    const money = await candidate.next('followup', () => true, 15_000);
    expect(money).toMatchObject({ askedBy: AI_INTERVIEWER_ACTOR, bankId: 'invoice-money', stage: 'list', status: 'open', answer: null });
    expect(money.why).toMatch(/Money and time lost [\d.]+ points of List/);
    await expectAimedAtWeakMove(session, money, 'money-and-time');
    expect(money.baseline?.pointsLost).toBeGreaterThan(0);

    // The candidate fixes the move in the model: integer minor units and a currency.
    renameField(doc, { entityId: model.invoices, fieldId: model.total, name: 'total_minor' });
    updateField(doc, { entityId: model.invoices, fieldId: model.total, type: 'bigint' });
    addField(doc, { entityId: model.invoices, name: 'currency', type: 'text' });
    const moneyClosed = await candidate.next('followup:closed', (c) => c.followUpId === money.id, 10_000);
    expect(moneyClosed).toMatchObject({ how: 'model', answer: null, chatId: null, closedBy: AI_INTERVIEWER_ACTOR, improvement: { improved: true, now: 0 } });
    expect(moneyClosed.improvement?.before).toBe(money.baseline?.pointsLost);

    // Next weak move of List: history. The candidate answers in chat, then fixes it.
    const history = await candidate.next('followup', (f) => f.id !== money.id, 15_000);
    expect(history).toMatchObject({ bankId: 'invoice-history', stage: 'list' });
    await expectAimedAtWeakMove(session, history, 'history');
    const ack = await candidate.socket.emitWithAck('chat:send', { text: 'Every table gets created_at timestamptz NOT NULL DEFAULT now().' });
    if (!ack.ok) throw new Error(ack.message);
    const historyClosed = await candidate.next('followup:closed', (c) => c.followUpId === history.id, 10_000);
    expect(historyClosed).toMatchObject({ how: 'chat', chatId: ack.message.id, answer: 'Every table gets created_at timestamptz NOT NULL DEFAULT now().' });
    for (const entityId of [model.tenants, model.invoices]) addField(doc, { entityId, name: 'created_at', type: 'timestamptz', nullable: false, default: 'now()' });

    // Optimize: the index the access pattern needs.
    const toOptimize = await candidate.next('stage', (s) => s.stage === 'optimize', 20_000);
    expect(toOptimize.changedBy).toEqual(AI_INTERVIEWER_ACTOR);
    expect(await failing(session, 'list')).toEqual([]);
    const lookup = await candidate.next('followup', (f) => f.stage === 'optimize', 15_000);
    expect(lookup.bankId).toBe('status-lookup');
    await expectAimedAtWeakMove(session, lookup, 'access-pattern-indexes');
    addIndex(doc, { entityId: model.invoices, fieldIds: [model.tenantId, model.status] });
    const lookupClosed = await candidate.next('followup:closed', (c) => c.followUpId === lookup.id, 10_000);
    expect(lookupClosed).toMatchObject({ how: 'model', improvement: { improved: true, now: 0 } });

    // Every probed move is fixed: no more follow-ups, whatever the AI does next (it moves on to Win).
    await candidate.next('stage', (s) => s.stage === 'win', 20_000);
    await noneFor(candidate, 'followup', 2500);
    expect(candidate.all('followup').map((f) => f.probe.move)).toEqual(['money-and-time', 'history', 'access-pattern-indexes']);
    for (const move of ['money-and-time', 'history', 'access-pattern-indexes']) {
      expect((await failing(session, 'list')).concat(await failing(session, 'optimize')).filter((c) => c.move === move)).toEqual([]);
    }

    // Everyone in the room got them; the session history holds them with their answers.
    expect(observer.all('followup').map((f) => f.id)).toEqual([money.id, history.id, lookup.id]);
    expect(observer.all('followup:closed').map((c) => c.followUpId)).toEqual([money.id, history.id, lookup.id]);
    const timeline = (await get(session, 'events?limit=500', 'reviewer')).body.events as TimelineEvent[];
    const stored = timeline.filter((e) => e.type === 'followup' || e.type === 'followup:closed');
    expect(stored.map((e) => [e.type, e.id])).toEqual([
      ['followup', money.id],
      ['followup:closed', moneyClosed.id],
      ['followup', history.id],
      ['followup:closed', historyClosed.id],
      ['followup', lookup.id],
      ['followup:closed', lookupClosed.id],
    ]);
    expect(stored[0]).toMatchObject({ actorParticipantId: null, payload: { question: money.question, probe: money.probe, askedBy: AI_INTERVIEWER_ACTOR } });
    const listed = (await get(session, 'followups', 'observer')).body.followUps as FollowUp[];
    expect(listed.map((f) => [f.id, f.status, f.answer?.how])).toEqual([
      [money.id, 'answered', 'model'],
      [history.id, 'answered', 'chat'],
      [lookup.id, 'answered', 'model'],
    ]);
    const view = await get(session, 'interviewer', 'candidate');
    expect(view.body).toMatchObject({ sessionId: session.sessionId, mode: 'mock', kind: 'offline', model: null, usage: null, openFollowUp: null });
    expect(view.body.suggestions).toBeUndefined();

    // One process drove it, under its lease.
    const lease = await rig.hatch.app.get(InterviewerLeaseRepository).find(session.sessionId);
    expect(lease?.holder).toBe(rig.hatch.app.get(InterviewerService).holder);
  }, 120_000);
});
