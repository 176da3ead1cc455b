import { Parser } from '@dbml/core';
import type { Model } from '../model.schema';
import { exportDbml, importDbml } from './dbml';
import { importDdl } from './ddl-import';
import { DDL_SAMPLES } from './ddl-samples.test-util';
import { DbmlParseError } from './io.errors';

const MARKETPLACE = `
Enum listing_status {
  draft
  live
  "sold out"
}

Table sellers {
  id bigint [pk, increment]
  email varchar(255) [unique, not null, note: 'Login e-mail']
  rating numeric(3,2) [default: 0]
  created_at timestamptz [not null, default: \`now()\`]
  Note: 'People who list things'
}

Table listings {
  id uuid [pk, default: \`gen_random_uuid()\`]
  seller_id bigint [not null, ref: > sellers.id]
  status listing_status [not null, default: 'draft']
  title text [not null]
  price_cents integer [not null, check: \`price_cents >= 0\`]
  tags "text[]"

  indexes {
    (seller_id, status) [name: 'listings_by_seller']
    title [type: hash]
  }
}

Table seller_profiles {
  seller_id bigint [pk]
  bio text
}

Table categories {
  id integer [pk]
  name text [not null]
}

Table listing_categories {
  listing_id uuid [not null]
  category_id integer [not null]

  indexes {
    (listing_id, category_id) [pk]
  }
}

Table "Order Items" {
  "Order Id" bigint [not null]
  line integer [not null]
  listing_id uuid
  checks {
    \`line > 0\` [name: 'line_positive']
  }
  indexes {
    ("Order Id", line) [pk]
  }
}

Ref: seller_profiles.seller_id - sellers.id [delete: cascade]
Ref: listing_categories.listing_id > listings.id [delete: cascade]
Ref: categories.id < listing_categories.category_id
Ref: "Order Items".listing_id > listings.id [delete: set null]
Ref related: sellers.id <> categories.id
`;

function entity(model: Model, name: string) {
  const e = model.entities.find((x) => x.name === name);
  if (!e) throw new Error(`no entity ${name}`);
  return e;
}

describe('importDbml', () => {
  let model: Model;
  let warnings: string[];
  beforeAll(async () => {
    ({ model, warnings } = await importDbml(MARKETPLACE));
  });

  it('imports tables, columns, primary keys (incl. composite), unique, not null, defaults and notes', () => {
    expect(model.entities.map((e) => e.id)).toEqual([
      'e_sellers', 'e_listings', 'e_seller_profiles', 'e_categories', 'e_listing_categories', 'e_Order-Items', 'e_sellers_categories',
    ]);
    const sellers = entity(model, 'sellers');
    expect(sellers.description).toBe('People who list things');
    expect(sellers.fields.map((f) => [f.name, f.type, f.primaryKey, f.unique, f.nullable, f.default, f.description])).toEqual([
      ['id', 'bigserial', true, false, false, null, ''],
      ['email', 'varchar(255)', false, true, false, null, 'Login e-mail'],
      ['rating', 'numeric(3,2)', false, false, true, '0', ''],
      ['created_at', 'timestamptz', false, false, false, 'now()', ''],
    ]);
    expect(entity(model, 'listings').fields.find((f) => f.name === 'status')?.default).toBe("'draft'");
    expect(entity(model, 'Order Items').fields.filter((f) => f.primaryKey).map((f) => f.name)).toEqual(['Order Id', 'line']);
  });

  it('maps refs to references and relationships with the cardinality the operator states', () => {
    const rel = (toEntity: string, from: string) =>
      model.relationships.find((r) => r.toEntityId === toEntity && r.fromEntityId === from && r.cardinality !== 'N:M');
    expect(rel('e_listings', 'e_sellers')).toMatchObject({ cardinality: '1:N', toFieldIds: ['f_listings_seller_id'] });
    expect(entity(model, 'listings').fields.find((f) => f.name === 'seller_id')?.references).toEqual({
      entityId: 'e_sellers', fieldId: 'f_sellers_id', onDelete: null,
    });
    // `-`: the second endpoint holds the key (as @dbml/core's own SQL export reads it).
    expect(rel('e_sellers', 'e_seller_profiles')).toMatchObject({ cardinality: '1:1', onDelete: 'cascade' });
    // `<`: the right side is the many side.
    expect(rel('e_listing_categories', 'e_categories')).toMatchObject({ cardinality: '1:N', toFieldIds: ['f_listing_categories_category_id'] });
    expect(rel('e_Order-Items', 'e_listings')).toMatchObject({ onDelete: 'set null' });
    expect(model.relationships.filter((r) => r.cardinality === 'N:M')).toEqual([
      expect.objectContaining({ fromEntityId: 'e_listings', toEntityId: 'e_categories', throughEntityId: 'e_listing_categories' }),
      expect.objectContaining({ fromEntityId: 'e_sellers', toEntityId: 'e_categories', throughEntityId: 'e_sellers_categories' }),
    ]);
  });

  it('turns a many-to-many ref into the join table @dbml/core would create (the model needs one)', () => {
    expect(entity(model, 'sellers_categories').fields.map((f) => [f.name, f.type, f.primaryKey, f.references?.entityId])).toEqual([
      ['sellers_id', 'bigint', true, 'e_sellers'],
      ['categories_id', 'integer', true, 'e_categories'],
    ]);
    expect(warnings).toEqual(['many-to-many ref sellers <> categories became the join table "sellers_categories"']);
  });

  it('imports indexes, checks and enums (as the field type plus an IN (…) check)', () => {
    expect(entity(model, 'listings').indexes).toEqual([
      expect.objectContaining({ name: 'listings_by_seller', fieldIds: ['f_listings_seller_id', 'f_listings_status'], method: 'btree', unique: false }),
      expect.objectContaining({ name: '', fieldIds: ['f_listings_title'], method: 'hash' }),
    ]);
    expect(entity(model, 'listings').constraints.map((c) => [c.kind, c.expression, c.fieldIds])).toEqual([
      ['check', 'price_cents >= 0', ['f_listings_price_cents']],
      ['check', `status IN ('draft', 'live', 'sold out')`, ['f_listings_status']],
    ]);
    expect(entity(model, 'Order Items').constraints[0]).toMatchObject({ name: 'line_positive', expression: 'line > 0', fieldIds: ['f_Order-Items_line'] });
  });
});

