import type { Cardinality, Model } from '@hatch/model';

/** Geometry of an entity card; the CSS in app.css uses the same numbers. */
export const NODE_WIDTH = 240;
export const HEADER_HEIGHT = 34;
export const ROW_HEIGHT = 24;
export const FOOTER_HEIGHT = 8;

export interface FieldRow {
  id: string;
  name: string;
  type: string;
  primaryKey: boolean;
  unique: boolean;
  nullable: boolean;
  /** `users.id` when the field references another column. */
  references: string | null;
}

export interface EntityNodeData extends Record<string, unknown> {
  entityId: string;
  name: string;
  kind: 'table' | 'view';
  fields: FieldRow[];
  indexCount: number;
  constraintCount: number;
}

export interface DiagramEdge {
  id: string;
  source: string;
  target: string;
  /** `1:1`, `1:N`, `N:M` for relationships; `FK` for a column reference no relationship states. */
  label: string;
  kind: 'relationship' | 'reference';
  cardinality: Cardinality | null;
  /** Name and join entity, for the tooltip. */
  title: string;
}

export function nodeHeight(fieldCount: number): number {
  return HEADER_HEIGHT + Math.max(1, fieldCount) * ROW_HEIGHT + FOOTER_HEIGHT;
}

/** The diagram's content from the model: one card per entity, one edge per relationship or stray reference. */
export function diagramOf(model: Model): { nodes: EntityNodeData[]; edges: DiagramEdge[] } {
  const names = new Map(model.entities.map((entity) => [entity.id, entity]));
  const nodes = model.entities.map((entity) => ({
    entityId: entity.id,
    name: entity.name,
    kind: entity.kind,
    indexCount: entity.indexes.length,
    constraintCount: entity.constraints.length,
    fields: entity.fields.map((field) => {
      const target = field.references ? names.get(field.references.entityId) : undefined;
      const targetField = target?.fields.find((f) => f.id === field.references?.fieldId);
      return {
        id: field.id,
        name: field.name,
        type: field.type,
        primaryKey: field.primaryKey,
        unique: field.unique,
        nullable: field.nullable,
        references: target && targetField ? `${target.name}.${targetField.name}` : null,
      };
    }),
  }));

  const edges: DiagramEdge[] = [];
  const related = new Set<string>();
  const pair = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  for (const relationship of model.relationships) {
    const through = relationship.throughEntityId ? names.get(relationship.throughEntityId)?.name : undefined;
    edges.push({
      id: relationship.id,
      source: relationship.fromEntityId,
      target: relationship.toEntityId,
      label: relationship.cardinality,
      kind: 'relationship',
      cardinality: relationship.cardinality,
      title: [relationship.name, through ? `through ${through}` : ''].filter(Boolean).join(' — '),
    });
    related.add(pair(relationship.fromEntityId, relationship.toEntityId));
  }
  // Column references no relationship states yet: drawn dashed, the referenced table on the left.
  for (const entity of model.entities) {
    for (const field of entity.fields) {
      const ref = field.references;
      if (!ref || !names.has(ref.entityId) || related.has(pair(ref.entityId, entity.id))) continue;
      related.add(pair(ref.entityId, entity.id));
      edges.push({
        id: `ref:${entity.id}:${field.id}`,
        source: ref.entityId,
        target: entity.id,
        label: 'FK',
        kind: 'reference',
        cardinality: null,
        title: `${entity.name}.${field.name} references ${names.get(ref.entityId)?.name ?? ''}`,
      });
    }
  }
  return { nodes, edges };
}

/**
 * What the layout depends on: the entities (and their heights) and the edges between them. Renames,
 * type changes and flags leave it unchanged, so the diagram does not move while people edit.
 */
export function layoutKey(nodes: EntityNodeData[], edges: DiagramEdge[]): string {
  return JSON.stringify([nodes.map((n) => [n.entityId, Math.max(1, n.fields.length)]), edges.map((e) => [e.source, e.target])]);
}
