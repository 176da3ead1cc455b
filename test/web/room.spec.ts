import {
  addEntityInUi,
  addFieldInUi,
  createSession,
  type CreatedSession,
  entityNode,
  openRoom,
  type RoomPage,
  screenshot,
  serverModel,
  startWebStack,
  waitForSaved,
  waitForSynced,
  type WebStack,
} from './web.test-util';

/**
 * The live room in real browsers against the real api: a candidate and an interviewer (two browser contexts)
 * share one session; an observer watches. Tests run in order on the same session.
 */
describe('web client: the room', () => {
  let stack: WebStack;
  let session: CreatedSession;
  let candidate: RoomPage;
  let interviewer: RoomPage;
  let observer: RoomPage;

  beforeAll(async () => {
    stack = await startWebStack();
    session = await createSession(stack, 'saas-billing-metering-audit', 'pair');
    [candidate, interviewer, observer] = await Promise.all([openRoom(stack, session, 'candidate'), openRoom(stack, session, 'interviewer'), openRoom(stack, session, 'observer')]);
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  afterEach(() => {
    for (const room of [candidate, interviewer, observer]) expect(room?.errors ?? []).toEqual([]);
  });

  it('[WEB10] the candidate adds an entity with fields in the diagram; the interviewer sees them appear', async () => {
    const { page } = candidate;
    await addEntityInUi(page, 'accounts');
    await addFieldInUi(page, 'id', 'bigint', { primaryKey: true });
    await addFieldInUi(page, 'name', 'text');
    await addFieldInUi(page, 'closed_at', 'timestamptz', { nullable: true });

    const card = entityNode(interviewer.page, 'accounts');
    await card.locator('[data-testid="field-row"][data-field-name="closed_at"]').waitFor({ timeout: 10_000 });
    const rows = await card.locator('[data-testid="field-row"]').allTextContents();
    expect(rows).toEqual(['PKidbigint', 'nametext', 'closed_attimestamptz?']);
    // and the observer sees the same card
    await entityNode(observer.page, 'accounts').locator('[data-testid="field-row"][data-field-name="closed_at"]').waitFor({ timeout: 10_000 });

    await waitForSaved(page);
    const { model } = await serverModel(stack, session);
    const accounts = model.entities.find((e) => e.name === 'accounts');
    expect(accounts?.fields.map((f) => [f.name, f.type, f.primaryKey, f.nullable])).toEqual([
      ['id', 'bigint', true, false],
      ['name', 'text', false, false],
      ['closed_at', 'timestamptz', false, true],
    ]);
  });

  it('[WEB11] edits by both writers merge: renames, a relationship drawn with its cardinality, selection highlights', async () => {
    // the interviewer adds a second entity and a foreign key to the first
    await addEntityInUi(interviewer.page, 'invoices');
    await addFieldInUi(interviewer.page, 'id', 'bigint', { primaryKey: true });
    await addFieldInUi(interviewer.page, 'account_id', 'bigint');
    await entityNode(candidate.page, 'invoices').waitFor({ timeout: 10_000 });

    // the candidate relates them 1:N
    const { page } = candidate;
    await page.getByTestId('back-to-overview').click();
    await page.getByTestId('add-relationship-toggle').click();
    await page.getByTestId('rel-from').selectOption({ label: 'accounts' });
    await page.getByTestId('rel-cardinality').selectOption('1:N');
    await page.getByTestId('rel-to').selectOption({ label: 'invoices' });
    await page.getByTestId('add-relationship').click();
    const edgeLabel = interviewer.page.locator('.react-flow__edge-text', { hasText: '1:N' });
    await edgeLabel.waitFor({ timeout: 10_000 });

    // the interviewer renames a field of the candidate's entity
    await interviewer.page.getByTestId('back-to-overview').click();
    await interviewer.page.getByTestId('select-entity').filter({ hasText: 'accounts' }).click();
    const nameInput = interviewer.page.locator('[data-testid="field-editor"][data-field-name="name"] [data-testid="field-name"]');
    await nameInput.fill('display_name');
    await nameInput.press('Enter');
    await entityNode(candidate.page, 'accounts').locator('[data-field-name="display_name"]').waitFor({ timeout: 10_000 });

    // the interviewer has `accounts` selected: the candidate's diagram shows it on that card
    const tag = entityNode(candidate.page, 'accounts').getByTestId('peer-tag');
    await tag.waitFor({ timeout: 10_000 });
    expect(await tag.textContent()).toBe('Interviewer');
    expect(await entityNode(candidate.page, 'invoices').getByTestId('peer-tag').count()).toBe(0);

    // a duplicate name is refused with a message, not a crash
    await page.getByTestId('new-entity-name').fill('Accounts');
    await page.getByTestId('new-entity-name').press('Enter');
    await page.getByTestId('notice').waitFor();
    expect(await page.getByTestId('notice').textContent()).toContain('already exists');

    await screenshot(candidate.page, 'room');
  });

  it('[WEB12] Frame notes are one shared text: two people typing in it merge', async () => {
    await Promise.all([candidate.page.getByTestId('tab-frame').click(), interviewer.page.getByTestId('tab-frame').click()]);
    const mine = candidate.page.getByTestId('frame-domain');
    const theirs = interviewer.page.getByTestId('frame-domain');
    await mine.click();
    await mine.pressSequentially('Companies buy plans.', { delay: 5 });
    await expectValue(theirs, 'Companies buy plans.');
    // both type at once: the interviewer at the start, the candidate at the end
    await theirs.click();
    await theirs.press('Control+Home');
    await Promise.all([theirs.pressSequentially('B2B. ', { delay: 15 }), mine.pressSequentially(' Usage is metered.', { delay: 15 })]);
    const merged = 'B2B. Companies buy plans. Usage is metered.';
    await expectValue(mine, merged);
    await expectValue(theirs, merged);
    await expectValue(observer.page.getByTestId('frame-domain'), merged, async () => observer.page.getByTestId('tab-frame').click());
    await waitForSaved(candidate.page);
    await waitForSaved(interviewer.page);
  });

  it('[WEB13] an observer sees everything but cannot edit: controls say so, and a forced write reaches no one', async () => {
    const { page } = observer;
    await page.getByTestId('tab-diagram').click();
    expect(await page.getByTestId('read-only-note').first().textContent()).toContain('Read-only: observer');
    expect(await page.getByTestId('new-entity-name').isDisabled()).toBe(true);
    expect(await page.getByTestId('add-entity').isDisabled()).toBe(true);
    expect(await page.getByTestId('connection-status').getAttribute('data-state')).toBe('read-only');
    await page.getByTestId('tab-frame').click();
    expect(await page.getByTestId('frame-domain').getAttribute('readonly')).not.toBeNull();

    // a tampered client: re-enable the form and submit it anyway
    await page.getByTestId('tab-diagram').click();
    await page.locator('[disabled]').evaluateAll((elements) => elements.forEach((element) => element.removeAttribute('disabled')));
    await page.getByTestId('new-entity-name').fill('intruders');
    await page.getByTestId('add-entity').click();
    await entityNode(page, 'intruders').waitFor(); // applied locally only…
    await page.getByTestId('notice').filter({ hasText: 'refused' }).waitFor({ timeout: 10_000 }); // …and refused by the server
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await entityNode(interviewer.page, 'intruders').count()).toBe(0);
    expect(await entityNode(candidate.page, 'intruders').count()).toBe(0);
    const { model } = await serverModel(stack, session);
    expect(model.entities.map((e) => e.name).sort()).toEqual(['accounts', 'invoices']);
  });

  it('[WEB14] a reload keeps everything: the document comes back from the server', async () => {
    const { page } = candidate;
    await waitForSaved(page);
    await page.reload();
    await waitForSynced(page);
    await page.getByTestId('tab-diagram').click();
    await entityNode(page, 'accounts').locator('[data-field-name="closed_at"]').waitFor();
    expect(await entityNode(page, 'accounts').locator('[data-testid="field-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field-name')))).toEqual([
      'id',
      'display_name',
      'closed_at',
    ]);
    expect(await entityNode(page, 'invoices').count()).toBe(1);
    await page.locator('.react-flow__edge-text', { hasText: '1:N' }).waitFor();
    await page.getByTestId('tab-frame').click();
    await expectValue(page.getByTestId('frame-domain'), 'B2B. Companies buy plans. Usage is metered.');
    expect(await page.getByTestId('connection-status').getAttribute('data-state')).toBe('connected');

    // a brand-new browser (nothing cached) gets the same document
    const fresh = await openRoom(stack, session, 'reviewer');
    await entityNode(fresh.page, 'invoices').waitFor();
    expect(await entityNode(fresh.page, 'intruders').count()).toBe(0);
    expect(fresh.errors).toEqual([]);
  });

  it('[WEB15] offline edits are counted and kept: "Offline — N unsaved", then saved when the server is back', async () => {
    const { page } = interviewer;
    await page.getByTestId('tab-diagram').click();
    await waitForSaved(page);
    await stack.stopApi();
    const status = page.getByTestId('connection-status');
    await page.locator('[data-testid="connection-status"][data-state="offline"]').waitFor({ timeout: 10_000 });
    await addEntityInUi(page, 'usage_events');
    await addFieldInUi(page, 'id', 'uuid', { primaryKey: true });
    expect(await status.textContent()).toBe('Offline — 2 unsaved changes');
    expect(await status.getAttribute('data-unsaved')).toBe('2');

    await stack.startApi();
    await waitForSaved(page, 20_000);
    expect(await status.textContent()).toBe('All changes saved');
    const { model } = await serverModel(stack, session);
    expect(model.entities.find((e) => e.name === 'usage_events')?.fields.map((f) => f.name)).toEqual(['id']);
    // the candidate, reconnected too, sees the interviewer's offline work
    await candidate.page.getByTestId('tab-diagram').click();
    await entityNode(candidate.page, 'usage_events').locator('[data-field-name="id"]').waitFor({ timeout: 20_000 });
    await candidate.page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor();
    // the browser's own log lines about refused reconnects while the server was down are expected here
    for (const room of [candidate, interviewer, observer]) {
      room.errors.splice(0, room.errors.length, ...room.errors.filter((e) => !/WebSocket connection to .* failed/.test(e)));
    }
  });

  it('[WEB16] keyboard selection; indexes, constraints and deletions: the cards and the server follow', async () => {
    const { page } = candidate;
    await page.getByTestId('tab-diagram').click();
    if (await page.getByTestId('back-to-overview').isVisible()) await page.getByTestId('back-to-overview').click();
    // keyboard: focus the card in the diagram, Enter opens its editor
    const invoicesId = await entityNode(page, 'invoices').getAttribute('data-entity-id');
    await page.locator(`.react-flow__node[data-id="${invoicesId}"]`).focus();
    await page.keyboard.press('Enter');
    const editor = page.locator('[data-testid="entity-editor"][data-entity-name="invoices"]');
    await editor.waitFor();
    await editor.locator('summary', { hasText: 'Indexes' }).click();
    await editor.locator('.add-index .pick', { hasText: 'account_id' }).click();
    await editor.getByTestId('add-index').click();
    await editor.getByTestId('index-row').filter({ hasText: '(account_id)' }).waitFor();
    await editor.locator('summary', { hasText: 'Constraints' }).click();
    await editor.getByTestId('constraint-kind').selectOption('check');
    await editor.getByTestId('constraint-expression').fill('id > 0');
    await editor.getByTestId('constraint-expression').press('Enter');
    await editor.getByTestId('constraint-row').filter({ hasText: 'CHECK (id > 0)' }).waitFor();
    await entityNode(interviewer.page, 'invoices').locator('.entity-counts', { hasText: '1 idx · 1 con' }).waitFor({ timeout: 10_000 });

    // the interviewer drops a column of accounts; the candidate deletes usage_events (asked twice)
    await interviewer.page.getByTestId('tab-diagram').click();
    if (await interviewer.page.getByTestId('back-to-overview').isVisible()) await interviewer.page.getByTestId('back-to-overview').click();
    await interviewer.page.getByTestId('select-entity').filter({ hasText: 'accounts' }).click();
    await interviewer.page.locator('[data-testid="field-editor"][data-field-name="closed_at"]').getByTestId('delete-field').click();
    await page.getByTestId('back-to-overview').click();
    await page.getByTestId('select-entity').filter({ hasText: 'usage_events' }).click();
    await page.getByTestId('delete-entity').click();
    expect(await page.getByTestId('delete-entity').textContent()).toBe('Delete?');
    await page.getByTestId('delete-entity').click();
    await page.getByTestId('new-entity-name').waitFor(); // back on the overview

    await entityNode(interviewer.page, 'usage_events').waitFor({ state: 'detached', timeout: 10_000 });
    await entityNode(page, 'accounts').locator('[data-field-name="closed_at"]').waitFor({ state: 'detached', timeout: 10_000 });
    await waitForSaved(page);
    await waitForSaved(interviewer.page);
    const { model } = await serverModel(stack, session);
    expect(model.entities.map((e) => e.name)).toEqual(['accounts', 'invoices']);
    expect(model.entities[0].fields.map((f) => f.name)).toEqual(['id', 'display_name']);
    const invoices = model.entities[1] as unknown as { indexes: { unique: boolean }[]; constraints: { kind: string; expression: string }[] };
    expect(invoices.indexes).toHaveLength(1);
    expect(invoices.constraints).toMatchObject([{ kind: 'check', expression: 'id > 0' }]);
  });
});

/** Waits until an input's value is `expected` (5 s), running `before` first. */
async function expectValue(locator: import('playwright-core').Locator, expected: string, before?: () => Promise<void>): Promise<void> {
  await before?.();
  const deadline = Date.now() + 5000;
  let value = '';
  while (Date.now() < deadline) {
    value = await locator.inputValue();
    if (value === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(value).toBe(expected);
}
