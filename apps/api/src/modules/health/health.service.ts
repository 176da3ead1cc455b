import { Inject, Injectable } from '@nestjs/common';
import { DatabaseUnavailableError } from '../../common/domain-error';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { readAppVersion } from '../../config/paths';
import { DatabaseHealthRepository } from './database-health.repository';
import type { Health } from './health.dto';

@Injectable()
export class HealthService {
  private readonly startedAt = Date.now();

  constructor(
    private readonly database: DatabaseHealthRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check(): Promise<Health> {
    try {
      await this.database.ping();
    } catch (error) {
      throw new DatabaseUnavailableError((error as Error).message);
    }
    const target = this.config.database;
    return {
      status: 'ok',
      database:
        target.kind === 'embedded'
          ? { kind: 'embedded', path: target.path }
          : { kind: 'postgres', host: target.host, database: target.database },
      version: readAppVersion(),
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
    };
  }
}
