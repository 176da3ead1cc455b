/** The client's routes: `/` (lobby) and `/sessions/:id` (room; `/s/:id` too). Pure, for tests. */
export type Route = { name: 'lobby' } | { name: 'room'; sessionId: string; token: string | null } | { name: 'not-found'; path: string };

/** The join token rides in the fragment (`#token=…`, never sent to servers); `?token=` works too. */
export function parseRoute(location: Pick<Location, 'pathname' | 'hash' | 'search'>): Route {
  const path = location.pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'lobby' };
  const match = /^\/(?:sessions|s)\/([^/]+)$/.exec(path);
  if (match) {
    const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token') ?? new URLSearchParams(location.search).get('token');
    try {
      return { name: 'room', sessionId: decodeURIComponent(match[1]), token };
    } catch {
      return { name: 'not-found', path }; // a malformed %-escape
    }
  }
  return { name: 'not-found', path };
}
