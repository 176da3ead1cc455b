import type { ModelInput } from './model.schema';
import { modelSchema } from './model.schema';
import { ModelValidationError } from './model.errors';
import { formatIssuePath, parseModel, validateModel } from './model-validation';
import { saasModel } from './model-fixtures.test-util';

type Mutable = {
  entities: Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  relationships: Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  events: Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  frame: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  win: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

/** The issues of the sample model after `change`. */
function issuesAfter(change: (model: Mutable) => void) {
  const model = saasModel() as unknown as Mutable;
  change(model);
  const result = validateModel(model);
  if (result.ok) throw new Error('expected the model to be invalid');
  return result.issues;
}

describe('validateModel', () => {
  it('accepts a valid model and fills defaults', () => {
    const result = validateModel(saasModel());
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.model.version).toBe(1);
    expect(result.model.entities[0].kind).toBe('table');
    expect(result.model.entities[0].fields[1]).toMatchObject({ nullable: false, primaryKey: false, unique: false, default: null, references: null });
    expect(result.model.relationships[1].onDelete).toBeNull();
  });

  it('accepts an empty object as the empty model', () => {
    const result = validateModel({});
    expect(result).toEqual({
      ok: true,
      model: {
        version: 1,
        entities: [],
        relationships: [],
        events: [],
        frame: { domain: '', actors: [], rules: [], accessPatterns: [], tenancy: { strategy: null, notes: '' } },
        win: { answers: [] },
      },
    });
  });

  it('gives every parsed model its own nested defaults', () => {
    const a = modelSchema.parse({});
    const b = modelSchema.parse({});
    a.frame.tenancy.notes = 'changed';
    a.frame.actors.push({ id: 'x', name: 'x', description: '' });
    expect(b.frame.tenancy.notes).toBe('');
    expect(modelSchema.parse({}).frame.actors).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'model'],
    ['an array', []],
  ])('rejects %s at the root', (_label, input) => {
    const result = validateModel(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]).toMatchObject({ path: '', code: 'schema' });
  });

  it('reports shape errors with readable paths', () => {
    const issues = issuesAfter((m) => {
      m.entities[0].fields[1].name = '  ';
      m.entities[1].fields[0].type = 42;
      m.relationships[0].cardinality = 'many';
    });
    expect(issues.map((issue) => issue.path)).toEqual(['entities[0].fields[1].name', 'entities[1].fields[0].type', 'relationships[0].cardinality']);
    expect(issues.every((issue) => issue.code === 'schema')).toBe(true);
    expect(issues[0].message).toBe('a name must not be empty');
  });

  it('rejects an id used twice anywhere in the model', () => {
    const issues = issuesAfter((m) => {
      m.win.answers[0].id = 'fld_users_email';
    });
    expect(issues).toEqual([
      { path: 'win.answers[0].id', code: 'duplicate_id', message: 'id "fld_users_email" is already used by entities[1].fields[2]' },
    ]);
  });

  it('rejects entity names that differ only in case', () => {
    const issues = issuesAfter((m) => {
      m.entities[2].name = 'Users';
    });
    expect(issues).toEqual([expect.objectContaining({ path: 'entities[2].name', code: 'duplicate_name' })]);
    expect(issues[0].message).toContain('entities[1]');
  });

  it('rejects a field name used twice in one entity, but not across entities', () => {
    const issues = issuesAfter((m) => {
      m.entities[1].fields[2].name = 'TENANT_ID';
    });
    expect(issues).toEqual([expect.objectContaining({ path: 'entities[1].fields[2].name', code: 'duplicate_name' })]);
  });

  it('rejects a field reference to a missing entity or field', () => {
    expect(
      issuesAfter((m) => {
        m.entities[1].fields[1].references.entityId = 'ent_nope';
      }),
    ).toEqual([{ path: 'entities[1].fields[1].references.entityId', code: 'unknown_reference', message: 'no entity with id "ent_nope"' }]);
    expect(
      issuesAfter((m) => {
        m.entities[1].fields[1].references.fieldId = 'fld_users_email';
      }),
    ).toEqual([
      {
        path: 'entities[1].fields[1].references.fieldId',
        code: 'unknown_reference',
        message: 'entity "tenants" has no field with id "fld_users_email"',
      },
    ]);
  });

  it('rejects constraint and index fields of another entity, and fields listed twice', () => {
    const issues = issuesAfter((m) => {
      m.entities[1].constraints[0].fieldIds = ['fld_users_tenant', 'fld_tenants_name'];
      m.entities[4].indexes[0].fieldIds = ['fld_invoices_tenant', 'fld_invoices_tenant'];
      m.entities[4].constraints[0].fieldIds = ['fld_missing'];
    });
    expect(issues).toEqual([
      {
        path: 'entities[1].constraints[0].fieldIds[1]',
        code: 'invalid_reference',
        message: 'field "fld_tenants_name" belongs to entity "tenants", not "users"',
      },
      { path: 'entities[4].constraints[0].fieldIds[0]', code: 'unknown_reference', message: 'entity "invoices" has no field with id "fld_missing"' },
      { path: 'entities[4].indexes[0].fieldIds[1]', code: 'invalid_reference', message: 'field "fld_invoices_tenant" is listed twice' },
    ]);
  });

  it('rejects a foreign key whose lists do not pair up or whose target fields are missing', () => {
    expect(
      issuesAfter((m) => {
        m.entities[2].constraints[0].references.fieldIds = ['fld_tenants_id', 'fld_tenants_name'];
      }),
    ).toEqual([expect.objectContaining({ path: 'entities[2].constraints[0].references.fieldIds', code: 'invalid_reference' })]);
    expect(
      issuesAfter((m) => {
        m.entities[2].constraints[0].references.fieldIds = ['fld_users_id'];
      }),
    ).toEqual([
      expect.objectContaining({ path: 'entities[2].constraints[0].references.fieldIds[0]', code: 'invalid_reference' }),
    ]);
    expect(
      issuesAfter((m) => {
        m.entities[2].constraints[0].references.entityId = 'ent_gone';
      }),
    ).toEqual([expect.objectContaining({ path: 'entities[2].constraints[0].references.entityId', code: 'unknown_reference' })]);
    expect(
      issuesAfter((m) => {
        m.entities[2].constraints[0].references = null;
      }),
    ).toEqual([expect.objectContaining({ path: 'entities[2].constraints[0].references', code: 'invalid_value' })]);
  });

  it('rejects references on a non-foreign-key constraint and empty unique/check constraints', () => {
    const issues = issuesAfter((m) => {
      m.entities[1].constraints[0].references = { entityId: 'ent_tenants', fieldIds: ['fld_tenants_id'] };
      m.entities[1].constraints.push({ id: 'con_empty', kind: 'unique', fieldIds: [] });
      m.entities[4].constraints[0].expression = ' ';
    });
    expect(issues.map((issue) => [issue.path, issue.code])).toEqual([
      ['entities[1].constraints[0].references', 'invalid_value'],
      ['entities[1].constraints[1].fieldIds', 'invalid_value'],
      ['entities[4].constraints[0].expression', 'invalid_value'],
    ]);
  });

  it('rejects relationships to missing entities or with fields of the wrong entity', () => {
    const issues = issuesAfter((m) => {
      m.relationships[0].toEntityId = 'ent_ghost';
      m.relationships[2].fromFieldIds = ['fld_users_id'];
    });
    expect(issues).toEqual([
      { path: 'relationships[0].toEntityId', code: 'unknown_reference', message: 'no entity with id "ent_ghost"' },
      {
        path: 'relationships[2].fromFieldIds[0]',
        code: 'invalid_reference',
        message: 'field "fld_users_id" belongs to entity "users", not "tenants"',
      },
    ]);
  });

  it('rejects 1:N field lists that do not pair up', () => {
    const issues = issuesAfter((m) => {
      m.relationships[0].toFieldIds = ['fld_users_tenant', 'fld_users_email'];
    });
    expect(issues).toEqual([expect.objectContaining({ path: 'relationships[0].toFieldIds', code: 'invalid_reference' })]);
  });

  it('requires a join entity for N:M and only for N:M', () => {
    expect(
      issuesAfter((m) => {
        m.relationships[1].throughEntityId = null;
      }),
    ).toEqual([expect.objectContaining({ path: 'relationships[1].throughEntityId', code: 'invalid_value' })]);
    expect(
      issuesAfter((m) => {
        m.relationships[1].throughEntityId = 'ent_nowhere';
      }),
    ).toEqual([{ path: 'relationships[1].throughEntityId', code: 'unknown_reference', message: 'no entity with id "ent_nowhere"' }]);
    expect(
      issuesAfter((m) => {
        m.relationships[0].throughEntityId = 'ent_memberships';
      }),
    ).toEqual([expect.objectContaining({ path: 'relationships[0].throughEntityId', code: 'invalid_value' })]);
  });

  it('rejects an event about a missing entity and property names used twice', () => {
    const issues = issuesAfter((m) => {
      m.events[0].entityId = 'ent_payments';
      m.events[0].properties[1].name = 'invoice_id';
    });
    expect(issues.map((issue) => [issue.path, issue.code])).toEqual([
      ['events[0].entityId', 'unknown_reference'],
      ['events[0].properties[1].name', 'duplicate_name'],
    ]);
  });

  it('rejects access patterns naming missing entities or one entity twice', () => {
    const issues = issuesAfter((m) => {
      m.frame.accessPatterns[0].entityIds = ['ent_invoices', 'ent_missing', 'ent_invoices'];
    });
    expect(issues.map((issue) => [issue.path, issue.code])).toEqual([
      ['frame.accessPatterns[0].entityIds[1]', 'unknown_reference'],
      ['frame.accessPatterns[0].entityIds[2]', 'invalid_reference'],
    ]);
  });

  it('rejects two win answers with one id', () => {
    const issues = issuesAfter((m) => {
      m.win.answers.push({ ...m.win.answers[0], questionId: null });
    });
    expect(issues).toEqual([expect.objectContaining({ path: 'win.answers[1].id', code: 'duplicate_id' })]);
  });
});

