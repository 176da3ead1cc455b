import { modelSchema, type Model, type ModelInput } from '../model.schema';
import { formatIssuePath, validateModel } from '../model-validation';
import { ModelJsonError } from './io.errors';

/**
 * Reads a model from JSON text. Syntax errors carry a position; a model that fails the schema or
 * referential integrity (`validateModel`) lists each issue with its path.
 */
export function importJson(text: string): Model {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const position = jsonErrorOffset(text);
    const detail = err instanceof Error ? err.message.replace(/,? ?"[\s\S]*" is not valid JSON$/, '') : String(err);
    throw ModelJsonError.syntax(detail, position, lineColumn(text, position));
  }
  const result = validateModel(value);
  if (!result.ok) throw ModelJsonError.invalid(result.issues);
  return result.model;
}

/**
 * The model as JSON: keys in schema order (ids and names first), defaults filled in, 2-space indent,
 * trailing newline. Only the shape is enforced, so work in progress with a dangling id still saves.
 */
export function exportJson(model: Model | ModelInput): string {
  const parsed = modelSchema.safeParse(model);
  if (!parsed.success) {
    throw ModelJsonError.invalid(parsed.error.issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message, code: 'schema' })));
  }
  return `${JSON.stringify(parsed.data, null, 2)}\n`;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Where JSON.parse gave up. V8's messages only sometimes say "at position N", so walk the grammar
 * (RFC 8259) and return the offset of the first character that cannot continue a valid document.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const ch = text[i];
      if (ch === '"') {
        i++;
        return;
      }
      if (ch < ' ') fail();
      if (ch === '\\') {
        i++;
        const esc = text[i];
        if (esc === 'u') {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
              i += k;
              fail();
            }
          }
          i += 5;
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) i++;
        else fail();
      } else i++;
    }
    fail();
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) return fail();
    i += m[0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === '}') {
          i++;
          return;
        }
        if (text[i] !== ',') fail();
        i++;
      }
    } else if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ']') {
          i++;
          return;
        }
        if (text[i] !== ',') fail();
        i++;
      }
    } else if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else if (ch === '-' || (ch >= '0' && ch <= '9')) number();
    else fail();
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (at) {
    return typeof at === 'number' ? Math.min(at, text.length) : 0;
  }
}
