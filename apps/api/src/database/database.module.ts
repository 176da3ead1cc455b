import { type DynamicModule, Global, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Database } from './database';

/**
 * Makes an opened `Database` and its `DataSource` injectable (repositories are the only consumers of
 * the DataSource) and closes it last, when the app shuts down.
 */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(private readonly database: Database) {}

  static forRoot(database: Database): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: Database, useValue: database },
        { provide: DataSource, useValue: database.dataSource },
      ],
      exports: [Database, DataSource],
    };
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    await this.database.close();
    new Logger('Database').log(`Database closed${signal ? ` (${signal})` : ''}`);
  }
}
