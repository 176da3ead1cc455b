/**
 * Name normalization shared by the matcher and the rules: `InvoiceLineItems`, `invoice-line-items`,
 * `invoice_line_items` and `Invoice line items` all become the tokens `invoice line item`.
 * Plurals fold to singular (`companies` → `company`, `people` → `person`, `statuses` → `status`).
 */

const IRREGULAR_PLURALS: Record<string, string> = {
  people: 'person',
  persons: 'person',
  men: 'man',
  women: 'woman',
  children: 'child',
  mice: 'mouse',
  geese: 'goose',
  feet: 'foot',
  teeth: 'tooth',
  criteria: 'criterion',
  phenomena: 'phenomenon',
  indices: 'index',
  matrices: 'matrix',
  vertices: 'vertex',
  analyses: 'analysis',
  bases: 'basis',
  crises: 'crisis',
  theses: 'thesis',
  diagnoses: 'diagnosis',
  leaves: 'leaf',
  lives: 'life',
  knives: 'knife',
  wives: 'wife',
  halves: 'half',
  shelves: 'shelf',
  wolves: 'wolf',
  movies: 'movie',
  cookies: 'cookie',
  zombies: 'zombie',
  quizzes: 'quiz',
  shoes: 'shoe',
  canoes: 'canoe',
  buses: 'bus',
  aliases: 'alias',
  atlases: 'atlas',
  canvases: 'canvas',
  gases: 'gas',
};

/** Words that are already singular although they end in `s`, and mass nouns without a plural. */
const SINGULAR_AS_IS = new Set([
  'status', 'series', 'species', 'news', 'alias', 'atlas', 'canvas', 'gas', 'bus', 'bonus', 'campus', 'census', 'corpus',
  'virus', 'focus', 'genus', 'radius', 'consensus', 'analysis', 'basis', 'axis', 'crisis', 'thesis', 'diagnosis', 'synopsis',
  'chassis', 'means', 'physics', 'analytics', 'economics', 'ethics', 'logistics', 'lens', 'yes', 'this', 'its',
  'is', 'was', 'has', 'does', 'us', 'as', 'sms', 'dns', 'aws', 'gps', 'ios', 'os', 'plus',
]);

const singularCache = new Map<string, string>();

/** The singular of one lower-case word; unknown words fall back to English suffix rules. */
export function singular(word: string): string {
  const cached = singularCache.get(word);
  if (cached !== undefined) return cached;
  const result = computeSingular(word);
  if (singularCache.size < 50_000) singularCache.set(word, result);
  return result;
}

function computeSingular(word: string): string {
  const irregular = IRREGULAR_PLURALS[word];
  if (irregular) return irregular;
  if (word.length <= 2 || SINGULAR_AS_IS.has(word) || !word.endsWith('s')) return word;
  if (/(ss|us|is)$/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(sses|xes|ches|shes|zzes|uses)$/.test(word)) return word.slice(0, -2);
  return word.slice(0, -1);
}

/** Whether a word is a plural form (`invoices`, `people`), as opposed to a singular or a mass noun. */
export function isPluralWord(word: string): boolean {
  return singular(word) !== word;
}

/** Mass nouns and gerunds read the same in both inflections (`usage`, `billing`, `metadata`). */
const INFLECTION_NEUTRAL = new Set([
  'data', 'metadata', 'usage', 'info', 'information', 'history', 'staff', 'equipment', 'feedback', 'analytics', 'inventory',
  'media', 'software', 'traffic', 'audit', 'news', 'series', 'species', 'settings', 'config', 'configuration',
]);

export type Inflection = 'plural' | 'singular' | 'neutral';

/** The inflection of a table name, read from its last word. */
export function inflectionOf(name: string): Inflection {
  const words = splitWords(name);
  const last = words[words.length - 1];
  if (!last || INFLECTION_NEUTRAL.has(last) || last.endsWith('ing') || /\d$/.test(last)) return 'neutral';
  return isPluralWord(last) ? 'plural' : 'singular';
}

