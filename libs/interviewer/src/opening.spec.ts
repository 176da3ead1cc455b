import { loadScenarioLibrary } from '@hatch/scenarios';
import { join } from 'node:path';
import { createOfflineInterviewer } from './offline-interviewer';
import { openingMove } from './opening';
import { stateOf } from './interviewer.test-util';

const loaded = loadScenarioLibrary(join(__dirname, '../../../scenarios')).get('saas-billing-metering-audit');
if (!loaded) throw new Error('the SaaS scenario is missing from scenarios/');
const scenario = loaded;

describe('openingMove', () => {
  it('[OP1] a live mock interview where nobody has spoken opens with the plan and the Frame task, before any grade', () => {
    const move = openingMove(stateOf(scenario, { grade: null, model: null }));
    expect(move).toMatchObject({ kind: 'hint', move: 'framing' });
    const text = move?.kind === 'hint' ? move.text : '';
    expect(text).toContain(scenario.title);
    expect(text).toContain(`Frame (${scenario.timePerStage.frame} min) → List (${scenario.timePerStage.list} min)`);
    expect(text).toContain('Frame tab');
    expect(text).not.toContain('Events tab');
  });

  it('[OP4] a tracking-plan scenario also points at the Events tab', () => {
    const tracking = loadScenarioLibrary(join(__dirname, '../../../scenarios')).get('ai-assistant-event-taxonomy');
    if (!tracking) throw new Error('the AI assistant scenario is missing from scenarios/');
    const move = openingMove(stateOf(tracking, { grade: null, model: null }));
    expect(move?.kind === 'hint' ? move.text : '').toContain('the events in the Events tab');
  });

  it('[OP2] said once: not after an interviewer move, a follow-up, or an interviewer turn; never outside mock or before the start', () => {
    expect(openingMove(stateOf(scenario, { lastInterviewerMoveAt: 1 }))).toBeNull();
    expect(openingMove(stateOf(scenario, { conversation: [{ at: 1, speaker: 'ai-interviewer', kind: 'hint', text: 'Welcome' }] }))).toBeNull();
    expect(openingMove(stateOf(scenario, { mode: 'pair' }))).toBeNull();
    expect(openingMove(stateOf(scenario, { mode: 'practice' }))).toBeNull();
    expect(openingMove(stateOf(scenario, { stage: null, sessionStartedAt: null }))).toBeNull();
    // the candidate talking first does not stop the opening
    expect(openingMove(stateOf(scenario, { conversation: [{ at: 1, speaker: 'candidate', kind: 'chat', text: 'hi' }] }))?.kind).toBe('hint');
  });

  it('[OP3] without the opening, the offline interviewer is silent until a grade exists (what the opening is for)', async () => {
    const move = await createOfflineInterviewer().next(stateOf(scenario, { grade: null, model: null }));
    expect(move.kind).toBe('silence');
  });
});
