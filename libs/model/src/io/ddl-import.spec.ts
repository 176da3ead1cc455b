import type { Entity, Model } from '../model.schema';
import { importDdl } from './ddl-import';
import { PG_DUMP_FIXTURE } from './ddl-samples.test-util';
import { DdlParseError } from './io.errors';

function entity(model: Model, name: string): Entity {
  const found = model.entities.find((e) => e.name === name);
  if (!found) throw new Error(`no entity ${name}`);
  return found;
}

function field(model: Model, table: string, column: string) {
  const found = entity(model, table).fields.find((f) => f.name === column);
  if (!found) throw new Error(`no field ${table}.${column}`);
  return found;
}

describe('importDdl: a pg_dump file with noise', () => {
  let result: Awaited<ReturnType<typeof importDdl>>;
  beforeAll(async () => {
    result = await importDdl(PG_DUMP_FIXTURE);
  });

  it('imports every table and the view, in file order, with ids derived from names', () => {
    expect(result.model.entities.map((e) => [e.id, e.kind])).toEqual([
      ['e_tenants', 'table'],
      ['e_customers', 'table'],
      ['e_invoices', 'table'],
      ['e_invoice_lines', 'table'],
      ['e_tags', 'table'],
      ['e_customer_tags', 'table'],
      ['e_audit_log', 'table'],
      ['e_open_invoices', 'view'],
    ]);
    expect(field(result.model, 'customers', 'Display Name').id).toBe('f_customers_Display-Name');
  });

  it('keeps column types as written in DDL (arrays, numeric(p,s), varchar(n), timestamptz, enums)', () => {
    const types = Object.fromEntries(entity(result.model, 'invoices').fields.map((f) => [f.name, f.type]));
    expect(types).toEqual({
      id: 'bigint',
      tenant_id: 'uuid',
      customer_id: 'bigint',
      status: 'invoice_status',
      total: 'numeric(12,2)',
      currency: 'char(3)',
      issued_at: 'timestamptz',
    });
    expect(field(result.model, 'tenants', 'slug').type).toBe('varchar(63)');
    expect(field(result.model, 'customers', 'tags').type).toBe('text[]');
  });

  it('reads NOT NULL, defaults (deparsed, redundant literal casts dropped), serial and identity columns', () => {
    expect(field(result.model, 'invoices', 'status')).toMatchObject({ nullable: false, default: "'draft'" });
    expect(field(result.model, 'invoices', 'currency').default).toBe("'EUR'");
    expect(field(result.model, 'tenants', 'id').default).toBe('gen_random_uuid()');
    expect(field(result.model, 'customers', 'tags').default).toBe("'{}'");
    expect(field(result.model, 'invoices', 'issued_at')).toMatchObject({ nullable: true, default: null });
    // ALTER TABLE ONLY … SET DEFAULT nextval(…) on a bigint: the sequence becomes bigserial.
    expect(field(result.model, 'customers', 'id')).toMatchObject({ type: 'bigserial', default: null });
    expect(field(result.model, 'invoices', 'id').default).toBe('GENERATED ALWAYS AS IDENTITY');
  });

  it('applies ALTER TABLE ONLY … ADD CONSTRAINT primary keys (incl. composite) and uniques', () => {
    const pk = (table: string) => entity(result.model, table).fields.filter((f) => f.primaryKey).map((f) => f.name);
    expect(pk('tenants')).toEqual(['id']);
    expect(pk('invoice_lines')).toEqual(['invoice_id', 'line_no']);
    expect(pk('customer_tags')).toEqual(['customer_id', 'tag_id']);
    expect(field(result.model, 'tenants', 'slug').unique).toBe(true);
    expect(entity(result.model, 'customers').constraints).toEqual([
      expect.objectContaining({
        kind: 'unique',
        name: 'customers_tenant_id_email_key',
        fieldIds: ['f_customers_tenant_id', 'f_customers_email'],
      }),
    ]);
  });

  it('turns foreign keys into field references and relationships with cardinality and ON DELETE', () => {
    expect(field(result.model, 'invoices', 'customer_id').references).toEqual({
      entityId: 'e_customers',
      fieldId: 'f_customers_id',
      onDelete: 'restrict',
    });
    expect(field(result.model, 'customers', 'tenant_id').references?.onDelete).toBe('cascade');
    const oneToMany = result.model.relationships.filter((r) => r.cardinality === '1:N');
    expect(oneToMany).toHaveLength(7);
    expect(result.model.relationships.find((r) => r.id === 'r_invoices_customer_id')).toMatchObject({
      fromEntityId: 'e_customers',
      fromFieldIds: ['f_customers_id'],
      toEntityId: 'e_invoices',
      toFieldIds: ['f_invoices_customer_id'],
      onDelete: 'restrict',
    });
  });

  it('recognizes the pure join table as an N:M relationship through it', () => {
    expect(result.model.relationships.filter((r) => r.cardinality === 'N:M')).toEqual([
      expect.objectContaining({ fromEntityId: 'e_customers', toEntityId: 'e_tags', throughEntityId: 'e_customer_tags' }),
    ]);
  });

  it('keeps CHECK constraints and carries the enum type as the field type plus an IN (…) check', () => {
    const checks = entity(result.model, 'invoices').constraints.filter((c) => c.kind === 'check');
    expect(checks).toEqual([
      expect.objectContaining({ name: 'invoices_total_check', expression: 'total >= 0::numeric', fieldIds: ['f_invoices_total'] }),
      expect.objectContaining({
        expression: "status IN ('draft', 'open', 'paid', 'void')",
        fieldIds: ['f_invoices_status'],
        description: 'Values of enum type invoice_status.',
      }),
    ]);
  });

  it('imports CREATE INDEX with columns, method, uniqueness and partial WHERE', () => {
    const invoices = entity(result.model, 'invoices').indexes;
    expect(invoices).toEqual([
      expect.objectContaining({ name: 'invoices_tenant_id_status_idx', fieldIds: ['f_invoices_tenant_id', 'f_invoices_status'], method: 'btree', where: '' }),
      expect.objectContaining({
        name: 'invoices_open_idx',
        fieldIds: ['f_invoices_tenant_id', 'f_invoices_issued_at'],
        where: "status = CAST('open' AS invoice_status)",
      }),
    ]);
    expect(entity(result.model, 'audit_log').indexes[0]).toMatchObject({ method: 'gin', fieldIds: ['f_audit_log_payload'] });
    expect(entity(result.model, 'tags').indexes[0]).toMatchObject({ unique: true, fieldIds: ['f_tags_label'] });
    expect(result.warnings).toContain('index tags_label_lower_idx: the expression lower(label) is kept as its column (label)');
  });

  it('maps COMMENT ON TABLE/COLUMN to descriptions and keeps the view SQL in its description', () => {
    expect(entity(result.model, 'tenants').description).toBe('A customer organisation; every row below belongs to one.');
    expect(field(result.model, 'customers', 'email').description).toBe('Login e-mail, unique per tenant');
    expect(entity(result.model, 'open_invoices').description).toMatch(/^```sql\nSELECT[\s\S]*FROM invoices[\s\S]*```$/);
  });

  it('skips and counts every statement that is not a data model, with a reason and a line', () => {
    const reasons = result.skipped.map((s) => s.reason);
    expect(result.skipped).toHaveLength(33);
    expect(reasons.filter((r) => r === 'session setting')).toHaveLength(11);
    expect(reasons.filter((r) => r === 'ownership')).toHaveLength(8);
    expect(result.skipped).toContainEqual({ statement: 'CREATE FUNCTION public.touch_updated_at() RETURNS trigger', reason: 'function or procedure', line: 51 });
    expect(result.skipped).toContainEqual({
      statement: 'COPY public.tenants (id, name, slug, created_at) FROM stdin',
      reason: 'table data (COPY … FROM stdin, 2 rows)',
      line: 213,
    });
    expect(result.skipped).toContainEqual(expect.objectContaining({ reason: 'psql meta-command', line: 5 }));
    for (const kind of ['extension', 'trigger', 'privileges', 'query, not schema (e.g. set_config/setval)']) {
      expect(reasons).toContain(kind);
    }
    expect(reasons.some((r) => r.startsWith('sequence'))).toBe(true);
  });

  it('gives the same ids and model when the same DDL is imported again', async () => {
    expect((await importDdl(PG_DUMP_FIXTURE)).model).toEqual(result.model);
  });
});

