/**
 * Grader benchmark: a generated 200-entity model graded repeatedly (median ms per grade and
 * grades per second), then the same with a one-field change before each grade (typing speed).
 * Run: npm run bench:grader
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Entity, Field, Model } from '@hatch/model';
import { grade } from '@hatch/grader';
import { parseScenario } from '@hatch/scenarios';

const ENTITIES = 200;
const WARMUP = 30;
const RUNS = 300;

/** The scenario's reference model grown to `count` entities with tenant-scoped tables, FKs, indexes, events. */
function generatedModel(reference: Model, count: number): Model {
  const tenants = reference.entities.find((e) => e.name === 'tenants') ?? reference.entities[0];
  const tenantPk = tenants.fields.find((f) => f.primaryKey) as Field;
  const entities: Entity[] = [...reference.entities];
  const words = ['report', 'widget', 'channel', 'project', 'folder', 'comment', 'label', 'webhook', 'export', 'import', 'survey', 'segment'];
  for (let i = entities.length; i < count; i++) {
    const name = `${words[i % words.length]}_group_${i}s`;
    const id = `e_gen_${i}`;
    const fields: Field[] = [
      { id: `${id}_id`, name: 'id', type: 'uuid', nullable: false, default: 'gen_random_uuid()', primaryKey: true, unique: false, references: null, description: '' },
      { id: `${id}_tenant_id`, name: 'tenant_id', type: 'uuid', nullable: false, default: null, primaryKey: false, unique: false, references: { entityId: tenants.id, fieldId: tenantPk.id, onDelete: 'restrict' }, description: '' },
    ];
    const parent = entities[entities.length - 1 - (i % 7)];
    const parentPk = parent.fields.find((f) => f.primaryKey);
    if (parentPk && parent.id !== tenants.id) {
      fields.push({ id: `${id}_parent_id`, name: `parent_${i}_id`, type: parentPk.type, nullable: true, default: null, primaryKey: false, unique: false, references: { entityId: parent.id, fieldId: parentPk.id, onDelete: 'cascade' }, description: '' });
    }
    for (let k = 0; k < 8; k++) {
      fields.push({ id: `${id}_f${k}`, name: `attribute_${k}`, type: k % 3 === 0 ? 'bigint' : 'text', nullable: k % 2 === 0, default: null, primaryKey: false, unique: false, references: null, description: `Attribute ${k}.` });
    }
    fields.push({ id: `${id}_created_at`, name: 'created_at', type: 'timestamptz', nullable: false, default: 'now()', primaryKey: false, unique: false, references: null, description: '' });
    entities.push({
      id,
      name,
      kind: 'table',
      description: `Generated table ${i}.`,
      fields,
      constraints: [{ id: `${id}_uniq`, name: `${name}_tenant_id_attribute_1_key`, kind: 'unique', fieldIds: [`${id}_tenant_id`, `${id}_f1`], expression: '', references: null, description: '' }],
      indexes: [{ id: `${id}_idx`, name: `${name}_tenant_id_created_at_idx`, fieldIds: [`${id}_tenant_id`, `${id}_created_at`], unique: false, where: '', method: 'btree' }],
    });
  }
  const events = [...reference.events];
  for (let i = 0; i < 40; i++) {
    events.push({ id: `ev_gen_${i}`, name: `${words[i % words.length]}_${['created', 'updated', 'archived', 'shared'][i % 4]}_${i % 3 === 0 ? 'v' : 'x'}${i}`, description: '', trigger: '', entityId: entities[20 + i].id, properties: [] });
  }
  return { ...reference, entities, events };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(label: string, next: (i: number) => Model, scenario: Parameters<typeof grade>[1]) {
  for (let i = 0; i < WARMUP; i++) grade(next(i), scenario);
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  const started = process.hrtime.bigint();
  for (let i = 0; i < RUNS; i++) {
    const model = next(i);
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    grade(model, scenario);
    wallMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const cpu = process.cpuUsage(cpu0);
    cpuMs.push((cpu.user + cpu.system) / 1000);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const sorted = [...wallMs].sort((a, b) => a - b);
  // CPU time is reported too: on a shared machine, wall time also counts waiting for a core.
  console.log(
    `${label.padEnd(28)} median ${median(wallMs).toFixed(2)} ms (cpu ${median(cpuMs).toFixed(2)} ms)  p95 ${sorted[Math.floor(sorted.length * 0.95)].toFixed(2)} ms  ` +
      `${(RUNS / seconds).toFixed(0)} grades/s`,
  );
}

const file = join(__dirname, '../scenarios/saas-billing-metering-audit.yaml');
const scenario = parseScenario(readFileSync(file, 'utf8'), file);
const model = generatedModel(scenario.referenceModel, ENTITIES);
const fields = model.entities.reduce((sum, e) => sum + e.fields.length, 0);
console.log(`grader benchmark: ${model.entities.length} entities, ${fields} fields, ${model.events.length} events, scenario ${scenario.id}, node ${process.version}`);

measure('same model', () => model, scenario);
measure('one-field change (typing)', (i) => {
  // Each keystroke changes one field of one entity; the rest of the model is shared.
  const at = 15 + (i % (model.entities.length - 15));
  const entity = model.entities[at];
  const changed: Entity = { ...entity, fields: entity.fields.map((f, k) => (k === 3 ? { ...f, name: `attribute_${i % 10}x`, description: `typed ${i}` } : f)) };
  return { ...model, entities: model.entities.map((e, k) => (k === at ? changed : e)) };
}, scenario);
