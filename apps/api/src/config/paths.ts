import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The repository root, found from this file's location rather than the cwd: `src/config` under Jest and
 * `dist/config` in the built app sit at the same depth, so one relative path serves both.
 */
export const REPO_ROOT = resolve(__dirname, '../../../..');

export const DEFAULT_SCENARIOS_DIR = resolve(REPO_ROOT, 'scenarios');

/** Where `nx build web` (vite) writes the web client. */
export const DEFAULT_WEB_DIST_DIR = resolve(REPO_ROOT, 'apps/web/dist');

let cachedVersion: string | undefined;

/** The product version: the root package.json's `version`. */
export function readAppVersion(): string {
  if (cachedVersion === undefined) {
    const pkg = JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
    cachedVersion = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  }
  return cachedVersion;
}
