import type { Model } from '@hatch/model';
import { sentences } from './text-terms';

/**
 * General rules are warnings a candidate may justify. A violation is justified when
 * - the element's own description (the field's, the entity's for an entity, the event's), or the
 *   description of a field the violation is about (a key's or foreign key's columns), contains the
 *   rule id or one of the rule's justification keywords or a generic marker; or
 * - one sentence of the frame notes (domain, tenancy notes, rules, access patterns) or of the
 *   entity's description names the element or one of those fields (`audit_logs`,
 *   `audit_logs.actor_id`, or the entity and the field) and contains the rule id, a rule keyword or
 *   a generic marker.
 * Generic markers: "deliberately", "intentionally", "on purpose", "by design", "justified",
 * "trade-off"/"tradeoff". A justified violation costs nothing.
 */
export const JUSTIFICATION_MARKERS = ['deliberately', 'intentionally', 'on purpose', 'by design', 'justified', 'trade-off', 'tradeoff'];

export interface JustificationSubject {
  /** Entity name, when the violation is about an entity or one of its parts. */
  entity?: string;
  entityDescription?: string;
  /** Field, index or event name. */
  element?: string;
  /** The element's own description. */
  description?: string;
  /**
   * The fields the violation is about when the element is made of them (a key, a foreign key): each
   * one's description justifies like the element's own, and a note naming one names the element.
   */
  fields?: readonly { name: string; description: string }[];
}

export interface JustificationIndex {
  /** Lower-case sentences of the frame notes. */
  sentences: string[];
  /** rule id → notes sentences carrying its id, a keyword or a marker. */
  byRule: Map<string, string[]>;
  /** rule id + entity description → its sentences carrying a reason. */
  byDescription: Map<string, string[]>;
}

export function buildJustificationIndex(model: Model): JustificationIndex {
  const frame = model.frame;
  const texts = [frame.domain, frame.tenancy.notes, ...frame.rules.map((rule) => rule.text), ...frame.accessPatterns.map((pattern) => pattern.description)];
  return { sentences: texts.flatMap(sentences).map((sentence) => sentence.toLowerCase()), byRule: new Map(), byDescription: new Map() };
}

const containsName = (text: string, name: string) => {
  if (!name) return false;
  const at = text.indexOf(name);
  if (at < 0) return false;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9_])${escaped}($|[^a-z0-9_])`).test(text);
};

function carriesReason(text: string, ruleId: string, keywords: readonly string[]): boolean {
  if (text.includes(ruleId)) return true;
  for (const marker of JUSTIFICATION_MARKERS) if (text.includes(marker)) return true;
  for (const keyword of keywords) if (text.includes(keyword)) return true;
  return false;
}

export function isJustified(index: JustificationIndex, ruleId: string, keywords: readonly string[], subject: JustificationSubject): boolean {
  const fields = subject.fields ?? [];
  for (const text of [subject.description, ...fields.map((field) => field.description)]) {
    if (text && carriesReason(text.toLowerCase(), ruleId, keywords)) return true;
  }
  let relevant = index.byRule.get(ruleId);
  if (!relevant) {
    relevant = index.sentences.filter((sentence) => carriesReason(sentence, ruleId, keywords));
    index.byRule.set(ruleId, relevant);
  }
  const entity = subject.entity?.toLowerCase() ?? '';
  const elements = [subject.element, ...fields.map((field) => field.name)].filter((name): name is string => !!name).map((name) => name.toLowerCase());
  let entityText: string[] = [];
  if (subject.entityDescription) {
    const key = `${ruleId}\u0000${subject.entityDescription}`;
    const cached = index.byDescription.get(key);
    entityText = cached ?? sentences(subject.entityDescription.toLowerCase()).filter((s) => carriesReason(s, ruleId, keywords));
    if (!cached) index.byDescription.set(key, entityText);
  }
  if (relevant.length === 0 && entityText.length === 0) return false;
  const names = (sentence: string, inEntityDescription: boolean) => {
    if (elements.length === 0) return inEntityDescription || containsName(sentence, entity);
    return elements.some(
      (element) =>
        (!!entity && containsName(sentence, `${entity}.${element}`)) ||
        (containsName(sentence, element) && (inEntityDescription || !entity || containsName(sentence, entity))),
    );
  };
  return relevant.some((sentence) => names(sentence, false)) || entityText.some((sentence) => names(sentence, true));
}
