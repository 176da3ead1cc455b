import { ModelOperationError } from './model.errors';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** 12 base62 characters: about 71 random bits, so ids minted by independent replicas do not collide. */
const RANDOM_LENGTH = 12;
/** The largest multiple of 62 below 256: bytes at or above it are redrawn so every character is equally likely. */
const UNBIASED_LIMIT = 248;

/** Conventional prefixes of element ids, so an id tells what it names when read in a log. */
export const ID_PREFIXES = {
  entity: 'ent',
  field: 'fld',
  constraint: 'con',
  index: 'idx',
  relationship: 'rel',
  event: 'evt',
  eventProperty: 'prp',
  actor: 'act',
  rule: 'rul',
  accessPattern: 'acp',
  winAnswer: 'win',
} as const;

/**
 * A short, random, url-safe id such as `ent_V1StGXR8Z5jd`, drawn from `globalThis.crypto.getRandomValues`
 * (Node 20+ and browsers). The prefix is lowercase letters and digits, starting with a letter.
 */
export function newId(prefix: string): string {
  if (!/^[a-z][a-z0-9]{0,15}$/.test(prefix))
    throw new ModelOperationError('INVALID_ARGUMENT', `an id prefix is 1-16 lowercase letters or digits, starting with a letter (got "${prefix}")`);
  let out = `${prefix}_`;
  const bytes = new Uint8Array(RANDOM_LENGTH * 2);
  while (out.length < prefix.length + 1 + RANDOM_LENGTH) {
    globalThis.crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      if (byte >= UNBIASED_LIMIT) continue;
      out += ALPHABET[byte % ALPHABET.length];
      if (out.length === prefix.length + 1 + RANDOM_LENGTH) break;
    }
  }
  return out;
}
