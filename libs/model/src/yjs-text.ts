import * as Y from 'yjs';

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The single contiguous change turning `before` into `after`: the common prefix and suffix are kept,
 * never splitting a surrogate pair (an emoji is replaced whole, so no replica ever holds half of one).
 */
export function textChange(before: string, after: string): { index: number; remove: number; insert: string } | null {
  if (before === after) return null;
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  while (
    suffix < max - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  )
    suffix++;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  return { index: prefix, remove: before.length - prefix - suffix, insert: after.slice(prefix, after.length - suffix) };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `value` with each lone surrogate replaced by U+FFFD. Yjs sends strings as UTF-8, where a lone surrogate
 * becomes U+FFFD on the receiving side only: writing one would make replicas disagree.
 */
export function toWellFormed(value: string): string {
  return value.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * Sets a Y.Text to `value` with one minimal delete/insert, so concurrent typing elsewhere in the same
 * text merges. Call inside a transaction.
 */
export function setYText(text: Y.Text, next: string): void {
  const value = toWellFormed(next);
  const current = text.toString();
  // Embeds written by a foreign client count in `length` but not in `toString()`: positions would not line up.
  if (text.length !== current.length) {
    text.delete(0, text.length);
    text.insert(0, value);
    return;
  }
  const change = textChange(current, value);
  if (!change) return;
  if (change.remove) text.delete(change.index, change.remove);
  if (change.insert) text.insert(change.index, change.insert);
}

/** Cuts `value` to at most `max` UTF-16 units without leaving half a surrogate pair. */
export function truncateText(value: string, max: number): string {
  if (value.length <= max) return value;
  const cut = isHighSurrogate(value.charCodeAt(max - 1)) ? max - 1 : max;
  return value.slice(0, cut);
}
