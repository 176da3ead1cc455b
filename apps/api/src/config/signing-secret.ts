import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import { ConfigError } from './app-config';

export const SECRET_FILE_NAME = 'secret';

/**
 * The key join tokens are signed with: HATCH_SECRET when set, else the key kept in `<dataDir>/secret`,
 * created (0600) on first start so tokens handed out survive restarts.
 */
export async function resolveSigningSecret(
  configured: string | undefined,
  dataDir: string,
  logger: LoggerService,
): Promise<string> {
  if (configured) return configured;
  const file = join(dataDir, SECRET_FILE_NAME);
  const existing = await readSecretFile(file);
  if (existing !== undefined) {
    if (existing.length < 32) {
      throw new ConfigError([{ path: 'HATCH_SECRET', message: `is unset and ${file} holds a key shorter than 32 characters` }]);
    }
    return existing;
  }
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  // Written whole to a private temporary file, then linked into place: a concurrent start never reads a
  // half-written key, and if another start linked its key first, that one is kept.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(temporary, 0o600); // whatever the umask did
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return resolveSigningSecret(undefined, dataDir, logger);
    throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  logger.log(`HATCH_SECRET is unset: generated a token signing key in ${file} (mode 0600)`, 'Config');
  return secret;
}

async function readSecretFile(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
