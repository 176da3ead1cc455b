import { assignOneToOne } from './assignment';
import { grade } from './grader';
import { buildModel, tinyScenario } from './grader.test-util';
import { casingOf, inflectionOf, nameKey, nameTokens, singular, tokenSimilarity } from './name-normalizer';

const scenario = tinyScenario();

/** Tables with an id primary key, named as given. */
const tables = (...names: string[]) =>
  buildModel({ entities: Object.fromEntries(names.map((name) => [name, { fields: { id: { type: 'uuid', pk: true } } }])) });

const conceptOf = (names: string[], name: string) => {
  const result = grade(tables(...names), scenario);
  return result.mapping.entities.find((m) => m.name === name);
};

describe('name normalization', () => {
  it('folds plurals, irregular plurals and -es/-ies endings to the singular', () => {
    expect(['invoices', 'people', 'statuses', 'companies', 'addresses', 'batches', 'status', 'analysis', 'children', 'data'].map(singular)).toEqual([
      'invoice', 'person', 'status', 'company', 'address', 'batch', 'status', 'analysis', 'child', 'data',
    ]);
  });

  it('splits snake, kebab, camel, Pascal and spaced names into the same tokens', () => {
    for (const name of ['invoice_line_items', 'invoice-line-items', 'invoiceLineItems', 'InvoiceLineItems', 'Invoice Line Items', 'INVOICE_LINE_ITEMS']) {
      expect(nameTokens(name)).toEqual(['invoice', 'line', 'item']);
    }
    expect(nameKey('APIKeys')).toBe('api_key');
  });

  it('tells casing and inflection apart', () => {
    expect(['invoice_items', 'invoiceItems', 'InvoiceItems', 'invoices', 'Invoice Paid'].map(casingOf)).toEqual(['snake', 'camel', 'pascal', 'lower', 'title']);
    expect(['invoices', 'invoice', 'usage', 'billing', 'people'].map(inflectionOf)).toEqual(['plural', 'singular', 'neutral', 'neutral', 'plural']);
  });

  it('scores token similarity by shared tokens, weighting the head noun', () => {
    expect(tokenSimilarity(nameTokens('invoice_line_items'), nameTokens('invoice_items'))).toBeGreaterThan(0.8);
    expect(tokenSimilarity(nameTokens('feature_flags'), nameTokens('features'))).toBeLessThan(0.3);
    expect(tokenSimilarity(nameTokens('kittens'), nameTokens('tenants'))).toBe(0);
  });
});

describe('concept matching', () => {
  it('matches the reference name whatever its casing or inflection', () => {
    expect(conceptOf(['Tenant', 'InvoiceItems'], 'Tenant')).toMatchObject({ concept: 'tenant', why: 'exact', confidence: 1 });
    expect(conceptOf(['Tenant', 'InvoiceItems'], 'InvoiceItems')).toMatchObject({ concept: 'invoice-item', why: 'exact' });
    expect(conceptOf(['invoice'], 'invoice')).toMatchObject({ concept: 'invoice', why: 'exact' });
    expect(conceptOf(['usageEvents'], 'usageEvents')).toMatchObject({ concept: 'usage-event', why: 'exact' });
  });

  it('matches listed synonyms: accounts for tenants, line_items for invoice_items, people for users', () => {
    expect(conceptOf(['accounts'], 'accounts')).toMatchObject({ concept: 'tenant', why: 'alias', reference: 'tenants' });
    expect(conceptOf(['line_items'], 'line_items')).toMatchObject({ concept: 'invoice-item', why: 'alias' });
    expect(conceptOf(['Person'], 'Person')).toMatchObject({ concept: 'user', why: 'alias' });
    expect(conceptOf(['Companies'], 'Companies')).toMatchObject({ concept: 'tenant', why: 'alias' });
  });

  it('matches similar names by tokens: invoice_line_items ~ invoice_items', () => {
    const match = conceptOf(['invoice_line_items'], 'invoice_line_items');
    expect(match).toMatchObject({ concept: 'invoice-item', why: 'similarity' });
    expect(match?.confidence).toBeGreaterThan(0.8);
  });

  it('leaves unrelated tables unmatched instead of guessing: kittens, feature_flags', () => {
    const result = grade(tables('kittens', 'feature_flags', 'tenants'), scenario);
    expect(result.mapping.entities.map((m) => m.name)).toEqual(['tenants']);
    expect(result.unmatched.entities.map((e) => e.name)).toEqual(['kittens', 'feature_flags']);
    expect(result.unmatched.missing.concepts).toEqual(['user', 'invoice', 'invoice-item', 'usage-event', 'meter']);
  });

  it('assigns one table per concept, the best one: invoices wins over invoice_documents', () => {
    const result = grade(tables('invoice_documents', 'invoices'), scenario);
    expect(result.mapping.entities).toEqual([expect.objectContaining({ name: 'invoices', concept: 'invoice', why: 'exact' })]);
    expect(result.unmatched.entities.map((e) => e.name)).toEqual(['invoice_documents']);
  });

  it('uses the fields a concept should have to break a tie between equal names', () => {
    const model = buildModel({
      entities: {
        invoice: { fields: { id: { type: 'uuid', pk: true } } },
        invoices: { fields: { id: { type: 'uuid', pk: true }, status: 'text', total_minor: 'bigint', currency: 'char(3)', issued_at: 'timestamptz' } },
      },
    });
    const result = grade(model, scenario);
    expect(result.mapping.entities.find((m) => m.concept === 'invoice')?.name).toBe('invoices');
  });

  it('matches fields within a matched entity by name, alias, and the concept their foreign key points at', () => {
    const model = buildModel({
      entities: {
        orgs: { fields: { id: { type: 'uuid', pk: true } } },
        bills: {
          fields: {
            id: { type: 'uuid', pk: true },
            organisation: { type: 'uuid', references: 'orgs.id', onDelete: 'restrict' },
            state: 'text',
            total_cents: 'bigint',
          },
        },
      },
    });
    const fields = grade(model, scenario).mapping.fields.filter((f) => f.concept === 'invoice');
    expect(fields.map((f) => [f.name, f.reference, f.why])).toEqual([
      ['bills.id', 'id', 'exact'],
      ['bills.organisation', 'tenant_id', 'structure'],
      ['bills.total_cents', 'total_minor', 'alias'],
    ]);
  });

  it('matches events by name, or by object concept and action', () => {
    const model = buildModel({
      entities: { bills: { fields: { id: { type: 'uuid', pk: true } } } },
      events: { 'Bill Paid': { entity: 'bills' }, page_viewed: {} },
    });
    const result = grade(model, scenario);
    expect(result.mapping.events).toEqual([expect.objectContaining({ name: 'Bill Paid', reference: 'invoice_paid', why: 'alias' })]);
    expect(result.unmatched.events.map((e) => e.name)).toEqual(['page_viewed']);
  });
});

describe('assignOneToOne', () => {
  it('finds the global best, where greedy first-come would not', () => {
    // Greedy takes a→x (0.95) and leaves b unmatched; the best total is a→y, b→x.
    const pairs = [
      { row: 0, col: 0, score: 0.95 },
      { row: 0, col: 1, score: 0.9 },
      { row: 1, col: 0, score: 0.9 },
    ];
    expect(assignOneToOne(pairs).map((p) => [p.row, p.col])).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('never assigns a pair that was not offered, and is stable on ties', () => {
    expect(assignOneToOne([{ row: 0, col: 0, score: 1 }, { row: 1, col: 0, score: 1 }])).toEqual([{ row: 0, col: 0, score: 1 }]);
    expect(assignOneToOne([])).toEqual([]);
  });
});
