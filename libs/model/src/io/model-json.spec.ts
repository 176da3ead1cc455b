import { modelSchema, type Model } from '../model.schema';
import { importDdl } from './ddl-import';
import { DDL_SAMPLES } from './ddl-samples.test-util';
import { ModelJsonError } from './io.errors';
import { exportJson, importJson, jsonErrorOffset } from './model-json';

function errorOf(fn: () => unknown): ModelJsonError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ModelJsonError) return e;
    throw e;
  }
  throw new Error('expected a ModelJsonError');
}

describe('exportJson / importJson', () => {
  it('round trips a model exactly', async () => {
    const model = (await importDdl(DDL_SAMPLES['billing_dump'])).model;
    expect(importJson(exportJson(model))).toEqual(model);
  });

  it('writes keys in schema order with a 2-space indent and a trailing newline, whatever the input order', () => {
    const scrambled = { relationships: [], entities: [{ fields: [{ type: 'text', name: 'a', id: 'f_a' }], name: 't', id: 'e_t' }], version: 1 };
    const text = exportJson(modelSchema.parse(scrambled));
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text))).toEqual(['version', 'entities', 'relationships', 'events', 'frame', 'win']);
    expect(text).toContain('\n  "entities": [\n    {\n      "id": "e_t",\n      "name": "t",\n      "kind": "table",');
    expect(text).toContain('"fields": [\n        {\n          "id": "f_a",\n          "name": "a",\n          "type": "text",\n          "nullable": true,');
    expect(exportJson(scrambled as unknown as Model)).toBe(text);
  });

  it('rejects exporting something that is not a model', () => {
    expect(errorOf(() => exportJson({ entities: 'nope' } as unknown as Model)).code).toBe('MODEL_JSON_INVALID');
  });
});

describe('importJson: bad input', () => {
  it.each([
    ['{"version": 1,\n "entities": [}', 2, 15, 29],
    ['{"a": }', 1, 7, 6],
    ['[1, 2,]', 1, 7, 6],
    ['{"a": 1', 1, 8, 7],
    ['{"a" 1}', 1, 6, 5],
    ['', 1, 1, 0],
    ['{"a": 1} trailing', 1, 10, 9],
    ['{"s": "tab\there"}', 1, 11, 10],
    ['{"u": "\\u12G4"}', 1, 12, 11],
  ])('%j is a syntax error at line %i, column %i', (text, line, column, position) => {
    const error = errorOf(() => importJson(text));
    expect(error).toMatchObject({ code: 'MODEL_JSON_SYNTAX', line, column, position, issues: [] });
    expect(error.message).toMatch(new RegExp(`^model JSON does not parse: .+ \\(line ${line}, column ${column}\\)$`));
  });

  it('finds no error offset in valid JSON beyond its end', () => {
    expect(jsonErrorOffset('{"a": [1, -2.5e3, true, null, "x\\"y"]}')).toBe(38);
  });

  it('lists schema violations with their paths', () => {
    const error = errorOf(() =>
      importJson(JSON.stringify({ entities: [{ id: 'e 1', name: 'ok', fields: [{ id: 'f', name: '', type: 'text' }] }], relationships: [{ id: 'r' }] })),
    );
    expect(error.code).toBe('MODEL_JSON_INVALID');
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { path: 'entities[0].id', message: 'an id uses only letters, digits, "_" and "-"', code: 'schema' },
        { path: 'entities[0].fields[0].name', message: 'a name must not be empty', code: 'schema' },
        expect.objectContaining({ path: 'relationships[0].fromEntityId' }),
        expect.objectContaining({ path: 'relationships[0].cardinality' }),
      ]),
    );
    expect(error.message).toMatch(/^not a valid model: entities\[0\]\.id: an id uses only/);
  });

  it('rejects a model whose ids do not resolve (referential integrity)', () => {
    const text = JSON.stringify({
      entities: [{ id: 'e_a', name: 'a', fields: [{ id: 'f_a_x', name: 'x', type: 'int', references: { entityId: 'e_gone', fieldId: 'f_gone' } }] }],
    });
    expect(errorOf(() => importJson(text)).issues).toEqual([
      { path: 'entities[0].fields[0].references.entityId', code: 'unknown_reference', message: 'no entity with id "e_gone"' },
    ]);
  });

  it('rejects JSON that is not an object', () => {
    expect(errorOf(() => importJson('[]')).issues).toEqual([expect.objectContaining({ path: '' })]);
  });
});
