import type { CreatedSession, PublicScenario, ScenarioSummary, SessionMode, SessionView } from './types';

/** An RFC 9457 problem from the api, or a network failure, in words a person can act on. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
  ) {
    super(message);
  }
}

/** A JSON request to the api; problems become `ApiError`s. An aborted request rethrows its abort error. */
export async function call<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const { token, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  if (rest.body) headers.set('content-type', 'application/json');
  let response: Response;
  try {
    response = await fetch(path, { ...rest, headers });
  } catch (error) {
    if (rest.signal?.aborted) throw error;
    throw new ApiError('The server cannot be reached. Is it running?', 0, null);
  }
  const text = await response.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const problem = (body ?? {}) as { detail?: string; title?: string; code?: string };
    throw new ApiError(problem.detail ?? problem.title ?? `The server answered ${response.status}`, response.status, problem.code ?? null);
  }
  return body as T;
}

export const api = {
  scenarios: () => call<ScenarioSummary[]>('/api/scenarios'),
  scenario: (id: string) => call<PublicScenario>(`/api/scenarios/${encodeURIComponent(id)}`),
  createSession: (scenarioId: string, mode: SessionMode) =>
    call<CreatedSession>('/api/sessions', { method: 'POST', body: JSON.stringify({ scenarioId, mode }) }),
  session: (sessionId: string, token: string) => call<SessionView>(`/api/sessions/${encodeURIComponent(sessionId)}`, { token }),
};
