import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class DatabaseHealthRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Round-trips one query; rejects when the database cannot answer. */
  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
