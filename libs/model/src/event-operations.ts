import type * as Y from 'yjs';
import type { z } from 'zod';
import type { EventProperty, Model, TrackingEvent } from './model.schema';
import { eventPropertySchema, eventSchema, MODEL_LIMITS } from './model.schema';
import { ID_PREFIXES } from './model-ids';
import {
  checkLimit,
  childArray,
  claimId,
  deleteById,
  elementMap,
  fail,
  idArg,
  insertElement,
  ListDescriptor,
  parseElement,
  patched,
  readArgs,
  removeElement,
  requireEntity,
  requireItem,
  updateElement,
} from './operation-support';
import { toJSON } from './yjs-binding';
import { buildElement, EVENT_PROPERTY_SPEC, EVENT_SPEC, sharedTypes, writeKeys } from './yjs-layout';

type EventInput = z.input<typeof eventSchema>;
type EventPropertyInput = z.input<typeof eventPropertySchema>;

export interface AddEventArgs extends Omit<EventInput, 'id' | 'properties'> {
  id?: string;
}

/** Keys left undefined stay as they are; `entityId: null` unlinks the entity. */
export interface UpdateEventArgs extends Partial<Omit<EventInput, 'id' | 'properties'>> {
  eventId: string;
}

export interface RemoveEventArgs {
  eventId: string;
}

export interface AddEventPropertyArgs extends Omit<EventPropertyInput, 'id'> {
  eventId: string;
  id?: string;
}

export interface UpdateEventPropertyArgs extends Partial<Omit<EventPropertyInput, 'id'>> {
  eventId: string;
  propertyId: string;
}

export interface RemoveEventPropertyArgs {
  eventId: string;
  propertyId: string;
}

const EVENT_KEYS = ['name', 'description', 'trigger', 'entityId'] as const;
const PROPERTY_KEYS = ['name', 'type', 'required', 'description'] as const;

const EVENTS: ListDescriptor<TrackingEvent> = {
  spec: EVENT_SPEC,
  schema: eventSchema,
  what: 'event',
  max: MODEL_LIMITS.events,
  notFound: 'EVENT_NOT_FOUND',
  array: (types) => types.events,
  items: (model) => model.events,
};

function checkEventEntity(model: Model, entityId: string | null): void {
  if (entityId !== null) requireEntity(model, entityId);
}

/** Property names are unique within their event (exactly: tracking-plan keys are case-sensitive). */
function checkPropertyName(event: TrackingEvent, name: string, id: string, operation: string): void {
  if (event.properties.some((property) => property.id !== id && property.name === name))
    fail('DUPLICATE_NAME', `${operation}: event "${event.name}" already has a property named "${name}"`);
}

export function addEvent(doc: Y.Doc, args: AddEventArgs, origin?: unknown): string {
  const operation = 'addEvent';
  readArgs(operation, args, ['id', ...EVENT_KEYS]);
  const model = toJSON(doc);
  const id = claimId(model, args.id, ID_PREFIXES.event, operation);
  const event = parseElement(eventSchema, { ...args, id }, operation);
  checkEventEntity(model, event.entityId);
  insertElement(doc, EVENTS, model, event, origin);
  return id;
}

export function updateEvent(doc: Y.Doc, args: UpdateEventArgs, origin?: unknown): string {
  const operation = 'updateEvent';
  readArgs(operation, args, ['eventId', ...EVENT_KEYS]);
  const eventId = idArg(operation, args, 'eventId');
  const model = toJSON(doc);
  const { eventId: _id, ...patch } = args;
  updateElement(doc, EVENTS, model, eventId, patch as Partial<TrackingEvent>, operation, origin, (next) => checkEventEntity(model, next.entityId));
  return eventId;
}

export function removeEvent(doc: Y.Doc, args: RemoveEventArgs, origin?: unknown): string {
  const operation = 'removeEvent';
  readArgs(operation, args, ['eventId']);
  const eventId = idArg(operation, args, 'eventId');
  removeElement(doc, EVENTS, toJSON(doc), eventId, origin);
  return eventId;
}

function locateEvent(doc: Y.Doc, operation: string, args: { eventId: string }) {
  const eventId = idArg(operation, args, 'eventId');
  const model = toJSON(doc);
  const event = requireItem(model.events, eventId, 'EVENT_NOT_FOUND', 'event');
  const eventMap = elementMap(EVENT_SPEC, sharedTypes(doc).events, eventId, 'EVENT_NOT_FOUND');
  return { model, event, eventMap };
}

export function addEventProperty(doc: Y.Doc, args: AddEventPropertyArgs, origin?: unknown): string {
  const operation = 'addEventProperty';
  readArgs(operation, args, ['eventId', 'id', ...PROPERTY_KEYS]);
  const { model, event, eventMap } = locateEvent(doc, operation, args);
  checkLimit(event.properties.length, MODEL_LIMITS.propertiesPerEvent, 'properties per event');
  const id = claimId(model, args.id, ID_PREFIXES.eventProperty, operation);
  const { eventId: _eventId, ...element } = args;
  const property = parseElement(eventPropertySchema, { ...element, id }, operation);
  checkPropertyName(event, property.name, id, operation);
  doc.transact(() => childArray(eventMap, 'properties').push([buildElement(EVENT_PROPERTY_SPEC, property)]), origin);
  return id;
}

export function updateEventProperty(doc: Y.Doc, args: UpdateEventPropertyArgs, origin?: unknown): string {
  const operation = 'updateEventProperty';
  readArgs(operation, args, ['eventId', 'propertyId', ...PROPERTY_KEYS]);
  const propertyId = idArg(operation, args, 'propertyId');
  const { event, eventMap } = locateEvent(doc, operation, args);
  const current = requireItem(event.properties, propertyId, 'EVENT_PROPERTY_NOT_FOUND', `property in event "${event.name}"`);
  const { eventId: _eventId, propertyId: _propertyId, ...patch } = args;
  const { next, keys } = patched(eventPropertySchema, current, patch as Partial<EventProperty>, operation);
  checkPropertyName(event, next.name, propertyId, operation);
  const map = elementMap(EVENT_PROPERTY_SPEC, eventMap.get('properties'), propertyId, 'EVENT_PROPERTY_NOT_FOUND');
  doc.transact(() => writeKeys(EVENT_PROPERTY_SPEC, map, next, keys), origin);
  return propertyId;
}

export function removeEventProperty(doc: Y.Doc, args: RemoveEventPropertyArgs, origin?: unknown): string {
  const operation = 'removeEventProperty';
  readArgs(operation, args, ['eventId', 'propertyId']);
  const propertyId = idArg(operation, args, 'propertyId');
  const { event, eventMap } = locateEvent(doc, operation, args);
  requireItem(event.properties, propertyId, 'EVENT_PROPERTY_NOT_FOUND', `property in event "${event.name}"`);
  doc.transact(() => deleteById(eventMap.get('properties'), propertyId), origin);
  return propertyId;
}
