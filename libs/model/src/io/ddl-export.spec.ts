import { modelSchema, type Model } from '../model.schema';
import { exportDdl } from './ddl-export';
import { byTable, pgliteTarget, postgresTarget, type CatalogSummary, type DdlTarget } from './ddl-apply.test-util';
import { importDdl } from './ddl-import';
import { DDL_SAMPLES } from './ddl-samples.test-util';
import { collectEnums, collectForeignKeys, isExactUniqueKey, splitViewDescription } from './model-facts';

/** Relationship order follows statement order in the source; everything else must match exactly. */
function normalized(model: Model): Model {
  return { ...model, relationships: [...model.relationships].sort((a, b) => a.id.localeCompare(b.id)) };
}

/** A model only the editor would produce: keys drawn as relationships, a bad key, an undefined view, odd indexes. */
const HAND_MADE: Model = modelSchema.parse({
  entities: [
    {
      id: 'e_team',
      name: 'Team',
      fields: [
        { id: 'f_team_id', name: 'id', type: 'uuid', primaryKey: true, default: 'gen_random_uuid()' },
        { id: 'f_team_name', name: 'name', type: 'text', nullable: false },
      ],
      indexes: [
        { id: 'i_team_name', name: 'by_name', fieldIds: ['f_team_name'] },
        { id: 'i_team_gin', name: 'bad_gin', fieldIds: ['f_team_name'], method: 'gin' },
      ],
    },
    {
      id: 'e_member',
      name: 'member',
      fields: [
        { id: 'f_member_id', name: 'id', type: 'bigserial', primaryKey: true },
        { id: 'f_member_team', name: 'team_id', type: 'uuid', nullable: false },
        { id: 'f_member_team_name', name: 'team_name', type: 'text', references: { entityId: 'e_team', fieldId: 'f_team_name' } },
        { id: 'f_member_score', name: 'score', type: 'numeric(5,2)', default: '0' },
      ],
      constraints: [{ id: 'c_member_score', name: 'score_range', kind: 'check', fieldIds: ['f_member_score'], expression: 'score BETWEEN 0 AND 100' }],
      // The same index name as on Team: PostgreSQL index names share one namespace, so this one goes unnamed.
      indexes: [{ id: 'i_member_team', name: 'by_name', fieldIds: ['f_member_team'] }],
    },
    { id: 'e_member_stats', name: 'member_stats', kind: 'view', description: 'Per-team counts, not written yet.' },
  ],
  relationships: [
    {
      id: 'r_team_member',
      fromEntityId: 'e_team',
      fromFieldIds: ['f_team_id'],
      toEntityId: 'e_member',
      toFieldIds: ['f_member_team'],
      cardinality: '1:N',
      onDelete: 'cascade',
    },
  ],
});

describe('exportDdl', () => {
  describe.each(Object.entries(DDL_SAMPLES))('round trip of %s', (_name, sql) => {
    it('DDL → model → DDL → model keeps tables, columns, types, keys, constraints and indexes', async () => {
      const first = (await importDdl(sql)).model;
      const ddl = exportDdl(first);
      const second = await importDdl(ddl);
      expect(second.skipped).toEqual([]);
      expect(normalized(second.model)).toEqual(normalized(first));
    });

    it('is deterministic and a fixpoint: exporting the re-imported model gives the same text', async () => {
      const model = (await importDdl(sql)).model;
      const ddl = exportDdl(model);
      expect(exportDdl(structuredClone(model))).toBe(ddl);
      expect(exportDdl((await importDdl(ddl)).model)).toBe(ddl);
    });
  });

  it('orders statements: enum types, tables by dependency, foreign keys, indexes, views, comments', async () => {
    const ddl = exportDdl((await importDdl(DDL_SAMPLES['billing_dump'])).model);
    const at = (text: string) => {
      const i = ddl.indexOf(text);
      expect(i).toBeGreaterThanOrEqual(0);
      return i;
    };
    expect(at("CREATE TYPE invoice_status AS ENUM ('draft', 'open', 'paid', 'void');")).toBeLessThan(at('CREATE TABLE tenants'));
    expect(at('CREATE TABLE tenants')).toBeLessThan(at('CREATE TABLE customers'));
    expect(at('CREATE TABLE customers')).toBeLessThan(at('CREATE TABLE invoices ('));
    expect(at('CREATE TABLE audit_log')).toBeLessThan(at('ALTER TABLE customers\n  ADD FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE;'));
    expect(at('ALTER TABLE audit_log')).toBeLessThan(at('CREATE INDEX invoices_tenant_id_status_idx ON invoices (tenant_id, status);'));
    expect(at('CREATE INDEX audit_log_payload_idx ON audit_log USING gin (payload);')).toBeLessThan(at('CREATE VIEW open_invoices AS'));
    expect(at('CREATE VIEW open_invoices AS')).toBeLessThan(at("COMMENT ON TABLE tenants IS 'A customer organisation; every row below belongs to one.';"));
    // The enum's own IN (…) check is implied by the type and not repeated.
    expect(ddl).not.toContain("status IN ('draft'");
    expect(ddl).toContain('  CONSTRAINT invoices_total_check CHECK (total >= 0::numeric)');
  });

  it('quotes identifiers only when needed and writes cycles as ALTER TABLE after both tables', async () => {
    const ddl = exportDdl((await importDdl(DDL_SAMPLES['reserved_words_and_cycle'])).model);
    expect(ddl).toContain(`CREATE TYPE "Mood" AS ENUM ('ok', 'meh', 'it''s complicated');`);
    expect(ddl).toContain(`  mood "Mood" DEFAULT 'ok'\n`);
    expect(ddl).toContain('CREATE TABLE "user" (\n  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n  "group" text NOT NULL,\n  "Display Name" varchar(80),');
    expect(ddl).toContain('ALTER TABLE "user"\n  ADD FOREIGN KEY (favorite_order_id) REFERENCES "order" (id) ON DELETE SET NULL;');
    expect(ddl).toContain('ALTER TABLE "order"\n  ADD FOREIGN KEY ("user") REFERENCES "user" (id) ON DELETE CASCADE;');
    expect(ddl).toContain('CREATE INDEX "Order By User" ON "order" ("user", "from");');
    expect(ddl).toContain(`COMMENT ON TABLE "order" IS 'It''s an order';`);
    expect(ddl.indexOf('CREATE TABLE "order"')).toBeLessThan(ddl.indexOf('ALTER TABLE'));
  });

  it('writes what applies and turns what would fail into -- skipped comments', () => {
    const ddl = exportDdl(HAND_MADE);
    expect(ddl).toContain('ALTER TABLE member\n  ADD FOREIGN KEY (team_id) REFERENCES "Team" (id) ON DELETE CASCADE;');
    expect(ddl).toContain('-- skipped: foreign key member(team_name) → Team(name): the referenced columns are not its primary key or a unique key');
    expect(ddl).toContain('-- skipped: index bad_gin on Team: gin needs array, jsonb or tsvector columns');
    expect(ddl).toContain('CREATE INDEX by_name ON "Team" (name);');
    expect(ddl).toContain('CREATE INDEX ON member (team_id);');
    expect(ddl).toContain('-- view member_stats has no definition in the model; not created');
    expect(ddl).toContain('  id bigserial PRIMARY KEY,');
    expect(ddl).toContain('  CONSTRAINT score_range CHECK (score BETWEEN 0 AND 100)');
  });

  it('names types it cannot create in the header', () => {
    const model = modelSchema.parse({
      entities: [{ id: 'e_a', name: 'a', fields: [{ id: 'f_a_geo', name: 'geo', type: 'geometry(Point, 4326)' }] }],
    });
    expect(exportDdl(model)).toBe(
      '-- PostgreSQL DDL exported by Hatch\n-- type "geometry" (used by a.geo) is not built in; create it before running this script\n\nCREATE TABLE a (\n  geo geometry(Point, 4326)\n);\n',
    );
  });
});

