import type { ModelInput } from '@hatch/model';
import type { GradeWorkerLogger } from './grade-worker-host';

/**
 * A model of `count` tables (12 columns each, a primary key, a tenant FK) plus `tenants` and `invoices`
 * of the `tiny-saas` fixture scenario: big enough that `toJSON` + `grade` takes tens of milliseconds.
 */
export function largeModel(count: number): ModelInput {
  const entities: NonNullable<ModelInput['entities']> = [
    {
      id: 'ent_tenants',
      name: 'tenants',
      fields: [
        { id: 'fld_tenants_id', name: 'id', type: 'uuid', primaryKey: true },
        { id: 'fld_tenants_name', name: 'name', type: 'text' },
      ],
    },
  ];
  for (let i = 0; i < count - 1; i++) {
    const fields: Array<Record<string, unknown>> = [
      { id: `fld_t${i}_id`, name: 'id', type: 'uuid', primaryKey: true },
      { id: `fld_t${i}_tenant`, name: 'tenant_id', type: 'uuid', references: { entityId: 'ent_tenants', fieldId: 'fld_tenants_id', onDelete: 'restrict' } },
    ];
    for (let k = 0; k < 10; k++) fields.push({ id: `fld_t${i}_a${k}`, name: `attribute_${k}`, type: k % 3 === 0 ? 'bigint' : 'text', description: `Attribute ${k}` });
    entities.push({ id: `ent_t${i}`, name: i === 0 ? 'invoices' : `table_${i}`, fields } as NonNullable<ModelInput['entities']>[number]);
  }
  return { entities };
}

/** A logger that keeps what it is told, for assertions. */
export class RecordingLogger implements GradeWorkerLogger {
  readonly lines: Array<{ level: 'log' | 'warn' | 'error'; message: string }> = [];

  log(message: string): void {
    this.lines.push({ level: 'log', message });
  }

  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }

  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }

  errors(): string[] {
    return this.lines.filter((line) => line.level === 'error').map((line) => line.message);
  }
}
