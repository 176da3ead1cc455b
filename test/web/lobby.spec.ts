import { screenshot, startWebStack, type WebStack } from './web.test-util';

/** The lobby in a real browser against the real api: the scenario library, filters, starting a session, join links. */
describe('web client: lobby', () => {
  let stack: WebStack;

  beforeAll(async () => {
    stack = await startWebStack();
  }, 240_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('[WEB1] lists the scenarios, filters them by format and difficulty, and shows the prompt', async () => {
    const context = await stack.newContext();
    const page = await context.newPage();
    await page.goto('/');
    const list = page.getByTestId('scenario-list');
    await list.locator('li').first().waitFor();
    const total = await list.locator('li').count();
    expect(total).toBeGreaterThanOrEqual(9);

    await page.getByTestId('filter-format-event-tracking').click();
    await expect_(async () => (await list.locator('li').count()) < total);
    const tracking = await list.locator('.scenario-title').allTextContents();
    expect(tracking.length).toBeGreaterThanOrEqual(2);
    for (const badge of await list.locator('li').all()) expect(await badge.textContent()).toContain('Event tracking plan');

    await page.getByTestId('filter-difficulty-senior').click();
    const senior = await list.locator('li').allTextContents();
    expect(senior.length).toBeGreaterThanOrEqual(1);
    expect(senior.length).toBeLessThanOrEqual(tracking.length);
    for (const text of senior) expect(text).toContain('Senior');

    await page.getByTestId('filter-difficulty-junior').click();
    await page.getByTestId('filter-format-all').click();
    const junior = await list.locator('li').allTextContents();
    for (const text of junior) expect(text).toContain('Junior');

    await page.getByTestId('filter-difficulty-all').click();
    await page.getByTestId('scenario-saas-billing-metering-audit').click();
    await page.getByTestId('scenario-prompt').waitFor();
    expect(await page.getByTestId('scenario-prompt').textContent()).toMatch(/tenant/i);
    await screenshot(page, 'lobby');
  });

  it('[WEB2] starts a mock interview: one join link per role, and the host enters the room as the candidate', async () => {
    const context = await stack.newContext();
    const page = await context.newPage();
    await page.goto('/');
    await page.getByTestId('scenario-saas-billing-metering-audit').click();
    await page.getByTestId('mode-mock').check();
    await page.getByTestId('start-session').click();
    await page.getByTestId('session-ready').waitFor();
    const links: Record<string, string> = {};
    for (const role of ['candidate', 'interviewer', 'observer', 'reviewer']) {
      links[role] = await page.getByTestId(`join-link-${role}`).locator('input').inputValue();
      expect(links[role]).toMatch(new RegExp(`^${stack.url}/sessions/[0-9a-f-]{36}#token=[\\w.-]+$`));
    }
    expect(new Set(Object.values(links)).size).toBe(4);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.url });
    await page.getByTestId('copy-link-interviewer').click();
    await page.getByTestId('copy-link-interviewer').filter({ hasText: 'Copied' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(links.interviewer);

    await page.getByTestId('enter-room').click();
    await page.locator('[data-testid="room"][data-synced="true"]').waitFor();
    expect(page.url()).toBe(links.candidate);
    expect(await page.getByTestId('role-badge').textContent()).toContain('Candidate');
    expect(await page.getByTestId('room-title').textContent()).toMatch(/SaaS/i);
    expect(await page.getByTestId('connection-status').getAttribute('data-state')).toBe('connected');

    // the host can still share the other links from the room
    await page.getByTestId('share-button').click();
    expect(await page.getByTestId('join-link-observer').locator('input').inputValue()).toBe(links.observer);
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('share-panel').count()).toBe(0);

    // the observer link opens the same session read-only
    const observerPage = await (await stack.newContext()).newPage();
    await observerPage.goto(links.observer);
    await observerPage.locator('[data-testid="room"][data-synced="true"]').waitFor();
    expect(await observerPage.getByTestId('role-badge').textContent()).toContain('Observer (read-only)');
  });

  it('[WEB3] a link with a forged token says so instead of opening the room', async () => {
    const page = await (await stack.newContext()).newPage();
    await page.goto('/sessions/6f1c0b9e-8a4e-4f7a-9d8e-1a2b3c4d5e6f#token=not-a-token');
    await page.getByRole('heading', { name: 'Cannot join this session' }).waitFor();
    expect(await page.locator('main').textContent()).toContain('not valid');
    await page.goto('/sessions/6f1c0b9e-8a4e-4f7a-9d8e-1a2b3c4d5e6f');
    await page.getByRole('heading', { name: 'This link has no join token' }).waitFor();
  });
});

/** Polls `condition` until it holds (2 s). */
async function expect_(condition: () => Promise<boolean>, timeout = 2000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
