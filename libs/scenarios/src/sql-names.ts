/**
 * Reads the tables and qualified columns a SQL text names, without a full parser: a lexer
 * (comments, strings, dollar quotes and quoted identifiers are skipped or kept whole) and a walk
 * that tracks, per parenthesis level, whether it is inside a FROM clause. Only real table
 * positions count: after FROM/JOIN of a FROM clause, comma-joined, and DML targets; `EXTRACT(x
 * FROM y)`, `SUBSTRING(x FROM 2)`, `TRIM(... FROM ...)`, `IS DISTINCT FROM x`, CTE names and
 * set-returning functions (`FROM unnest(...)`) do not. Used by the scenario contract (reference SQL
 * names real tables) and by the grader (a candidate's SQL uses tables the model has). Linear in the
 * text, and never throws on malformed SQL.
 */

export interface SqlNames {
  /** Tables in the order they appear (a repeated table appears again), CTEs excluded; unquoted names lower-cased. */
  tables: string[];
  /** `alias.column` and `table.column` references resolved to their table: [table, column]. */
  columns: [string, string][];
}

interface Token {
  kind: 'word' | 'quoted' | 'punct' | 'other';
  /** Lower-cased for words; as written for quoted identifiers and punctuation. */
  text: string;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

function lex(sql: string): Token[] {
  const tokens: Token[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      // PostgreSQL block comments nest.
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
    } else if (c === "'") {
      i = skipString(sql, i + 1, false);
      tokens.push({ kind: 'other', text: "''" });
    } else if (c === '"') {
      let text = '';
      i++;
      while (i < n) {
        if (sql[i] === '"') {
          if (sql[i + 1] === '"') {
            text += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += sql[i++];
      }
      tokens.push({ kind: text ? 'quoted' : 'other', text });
    } else if (c === '$' && /[A-Za-z_$]/.test(sql[i + 1] ?? '')) {
      // $tag$ ... $tag$ or $$ ... $$ (a parameter $1 falls through below).
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end < 0 ? n : end + tag[0].length;
        tokens.push({ kind: 'other', text: "''" });
      } else {
        tokens.push({ kind: 'other', text: c });
        i++;
      }
    } else if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < n && IDENT_PART.test(sql[j])) j++;
      const word = sql.slice(i, j);
      // E'...' escape strings: the prefix belongs to the string.
      if ((word === 'E' || word === 'e') && sql[j] === "'") {
        i = skipString(sql, j + 1, true);
        tokens.push({ kind: 'other', text: "''" });
        continue;
      }
      tokens.push({ kind: 'word', text: word.toLowerCase() });
      i = j;
    } else if (c >= '0' && c <= '9') {
      let j = i + 1;
      while (j < n && /[0-9.eE_]/.test(sql[j])) j++;
      tokens.push({ kind: 'other', text: sql.slice(i, j) });
      i = j;
    } else if (c === '(' || c === ')' || c === ',' || c === ';' || c === '.') {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else {
      tokens.push({ kind: 'other', text: c });
      i++;
    }
  }
  return tokens;
}

/** The index after a string literal whose body starts at `i`; `''` escapes a quote, and `\` too in E'' strings. */
function skipString(sql: string, i: number, backslashes: boolean): number {
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (backslashes && c === '\\') i += 2;
    else if (c === "'") {
      if (sql[i + 1] === "'") i += 2;
      else return i + 1;
    } else i++;
  }
  return n;
}

/** Words that end a FROM clause at its own level. */
const CLAUSE_END = new Set(['where', 'group', 'having', 'window', 'order', 'limit', 'offset', 'fetch', 'for', 'union', 'intersect', 'except', 'returning', 'set', 'values', 'on', 'using']);
/** Words that can never be a table alias. */
const NOT_ALIAS = new Set([
  ...CLAUSE_END,
  'select', 'from', 'join', 'left', 'right', 'inner', 'outer', 'full', 'cross', 'natural', 'lateral', 'as', 'and', 'or', 'not', 'with',
  'tablesample', 'only', 'into', 'default', 'when', 'then', 'else', 'end', 'is', 'in', 'between', 'like', 'ilike',
]);

interface Level {
  /** SELECT, DELETE or UPDATE seen at this level and its FROM clause not yet started. */
  query: boolean;
  inFrom: boolean;
  /** The next token starts a from-item (`from`), or a DML target (`target`: never a function call). */
  expect: 'from' | 'target' | null;
  /** The from-item just read, whose alias may follow: the table, or '' for a subquery, CTE or function. */
  aliasFor: string | null;
  /** After `AS`, the next word is the alias whatever it is. */
  afterAs: boolean;
}

const newLevel = (fromItem = false): Level => ({ query: false, inFrom: fromItem, expect: fromItem ? 'from' : null, aliasFor: null, afterAs: false });

const nameOf = (token: Token) => token.text;
const isName = (token: Token | undefined): token is Token => !!token && (token.kind === 'quoted' || token.kind === 'word') && token.text.length > 0;

