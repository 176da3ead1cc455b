import { chartPoints, eventually, openPanelTab, panelOverflow, tileScore, waitForScore, waitForScoreChange, waitForSessionStatus } from './panels.test-util';
import { addEntityInUi, addFieldInUi, createSession, type CreatedSession, openRoom, type RoomPage, screenshot, startWebStack, waitForSaved, type WebStack } from './web.test-util';

/**
 * The room's side panels in real browsers against the real api: FLOW scores and chart, the interviewer
 * panel (follow-ups, chat, timer), the human interviewer's console, presence, read-only roles, and the
 * AI interviewer of a mock session. The pair-session tests run in order on one session.
 */
describe('web client: side panels', () => {
  let stack: WebStack;
  let session: CreatedSession;
  let candidate: RoomPage;
  let interviewer: RoomPage;
  let observer: RoomPage;
  const rooms: RoomPage[] = [];

  beforeAll(async () => {
    // the AI interviewer looks at sessions every 200 ms and counts 1.5 s without progress as a stall
    stack = await startWebStack({ INTERVIEWER_TICK_MS: '200', INTERVIEWER_STALL_MS: '1500', INTERVIEWER_QUIET_MS: '1000' });
    session = await createSession(stack, 'saas-billing-metering-audit', 'pair');
    [candidate, interviewer, observer] = await Promise.all([openRoom(stack, session, 'candidate'), openRoom(stack, session, 'interviewer'), openRoom(stack, session, 'observer')]);
    rooms.push(candidate, interviewer, observer);
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  afterEach(() => {
    for (const room of rooms) expect(room.errors).toEqual([]);
  });

  it('[PAN1] the candidate adds an entity and fields: the List score changes for candidate and interviewer, the chart gains points, nothing moves', async () => {
    // the candidate's arrival started the session: every panel says live, Frame is the current stage
    await Promise.all([candidate, interviewer, observer].map((r) => waitForSessionStatus(r.page, 'live')));
    expect(await candidate.page.getByTestId('score-frame').getAttribute('data-current')).toBe('true');
    const before = { candidate: await waitForScore(candidate.page, 'list'), interviewer: await waitForScore(interviewer.page, 'list') };
    expect(before.interviewer).toBe(before.candidate);
    const pointsBefore = { candidate: await chartPoints(candidate.page), interviewer: await chartPoints(interviewer.page) };
    const boxes = async () => {
      const page = interviewer.page;
      return Promise.all(['score-frame', 'score-list', 'score-optimize', 'score-win', 'score-total', 'score-chart', 'panel-tab-interview'].map((id) => page.getByTestId(id).boundingBox()));
    };
    const layoutBefore = await boxes();

    const { page } = candidate;
    await addEntityInUi(page, 'invoices');
    await addFieldInUi(page, 'id', 'bigint', { primaryKey: true });
    await addFieldInUi(page, 'tenant_id', 'bigint');
    await addFieldInUi(page, 'total_cents', 'bigint');
    await addFieldInUi(page, 'issued_at', 'timestamptz');
    await waitForSaved(page);

    const after = { candidate: await waitForScoreChange(candidate.page, 'list', before.candidate), interviewer: await waitForScoreChange(interviewer.page, 'list', before.interviewer) };
    expect(after.candidate).toBeGreaterThan(before.candidate);
    expect(after.interviewer).toBeGreaterThan(before.interviewer);
    // both end on the same score (the last sample of the same document); the first change each saw may be an
    // intermediate sample (the entity before its fields), so only the settled values are compared
    await eventually(
      async () => [await tileScore(candidate.page, 'list'), await tileScore(interviewer.page, 'list')],
      ([a, b]) => a === b,
      10_000,
      'candidate and interviewer agree',
    );
    await eventually(() => chartPoints(candidate.page), (n) => n > pointsBefore.candidate, 10_000, 'candidate chart gains points');
    await eventually(() => chartPoints(interviewer.page), (n) => n > pointsBefore.interviewer, 10_000, 'interviewer chart gains points');
    // the List line of the chart is drawn from the samples
    expect(await interviewer.page.locator('[data-testid="score-chart"] polyline[data-series="list"]').getAttribute('points')).toMatch(/\d/);
    // fixed tiles: the score changed, the layout did not
    expect(await boxes()).toEqual(layoutBefore);

    // the checks of the current grade, failed first, each with its hint behind a keyboard-operable summary
    const failed = interviewer.page.locator('[data-testid="checks"] details[open] [data-testid="check"][data-status="failed"]').first();
    await failed.waitFor({ timeout: 10_000 });
    await failed.locator('summary').focus();
    await interviewer.page.keyboard.press('Enter');
    await failed.getByTestId('check-hint').waitFor();
    expect((await failed.getByTestId('check-hint').textContent())?.length).toBeGreaterThan(5);
    expect(await interviewer.page.getByTestId('weak-move').count()).toBeGreaterThan(0);
  });

  it('[PAN2] the interviewer console: stage control, a suggested follow-up sent to the candidate, marked answered', async () => {
    const ip = interviewer.page;
    await openPanelTab(ip, 'console');
    await ip.getByTestId('stage-set-list').click();
    for (const page of [candidate.page, interviewer.page, observer.page]) {
      await page.locator('[data-testid="score-list"][data-current="true"]').waitFor({ timeout: 10_000 });
      await page.locator('[data-testid="current-stage"][data-stage="list"]').waitFor();
    }
    // the candidate's stage timer counts down from the scenario's minutes for List
    const remaining = Number(await candidate.page.getByTestId('stage-timer').getAttribute('data-remaining'));
    expect(remaining).toBeGreaterThan(0);
    expect(await candidate.page.getByTestId('stage-timer').textContent()).toMatch(/^\d+:\d\d left$/);

    // pair mode: the engine's suggestions reach the interviewer's console; send the first as is
    const suggestion = ip.getByTestId('suggestion-item').first();
    await suggestion.waitFor({ timeout: 15_000 });
    const question = (await suggestion.locator('.suggestion-question').textContent()) ?? '';
    expect(question.length).toBeGreaterThan(10);
    await suggestion.getByTestId('suggestion-send').click();

    // the candidate sees it in the Interview tab (announced on the tab first)
    const cp = candidate.page;
    await eventually(async () => (await cp.getByTestId('panel-tab-interview-count').textContent()) ?? '', (t) => Number(t) >= 1, 10_000, 'unread badge');
    await openPanelTab(cp, 'interview');
    const item = cp.locator('[data-testid="followup-item"]', { hasText: question });
    await item.waitFor({ timeout: 10_000 });
    expect(await item.getAttribute('data-status')).toBe('open');

    // the interviewer marks it answered from the feed; the candidate sees it closed
    await openPanelTab(ip, 'interview');
    const mine = ip.locator('[data-testid="followup-item"][data-status="open"]', { hasText: question });
    await mine.getByTestId('mark-answered').click();
    await ip.getByTestId('followup-answer-input').fill('Talked through the invoice keys.');
    await ip.getByTestId('followup-answer-submit').click();
    await cp.locator('[data-testid="followup-item"][data-status="answered"]', { hasText: question }).waitFor({ timeout: 10_000 });
    expect(await cp.locator('[data-testid="followup-item"][data-status="answered"]', { hasText: question }).getByTestId('followup-answer').textContent()).toContain(
      'Talked through the invoice keys.',
    );
  });

  it('[PAN3] private notes written in the console never reach the candidate’s or the observer’s page', async () => {
    const ip = interviewer.page;
    const secret = `Private: weak on idempotency ${Date.now()}`;
    await openPanelTab(ip, 'console');
    expect(await ip.getByTestId('notes-private-label').textContent()).toContain('only interviewers see these');
    await ip.getByTestId('note-input').fill(secret);
    await ip.getByTestId('note-input').press('Control+Enter');
    await ip.locator('[data-testid="note-item"]', { hasText: secret }).waitFor({ timeout: 10_000 });
    // the broadcast note can render before the add's own ack clears the input: wait for the ack, not a race
    await eventually(() => ip.getByTestId('note-input').inputValue(), (v) => v === '', 10_000, 'note input cleared after the ack');

    // a chat message sent after the note reaches everyone: the note, sent before it, would have arrived too
    const after = `After the note ${Date.now()}`;
    await openPanelTab(ip, 'interview');
    await ip.getByTestId('chat-input').fill(after);
    await ip.getByTestId('chat-input').press('Enter');
    for (const room of [candidate, observer]) {
      await openPanelTab(room.page, 'interview');
      await room.page.locator('[data-testid="chat-message"]', { hasText: after }).waitFor({ timeout: 10_000 });
      expect(await room.page.content()).not.toContain(secret);
      expect(await room.page.getByTestId('note-input').count()).toBe(0);
    }
    // and after a reload (history read from the timeline) the candidate still has no note
    await candidate.page.reload();
    await waitForSessionStatus(candidate.page, 'live');
    await openPanelTab(candidate.page, 'interview');
    await candidate.page.locator('[data-testid="chat-message"]', { hasText: after }).waitFor({ timeout: 10_000 });
    expect(await candidate.page.content()).not.toContain(secret);
    // the interviewer's reload keeps it
    await ip.reload();
    await openPanelTab(ip, 'console');
    await ip.locator('[data-testid="note-item"]', { hasText: secret }).waitFor({ timeout: 10_000 });
  });

  it('[PAN4] the observer sees every panel but chat and console controls are disabled, with the reason; a forced send is refused visibly', async () => {
    const op = observer.page;
    // scores and presence like everyone else
    expect(await tileScore(op, 'list')).toBe(await tileScore(candidate.page, 'list'));
    await openPanelTab(op, 'people');
    await eventually(() => op.getByTestId('presence-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-role'))), (roles) => ['candidate', 'interviewer', 'observer'].every((r) => roles.includes(r)), 10_000, 'presence');

    await openPanelTab(op, 'interview');
    expect(await op.getByTestId('chat-input').isDisabled()).toBe(true);
    expect(await op.getByTestId('chat-disabled-reason').textContent()).toContain('Read-only');
    expect(await op.getByTestId('followup-item').count()).toBeGreaterThan(0);
    expect(await op.getByTestId('mark-answered').count()).toBe(0);

    await openPanelTab(op, 'console');
    expect(await op.getByTestId('console-readonly-reason').textContent()).toContain('only the interviewer controls the session');
    for (const stage of ['frame', 'list', 'optimize', 'win']) expect(await op.getByTestId(`stage-set-${stage}`).isDisabled()).toBe(true);
    expect(await op.getByTestId('console-end').isDisabled()).toBe(true);
    expect(await op.getByTestId('suggestions').count()).toBe(0);
    expect(await op.getByTestId('note-input').count()).toBe(0);

    // a tampered client: re-enable the chat and send anyway; the server refuses, the panel says why
    await openPanelTab(op, 'interview');
    await op.locator('[data-testid="chat-input"], [data-testid="chat-send"]').evaluateAll((els) => els.forEach((el) => el.removeAttribute('disabled')));
    await op.getByTestId('chat-input').fill('observer sneaks in');
    await op.getByTestId('chat-send').click();
    const problem = op.locator('[data-testid="panel-problem"][data-code="FORBIDDEN_ROLE"]');
    await problem.waitFor({ timeout: 10_000 });
    expect(await problem.textContent()).toContain('Chat not sent');
    await openPanelTab(op, 'console');
    await screenshot(op, 'room-panels-observer');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await candidate.page.locator('[data-testid="chat-message"]', { hasText: 'observer sneaks in' }).count()).toBe(0);
  });

  it('[PAN5] every tab fits the 320 px column at 1280×800 for every role; screenshots of FLOW and the console', async () => {
    for (const room of [candidate, interviewer, observer]) {
      const tabs = await room.page.locator('[role="tablist"][aria-label="Session panels"] [role="tab"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')?.replace('panel-tab-', '') ?? ''));
      expect(tabs).toEqual(room.role === 'candidate' ? ['flow', 'interview', 'people'] : ['flow', 'interview', 'console', 'people']);
      for (const tab of tabs as ('flow' | 'interview' | 'console' | 'people')[]) {
        await openPanelTab(room.page, tab);
        expect({ role: room.role, tab, overflow: await panelOverflow(room.page) }).toEqual({ role: room.role, tab, overflow: 0 });
      }
    }
    // keyboard: arrows move between the tabs
    const cp = candidate.page;
    await openPanelTab(cp, 'flow');
    await cp.getByTestId('panel-tab-flow').focus();
    await cp.keyboard.press('ArrowRight');
    await cp.locator('[data-testid="panel-tab-interview"][aria-selected="true"]').waitFor();
    expect(await cp.locator(':focus').getAttribute('data-testid')).toBe('panel-tab-interview');
    await cp.keyboard.press('ArrowLeft');
    await cp.locator('[data-testid="panel-tab-flow"][aria-selected="true"]').waitFor();

    await openPanelTab(interviewer.page, 'flow');
    await screenshot(interviewer.page, 'room-panels');
    await openPanelTab(interviewer.page, 'console');
    await screenshot(interviewer.page, 'room-panels-console');
  });

  it('[PAN6] mock interview: the AI interviewer’s follow-up appears in the candidate’s room', async () => {
    const mock = await createSession(stack, 'saas-billing-metering-audit', 'mock');
    const room = await openRoom(stack, mock, 'candidate');
    rooms.push(room);
    const { page } = room;
    await waitForSessionStatus(page, 'live');
    // the AI needs a grade to aim at: a first entity
    await addEntityInUi(page, 'tenants');
    await addFieldInUi(page, 'id', 'bigint', { primaryKey: true });
    await addFieldInUi(page, 'name', 'text');
    await waitForSaved(page);
    // no progress for INTERVIEWER_STALL_MS: the AI asks
    await eventually(async () => (await page.getByTestId('panel-tab-interview-count').textContent()) ?? '', (t) => Number(t) >= 1, 30_000, 'AI follow-up announced');
    await openPanelTab(page, 'interview');
    const item = page.getByTestId('followup-item').first();
    await item.waitFor({ timeout: 10_000 });
    expect(await item.textContent()).toContain('AI interviewer');
    expect(await item.getAttribute('data-status')).toBe('open');
    expect((await item.getByTestId('followup-question').textContent())?.length).toBeGreaterThan(10);
    // a candidate in a mock interview has no console and no practice button
    expect(await page.getByTestId('panel-tab-console').count()).toBe(0);
    expect(await page.getByTestId('request-followup').count()).toBe(0);
    await screenshot(page, 'room-panels-mock');
  });

  it('[PAN7] solo practice: the room is graded as it opens, and “Ask me a follow-up” brings one on demand, aimed at the stage', async () => {
    const practice = await createSession(stack, 'saas-billing-metering-audit', 'practice');
    const room = await openRoom(stack, practice, 'candidate');
    rooms.push(room);
    const { page } = room;
    await waitForSessionStatus(page, 'live');
    // the document is graded when its room loads, before any edit: the chart has its first point
    await openPanelTab(page, 'flow');
    await eventually(() => chartPoints(page), (n) => n >= 1, 10_000, 'a first sample before any edit');
    await openPanelTab(page, 'interview');
    // practice never volunteers a follow-up: nothing arrives until asked
    expect(await page.getByTestId('followup-item').count()).toBe(0);
    await page.getByTestId('request-followup').click();
    const item = page.getByTestId('followup-item').first();
    await item.waitFor({ timeout: 10_000 });
    expect(await item.getAttribute('data-status')).toBe('open');
    expect(await item.textContent()).toContain('Frame');
  });

  it('[PAN8] an interviewer alone: the session waits for the candidate, the interviewer starts it, then ends it; chat closes with the reason', async () => {
    const pair = await createSession(stack, 'saas-billing-metering-audit', 'pair');
    const room = await openRoom(stack, pair, 'interviewer');
    rooms.push(room);
    const { page } = room;
    await waitForSessionStatus(page, 'created');
    await openPanelTab(page, 'interview');
    expect(await page.getByTestId('session-not-started').textContent()).toContain('It starts when the candidate joins');
    expect(await page.getByTestId('stage-timer').count()).toBe(0); // the bar offers Start instead
    await page.getByTestId('start-session').click();
    await waitForSessionStatus(page, 'live');
    await page.locator('[data-testid="current-stage"][data-stage="frame"]').waitFor();
    const first = Number(await page.getByTestId('stage-timer').getAttribute('data-remaining'));
    await eventually(async () => Number(await page.getByTestId('stage-timer').getAttribute('data-remaining')), (r) => r < first, 5000, 'the timer ticks');
    expect(await page.getByTestId('session-not-started').count()).toBe(0);

    await openPanelTab(page, 'console');
    await page.getByTestId('console-end').click();
    await page.getByTestId('console-end').click(); // confirm
    await waitForSessionStatus(page, 'ended');
    await openPanelTab(page, 'interview');
    expect(await page.getByTestId('session-ended').textContent()).toContain('The session has ended');
    expect(await page.getByTestId('chat-input').isDisabled()).toBe(true);
    expect(await page.getByTestId('chat-disabled-reason').textContent()).toContain('ended');
  });
});
