import { join } from 'node:path';
import { createApp, type CreateAppOptions, type HatchApp } from '../app.factory';
import type { Env } from '../config/app-config';
import { createTestLogger } from './silent-logger';

/** Scenario files for the api's tests: one scenario, `tiny-saas` (version 3). */
export const FIXTURE_SCENARIOS_DIR = join(__dirname, 'fixtures', 'scenarios');
export const FIXTURE_SCENARIO_ID = 'tiny-saas';

/** A real app on a free loopback port, configured only from `env` (process.env is neither read nor changed). */
export function startTestApp(env: Env, options: Omit<CreateAppOptions, 'env'> = {}): Promise<HatchApp> {
  return createApp({
    env: { PORT: '0', HOST: '127.0.0.1', SCENARIOS_DIR: FIXTURE_SCENARIOS_DIR, ...env },
    logger: createTestLogger(),
    ...options,
  });
}

export interface TestResponse {
  status: number;
  headers: Headers;
  // Tests assert on response bodies structurally (toMatchObject); typing every shape would add nothing.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** `fetch` plus the parsed JSON body (when there is one). */
export async function request(
  url: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<TestResponse> {
  const { json, ...rest } = init;
  const response = await fetch(url, {
    ...rest,
    headers: { ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...(rest.headers as Record<string, string>) },
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body };
}
