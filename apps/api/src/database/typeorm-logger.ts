import type { LoggerService } from '@nestjs/common';
import type { Logger as TypeOrmLoggerInterface } from 'typeorm';

/** Routes TypeORM's own messages (migrations, warnings) to the app logger; queries are not logged. */
export class TypeOrmLogger implements TypeOrmLoggerInterface {
  constructor(private readonly logger: LoggerService) {}

  logQuery(): void {
    // queries are not logged
  }

  logQueryError(): void {
    // the error reaches the caller, which decides whether it is worth logging
  }

  logSchemaBuild(): void {
    // migration progress is logged by logMigration
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`Slow query (${time} ms): ${query}`, 'Database');
  }

  logMigration(message: string): void {
    this.logger.log(message, 'Migrations');
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message), 'Database');
    else this.logger.debug?.(String(message), 'Database');
  }
}