/** What PostgreSQL should hold after running the export of `model`. */
function expectedCatalog(model: Model): Omit<CatalogSummary, 'indexes'> & { namedIndexes: string[] } {
  const tables = model.entities.filter((e) => e.kind === 'table');
  const enums = collectEnums(model);
  const implied = new Set(enums.flatMap((e) => [...e.impliedCheckIds]));
  const keys = collectForeignKeys(model).keys.filter((k) => isExactUniqueKey(k.refEntity, k.refFields.map((f) => f.id)));
  return {
    tables: tables.map((t) => t.name).sort(),
    columns: byTable(tables.flatMap((t) => t.fields.map((f) => `${t.name}.${f.name}`))),
    foreignKeys: keys.length,
    primaryKeys: tables.filter((t) => t.fields.some((f) => f.primaryKey)).length,
    uniques: tables.reduce((n, t) => n + t.fields.filter((f) => f.unique).length + t.constraints.filter((c) => c.kind === 'unique').length, 0),
    checks: tables.reduce((n, t) => n + t.constraints.filter((c) => c.kind === 'check' && !implied.has(c.id)).length, 0),
    exclusions: tables.reduce((n, t) => n + t.constraints.filter((c) => c.kind === 'exclusion').length, 0),
    enums: enums.map((e) => e.name).sort(),
    views: model.entities.filter((e) => e.kind === 'view' && splitViewDescription(e.description).definition).map((e) => e.name).sort(),
    namedIndexes: [...new Set(tables.flatMap((t) => t.indexes.map((i) => i.name)).filter((n) => n && n !== 'bad_gin'))].sort(),
  };
}

const databaseUrl = process.env['TEST_DATABASE_URL'];
const targets: [string, () => Promise<DdlTarget>][] = [['PGlite (in-process)', pgliteTarget]];
if (databaseUrl) targets.push(['PostgreSQL at TEST_DATABASE_URL', () => postgresTarget(databaseUrl)]);

describe.each(targets)('exported DDL applies cleanly to %s', (_target, connect) => {
  let target: DdlTarget;
  beforeAll(async () => {
    target = await connect();
  }, 60_000);
  afterAll(async () => {
    await target?.close();
  });

  const models: [string, () => Promise<Model>][] = [
    ...Object.entries(DDL_SAMPLES).map(([name, sql]): [string, () => Promise<Model>] => [name, async () => (await importDdl(sql)).model]),
    ['hand_made', async () => HAND_MADE],
  ];

  it.each(models)('%s', async (schema, load) => {
    const model = await load();
    const summary = await target.apply(schema, exportDdl(model));
    const expected = expectedCatalog(model);
    const { namedIndexes, ...rest } = expected;
    expect({ ...summary, indexes: undefined }).toEqual({ ...rest, indexes: undefined });
    expect(summary.indexes.filter((i) => namedIndexes.includes(i))).toEqual(namedIndexes);
    expect(summary.indexes.length).toBe(model.entities.reduce((n, e) => n + e.indexes.length, 0) - (schema === 'hand_made' ? 1 : 0));
  }, 60_000);
});

describe('exported DDL against a PostgreSQL server', () => {
  it('is configured in CI (TEST_DATABASE_URL)', () => {
    if (process.env['CI'] === 'true' && !databaseUrl) {
      throw new Error('CI=true but TEST_DATABASE_URL is not set: the exported DDL must also be applied to a real PostgreSQL server in CI');
    }
    expect(targets.length).toBe(databaseUrl ? 2 : 1);
  });
});
