import type { Model } from '@hatch/model';
import { grade } from './grader';
import { buildModel, checkOf, clone, tinyScenario } from './grader.test-util';
import { sqlNames } from './win-checks';

const scenario = tinyScenario();

describe('frame', () => {
  const framed = (frame: Model['frame']) => ({ ...buildModel({ entities: {} }), frame });
  const base: Model['frame'] = {
    domain: 'A SaaS where companies (tenants) invite users, receive invoices with line items, and report usage events.',
    actors: [
      { id: 'a1', name: 'Account owner', description: 'Manages the company.' },
      { id: 'a2', name: 'Billing run', description: 'Nightly job that issues invoices.' },
      { id: 'a3', name: 'Support agent', description: '' },
    ],
    rules: [
      { id: 'r1', kind: 'invariant', text: 'An invoice belongs to one tenant and may never point at another tenant.' },
      { id: 'r2', kind: 'rule', text: 'Prices are shown in euros.' },
    ],
    accessPatterns: [{ id: 'p1', description: 'List invoices of a tenant filtered by status', frequency: 'medium', entityIds: [] }],
    tenancy: { strategy: 'shared-schema', notes: 'All tenants share tables keyed by tenant_id, with foreign keys and row-level security.' },
  };

  it('[frame.actors] matches actors by name or alias, one to one', () => {
    const check = checkOf(grade(framed(base), scenario), 'frame.actors');
    expect(check).toMatchObject({ ratio: 1, status: 'passed' });
    expect(check?.evidence.map((e) => [e.name, e.concept])).toEqual([
      ['Account owner', 'admin'],
      ['Billing run', 'billing-system'],
    ]);
  });

  it('[frame.rules] counts a rule as stated when a note shares enough of its terms, and says which', () => {
    const check = checkOf(grade(framed(base), scenario), 'frame.rules');
    expect(check?.ratio).toBe(0.5);
    expect(check?.evidence[0]).toMatchObject({ concept: 'scoped', note: expect.stringMatching(/^shares .*invoic.*tenant/) });
    expect(check?.hint).toMatch(/Not stated yet: “A usage record is counted once per idempotency key in a tenant\.”/);
  });

  it('[frame.access-patterns] credits a pattern with the wrong frequency at 80%', () => {
    const check = checkOf(grade(framed(base), scenario), 'frame.access-patterns');
    expect(check?.ratio).toBe(0.8);
    expect(check?.hint).toMatch(/is high frequency, not medium/);
    const right = clone(base);
    right.accessPatterns[0].frequency = 'high';
    expect(checkOf(grade(framed(right), scenario), 'frame.access-patterns')?.ratio).toBe(1);
  });

  it('[frame.tenancy] wants the strategy and the reason', () => {
    expect(checkOf(grade(framed(base), scenario), 'frame.tenancy')?.ratio).toBe(1);
    const wrong = clone(base);
    wrong.tenancy = { strategy: 'database-per-tenant', notes: '' };
    const check = checkOf(grade(framed(wrong), scenario), 'frame.tenancy');
    expect(check?.ratio).toBe(0);
    expect(check?.hint).toMatch(/shared-schema fits this product better than database-per-tenant/);
  });

  it('[frame.domain] wants the core concepts named in the domain notes', () => {
    expect(checkOf(grade(framed(base), scenario), 'frame.domain')?.ratio).toBe(1);
    const thin = clone(base);
    thin.domain = 'A product for tenants.';
    expect(checkOf(grade(framed(thin), scenario), 'frame.domain')?.ratio).toBeLessThan(1);
  });
});