describe('exportDbml', () => {
  it('round trips: DBML → model → DBML → model gives the same model', async () => {
    const first = (await importDbml(MARKETPLACE)).model;
    const text = exportDbml(first);
    const second = (await importDbml(text)).model;
    expect(second).toEqual(first);
    expect(exportDbml(second)).toBe(text);
  });

  it('escapes names, strings and notes that need it', async () => {
    const text = exportDbml(
      (
        await importDbml(`
        Table "it's \\"odd\\"" {
          "col \\"a\\"" text [default: 'O\\'Brien \\\\ co', note: '''two
lines''']
          Note: 'a \\'quoted\\' note'
        }
      `)
      ).model,
    );
    expect(text).toContain('Table "it\'s \\"odd\\"" {');
    expect(text).toContain(`"col \\"a\\"" text [default: 'O\\'Brien \\\\ co', note: '''two\nlines''']`);
    const back = (await importDbml(text)).model.entities[0];
    expect(back.name).toBe('it\'s "odd"');
    expect(back.fields[0]).toMatchObject({ name: 'col "a"', default: "'O''Brien \\ co'", description: 'two\nlines' });
    expect(back.description).toBe("a 'quoted' note");
  });

  it.each(Object.entries(DDL_SAMPLES))('exports the %s DDL sample as DBML that @dbml/core parses, with every ref', async (_name, sql) => {
    const model = (await importDdl(sql)).model;
    const text = exportDbml(model);
    const db = new Parser().parse(text, 'dbmlv2');
    const refs = db.schemas.flatMap((s) => s.refs);
    const keys = model.relationships.filter((r) => r.cardinality !== 'N:M').length;
    expect(refs).toHaveLength(keys);
    expect(db.schemas.flatMap((s) => s.tables).map((t) => t.name)).toEqual(model.entities.filter((e) => e.kind === 'table').map((e) => e.name));
    const back = (await importDbml(text)).model;
    for (const e of back.entities) {
      const original = model.entities.find((x) => x.name === e.name);
      expect(e.fields.map((f) => [f.name, f.primaryKey, f.nullable || f.primaryKey])).toEqual(
        original?.fields.map((f) => [f.name, f.primaryKey, f.nullable || f.primaryKey]),
      );
    }
  });

  it('writes what DBML cannot say as comments', async () => {
    const text = exportDbml((await importDdl(DDL_SAMPLES['bookings'])).model);
    expect(text).toContain('// view hotel_rooms is not expressed in DBML');
    expect(text).toContain("// index guests_email_active: its WHERE (email <> '') is not expressible in DBML");
    expect(text).toContain('// exclusion bookings_no_overlap is not expressible in DBML');
    expect(text).toContain("Enum room_kind {\n  single\n  double\n  suite\n}");
    expect(text).toContain('Ref bookings_room_fkey: bookings.(hotel_id, room_no) > rooms.(hotel_id, room_no) [delete: restrict]');
    expect(text).toContain('Ref: bookings.id - booking_invoices.booking_id');
  });
});

describe('importDbml: bad input', () => {
  it('throws DbmlParseError with the line and column of the first problem', async () => {
    const text = 'Table users {\n  id int [pk\n}\n';
    const error = await importDbml(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DbmlParseError);
    expect(error).toMatchObject({ code: 'DBML_PARSE_ERROR', line: 3, column: 1 });
    expect((error as DbmlParseError).message).toMatch(/^DBML does not parse: .+ \(line 3, column 1\)/);
    expect((error as DbmlParseError).diagnostics.length).toBeGreaterThan(0);
  });

  it('reports a reference to a missing column', async () => {
    await expect(importDbml('Table a {\n  id int [pk]\n}\nRef: a.nope > a.id\n')).rejects.toMatchObject({ code: 'DBML_PARSE_ERROR', line: 4 });
  });
});