describe('importDdl: CREATE TABLE features', () => {
  it('reads column and table constraints, quoted and schema-qualified names, exclusions and composite keys', async () => {
    const { model, warnings } = await importDdl(`
      CREATE TABLE public."Account Holders" (
        id integer PRIMARY KEY,
        "Email" text NOT NULL UNIQUE,
        age smallint CHECK (age >= 18)
      );
      CREATE TABLE billing.profiles (
        holder_id integer PRIMARY KEY REFERENCES "Account Holders" ON DELETE CASCADE
      );
      CREATE TABLE reservations (
        room integer NOT NULL,
        during tstzrange NOT NULL,
        holder_id integer,
        holder_email text,
        CONSTRAINT no_double_booking EXCLUDE USING gist (during WITH &&) WHERE (room > 0),
        CONSTRAINT holder_fk FOREIGN KEY (holder_id, holder_email) REFERENCES "Account Holders" (id, "Email") ON DELETE SET NULL
      );
    `);
    const holders = entity(model, 'Account Holders');
    expect(holders.id).toBe('e_Account-Holders');
    expect(holders.fields.map((f) => [f.name, f.type, f.primaryKey, f.unique, f.nullable])).toEqual([
      ['id', 'integer', true, false, false],
      ['Email', 'text', false, true, false],
      ['age', 'smallint', false, false, true],
    ]);
    expect(holders.constraints).toEqual([expect.objectContaining({ kind: 'check', expression: 'age >= 18', fieldIds: ['f_Account-Holders_age'] })]);

    // REFERENCES without columns means the primary key; a unique FK column makes the relationship 1:1.
    expect(field(model, 'profiles', 'holder_id').references).toEqual({ entityId: 'e_Account-Holders', fieldId: 'f_Account-Holders_id', onDelete: 'cascade' });
    expect(model.relationships.find((r) => r.toEntityId === 'e_profiles')?.cardinality).toBe('1:1');
    expect(warnings).toContain('schema "billing": the model has no schemas, so its tables are imported by name alone');

    const reservations = entity(model, 'reservations');
    expect(reservations.constraints).toEqual([
      expect.objectContaining({ kind: 'exclusion', name: 'no_double_booking', expression: 'USING gist (during WITH &&) WHERE (room > 0)', fieldIds: ['f_reservations_during'] }),
      expect.objectContaining({
        kind: 'foreign_key',
        name: 'holder_fk',
        fieldIds: ['f_reservations_holder_id', 'f_reservations_holder_email'],
        references: { entityId: 'e_Account-Holders', fieldIds: ['f_Account-Holders_id', 'f_Account-Holders_Email'], onDelete: 'set null' },
      }),
    ]);
    expect(reservations.fields.every((f) => f.references === null)).toBe(true);
    expect(model.relationships.find((r) => r.toEntityId === 'e_reservations')).toMatchObject({ cardinality: '1:N', onDelete: 'set null' });
  });

  it('applies ALTER TABLE column changes and COMMENT ON CONSTRAINT', async () => {
    const { model, skipped } = await importDdl(`
      CREATE TABLE t (a int, b int, c int);
      ALTER TABLE t ADD COLUMN d text NOT NULL DEFAULT 'x';
      ALTER TABLE t DROP COLUMN c;
      ALTER TABLE t ALTER COLUMN a SET NOT NULL;
      ALTER TABLE t ALTER COLUMN b TYPE bigint;
      ALTER TABLE t ADD CONSTRAINT t_pair UNIQUE (a, b);
      COMMENT ON CONSTRAINT t_pair ON t IS 'one row per pair';
      ALTER TABLE t ENABLE ROW LEVEL SECURITY;
    `);
    expect(entity(model, 't').fields.map((f) => `${f.name}:${f.type}:${f.nullable}:${f.default}`)).toEqual([
      'a:integer:false:null',
      'b:bigint:true:null',
      "d:text:false:'x'",
    ]);
    expect(entity(model, 't').constraints[0]).toMatchObject({ name: 't_pair', description: 'one row per pair' });
    expect(skipped).toEqual([{ statement: 'ALTER TABLE t ENABLE ROW LEVEL SECURITY', reason: 'ALTER TABLE EnableRowSecurity is not modeled', line: 9 }]);
  });

  it('returns an empty model for empty input or comments only', async () => {
    for (const sql of ['', '   \n', '-- nothing here\n/* at all */']) {
      const { model, skipped } = await importDdl(sql);
      expect(model.entities).toEqual([]);
      expect(skipped).toEqual([]);
    }
  });

  it('drops a foreign key to an unknown table with a warning instead of failing', async () => {
    const { model, warnings } = await importDdl('CREATE TABLE a (x int REFERENCES missing (id));');
    expect(entity(model, 'a').fields[0].references).toBeNull();
    expect(model.relationships).toEqual([]);
    expect(warnings).toEqual(['foreign key a(x) references unknown table "missing" and was dropped']);
  });
});