const wordsCache = new Map<string, string[]>();

/** Lower-case words of an identifier: splits snake, kebab, camel and Pascal case, spaces and dots. */
export function splitWords(name: string): string[] {
  const cached = wordsCache.get(name);
  if (cached) return cached;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (wordsCache.size < 50_000) wordsCache.set(name, words);
  return words;
}

const tokensCache = new Map<string, string[]>();

/** Singular tokens of a name: `InvoiceLineItems` → `['invoice', 'line', 'item']`. */
export function nameTokens(name: string): string[] {
  const cached = tokensCache.get(name);
  if (cached) return cached;
  const tokens = splitWords(name).map(singular);
  if (tokensCache.size < 50_000) tokensCache.set(name, tokens);
  return tokens;
}

/** One comparable key per name: `Invoice Line Items` and `invoice_line_item` → `invoice_line_item`. */
const keyCache = new Map<string, string>();

export function nameKey(name: string): string {
  let key = keyCache.get(name);
  if (key === undefined) {
    key = nameTokens(name).join('_');
    if (keyCache.size < 50_000) keyCache.set(name, key);
  }
  return key;
}

export type Casing = 'snake' | 'camel' | 'pascal' | 'kebab' | 'upper-snake' | 'title' | 'dotted' | 'lower' | 'mixed';

/** The casing style of an identifier; a single lower-case word is `lower`, compatible with snake, camel and kebab. */
const casingCache = new Map<string, Casing>();

export function casingOf(name: string): Casing {
  let casing = casingCache.get(name);
  if (casing === undefined) {
    casing = computeCasing(name);
    if (casingCache.size < 50_000) casingCache.set(name, casing);
  }
  return casing;
}

function computeCasing(name: string): Casing {
  if (/^[a-z][a-z0-9]*$/.test(name)) return 'lower';
  if (/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(name)) return 'snake';
  if (/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(name)) return 'kebab';
  if (/^[a-z][a-z0-9]*(\.[a-z0-9_]+)+$/.test(name)) return 'dotted';
  if (/^[a-z][a-z0-9]*([A-Z][a-z0-9]*)+$/.test(name)) return 'camel';
  if (/^([A-Z][a-z0-9]*)+$/.test(name)) return 'pascal';
  if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(name)) return 'upper-snake';
  if (/^[A-Z][a-z0-9]*( [A-Z][a-z0-9]*)+$/.test(name)) return 'title';
  return 'mixed';
}

/** Casings that agree with each other: `lower` fits any lower-case style. */
export function casingsAgree(a: Casing, b: Casing): boolean {
  if (a === b) return true;
  const lowerFits: Casing[] = ['snake', 'camel', 'kebab', 'dotted'];
  return (a === 'lower' && lowerFits.includes(b)) || (b === 'lower' && lowerFits.includes(a));
}

/**
 * Similarity of two token lists in [0, 1]: a Dice coefficient where the head noun (the last token)
 * weighs double, and a different head costs 40%. `invoice_line_items` ~ `invoice_items` = 0.86,
 * `feature_flags` ~ `features` = 0.24.
 */
export function tokenSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const weightA = a.length + 1;
  const weightB = b.length + 1;
  let common = 0;
  const headA = a[a.length - 1];
  const headB = b[b.length - 1];
  const used = new Array<boolean>(b.length).fill(false);
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      if (used[j] || a[i] !== b[j]) continue;
      used[j] = true;
      const wa = i === a.length - 1 ? 2 : 1;
      const wb = j === b.length - 1 ? 2 : 1;
      common += Math.min(wa, wb);
      break;
    }
  }
  const dice = (2 * common) / (weightA + weightB);
  return headA === headB ? dice : dice * 0.6;
}

/** `invoice_items` → `Invoice items`, for hints. */
export function displayName(name: string): string {
  const words = splitWords(name);
  if (words.length === 0) return name;
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
