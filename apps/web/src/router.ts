import { useSyncExternalStore } from 'react';
import { parseRoute, type Route } from './route';

export type { Route };

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((listener) => listener()));

/** Client-side navigation (History API). */
export function navigate(href: string): void {
  window.history.pushState(null, '', href);
  listeners.forEach((listener) => listener());
}

let cached: { key: string; route: Route } | undefined;

function currentRoute(): Route {
  const key = `${window.location.pathname}${window.location.search}${window.location.hash}`;
  if (cached?.key !== key) cached = { key, route: parseRoute(window.location) };
  return cached.route;
}

export function useRoute(): Route {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      window.addEventListener('hashchange', listener);
      return () => {
        listeners.delete(listener);
        window.removeEventListener('hashchange', listener);
      };
    },
    currentRoute,
  );
}
