import type { Field, TrackingEvent } from '@hatch/model';
import type { Evidence } from '../grade.types';
import type { JustificationSubject } from '../justification';
import type { EntityFacts, KeyFact } from '../model-facts';

export const entitySubject = (entity: EntityFacts): JustificationSubject => ({ entity: entity.entity.name, description: entity.entity.description });

export const fieldSubject = (entity: EntityFacts, field: Field): JustificationSubject => ({
  entity: entity.entity.name,
  entityDescription: entity.entity.description,
  element: field.name,
  description: field.description,
});

/** A key or index; `fieldIds` are the columns the violation is about (their descriptions and names justify it too). */
export const keySubject = (entity: EntityFacts, key: KeyFact, fieldIds: readonly string[] = []): JustificationSubject => ({
  entity: entity.entity.name,
  entityDescription: entity.entity.description,
  element: key.name,
  fields: fieldsOf(entity, fieldIds),
});

/** A foreign key, named by its columns; their descriptions justify it. */
export const foreignKeySubject = (entity: EntityFacts, fieldIds: readonly string[]): JustificationSubject => ({
  entity: entity.entity.name,
  entityDescription: entity.entity.description,
  element: columnNames(entity, fieldIds),
  fields: fieldsOf(entity, fieldIds),
});

const fieldsOf = (entity: EntityFacts, ids: readonly string[]): Field[] => ids.map((id) => entity.field(id)).filter((field): field is Field => !!field);

export const eventSubject = (event: TrackingEvent): JustificationSubject => ({ element: event.name, description: event.description });

export const entityRef = (entity: EntityFacts, note: string): Evidence => ({ kind: 'entity', id: entity.entity.id, name: entity.entity.name, note });

export const fieldRef = (entity: EntityFacts, field: Field, note: string): Evidence => ({ kind: 'field', id: field.id, name: `${entity.entity.name}.${field.name}`, note });

export const keyRef = (entity: EntityFacts, key: KeyFact, note: string): Evidence => ({
  kind: key.kind === 'unique-constraint' ? 'constraint' : key.kind === 'unique-field' ? 'field' : 'index',
  id: key.id,
  name: `${key.name} on ${entity.entity.name} (${columnNames(entity, key.fieldIds)})`,
  note,
});

export const eventRef = (event: TrackingEvent, note: string): Evidence => ({ kind: 'event', id: event.id, name: event.name, note });

export const columnNames = (entity: EntityFacts, ids: readonly string[]) => ids.map((id) => entity.field(id)?.name ?? id).join(', ');
