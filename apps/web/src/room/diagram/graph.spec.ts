import { parseModel } from '@hatch/model';
import { diagramOf, layoutKey, nodeHeight } from './graph';

const model = parseModel({
  entities: [
    { id: 'ent_a', name: 'accounts', fields: [{ id: 'fld_a_id', name: 'id', type: 'bigint', primaryKey: true, nullable: false }] },
    {
      id: 'ent_i',
      name: 'invoices',
      fields: [
        { id: 'fld_i_id', name: 'id', type: 'bigint', primaryKey: true, nullable: false },
        { id: 'fld_i_a', name: 'account_id', type: 'bigint', nullable: false, references: { entityId: 'ent_a', fieldId: 'fld_a_id' } },
      ],
    },
    { id: 'ent_u', name: 'usage', fields: [{ id: 'fld_u_a', name: 'account_id', type: 'bigint', references: { entityId: 'ent_a', fieldId: 'fld_a_id' } }] },
  ],
  relationships: [{ id: 'rel_ai', fromEntityId: 'ent_a', toEntityId: 'ent_i', cardinality: '1:N' }],
});

describe('diagramOf', () => {
  it('[WU7] draws relationships with their cardinality, and a dashed FK edge only where no relationship says it', () => {
    const { nodes, edges } = diagramOf(model);
    expect(nodes.map((n) => n.name)).toEqual(['accounts', 'invoices', 'usage']);
    expect(nodes[1].fields[1]).toMatchObject({ name: 'account_id', references: 'accounts.id', primaryKey: false });
    expect(edges).toEqual([
      expect.objectContaining({ id: 'rel_ai', source: 'ent_a', target: 'ent_i', label: '1:N', kind: 'relationship' }),
      expect.objectContaining({ source: 'ent_a', target: 'ent_u', label: 'FK', kind: 'reference' }),
    ]);
  });

  it('[WU8] the layout key ignores renames and types but not entities, field counts or edges', () => {
    const base = diagramOf(model);
    const key = layoutKey(base.nodes, base.edges);
    const renamed = diagramOf({ ...model, entities: model.entities.map((e) => ({ ...e, name: `${e.name}_x`, fields: e.fields.map((f) => ({ ...f, type: 'uuid' })) })) });
    expect(layoutKey(renamed.nodes, renamed.edges)).toBe(key);
    const grown = diagramOf({ ...model, entities: model.entities.map((e, i) => (i === 0 ? { ...e, fields: [...e.fields, { ...e.fields[0], id: 'fld_new', name: 'x' }] } : e)) });
    expect(layoutKey(grown.nodes, grown.edges)).not.toBe(key);
    // without the relationship, the column reference still draws accounts → invoices: same layout
    const unstated = diagramOf({ ...model, relationships: [] });
    expect(layoutKey(unstated.nodes, unstated.edges)).toBe(key);
    const moreEdges = diagramOf({ ...model, relationships: [...model.relationships, { ...model.relationships[0], id: 'rel_iu', fromEntityId: 'ent_i', toEntityId: 'ent_u' }] });
    expect(layoutKey(moreEdges.nodes, moreEdges.edges)).not.toBe(key);
    expect(nodeHeight(0)).toBe(nodeHeight(1));
  });
});
