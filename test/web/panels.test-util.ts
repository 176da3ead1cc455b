/** Reading and driving the room's side panels (apps/web/src/panels) in the browser suites. */
import type { Page } from 'playwright-core';

export type StageId = 'frame' | 'list' | 'optimize' | 'win' | 'total';

/** Waits until the panel's `/session` channel is connected and the session has `status`. */
export async function waitForSessionStatus(page: Page, status: 'created' | 'live' | 'ended', timeout = 15_000): Promise<void> {
  await page.locator(`[data-testid="channel-status"][data-phase="connected"][data-status="${status}"]`).waitFor({ timeout });
}

/** A score tile's number, null while it shows none. */
export async function tileScore(page: Page, stage: StageId): Promise<number | null> {
  const value = await page.getByTestId(`score-${stage}`).getAttribute('data-score');
  return value === null || value === '' ? null : Number(value);
}

/** Waits until a score tile shows a number (the first grade or sample arrived). */
export async function waitForScore(page: Page, stage: StageId, timeout = 15_000): Promise<number> {
  await page.locator(`[data-testid="score-${stage}"]:not([data-score=""])`).waitFor({ timeout });
  return (await tileScore(page, stage)) as number;
}

/** Waits until a score tile shows a number other than `before`; returns it. */
export async function waitForScoreChange(page: Page, stage: StageId, before: number | null, timeout = 20_000): Promise<number> {
  const deadline = Date.now() + timeout;
  let now = await tileScore(page, stage);
  while (Date.now() < deadline) {
    now = await tileScore(page, stage);
    if (now !== null && now !== before) return now;
    await page.waitForTimeout(100);
  }
  throw new Error(`score-${stage} stayed ${String(now)} for ${timeout} ms`);
}

/** How many score samples the chart draws. */
export async function chartPoints(page: Page): Promise<number> {
  return Number(await page.getByTestId('score-chart').getAttribute('data-points'));
}

/** Opens one of the side panel's tabs: flow, interview, console, people. */
export async function openPanelTab(page: Page, tab: 'flow' | 'interview' | 'console' | 'people'): Promise<void> {
  await page.getByTestId(`panel-tab-${tab}`).click();
  await page.locator(`[data-testid="panel-tab-${tab}"][aria-selected="true"]`).waitFor();
}

/** How far the side panels' content sticks out sideways (px); 0 when the 320 px column holds it. */
export async function panelOverflow(page: Page): Promise<number> {
  return page.getByTestId('side-panels').evaluate((aside) => aside.scrollWidth - aside.clientWidth);
}

/** Polls `read` until `accept` holds (default 10 s); returns the last value read. */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeout = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeout;
  let value = await read();
  while (!accept(value)) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeout} ms (last value: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}
