import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** A small but complete scenario file, as plain data to mutate in tests. */
export function tinyScenario(id = 'tiny-saas') {
  return {
    formatVersion: 1,
    id,
    version: 1,
    title: 'Tiny SaaS',
    prompt: 'Model tenants and their invoices.',
    formats: ['multi-tenant-saas'],
    difficulty: 'junior',
    timePerStage: { frame: 5, list: 10, optimize: 5, win: 5 },
    actors: [{ id: 'admin', name: 'Tenant admin', aliases: ['owner'] }],
    rules: [{ id: 'scoped', kind: 'invariant', text: 'An invoice belongs to exactly one tenant.', concepts: ['invoice'] }],
    accessPatterns: [
      {
        id: 'list-invoices',
        description: "List a tenant's invoices by status.",
        frequency: 'high',
        concepts: ['invoice'],
        keyFields: ['invoice.tenant_id', 'invoice.status'],
      },
    ],
    tenancy: { strategy: 'shared-schema', why: 'Many small tenants share tables keyed by tenant_id.' },
    referenceModel: {
      entities: {
        tenants: { fields: { id: { type: 'uuid', pk: true }, name: 'text' } },
        invoices: {
          fields: {
            id: { type: 'uuid', pk: true },
            tenant_id: { type: 'uuid', references: 'tenants.id', onDelete: 'restrict' },
            status: 'text',
            total_minor: 'bigint',
          },
          indexes: [['tenant_id', 'status']],
        },
      },
    },
    concepts: [
      { id: 'tenant', entity: 'tenants', aliases: ['accounts', 'organizations'] },
      { id: 'invoice', entity: 'invoices', aliases: ['bills'], fields: [{ name: 'tenant_id', aliases: ['account_id'] }, 'status'] },
    ],
    productQuestions: [
      {
        id: 'revenue-per-tenant',
        category: 'monetization',
        question: 'How much did each tenant pay?',
        concepts: ['tenant', 'invoice'],
        referenceSql: 'SELECT tenant_id, sum(total_minor) FROM invoices GROUP BY tenant_id;',
      },
    ],
    followUps: [{ id: 'isolation', stage: 'optimize', question: 'How do you keep tenants apart?', concepts: ['tenant'] }],
  };
}

export const toYaml = (data: unknown) => stringify(data);

const createdDirs: string[] = [];

/** A fresh temporary folder holding the given files; `removeScenarioDirs` deletes them all. */
export function scenarioDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hatch-scenarios-'));
  createdDirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export function removeScenarioDirs(): void {
  for (const dir of createdDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
