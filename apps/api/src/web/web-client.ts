import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** Paths the api answers itself: never the web client's, even when nothing matches there (→ the api's 404). */
export const RESERVED_PATH_PREFIXES = ['/api', '/docs', '/docs-json', '/socket.io', '/collab'] as const;

interface Request {
  method: string;
  path: string;
}

interface Response {
  status(code: number): Response;
  setHeader(name: string, value: string): unknown;
  sendFile(path: string, callback: (error?: unknown) => void): void;
  end(body: string): unknown;
}

export function isReservedPath(path: string): boolean {
  return RESERVED_PATH_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * Serves the built web client (`apps/web/dist`, or WEB_DIST_DIR) at `/`: its files as they are (hashed
 * `assets/` cached for a year), and `index.html` for every other GET that is not the api's and does not
 * name a file, so client routes such as `/sessions/:id` load the app. Without a build, those requests
 * get a 503 that says how to make one. Registered before Nest's routes, so it checks the reserved paths itself.
 */
export function serveWebClient(app: NestExpressApplication, distDir: string, logger: LoggerService): void {
  const indexHtml = join(distDir, 'index.html');
  if (!existsSync(indexHtml)) {
    logger.warn(`web client not built: no ${indexHtml}; run \`npm run build\` (or set WEB_DIST_DIR)`, 'WebClient');
  }
  app.useStaticAssets(distDir, {
    index: false,
    redirect: false,
    fallthrough: true,
    setHeaders: (res: { setHeader(name: string, value: string): unknown }, path: string) => {
      const immutable = path.startsWith(join(distDir, 'assets'));
      res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.use((req: Request, res: Response, next: (error?: unknown) => void) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isReservedPath(req.path) || looksLikeFile(req.path)) return next();
    if (!existsSync(indexHtml)) {
      res.status(503).setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.end(
        `Hatch's web client is not built: ${indexHtml} does not exist.\n` +
          'Run `npm run build` (or `npm start`, which builds first), or point WEB_DIST_DIR at a built client.\n' +
          'The API is up: see /docs.\n',
      );
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml, (error) => {
      if (error) next(error);
    });
  });
}

/** `/assets/app.js`, `/favicon.ico`: a file that is not there is a 404, not the app. */
function looksLikeFile(path: string): boolean {
  const last = path.slice(path.lastIndexOf('/') + 1);
  return last.includes('.');
}
