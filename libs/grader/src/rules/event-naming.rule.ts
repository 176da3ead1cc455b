import type { TrackingEvent } from '@hatch/model';
import type { Casing } from '../name-normalizer';
import { casingOf, casingsAgree, splitWords } from '../name-normalizer';
import { eventRef, eventSubject } from './rule-subjects';
import { type SchemaRule, type Violation } from './schema-rule';

const IRREGULAR_PAST = new Set(
  (
    'paid sent sold bought made built won lost held read set put cut shut run done gone seen taken given written chosen frozen ' +
    'broken spoken shown known thrown drawn grown flown hidden ridden risen forgotten got gotten left kept met felt found told ' +
    'said spent lent bent understood stood brought caught taught thought fought sought bound wound hung led fed bled sped fled ' +
    'shot lit quit split spread hit hurt began begun became come came drove driven ate eaten fell fallen forgave forgiven gave ' +
    'knew rode rose saw spoke stole stolen swore sworn took threw woke woken wore worn wrote withdrew withdrawn undone redone ' +
    'reset upset rebuilt resent oversold outbid overpaid underpaid prepaid repaid rewritten reread rerun sunk sank swum swam dealt'
  ).split(' '),
);
const PARTICLES = new Set(['in', 'out', 'up', 'down', 'on', 'off', 'over', 'back', 'away', 'through']);

/** The action word of an event name: its last word, skipping a phrasal particle (`Signed Up` → signed). */
export function actionWord(name: string): string {
  const words = splitWords(name);
  let last = words[words.length - 1] ?? '';
  if (PARTICLES.has(last) && words.length > 2) last = words[words.length - 2];
  return last;
}

export const isPastTense = (word: string) => (word.length > 3 && word.endsWith('ed')) || IRREGULAR_PAST.has(word);

/** Values that change per occurrence: ids, numbers, dates, template placeholders. */
const DYNAMIC = /[{}$<>%]|:[A-Za-z]|\d{4}-\d{2}|[0-9a-f]{8}-[0-9a-f]{4}|(^|[^A-Za-z0-9])\d+([^A-Za-z0-9]|$)/;

const eventCasing = (name: string): Casing => casingOf(name.trim());

export const eventNameFormatRule: SchemaRule = {
  id: 'event-name-format',
  title: 'Events are named object + past-tense action, in one casing',
  doc: 'invoice_paid, subscription_started: what happened to which object, with every event in the same casing.',
  stage: 'list',
  move: 'event-naming',
  weight: 1.5,
  strikes: 2,
  keywords: [],
  evaluate(ctx) {
    const events = ctx.model.events;
    const violations: Violation[] = [];
    const counts = new Map<Casing, number>();
    for (const event of events) {
      const casing = eventCasing(event.name);
      if (casing !== 'lower') counts.set(casing, (counts.get(casing) ?? 0) + 1);
    }
    let dominant: Casing | null = null;
    for (const [casing, count] of counts) if (!dominant || count > (counts.get(dominant) ?? 0)) dominant = casing;
    for (const event of events) {
      const words = splitWords(event.name);
      const action = actionWord(event.name);
      if (words.length < 2 || !isPastTense(action)) {
        violations.push({
          subject: eventSubject(event),
          evidence: () => eventRef(event, words.length < 2 ? 'no object or no action' : `"${action}" is not a past-tense action`),
          hint: () => `Name ${event.name} as object + past-tense action (e.g. ${words[0] ?? 'invoice'}_${words.length > 1 ? pastOf(action) : 'created'}).`,
        });
      }
      const casing = eventCasing(event.name);
      if (dominant && !casingsAgree(casing, dominant)) {
        violations.push({
          subject: eventSubject(event),
          evidence: () => eventRef(event, `${casing} among ${dominant} events`),
          hint: () => `${event.name} breaks the events' casing (${dominant}): name every event the same way.`,
        });
      }
    }
    return { applicable: events.length, violations };
  },
};

function pastOf(verb: string): string {
  if (verb.endsWith('e')) return `${verb}d`;
  if (verb.endsWith('y') && !/[aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ied`;
  return `${verb}ed`;
}

export const eventNameUniqueRule: SchemaRule = {
  id: 'event-name-unique',
  title: 'Event names are unique regardless of case',
  doc: 'Invoice Paid, invoice_paid and invoicePaid are one event: name it once.',
  stage: 'list',
  move: 'event-naming',
  weight: 1,
  strikes: 1,
  keywords: [],
  evaluate(ctx) {
    const seen = new Map<string, TrackingEvent>();
    const violations: Violation[] = [];
    for (const event of ctx.model.events) {
      const key = splitWords(event.name).join('_');
      const first = seen.get(key);
      if (!first) {
        seen.set(key, event);
        continue;
      }
      violations.push({
        subject: eventSubject(event),
        evidence: () => eventRef(event, `same as ${first.name}`),
        hint: () => `${event.name} and ${first.name} are the same event once case is ignored: keep one.`,
      });
    }
    return { applicable: ctx.model.events.length, violations };
  },
};

export const eventNameStaticRule: SchemaRule = {
  id: 'event-name-static',
  title: 'Event names hold no dynamic values',
  doc: 'No ids, numbers, dates or {placeholders} in event names: they belong in properties, or every value becomes a new event.',
  stage: 'list',
  move: 'event-naming',
  weight: 1.5,
  strikes: 1,
  keywords: [],
  evaluate(ctx) {
    const violations: Violation[] = [];
    for (const event of ctx.model.events) {
      if (!DYNAMIC.test(event.name)) continue;
      violations.push({
        subject: eventSubject(event),
        evidence: () => eventRef(event, 'dynamic value in the name'),
        hint: () => `${event.name} puts a value in the name: name the event for what happened and move the value to a property.`,
      });
    }
    return { applicable: ctx.model.events.length, violations };
  },
};

export const eventPropertiesRule: SchemaRule = {
  id: 'event-properties-described',
  title: 'Event properties are typed and described',
  doc: 'Each property has a type and a description, so the tracking plan can be implemented and trusted.',
  stage: 'list',
  move: 'event-naming',
  weight: 1,
  strikes: 3,
  keywords: [],
  evaluate(ctx) {
    let applicable = 0;
    const violations: Violation[] = [];
    for (const event of ctx.model.events) {
      for (const property of event.properties) {
        applicable++;
        if (property.type && property.description.trim()) continue;
        violations.push({
          subject: { element: `${event.name}.${property.name}` },
          evidence: () => ({ kind: 'event', id: property.id, name: `${event.name}.${property.name}`, note: property.type ? 'no description' : 'no type' }),
          hint: () => `Describe ${event.name}.${property.name}: what it holds and in which unit.`,
        });
      }
    }
    return { applicable, violations };
  },
};

export const eventEntityRule: SchemaRule = {
  id: 'event-entity',
  title: 'Every event is tied to an entity',
  doc: 'An event says which entity it is about, so analytics can join it to the data model.',
  stage: 'list',
  move: 'event-naming',
  weight: 1,
  strikes: 2,
  keywords: [],
  evaluate(ctx) {
    const violations: Violation[] = [];
    for (const event of ctx.model.events) {
      if (event.entityId && ctx.facts.byId.has(event.entityId)) continue;
      violations.push({
        subject: eventSubject(event),
        evidence: () => eventRef(event, event.entityId ? 'its entity no longer exists' : 'no entity'),
        hint: () => `Which entity is ${event.name} about? Tie it to one.`,
      });
    }
    return { applicable: ctx.model.events.length, violations };
  },
};
