import type { ScoreTimelinePage, ScoreUpdate, TimelineEvent, TimelinePage } from '@hatch/protocol';
import { call } from '../api/client';
import type { GradeResponse } from './grade-view';

const getJson = <T>(path: string, token: string, signal?: AbortSignal): Promise<T> => call<T>(path, { token, signal });

const base = (sessionId: string) => `/api/sessions/${encodeURIComponent(sessionId)}`;
const PAGE = 500;

/** Every page of a `?after=&limit=` listing, from `after` on. */
async function allPages<T, P extends { nextAfter: string | null }>(url: (after: string | null) => string, token: string, items: (page: P) => T[], after: string | null, signal?: AbortSignal): Promise<T[]> {
  const out: T[] = [];
  let cursor = after;
  for (;;) {
    const page = await getJson<P>(url(cursor), token, signal);
    out.push(...items(page));
    if (!page.nextAfter) return out;
    cursor = page.nextAfter;
  }
}

const query = (after: string | null) => `?limit=${PAGE}${after ? `&after=${encodeURIComponent(after)}` : ''}`;

/** The REST side of the session channel (docs/api.md): score timeline, full grade, stored events. */
export const sessionRest = {
  scores: (sessionId: string, token: string, after: string | null, signal?: AbortSignal): Promise<ScoreUpdate[]> =>
    allPages<ScoreUpdate, ScoreTimelinePage>((a) => `${base(sessionId)}/scores${query(a)}`, token, (p) => p.samples, after, signal),
  events: (sessionId: string, token: string, after: string | null, signal?: AbortSignal): Promise<TimelineEvent[]> =>
    allPages<TimelineEvent, TimelinePage>((a) => `${base(sessionId)}/events${query(a)}`, token, (p) => p.events, after, signal),
  grade: (sessionId: string, token: string, signal?: AbortSignal): Promise<GradeResponse> => getJson<GradeResponse>(`${base(sessionId)}/grade`, token, signal),
};