describe('importDdlSync', () => {
  it('refuses to run before the WebAssembly parser is loaded, then parses synchronously', async () => {
    let mod!: typeof import('./ddl-import');
    await jest.isolateModulesAsync(async () => {
      mod = await import('./ddl-import');
    });
    expect(() => mod.importDdlSync('CREATE TABLE a (b int);')).toThrow(expect.objectContaining({ code: 'DDL_PARSER_NOT_LOADED' }));
    await mod.loadDdlParser();
    expect(mod.importDdlSync('CREATE TABLE a (b int);').model.entities.map((e) => e.id)).toEqual(['e_a']);
  });
});

describe('importDdl: SQL that does not parse', () => {
  it('throws DdlParseError with the parser message, line, column and position', async () => {
    const sql = 'CREATE TABLE ok (id int);\n-- é and 🙂 before the error\nCREATE TABLE broken (id int,, name text);';
    const error = await importDdl(sql).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DdlParseError);
    expect(error).toMatchObject({
      code: 'DDL_PARSE_ERROR',
      parserMessage: 'syntax error at or near ","',
      line: 3,
      column: 29,
    });
    const { position, message } = error as DdlParseError;
    expect(sql.slice(position)).toBe(', name text);');
    expect(message).toBe('DDL does not parse: syntax error at or near "," (line 3, column 29)');
  });

  it('reports an unterminated statement at the end of the input', async () => {
    const sql = 'CREATE TABLE t (\n  id int';
    await expect(importDdl(sql)).rejects.toMatchObject({ code: 'DDL_PARSE_ERROR', parserMessage: 'syntax error at end of input', line: 2, column: 9, position: sql.length });
  });

  it('does not mistake a COPY data block for SQL', async () => {
    const good = 'CREATE TABLE t (a text);\nCOPY t (a) FROM stdin;\nnot; sql at all\n\\.\nCREATE INDEX ON t (a);\n';
    const { model, skipped } = await importDdl(good);
    expect(entity(model, 't').indexes).toHaveLength(1);
    expect(skipped).toEqual([{ statement: 'COPY t (a) FROM stdin', reason: 'table data (COPY … FROM stdin, 1 row)', line: 2 }]);
  });
});
