import { modelSchema } from '../model.schema';
import { importDdl } from './ddl-import';
import { exportMermaid } from './mermaid-export';

describe('exportMermaid', () => {
  const ddl = `
    CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, "Full Name" text);
    COMMENT ON COLUMN customers.email IS 'Login "e-mail"';
    CREATE TABLE orders (
      id bigint PRIMARY KEY,
      customer_id bigint NOT NULL REFERENCES customers (id),
      total numeric(12,2) NOT NULL,
      coupon_id bigint
    );
    CREATE TABLE coupons (id bigint PRIMARY KEY);
    ALTER TABLE orders ADD FOREIGN KEY (coupon_id) REFERENCES coupons (id);
    CREATE TABLE invoices (order_id bigint PRIMARY KEY REFERENCES orders (id), issued_at timestamp with time zone);
    CREATE TABLE products (sku text PRIMARY KEY);
    CREATE TABLE order_products (order_id bigint REFERENCES orders, sku text REFERENCES products, PRIMARY KEY (order_id, sku));
    CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;
  `;

  it('draws entities with typed attributes and PK/FK/UK markers', async () => {
    const lines = exportMermaid((await importDdl(ddl)).model).split('\n');
    expect(lines[0]).toBe('erDiagram');
    const block = lines.slice(lines.indexOf('    customers {'), lines.indexOf('    customers {') + 5);
    expect(block).toEqual([
      '    customers {',
      '        bigint id PK',
      `        text email UK "Login 'e-mail'"`,
      '        text Full_Name',
      '    }',
    ]);
    expect(lines).toContain('        numeric(12_2) total');
    expect(lines).toContain('        bigint customer_id FK');
    expect(lines).toContain('        bigint order_id PK, FK');
    expect(lines).toContain('        timestamptz issued_at');
    expect(lines).toContain('    big_orders');
  });

  it('draws relationships with crow’s-foot cardinality, optionality and identifying lines', async () => {
    const lines = exportMermaid((await importDdl(ddl)).model).split('\n');
    const edges = lines.filter((l) => / : "/.test(l));
    expect(edges).toEqual([
      '    customers ||..o{ orders : "customer_id"', // required FK, not part of the child key
      '    coupons |o..o{ orders : "coupon_id"', // nullable FK: zero or one coupon
      '    orders ||--o| invoices : "order_id"', // FK is the child's primary key: 1:1, identifying
      '    orders ||--o{ order_products : "order_id"',
      '    products ||--o{ order_products : "sku"',
      '    orders }o..o{ products : "through order_products"',
    ]);
  });

  it('sanitizes and de-duplicates names Mermaid cannot take as they are', () => {
    const model = modelSchema.parse({
      entities: [
        { id: 'e1', name: 'Order Line', fields: [{ id: 'f1', name: '2nd value', type: 'double precision' }] },
        { id: 'e2', name: 'Order-Line', fields: [] },
        { id: 'e3', name: 'Überschrift', fields: [] },
        { id: 'e4', name: 'Order_Line', fields: [] },
      ],
      relationships: [{ id: 'r1', fromEntityId: 'e1', toEntityId: 'e2', cardinality: 'N:M', name: 'pairs "with"' }],
    });
    expect(exportMermaid(model)).toBe(
      [
        'erDiagram',
        '    Order_Line {',
        '        double_precision _2nd_value',
        '    }',
        '    Order-Line',
        '    Uberschrift',
        '    Order_Line_2',
        `    Order_Line }o--o{ Order-Line : "pairs 'with'"`,
        '',
      ].join('\n'),
    );
  });
});
