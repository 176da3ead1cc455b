import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../config/paths';
import { FIXTURE_SCENARIOS_DIR } from './test-app';

const MAIN = join(REPO_ROOT, 'apps/api/dist/main.js');

/**
 * Builds the api (and the libraries it references) the way `npm run build` does. Incremental: fast when
 * up to date. Tried twice: another suite building a shared library at the same moment can trip `tsc -b`.
 */
export function buildApi(): void {
  const args = [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b', join(REPO_ROOT, 'apps/api/tsconfig.lib.json')];
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync(process.execPath, args, { stdio: 'pipe', encoding: 'utf8' });
      return;
    } catch (error) {
      if (attempt >= 2) {
        const { stdout, stderr } = error as { stdout?: string; stderr?: string };
        throw new Error(`building the api failed:\n${stdout ?? ''}${stderr ?? ''}`);
      }
    }
  }
}

/** The built api running as a child process (`node apps/api/dist/main.js`), as in production. */
export class ApiProcess {
  private output = '';

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(env: Record<string, string>, timeoutMs = 30_000): Promise<ApiProcess> {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', SCENARIOS_DIR: FIXTURE_SCENARIOS_DIR, LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the api did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/[^\s"]+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the api exited (${code}) before listening:\n${output}`));
      });
    });
    const api = new ApiProcess(child, url);
    api.output = output;
    child.stdout?.on('data', (chunk: Buffer) => (api.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (api.output += chunk.toString()));
    return api;
  }

  get log(): string {
    return this.output;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  kill(): Promise<void> {
    return this.stop('SIGKILL');
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill(signal);
    });
  }
}
