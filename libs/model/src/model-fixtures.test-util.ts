import * as Y from 'yjs';
import type { ModelInput } from './model.schema';

/** A small multi-tenant SaaS model touching every element kind; valid as written. */
export function saasModel(): ModelInput {
  return {
    entities: [
      {
        id: 'ent_tenants',
        name: 'tenants',
        description: 'A customer organisation.',
        fields: [
          { id: 'fld_tenants_id', name: 'id', type: 'uuid', nullable: false, primaryKey: true, default: 'gen_random_uuid()' },
          { id: 'fld_tenants_name', name: 'name', type: 'text', nullable: false },
        ],
      },
      {
        id: 'ent_users',
        name: 'users',
        fields: [
          { id: 'fld_users_id', name: 'id', type: 'uuid', nullable: false, primaryKey: true },
          {
            id: 'fld_users_tenant',
            name: 'tenant_id',
            type: 'uuid',
            nullable: false,
            references: { entityId: 'ent_tenants', fieldId: 'fld_tenants_id', onDelete: 'cascade' },
          },
          { id: 'fld_users_email', name: 'email', type: 'text', nullable: false, description: 'Login, unique per tenant.' },
        ],
        constraints: [{ id: 'con_users_email', kind: 'unique', fieldIds: ['fld_users_tenant', 'fld_users_email'] }],
      },
      {
        id: 'ent_teams',
        name: 'teams',
        fields: [
          { id: 'fld_teams_id', name: 'id', type: 'uuid', nullable: false, primaryKey: true },
          { id: 'fld_teams_tenant', name: 'tenant_id', type: 'uuid', nullable: false },
        ],
        constraints: [
          {
            id: 'con_teams_tenant',
            kind: 'foreign_key',
            fieldIds: ['fld_teams_tenant'],
            references: { entityId: 'ent_tenants', fieldIds: ['fld_tenants_id'] },
          },
        ],
      },
      {
        id: 'ent_memberships',
        name: 'memberships',
        fields: [
          { id: 'fld_memberships_user', name: 'user_id', type: 'uuid', nullable: false, primaryKey: true },
          { id: 'fld_memberships_team', name: 'team_id', type: 'uuid', nullable: false, primaryKey: true },
        ],
      },
      {
        id: 'ent_invoices',
        name: 'invoices',
        description: 'Issued monthly, append-only once finalised.',
        fields: [
          { id: 'fld_invoices_id', name: 'id', type: 'uuid', nullable: false, primaryKey: true },
          { id: 'fld_invoices_tenant', name: 'tenant_id', type: 'uuid', nullable: false },
          { id: 'fld_invoices_amount', name: 'amount', type: 'numeric(12,2)', nullable: false },
          { id: 'fld_invoices_created', name: 'created_at', type: 'timestamptz', nullable: false, default: 'now()' },
        ],
        constraints: [{ id: 'con_invoices_amount', kind: 'check', fieldIds: ['fld_invoices_amount'], expression: 'amount >= 0' }],
        indexes: [{ id: 'idx_invoices_tenant_created', fieldIds: ['fld_invoices_tenant', 'fld_invoices_created'] }],
      },
    ],
    relationships: [
      {
        id: 'rel_tenant_users',
        fromEntityId: 'ent_tenants',
        fromFieldIds: ['fld_tenants_id'],
        toEntityId: 'ent_users',
        toFieldIds: ['fld_users_tenant'],
        cardinality: '1:N',
        onDelete: 'cascade',
      },
      {
        id: 'rel_user_teams',
        fromEntityId: 'ent_users',
        toEntityId: 'ent_teams',
        cardinality: 'N:M',
        throughEntityId: 'ent_memberships',
        description: 'A user joins teams of their tenant.',
      },
      {
        id: 'rel_tenant_invoices',
        fromEntityId: 'ent_tenants',
        fromFieldIds: ['fld_tenants_id'],
        toEntityId: 'ent_invoices',
        toFieldIds: ['fld_invoices_tenant'],
        cardinality: '1:N',
      },
    ],
    events: [
      {
        id: 'evt_invoice_paid',
        name: 'invoice_paid',
        description: 'An invoice was settled.',
        trigger: 'the payment provider confirms the charge',
        entityId: 'ent_invoices',
        properties: [
          { id: 'prp_invoice_id', name: 'invoice_id', type: 'string', required: true },
          { id: 'prp_amount', name: 'amount', type: 'number' },
        ],
      },
    ],
    frame: {
      domain: 'B2B SaaS with per-seat billing 💸 and audit logs.',
      actors: [{ id: 'act_admin', name: 'Tenant admin', description: 'Manages seats and billing.' }],
      rules: [
        { id: 'rul_isolation', kind: 'invariant', text: 'A tenant never reads another tenant’s rows.' },
        { id: 'rul_invoices', text: 'Finalised invoices are never edited.' },
      ],
      accessPatterns: [
        { id: 'acp_invoices', description: 'List a tenant’s invoices by month', frequency: 'high', entityIds: ['ent_invoices', 'ent_tenants'] },
      ],
      tenancy: { strategy: 'shared-schema', notes: 'tenant_id on every table, enforced by RLS.' },
    },
    win: {
      answers: [
        {
          id: 'win_revenue',
          questionId: 'q_monthly_revenue',
          question: 'What is revenue per tenant per month?',
          answer: 'Sum invoices by tenant and month.',
          sql: "select tenant_id, date_trunc('month', created_at), sum(amount) from invoices group by 1, 2",
        },
      ],
    },
  };
}

/** Sends everything `from` has that `to` lacks. */
export function syncDocs(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'remote');
}

/** Brings every doc up to date with every other. */
export function syncAll(docs: readonly Y.Doc[]): void {
  for (const from of docs) for (const to of docs) if (from !== to) syncDocs(from, to);
}

/** A replica of `doc` (same content, its own client id). */
export function replicaOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  syncDocs(doc, copy);
  return copy;
}
