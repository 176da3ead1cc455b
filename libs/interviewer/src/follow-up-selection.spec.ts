import type { Stage } from '@hatch/grader';
import type { Model } from '@hatch/model';
import type { Scenario } from '@hatch/scenarios';
import { stageWeakMoves } from './grade-view';
import {
  clearFrame,
  clearWinAnswers,
  dropIdempotencyKeys,
  dropIndexes,
  dropTenantForeignKeys,
  floatMoney,
  makeAuditLogMutable,
  MIN,
  mixEventCasing,
  scenario,
  stateOf,
} from './interviewer.test-util';
import { createOfflineInterviewer } from './offline-interviewer';

/**
 * Table-driven: the reference model of a real scenario with one injected defect, graded by the
 * real grader, half-way through the stage the defect hurts → the follow-up the offline interviewer asks.
 */

type Defect = (model: Model, s: Scenario) => Model;

const cases: [string, string, Stage, string, string, Defect][] = [
  ['saas-billing-metering-audit', 'tenant ids lose their foreign key', 'optimize', 'cross-tenant-invoices', 'tenant-boundaries', dropTenantForeignKeys],
  ['saas-billing-metering-audit', 'the audit log gets updated_at', 'optimize', 'audit-immutability', 'history', makeAuditLogMutable],
  ['saas-billing-metering-audit', 'every index dropped', 'optimize', 'invoice-index-order', 'access-pattern-indexes', dropIndexes],
  ['saas-billing-metering-audit', 'money as floats', 'list', 'money-representation', 'money-and-time', floatMoney],
  ['saas-billing-metering-audit', 'idempotency keys not unique', 'list', 'retried-usage', 'idempotency', dropIdempotencyKeys],
  ['saas-billing-metering-audit', 'no frame notes', 'frame', 'who-is-the-customer', 'framing', clearFrame],
  ['saas-billing-metering-audit', 'no win answers', 'win', 'revenue-question', 'answerability', clearWinAnswers],
  ['compliance-audit-trail', 'the audit log gets updated_at', 'optimize', 'tamper-evidence', 'history', makeAuditLogMutable],
  ['ai-assistant-event-taxonomy', 'events in two casings', 'list', 'naming-convention', 'event-naming', mixEventCasing],
  ['ecommerce-checkout-tracking-plan', 'events in two casings', 'list', 'numbered-steps', 'event-naming', mixEventCasing],
  ['usage-based-api-billing', 'idempotency keys not unique', 'list', 'retried-usage', 'idempotency', dropIdempotencyKeys],
  ['subscription-saas-entitlements', 'tenant ids lose their foreign key', 'optimize', 'tenant-scoping', 'tenant-boundaries', dropTenantForeignKeys],
  ['freelance-marketplace-escrow', 'money as floats', 'list', 'currency-mix', 'money-and-time', floatMoney],
  ['marketplace-listings-bookings-disputes', 'every index dropped', 'optimize', 'host-inbox-denormalization', 'access-pattern-indexes', dropIndexes],
  ['b2b-project-tracker-rbac', 'no win answers', 'win', 'churn-signal', 'answerability', clearWinAnswers],
];

describe('offline follow-up selection from real grades', () => {
  it.each(cases)('[FS1] %s: %s → in %s asks %s about %s', async (id, _name, stage, bankId, move, defect) => {
    const s = scenario(id);
    const model = defect(s.referenceModel, s);
    const half = (s.timePerStage[stage] * MIN) / 2;
    const state = stateOf(s, { model, stage, stageStartedAt: 0, now: half, lastProgressAt: half - 30_000 });
    const grade = state.grade;
    if (!grade) throw new Error('graded');
    // The defect made `move` the costliest weak move of the stage.
    expect(stageWeakMoves(grade, stage)[0].move).toBe(move);

    const next = await createOfflineInterviewer().next(state);
    expect(next).toMatchObject({ kind: 'followup', bankId, probe: { stage, move } });
    if (next.kind !== 'followup') return;
    expect(next.question).toBe(s.followUps.find((f) => f.id === bankId)?.question);
    // The probe names the failing checks of that move, so a later grade shows whether it improved.
    const failing = grade.stages[stage].checks.filter((c) => c.move === move && (c.status === 'failed' || c.status === 'partial')).map((c) => c.id);
    expect(next.probe.checks.length).toBeGreaterThan(0);
    expect(failing).toEqual(expect.arrayContaining(next.probe.checks));
    expect(next.why).toContain(move.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase()));

    // A human interviewer sees the same question first among the suggestions.
    const suggestions = createOfflineInterviewer().suggest(state, 3);
    expect(suggestions[0]).toEqual(next);
  });

  it('[FS2] the reference model of the same stage gets no weak-move question: the stage is strong, so it goes deeper', async () => {
    const s = scenario('saas-billing-metering-audit');
    const state = stateOf(s, { stage: 'optimize', now: 6 * MIN, lastProgressAt: 6 * MIN - 10_000 });
    const next = await createOfflineInterviewer().next(state);
    expect(next).toMatchObject({ kind: 'followup', probe: { stage: 'optimize' } });
    expect(next.why).toMatch(/strong \(100\).*go deeper/);
  });

  it('[FS3] in Frame only Frame follow-ups qualify: a later stage’s are never asked early', () => {
    const s = scenario('saas-billing-metering-audit');
    const state = stateOf(s, { model: clearFrame(s.referenceModel), stage: 'frame', now: 4 * MIN });
    const ids = createOfflineInterviewer()
      .suggest(state, 100)
      .map((m) => (m.kind === 'followup' ? m.bankId : null));
    expect(ids).toEqual(s.followUps.filter((f) => f.stage === 'frame').map((f) => f.id));
  });

  it('[FS4] an entry already asked — by bank id or by the same words — is never suggested again', () => {
    const s = scenario('saas-billing-metering-audit');
    const base = stateOf(s, { model: dropTenantForeignKeys(s.referenceModel), stage: 'optimize', now: 6 * MIN });
    const first = createOfflineInterviewer().suggest(base, 1)[0];
    expect(first).toMatchObject({ bankId: 'cross-tenant-invoices' });
    const byId = { ...base, followUps: [{ id: 'e1', bankId: 'cross-tenant-invoices', question: 'Something else', probe: { stage: 'optimize' as const, move: null, checks: [] }, askedAt: 0, baseline: null, closed: { at: 1, how: 'chat' as const, answer: 'x' } }] };
    const byText = { ...base, conversation: [{ at: 1, speaker: 'interviewer' as const, kind: 'followup' as const, text: '  how do you STOP one tenant from reading or referencing another tenant’s invoices in the queries and in the database itself ' }] };
    for (const state of [byId, byText]) {
      const ids = createOfflineInterviewer().suggest(state, 100).map((m) => (m.kind === 'followup' ? m.bankId : null));
      expect(ids).not.toContain('cross-tenant-invoices');
      expect(ids.length).toBeGreaterThan(0);
    }
  });
});
