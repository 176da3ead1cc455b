import { sharedTypes } from '@hatch/model';
import * as Y from 'yjs';

/**
 * Finds the live Y.Map / Y.Text of an element, so text editors bind to the shared Y.Text itself (two people
 * typing in one description merge). The first map with an id wins, as `toJSON` reads it (docs/model.md §5).
 */
export function itemMap(array: unknown, id: string): Y.Map<unknown> | null {
  if (!(array instanceof Y.Array)) return null;
  for (const item of array.toArray()) if (item instanceof Y.Map && item.get('id') === id) return item;
  return null;
}

export function textOf(map: Y.Map<unknown> | null, key: string): Y.Text | null {
  const value = map?.get(key);
  return value instanceof Y.Text ? value : null;
}

export type ListName = 'relationships' | 'events' | 'frameActors' | 'frameRules' | 'frameAccessPatterns' | 'winAnswers' | 'entities';

export function topItemMap(doc: Y.Doc, list: ListName, id: string): Y.Map<unknown> | null {
  return itemMap(sharedTypes(doc)[list], id);
}

export function entityMap(doc: Y.Doc, entityId: string): Y.Map<unknown> | null {
  return topItemMap(doc, 'entities', entityId);
}

export function fieldMap(doc: Y.Doc, entityId: string, fieldId: string): Y.Map<unknown> | null {
  return itemMap(entityMap(doc, entityId)?.get('fields'), fieldId);
}

export function eventPropertyMap(doc: Y.Doc, eventId: string, propertyId: string): Y.Map<unknown> | null {
  return itemMap(topItemMap(doc, 'events', eventId)?.get('properties'), propertyId);
}
