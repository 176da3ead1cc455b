import { rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestLogger } from '../testing/silent-logger';
import { makeTempDir } from '../testing/test-databases';
import { ConfigError } from './app-config';
import { resolveSigningSecret, SECRET_FILE_NAME } from './signing-secret';

describe('resolveSigningSecret', () => {
  let dir: string;
  const logger = createTestLogger();

  beforeEach(async () => {
    dir = join(await makeTempDir(), 'data'); // not created yet: the first start creates it
  });

  afterEach(() => rm(join(dir, '..'), { recursive: true, force: true }));

  it('[K1] uses HATCH_SECRET when set, writing nothing', async () => {
    expect(await resolveSigningSecret('x'.repeat(32), dir, logger)).toBe('x'.repeat(32));
    await expect(stat(join(dir, SECRET_FILE_NAME))).rejects.toThrow(/ENOENT/);
  });

  it('[K2] generates a key on first start into a 0600 file, and reuses it afterwards', async () => {
    const first = await resolveSigningSecret(undefined, dir, logger);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect((await stat(join(dir, SECRET_FILE_NAME))).mode & 0o777).toBe(0o600);
    expect(await resolveSigningSecret(undefined, dir, logger)).toBe(first);
  });

  it('[K3] two starts racing for the first key end up with the same one', async () => {
    const [a, b] = await Promise.all([resolveSigningSecret(undefined, dir, logger), resolveSigningSecret(undefined, dir, logger)]);
    expect(a).toBe(b);
  });

  it('[K4] refuses a key file holding a short key', async () => {
    await resolveSigningSecret(undefined, dir, logger);
    await writeFile(join(dir, SECRET_FILE_NAME), 'short\n');
    await expect(resolveSigningSecret(undefined, dir, logger)).rejects.toBeInstanceOf(ConfigError);
  });
});