describe('win', () => {
  const reference = scenario.referenceModel;
  const withAnswer = (answer: string, sql: string, model: Model = reference) => ({
    ...model,
    win: { answers: [{ id: 'w1', questionId: 'revenue-per-tenant', question: '', answer, sql }] },
  });

  it('[answer.*] full credit for prose and SQL naming the tables and their join', () => {
    expect(checkOf(grade(reference, scenario), 'answer.revenue-per-tenant')).toMatchObject({ status: 'passed', ratio: 1 });
  });

  it('[answer.*] SQL naming tables or columns the model lacks loses credit, and the hint says which', () => {
    const check = checkOf(grade(withAnswer('Sum invoices per tenant.', 'SELECT t.id, sum(i.amount) FROM tenants t JOIN bills i ON i.tenant_id = t.id GROUP BY 1'), scenario), 'answer.revenue-per-tenant');
    expect(check?.ratio).toBeLessThan(1);
    expect(check?.hint).toMatch(/the SQL uses bills, which the model does not have/);
    expect(check?.evidence).toContainEqual(expect.objectContaining({ name: 'bills', note: 'SQL names a table the model lacks' }));
  });

  it('[answer.*] an answer without SQL earns partial credit; none earns nothing', () => {
    const prose = checkOf(grade(withAnswer('Join tenants to invoices and sum total_minor by month.', ''), scenario), 'answer.revenue-per-tenant');
    expect(prose?.ratio).toBeGreaterThan(0.8);
    expect(prose?.ratio).toBeLessThan(1);
    expect(prose?.hint).toMatch(/add the SQL/);
    const none = checkOf(grade({ ...reference, win: { answers: [] } }, scenario), 'answer.revenue-per-tenant');
    expect(none).toMatchObject({ ratio: 0, status: 'failed' });
  });

  it('[answer.*] finds the answer by its question text when it has no question id', () => {
    const model = { ...reference, win: { answers: [{ id: 'w1', questionId: null, question: 'How much did each tenant invoice last month?', answer: 'Sum invoices per tenant.', sql: 'SELECT tenant_id, sum(total_minor) FROM invoices GROUP BY 1' }] } };
    expect(checkOf(grade(model, scenario), 'answer.revenue-per-tenant')?.ratio).toBeGreaterThan(0.8);
  });

  it('[answerable.*] needs the question’s concepts joined within the hop limit to a timestamped fact', () => {
    expect(checkOf(grade(reference, scenario), 'answerable.revenue-per-tenant')).toMatchObject({ status: 'passed' });
    const unlinked = buildModel({
      entities: {
        tenants: { fields: { id: { type: 'uuid', pk: true }, created_at: 'timestamptz' } },
        invoices: { fields: { id: { type: 'uuid', pk: true }, created_at: 'timestamptz' } },
      },
    });
    const check = checkOf(grade(unlinked, scenario), 'answerable.revenue-per-tenant');
    expect(check?.ratio).toBe(0.5);
    expect(check?.hint).toMatch(/Nothing joins .* within 3 hops/);
  });

  it('[answer.*] IS DISTINCT FROM, EXTRACT, SUBSTRING and TRIM name no tables', () => {
    const sql = `SELECT t.id, sum(i.total_minor)
      FROM tenants t JOIN invoices i ON i.tenant_id = t.id
      WHERE i.status IS DISTINCT FROM t.name
        AND EXTRACT(EPOCH FROM i.created_at) > 0
        AND SUBSTRING(coalesce(t.name, '') FROM status_offset) <> ''
        AND TRIM(BOTH FROM coalesce(t.name, i.status)) <> ''
        AND i.status IS NOT DISTINCT FROM i.status
      GROUP BY t.id`;
    const check = checkOf(grade(withAnswer('Sum invoices.total_minor per tenant, joining tenants to invoices.', sql), scenario), 'answer.revenue-per-tenant');
    expect(check?.evidence.filter((e) => e.note === 'SQL names a table the model lacks')).toEqual([]);
    expect(check).toMatchObject({ status: 'passed', ratio: 1 });
  });

  it('[answer.*] comma-joined tables count: one the model lacks is flagged', () => {
    const check = checkOf(grade(withAnswer('Sum invoices per tenant.', 'SELECT t.id, sum(b.total_minor) FROM tenants t, bills b WHERE b.tenant_id = t.id GROUP BY 1'), scenario), 'answer.revenue-per-tenant');
    expect(check?.hint).toMatch(/the SQL uses bills, which the model does not have/);
  });

  it('reads table names, aliases and qualified columns out of SQL', () => {
    expect(
      sqlNames(`
        WITH recent AS (SELECT * FROM invoices WHERE created_at > now() - interval '30 days'), x AS (SELECT 1)
        SELECT r.id, EXTRACT(month FROM r.created_at), t.name, -- FROM comments
               'FROM literals' AS s
        FROM recent r
        JOIN tenants AS t ON t.id = r.tenant_id
        LEFT JOIN public.invoice_items ii ON ii.invoice_id = r.id`),
    ).toEqual({
      tables: ['invoices', 'tenants', 'invoice_items'],
      columns: [
        ['tenants', 'name'],
        ['tenants', 'id'],
        ['invoice_items', 'invoice_id'],
      ],
    });
  });
});
