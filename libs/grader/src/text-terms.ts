import { singular } from './name-normalizer';

/**
 * Prose comparison for the frame notes and win answers: texts become sets of stemmed content
 * terms, and two texts are compared by how many of the reference's terms the candidate shares.
 * Deliberately simple, so every score can be explained by listing the shared terms.
 */

const STOPWORDS = new Set(
  (
    'a an the and or but nor of to in into on onto for from by with without at as is are was were be been being it its ' +
    'this that these those there their them they we our you your he she his her i me my which who whom whose what when ' +
    'where why how than then so such can could may might must should shall will would do does did done has have had ' +
    'not only also just very more less most least some any all each every either neither both own same other another ' +
    'about above below over under again further once here if else while until up down out off through during before after ' +
    'per via e.g eg i.e ie etc use used using uses'
  ).split(' '),
);

const stemCache = new Map<string, string>();

/** A light stem: singular, then `-ing`/`-ed`, a final `e` and a doubled final consonant removed. */
export function stem(word: string): string {
  const cached = stemCache.get(word);
  if (cached !== undefined) return cached;
  let w = singular(word);
  if (w.length >= 6 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length >= 5 && w.endsWith('ed')) w = w.slice(0, -2);
  if (w.length >= 4 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.length >= 4 && /([b-df-hj-np-tv-z])\1$/.test(w)) w = w.slice(0, -1);
  if (stemCache.size < 50_000) stemCache.set(word, w);
  return w;
}

const termsCache = new Map<string, string[]>();

/** Content terms of a text, in order of first appearance; identifiers split (`tenant_id` → tenant, id). */
export function terms(text: string): string[] {
  // Notes change little between two grades of a live session: remember recent texts.
  const cached = termsCache.get(text);
  if (cached) return cached;
  const result = computeTerms(text);
  if (text.length <= 4000) {
    if (termsCache.size >= 5000) termsCache.clear();
    termsCache.set(text, result);
  }
  return result;
}

function computeTerms(text: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  for (const word of words) {
    if (!word || STOPWORDS.has(word) || /^\d+$/.test(word)) continue;
    const term = stem(word);
    if (term.length < 2 || seen.has(term)) continue;
    seen.add(term);
    out.push(term);
  }
  return out;
}

export function termSet(text: string): Set<string> {
  return new Set(terms(text));
}

/** Terms of `reference` the candidate shares. */
export function sharedTerms(reference: Iterable<string>, candidate: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const term of reference) if (candidate.has(term)) out.push(term);
  return out;
}

/** Whether every term of a phrase (`usage event`) occurs in the text's terms. */
export function mentionsPhrase(phraseTerms: readonly string[], text: ReadonlySet<string>): boolean {
  return phraseTerms.length > 0 && phraseTerms.every((term) => text.has(term));
}

/** Sentences of a text (split on `.`, `;`, `!`, `?` followed by space, and on new lines). */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.;!?])\s+|\n+/)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
}