describe('parseModel', () => {
  it('returns the parsed model', () => {
    expect(parseModel(saasModel()).entities).toHaveLength(5);
  });

  it('throws ModelValidationError listing the first issues', () => {
    const model = saasModel() as ModelInput & Mutable;
    for (const entity of model.entities) entity.name = 'same';
    let error: unknown;
    try {
      parseModel(model);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ModelValidationError);
    const validation = error as ModelValidationError;
    expect(validation.code).toBe('MODEL_INVALID');
    expect(validation.issues.length).toBeGreaterThanOrEqual(4);
    expect(validation.message).toMatch(/^Invalid model: entities\[1\]\.name: entity name "same" is already used by entities\[0\]/);
  });

  it('says how many issues it did not show', () => {
    const entities = Array.from({ length: 8 }, (_, i) => ({ id: `e${i}`, name: '' }));
    expect(() => parseModel({ entities })).toThrow(/\(and 3 more\)$/);
  });
});

describe('formatIssuePath', () => {
  it('joins keys with dots and indexes with brackets', () => {
    expect(formatIssuePath(['entities', 0, 'fields', 12, 'name'])).toBe('entities[0].fields[12].name');
    expect(formatIssuePath([])).toBe('');
    expect(formatIssuePath([3])).toBe('[3]');
  });
});