/** CTE names: `WITH [RECURSIVE] name [(columns)] AS [NOT] [MATERIALIZED] (...) [, ...]`. */
function cteNames(tokens: Token[]): Set<string> {
  const names = new Set<string>();
  const skipGroup = (at: number) => {
    let depth = 0;
    for (let k = at; k < tokens.length; k++) {
      if (tokens[k].text === '(' && tokens[k].kind === 'punct') depth++;
      else if (tokens[k].text === ')' && tokens[k].kind === 'punct' && --depth === 0) return k + 1;
    }
    return tokens.length;
  };
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].kind !== 'word' || tokens[i].text !== 'with') continue;
    let k = i + 1;
    if (tokens[k]?.kind === 'word' && tokens[k].text === 'recursive') k++;
    for (;;) {
      const name = tokens[k];
      if (!isName(name)) break;
      k++;
      if (tokens[k]?.text === '(') k = skipGroup(k);
      if (tokens[k]?.kind !== 'word' || tokens[k].text !== 'as') break;
      k++;
      if (tokens[k]?.kind === 'word' && tokens[k].text === 'not') k++;
      if (tokens[k]?.kind === 'word' && tokens[k].text === 'materialized') k++;
      if (tokens[k]?.text !== '(') break;
      names.add(nameOf(name));
      k = skipGroup(k);
      if (tokens[k]?.text !== ',') break;
      k++;
    }
  }
  return names;
}

/** Tables after FROM/JOIN and comma-joined in FROM clauses (not CTEs, functions or FROM inside expressions), and qualified columns. */
export function sqlNames(sql: string): SqlNames {
  const tokens = lex(sql);
  const ctes = cteNames(tokens);
  const tables: string[] = [];
  const aliases = new Map<string, string>();
  const stack: Level[] = [newLevel()];
  let level = stack[0];

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const word = token.kind === 'word' ? token.text : '';

    if (level.afterAs && isName(token)) {
      if (level.aliasFor !== null) aliases.set(nameOf(token), level.aliasFor);
      level.afterAs = false;
      level.aliasFor = null;
      continue;
    }
    if (level.aliasFor !== null) {
      if (word === 'as') {
        level.afterAs = true;
        continue;
      }
      const aliasFor = level.aliasFor;
      level.aliasFor = null;
      level.afterAs = false;
      if (token.kind === 'quoted' || (token.kind === 'word' && !NOT_ALIAS.has(word))) {
        aliases.set(nameOf(token), aliasFor);
        continue;
      }
    }

    if (token.kind === 'punct') {
      if (token.text === '(') {
        const fromItem = level.expect === 'from';
        level.expect = null;
        if (fromItem) level.aliasFor = '';
        stack.push(newLevel(fromItem));
        level = stack[stack.length - 1];
      } else if (token.text === ')') {
        if (stack.length > 1) stack.pop();
        level = stack[stack.length - 1];
      } else if (token.text === ',') {
        if (level.inFrom) level.expect = 'from';
      } else if (token.text === ';') {
        stack.length = 1;
        level = stack[0];
        Object.assign(level, newLevel());
      }
      continue;
    }

    if (token.kind === 'other') {
      // A literal or operator where a from-item should start: garbage, not a table to come.
      level.expect = null;
      continue;
    }
    // A keyword where a from-item should start (a subquery's SELECT, or garbage) is no table name.
    if (level.expect && NOT_ALIAS.has(word) && word !== 'only' && word !== 'lateral') level.expect = null;
    if (level.expect && isName(token) && word !== 'only' && word !== 'lateral') {
      const kind = level.expect;
      level.expect = null;
      // A qualified name: schema.table (or catalog.schema.table).
      let last = token;
      let k = i;
      while (tokens[k + 1]?.text === '.' && isName(tokens[k + 2])) {
        k += 2;
        last = tokens[k];
      }
      i = k;
      if (kind === 'from' && tokens[k + 1]?.text === '(') {
        // A set-returning function (unnest, generate_series): its alias names no table.
        level.aliasFor = '';
        continue;
      }
      const table = nameOf(last);
      if (ctes.has(table)) {
        level.aliasFor = '';
        continue;
      }
      tables.push(table);
      aliases.set(table, table);
      level.aliasFor = table;
      continue;
    }

    if (token.kind !== 'word') continue;
    switch (word) {
      case 'select':
      case 'delete':
        level.query = true;
        level.inFrom = false;
        level.expect = null;
        break;
      case 'update':
        level.query = true;
        level.inFrom = false;
        level.expect = 'target';
        break;
      case 'into':
        if (tokens[i - 1]?.kind === 'word' && tokens[i - 1].text === 'insert') level.expect = 'target';
        break;
      case 'from': {
        // `a IS [NOT] DISTINCT FROM b` is an operator, not a clause.
        const distinct = tokens[i - 1]?.kind === 'word' && tokens[i - 1].text === 'distinct' && tokens[i - 2]?.kind === 'word' && (tokens[i - 2].text === 'is' || tokens[i - 2].text === 'not');
        if (level.query && !distinct) {
          level.query = false;
          level.inFrom = true;
          level.expect = 'from';
        }
        break;
      }
      case 'join':
        if (level.inFrom) level.expect = 'from';
        break;
      case 'union':
      case 'intersect':
      case 'except':
        level.inFrom = false;
        level.query = false;
        level.expect = null;
        break;
      default:
        if (CLAUSE_END.has(word) && word !== 'on' && word !== 'using') {
          level.inFrom = false;
          level.expect = null;
        }
    }
  }

  const columns: [string, string][] = [];
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (!isName(tokens[i]) || tokens[i + 1].text !== '.' || !isName(tokens[i + 2])) continue;
    // The first pair of a chain only (`schema.table.column` is not a column of `schema`).
    if (tokens[i - 1]?.text === '.') continue;
    const table = aliases.get(nameOf(tokens[i]));
    if (table) columns.push([table, nameOf(tokens[i + 2])]);
    i += 2;
  }
  return { tables, columns };
}
