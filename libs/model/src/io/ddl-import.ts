import type {
  A_Const,
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  ColumnRef,
  CommentStmt,
  Constraint as PgConstraint,
  CreateEnumStmt,
  CreateStmt,
  CreateTableAsStmt,
  FuncCall,
  IndexElem,
  IndexStmt,
  Node,
  ParseResult,
  RangeVar,
  RawStmt,
  TypeCast,
  TypeName,
  ViewStmt,
} from '@pgsql/types';
import { indexSchema, type Model, type OnDelete } from '../model.schema';
import { quoteIdent } from './identifiers';
import { DdlParseError, DdlParserNotLoadedError } from './io.errors';
import {
  buildModel,
  emptyTable,
  type DraftColumn,
  type DraftForeignKey,
  type DraftTable,
  type ModelDraft,
} from './model-builder';
import { canonicalTypeName, isArrayType, serialTypeFor } from './postgres-types';

export interface SkippedStatement {
  /** The statement's first line (shortened), e.g. `CREATE FUNCTION public.touch_updated_at() RETURNS trigger`. */
  statement: string;
  reason: string;
  /** 1-based line where the statement starts. */
  line?: number;
}

export interface DdlImportResult {
  model: Model;
  /** Statements that parsed but are not part of a data model (SET, GRANT, functions, COPY data, …). */
  skipped: SkippedStatement[];
  /** Things the model could not keep exactly (dropped options, expression index columns, …). */
  warnings: string[];
}

// ---------------------------------------------------------------- parser loading

type PgQuery = typeof import('libpg-query');
type DeparseSync = (typeof import('pgsql-deparser'))['deparseSync'];
let pgQuery: PgQuery | null = null;
let deparseSync: DeparseSync = () => {
  throw new DdlParserNotLoadedError();
};
let loading: Promise<void> | null = null;

/**
 * Loads PostgreSQL's parser (WebAssembly, ~1 MB) and deparser on first use. `importDdl` calls it;
 * call it yourself before `importDdlSync`. Loading lazily keeps them out of processes and bundles
 * that never import DDL.
 */
export function loadDdlParser(): Promise<void> {
  loading ??= Promise.all([import('libpg-query'), import('pgsql-deparser')])
    .then(async ([parser, deparser]) => {
      await parser.loadModule();
      deparseSync = deparser.deparseSync;
      pgQuery = parser;
    })
    .catch((err: unknown) => {
      loading = null;
      throw err;
    });
  return loading;
}

/** Parses PostgreSQL DDL (a `pg_dump` file, a migration, a hand-written schema) into a model. */
export async function importDdl(sql: string): Promise<DdlImportResult> {
  await loadDdlParser();
  return importDdlSync(sql);
}

/** `importDdl` without the await, for callers that already awaited `loadDdlParser()`. */
export function importDdlSync(sql: string): DdlImportResult {
  if (!pgQuery) throw new DdlParserNotLoadedError();
  return new DdlImporter(pgQuery, sql).run();
}

// ---------------------------------------------------------------- AST helpers

function as<T>(node: Node | undefined, kind: string): T | undefined {
  return node ? (node as unknown as Record<string, T | undefined>)[kind] : undefined;
}

/** The body of a node whose kind is known (`{ CreateStmt: {...} }` → the CreateStmt). */
function body<T>(node: Node, kind: string): T {
  return (node as unknown as Record<string, T>)[kind];
}

/** The bodies of a list of nodes of one kind, skipping any other kind. */
function bodies<T>(nodes: Node[] | undefined, kind: string): T[] {
  return (nodes ?? []).flatMap((n) => (kindOf(n) === kind ? [body<T>(n, kind)] : []));
}

function kindOf(node: Node | undefined): string {
  return node ? Object.keys(node)[0] ?? '' : '';
}

function strings(nodes: Node[] | undefined): string[] {
  return (nodes ?? []).map((n) => as<{ sval?: string }>(n, 'String')?.sval ?? '');
}

/**
 * A copy of an expression or query without `public.` qualifiers on relations and types: the model has no schemas, and exported DDL creates everything in the default schema.
 */
function unqualified<T>(node: T): T {
  if (Array.isArray(node)) return node.map((n) => unqualified(n)) as T;
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = unqualified(value);
  if (out['schemaname'] === 'public' && 'relname' in out) delete out['schemaname'];
  const names = out['names'];
  if (Array.isArray(names) && names.length > 1 && 'typemod' in out) {
    if (as<{ sval?: string }>(names[0] as Node, 'String')?.sval === 'public') out['names'] = names.slice(1);
  }
  return out as T;
}

function deparse(node: Node, pretty = false): string {
  return deparseSync(unqualified(node), { pretty }).trim();
}

/** Column names an expression mentions (unqualified or `table.column`). */
function referencedColumns(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const n of node) referencedColumns(n, out);
  } else if (node && typeof node === 'object') {
    const ref = (node as Record<string, unknown>)['ColumnRef'] as ColumnRef | undefined;
    if (ref) {
      const parts = strings(ref.fields);
      const name = parts[parts.length - 1];
      if (name && !out.includes(name)) out.push(name);
    }
    for (const value of Object.values(node)) referencedColumns(value, out);
  }
  return out;
}

const PG_CATALOG_TYPES: Record<string, string> = {
  int8: 'bigint',
  int4: 'integer',
  int2: 'smallint',
  float8: 'double precision',
  float4: 'real',
  bool: 'boolean',
  bpchar: 'char',
  varchar: 'varchar',
  numeric: 'numeric',
  timestamptz: 'timestamptz',
  timestamp: 'timestamp',
  timetz: 'timetz',
  time: 'time',
  bit: 'bit',
  varbit: 'varbit',
};

/** A TypeName as the model writes types: `bigint`, `numeric(12,2)`, `varchar(20)[]`, `invoice_status`. */
function formatType(tn: TypeName): string {
  const names = strings(tn.names);
  const base = names[names.length - 1] ?? '';
  const schema = names.length > 1 ? names[names.length - 2] : '';
  const mods = (tn.typmods ?? []).map((m) => as<A_Const>(m, 'A_Const'));
  const simpleMods = mods.every((m) => m?.ival !== undefined);
  if (tn.setof || tn.pct_type || !simpleMods || (schema === 'pg_catalog' && base === 'interval' && mods.length)) {
    return deparseSync({ TypeName: tn } as Node, { pretty: false });
  }
  let text = schema === 'pg_catalog' ? (PG_CATALOG_TYPES[base] ?? base) : quoteIdent(base);
  if (mods.length) text += `(${mods.map((m) => m?.ival?.ival ?? 0).join(',')})`;
  for (const bound of tn.arrayBounds ?? []) {
    const n = as<{ ival?: number }>(bound, 'Integer')?.ival ?? -1;
    text += n >= 0 ? `[${n}]` : '[]';
  }
  return text;
}

const ON_DELETE: Record<string, OnDelete | null> = {
  a: null, // NO ACTION is PostgreSQL's default: keep the model's "unspecified"
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

const INDEX_METHODS = indexSchema.shape.method.unwrap().options as readonly string[];

const SKIP_REASONS: Record<string, string> = {
  VariableSetStmt: 'session setting',
  VariableShowStmt: 'session setting',
  SelectStmt: 'query, not schema (e.g. set_config/setval)',
  CreateExtensionStmt: 'extension',
  AlterExtensionStmt: 'extension',
  CreateFunctionStmt: 'function or procedure',
  AlterFunctionStmt: 'function or procedure',
  DoStmt: 'anonymous code block',
  CreateSeqStmt: 'sequence (serial and identity columns are kept on the column)',
  AlterSeqStmt: 'sequence (serial and identity columns are kept on the column)',
  AlterOwnerStmt: 'ownership',
  GrantStmt: 'privileges',
  GrantRoleStmt: 'privileges',
  AlterDefaultPrivilegesStmt: 'privileges',
  CreateRoleStmt: 'role',
  CreateTrigStmt: 'trigger',
  CreateEventTrigStmt: 'trigger',
  CopyStmt: 'table data (COPY)',
  InsertStmt: 'table data',
  UpdateStmt: 'table data',
  DeleteStmt: 'table data',
  CreateSchemaStmt: 'schema (tables are imported without their schema)',
  TransactionStmt: 'transaction control',
  DropStmt: 'DROP (the model only adds)',
  CreatePolicyStmt: 'row-level security policy',
  RuleStmt: 'rule',
  CreateDomainStmt: 'domain (columns keep the domain name as their type)',
  CompositeTypeStmt: 'composite type',
  CreateTableSpaceStmt: 'tablespace',
  CreatedbStmt: 'database',
  CreatePublicationStmt: 'publication',
  CreateSubscriptionStmt: 'subscription',
  SecLabelStmt: 'security label',
  AlterEnumStmt: 'enum change (ALTER TYPE … ADD VALUE)',
};

// ---------------------------------------------------------------- text positions

/**
 * pg_dump files hold COPY data and psql meta-commands (`\connect`, `\restrict`) that are not SQL.
 * Blank them out (keeping every line and character offset) and report them as skipped.
 */
function blankNonSql(sql: string, skipped: SkippedStatement[]): { text: string; copies: Map<number, SkippedStatement> } {
  const lines = sql.split('\n');
  // COPY statements by line, so the parsed CopyStmt is reported once, with its row count.
  const copies = new Map<number, SkippedStatement>();
  let copy: { entry: SkippedStatement; rows: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (copy) {
      if (line.replace(/\r$/, '') === '\\.') {
        copy.entry.reason = `table data (COPY … FROM stdin, ${copy.rows} row${copy.rows === 1 ? '' : 's'})`;
        copy = null;
      } else {
        copy.rows++;
      }
      lines[i] = ' '.repeat(line.length);
    } else if (/^\s*\\/.test(line)) {
      skipped.push({ statement: shorten(line.trim()), reason: 'psql meta-command', line: i + 1 });
      lines[i] = ' '.repeat(line.length);
    } else if (/^\s*COPY\b[^;]*\bFROM\s+stdin\b[^;]*;\s*$/i.test(line)) {
      const entry: SkippedStatement = { statement: shorten(line.trim().replace(/;$/, '')), reason: 'table data (COPY … FROM stdin)', line: i + 1 };
      copy = { entry, rows: 0 };
      copies.set(i + 1, entry);
    }
  }
  return { text: lines.join('\n'), copies };
}

function shorten(text: string, max = 120): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** Maps the parser's byte offsets to text, lines and columns. */
class SourceMap {
  private readonly bytes: Uint8Array;
  private readonly lineStarts: number[] = [0];
  private readonly decoder = new TextDecoder();

  constructor(readonly text: string) {
    this.bytes = new TextEncoder().encode(text);
    for (let i = 0; i < this.bytes.length; i++) if (this.bytes[i] === 0x0a) this.lineStarts.push(i + 1);
  }

  slice(start: number, end: number): string {
    return this.decoder.decode(this.bytes.subarray(start, end));
  }

  lineOfByte(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** The statement's text without leading blanks and comments, and the byte offset where it really starts. */
  statement(raw: RawStmt): { text: string; start: number } {
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len ? start + raw.stmt_len : this.bytes.length;
    const text = this.slice(start, end);
    const lead = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/.exec(text)?.[0] ?? '';
    return { text: text.slice(lead.length), start: start + new TextEncoder().encode(lead).length };
  }
}

/** Line, column (1-based) and string index of a 0-based code-point offset, as the parser reports errors. */
function locateCodePoint(text: string, codePoints: number): { index: number; line: number; column: number } {
  let index = 0;
  let line = 1;
  let column = 1;
  for (let n = 0; n < codePoints && index < text.length; n++) {
    const cp = text.codePointAt(index) ?? 0;
    index += cp > 0xffff ? 2 : 1;
    if (cp === 0x0a) {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  return { index, line, column };
}

// ---------------------------------------------------------------- importer

class DdlImporter {
  private readonly tables = new Map<string, DraftTable>();
  private readonly enums = new Map<string, string[]>();
  private readonly foreignKeys: DraftForeignKey[] = [];
  private readonly skipped: SkippedStatement[] = [];
  private readonly warnings: string[] = [];
  private readonly warnedSchemas = new Set<string>();

  constructor(
    private readonly pg: PgQuery,
    private readonly sql: string,
  ) {}

  run(): DdlImportResult {
    const { text, copies } = blankNonSql(this.sql, this.skipped);
    let tree: ParseResult = { stmts: [] };
    if (text.trim()) {
      try {
        tree = this.pg.parseSync(text);
      } catch (err) {
        throw this.parseError(err, text);
      }
    }
    const source = new SourceMap(text);
    for (const raw of tree.stmts ?? []) {
      const { text: stmtText, start } = source.statement(raw);
      const line = source.lineOfByte(start);
      const kind = kindOf(raw.stmt);
      const copy = kind === 'CopyStmt' ? copies.get(line) : undefined;
      if (copy || !raw.stmt) {
        if (copy) this.skipped.push(copy);
        continue;
      }
      let reason: string | null;
      try {
        reason = this.apply(raw.stmt, kind);
      } catch (err) {
        // A statement PostgreSQL accepts but the deparser cannot print back is skipped, never fatal.
        reason = `could not be read: ${err instanceof Error ? err.message : String(err)}`;
      }
      if (reason) this.skipped.push({ statement: shorten(stmtText.split('\n')[0]), reason, line });
    }
    this.skipped.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const draft: ModelDraft = { tables: [...this.tables.values()], foreignKeys: this.foreignKeys, enums: this.enums };
    const model = buildModel(draft, 'ddl', this.warnings);
    return { model, skipped: this.skipped, warnings: this.warnings };
  }

  private parseError(err: unknown, text: string): Error {
    const details = (err as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
    if (!details) return err instanceof Error ? err : new Error(String(err));
    const at = locateCodePoint(text, details.cursorPosition ?? 0);
    return new DdlParseError(details.message ?? String(err), at.index, at.line, at.column);
  }

  /** Applies one statement; returns why it was skipped, or null when it shaped the model. */
  private apply(stmt: Node, kind: string): string | null {
    switch (kind) {
      case 'CreateStmt':
        return this.createTable(body<CreateStmt>(stmt, kind));
      case 'AlterTableStmt':
        return this.alterTable(body<AlterTableStmt>(stmt, kind));
      case 'IndexStmt':
        return this.createIndex(body<IndexStmt>(stmt, kind));
      case 'CreateEnumStmt':
        return this.createEnum(body<CreateEnumStmt>(stmt, kind));
      case 'CommentStmt':
        return this.comment(body<CommentStmt>(stmt, kind));
      case 'ViewStmt':
        return this.createView(body<ViewStmt>(stmt, kind));
      case 'CreateTableAsStmt':
        return this.createTableAs(body<CreateTableAsStmt>(stmt, kind));
      default:
        return SKIP_REASONS[kind] ?? `${kind.replace(/Stmt$/, '')} statement is not part of the data model`;
    }
  }

  private relName(rv: RangeVar | undefined): string {
    const schema = rv?.schemaname;
    if (schema && schema !== 'public' && !this.warnedSchemas.has(schema)) {
      this.warnedSchemas.add(schema);
      this.warnings.push(`schema "${schema}": the model has no schemas, so its tables are imported by name alone`);
    }
    return rv?.relname ?? '';
  }

  private createTable(stmt: CreateStmt): string | null {
    const name = this.relName(stmt.relation);
    if (stmt.partbound) return 'partition of another table';
    if (stmt.ofTypename) return 'typed table (CREATE TABLE … OF type)';
    if (this.tables.has(name)) return `table "${name}" is already defined`;
    const table = emptyTable(name);
    if (stmt.inhRelations?.length) this.warnings.push(`table "${name}": INHERITS is not modeled; only its own columns were imported`);
    if (stmt.partspec) this.warnings.push(`table "${name}": partitioning is not modeled`);
    for (const elt of stmt.tableElts ?? []) {
      const col = as<ColumnDef>(elt, 'ColumnDef');
      const con = as<PgConstraint>(elt, 'Constraint');
      if (col) this.addColumn(table, col);
      else if (con) this.addConstraint(table, con);
      else this.warnings.push(`table "${name}": ${kindOf(elt)} is not modeled`);
    }
    this.tables.set(name, table);
    return null;
  }

  private addColumn(table: DraftTable, def: ColumnDef): void {
    const name = def.colname ?? '';
    if (table.columns.some((c) => c.name === name)) {
      this.warnings.push(`table "${table.name}" declares column "${name}" twice; the second was ignored`);
      return;
    }
    const col: DraftColumn = { name, type: def.typeName ? formatType(def.typeName) : 'text', nullable: true, default: null, description: '' };
    table.columns.push(col);
    if (def.collClause) this.warnings.push(`${table.name}.${name}: COLLATE is not modeled`);
    for (const c of bodies<PgConstraint>(def.constraints, 'Constraint')) {
      switch (c.contype) {
        case 'CONSTR_NOTNULL':
          col.nullable = false;
          break;
        case 'CONSTR_NULL':
          col.nullable = true;
          break;
        case 'CONSTR_DEFAULT':
          if (c.raw_expr) this.setDefault(table, col, c.raw_expr);
          break;
        case 'CONSTR_IDENTITY':
          col.default = identityClause(c.generated_when);
          break;
        case 'CONSTR_GENERATED':
          col.default = `GENERATED ALWAYS AS (${c.raw_expr ? deparse(c.raw_expr) : ''}) STORED`;
          break;
        case 'CONSTR_PRIMARY':
        case 'CONSTR_UNIQUE':
        case 'CONSTR_CHECK':
          this.addConstraint(table, c, [name]);
          break;
        case 'CONSTR_FOREIGN':
          this.addConstraint(table, { ...c, fk_attrs: [{ String: { sval: name } }] }, [name]);
          break;
        default:
          this.warnings.push(`${table.name}.${name}: ${String(c.contype).replace('CONSTR_', '').toLowerCase()} is not modeled`);
      }
    }
  }

  private setDefault(table: DraftTable, col: DraftColumn, expr: Node): void {
    const call = as<FuncCall>(expr, 'FuncCall');
    if (call && strings(call.funcname).pop() === 'nextval') {
      const serial = serialTypeFor(col.type);
      if (serial) {
        col.type = serial;
        col.default = null;
        return;
      }
      this.warnings.push(`${table.name}.${col.name}: its default uses a sequence, which the model does not keep`);
    }
    col.default = deparseDefault(expr, col.type);
  }

  /** A table-level constraint, or a column constraint with `columns` = that column. Returns false when not modeled. */
  private addConstraint(table: DraftTable, c: PgConstraint, columns?: string[]): boolean {
    const name = c.conname ?? '';
    const keys = columns ?? strings(c.keys);
    switch (c.contype) {
      case 'CONSTR_PRIMARY':
        if (table.primaryKey) {
          this.warnings.push(`table "${table.name}" has more than one primary key; kept the first`);
          return false;
        }
        if (c.including?.length) this.warnings.push(`primary key of "${table.name}": INCLUDE columns are not modeled`);
        table.primaryKey = { name, columns: keys };
        return true;
      case 'CONSTR_UNIQUE':
        if (c.including?.length) this.warnings.push(`unique ${name} on "${table.name}": INCLUDE columns are not modeled`);
        if (c.nulls_not_distinct) this.warnings.push(`unique ${name} on "${table.name}": NULLS NOT DISTINCT is not modeled`);
        table.uniques.push({ name, columns: keys });
        return true;
      case 'CONSTR_CHECK': {
        const expression = c.raw_expr ? deparse(c.raw_expr) : 'true';
        const mentioned = referencedColumns(c.raw_expr).filter((n) => table.columns.some((col) => col.name === n));
        table.checks.push({ name, expression, columns: [...new Set([...(columns ?? []), ...mentioned])] });
        return true;
      }
      case 'CONSTR_FOREIGN':
        if (c.deferrable) this.warnings.push(`foreign key ${name || 'on ' + table.name}: DEFERRABLE is not modeled`);
        this.foreignKeys.push({
          name,
          table: table.name,
          columns: strings(c.fk_attrs),
          refTable: this.relName(c.pktable),
          refColumns: strings(c.pk_attrs),
          onDelete: ON_DELETE[c.fk_del_action ?? 'a'] ?? null,
        });
        return true;
      case 'CONSTR_EXCLUSION': {
        const expression = deparse({ Constraint: { ...c, conname: undefined } } as Node).replace(/^EXCLUDE\s+/i, '');
        const cols = (c.exclusions ?? []).flatMap((pair) => {
          const elem = as<IndexElem>(as<{ items?: Node[] }>(pair, 'List')?.items?.[0], 'IndexElem');
          return elem?.name ? [elem.name] : referencedColumns(elem?.expr);
        });
        table.exclusions.push({ name, expression, columns: [...new Set(cols)] });
        return true;
      }
      default:
        this.warnings.push(`table "${table.name}": ${String(c.contype).replace('CONSTR_', '').toLowerCase()} constraint is not modeled`);
        return false;
    }
  }

  private alterTable(stmt: AlterTableStmt): string | null {
    const name = this.relName(stmt.relation);
    const cmds = bodies<AlterTableCmd>(stmt.cmds, 'AlterTableCmd');
    if (cmds.every((c) => c.subtype === 'AT_ChangeOwner')) return 'ownership';
    const table = this.tables.get(name);
    if (stmt.objtype !== 'OBJECT_TABLE' || !table) {
      return stmt.objtype === 'OBJECT_TABLE' ? `unknown table "${name}"` : `ALTER ${String(stmt.objtype).replace('OBJECT_', '')} is not modeled`;
    }
    const ignored: string[] = [];
    let modeled = false;
    for (const cmd of cmds) {
      const did = this.alterCommand(table, cmd);
      modeled ||= did;
      if (!did) ignored.push(String(cmd.subtype).replace(/^AT_/, ''));
    }
    if (!modeled) return `ALTER TABLE ${ignored.join(', ')} is not modeled`;
    if (ignored.length) this.warnings.push(`ALTER TABLE ${name}: ${ignored.join(', ')} not modeled`);
    return null;
  }

  private alterCommand(table: DraftTable, cmd: AlterTableCmd): boolean {
    const col = cmd.name ? table.columns.find((c) => c.name === cmd.name) : undefined;
    switch (cmd.subtype) {
      case 'AT_AddConstraint': {
        const c = as<PgConstraint>(cmd.def, 'Constraint');
        return c ? this.addConstraint(table, c) : false;
      }
      case 'AT_AddColumn': {
        const def = as<ColumnDef>(cmd.def, 'ColumnDef');
        if (!def) return false;
        this.addColumn(table, def);
        return true;
      }
      case 'AT_ColumnDefault':
        if (!col) return this.unknownColumn(table, cmd.name);
        if (cmd.def) this.setDefault(table, col, cmd.def);
        else col.default = null;
        return true;
      case 'AT_SetNotNull':
      case 'AT_DropNotNull':
        if (!col) return this.unknownColumn(table, cmd.name);
        col.nullable = cmd.subtype === 'AT_DropNotNull';
        return true;
      case 'AT_AddIdentity': {
        if (!col) return this.unknownColumn(table, cmd.name);
        col.default = identityClause(as<PgConstraint>(cmd.def, 'Constraint')?.generated_when);
        return true;
      }
      case 'AT_AlterColumnType': {
        const def = as<ColumnDef>(cmd.def, 'ColumnDef');
        if (!col || !def?.typeName) return this.unknownColumn(table, cmd.name);
        col.type = formatType(def.typeName);
        return true;
      }
      case 'AT_DropColumn':
        if (!col) return this.unknownColumn(table, cmd.name);
        table.columns.splice(table.columns.indexOf(col), 1);
        return true;
      case 'AT_DropConstraint':
        return this.dropConstraint(table, cmd.name ?? '');
      default:
        return false;
    }
  }

  private unknownColumn(table: DraftTable, column: string | undefined): boolean {
    this.warnings.push(`ALTER TABLE ${table.name}: no column "${column ?? ''}"`);
    return false;
  }

  private dropConstraint(table: DraftTable, name: string): boolean {
    if (table.primaryKey?.name === name) {
      table.primaryKey = null;
      return true;
    }
    for (const list of [table.uniques, table.checks, table.exclusions]) {
      const i = list.findIndex((c) => c.name === name);
      if (i >= 0) {
        list.splice(i, 1);
        return true;
      }
    }
    const i = this.foreignKeys.findIndex((fk) => fk.table === table.name && fk.name === name);
    if (i >= 0) this.foreignKeys.splice(i, 1);
    return i >= 0;
  }

  private createIndex(stmt: IndexStmt): string | null {
    const name = this.relName(stmt.relation);
    const table = this.tables.get(name);
    if (!table) return `unknown table "${name}"`;
    const method = stmt.accessMethod ?? 'btree';
    if (!INDEX_METHODS.includes(method)) return `index method "${method}" is not modeled`;
    const label = `index ${stmt.idxname ?? `on ${name}`}`;
    const columns: string[] = [];
    let reordered = false;
    for (const elem of bodies<IndexElem>(stmt.indexParams, 'IndexElem')) {
      if (elem.ordering && elem.ordering !== 'SORTBY_DEFAULT') reordered = true;
      if (elem.nulls_ordering && elem.nulls_ordering !== 'SORTBY_NULLS_DEFAULT') reordered = true;
      if (elem.opclass?.length || elem.collation?.length) reordered = true;
      if (elem.name) {
        if (!columns.includes(elem.name)) columns.push(elem.name);
      } else if (elem.expr) {
        const cols = referencedColumns(elem.expr);
        this.warnings.push(`${label}: the expression ${deparse(elem.expr)} is kept as its column${cols.length === 1 ? '' : 's'} (${cols.join(', ')})`);
        for (const c of cols) if (!columns.includes(c)) columns.push(c);
      }
    }
    if (reordered) this.warnings.push(`${label}: sort order, operator classes and collations are not modeled`);
    if (stmt.indexIncludingParams?.length) this.warnings.push(`${label}: INCLUDE columns are not modeled`);
    table.indexes.push({
      name: stmt.idxname ?? '',
      columns,
      unique: !!stmt.unique,
      where: stmt.whereClause ? deparse(stmt.whereClause) : '',
      method: method as DraftTable['indexes'][number]['method'],
    });
    return null;
  }

  private createEnum(stmt: CreateEnumStmt): string | null {
    const names = strings(stmt.typeName);
    this.enums.set(names[names.length - 1], strings(stmt.vals));
    return null;
  }

  private comment(stmt: CommentStmt): string | null {
    const path = strings(as<{ items?: Node[] }>(stmt.object, 'List')?.items);
    const text = stmt.comment ?? '';
    switch (stmt.objtype) {
      case 'OBJECT_TABLE':
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW': {
        const table = this.tables.get(path[path.length - 1]);
        if (!table) return `unknown table "${path.join('.')}"`;
        table.description = text;
        return null;
      }
      case 'OBJECT_COLUMN': {
        const table = this.tables.get(path[path.length - 2]);
        const col = table?.columns.find((c) => c.name === path[path.length - 1]);
        if (!col) return `unknown column "${path.join('.')}"`;
        col.description = text;
        return null;
      }
      case 'OBJECT_TABCONSTRAINT': {
        const table = this.tables.get(path[path.length - 2]);
        const conname = path[path.length - 1];
        const target =
          table && [...table.uniques, ...table.checks, ...table.exclusions].find((c) => c.name === conname);
        const fk = this.foreignKeys.find((f) => f.table === table?.name && f.name === conname);
        const owner = target ?? fk;
        if (!owner) return `comment on constraint "${conname}" (not a constraint the model keeps by name)`;
        owner.description = text;
        return null;
      }
      default:
        return `comment on ${String(stmt.objtype).replace('OBJECT_', '').toLowerCase()}`;
    }
  }

  private createView(stmt: ViewStmt): string | null {
    const name = this.relName(stmt.view);
    const existing = this.tables.get(name);
    if (existing && !(stmt.replace && existing.kind === 'view')) return `"${name}" is already defined`;
    const view = existing ?? emptyTable(name, 'view');
    view.definition = stmt.query ? deparse(stmt.query, true) : '';
    this.tables.set(name, view);
    return null;
  }

  private createTableAs(stmt: CreateTableAsStmt): string | null {
    if (stmt.objtype !== 'OBJECT_MATVIEW') return 'CREATE TABLE … AS has no declared columns';
    const name = this.relName(stmt.into?.rel);
    if (this.tables.has(name)) return `"${name}" is already defined`;
    const view = emptyTable(name, 'view');
    view.definition = stmt.query ? deparse(stmt.query, true) : '';
    this.tables.set(name, view);
    this.warnings.push(`materialized view "${name}" was imported as a view`);
    return null;
  }
}

function identityClause(when: string | undefined): string {
  return when === 'd' ? 'GENERATED BY DEFAULT AS IDENTITY' : 'GENERATED ALWAYS AS IDENTITY';
}

/** Deparses a default; a literal cast to the column's own type (`'draft'::invoice_status`) loses the cast. */
function deparseDefault(expr: Node, columnType: string): string {
  const cast = as<TypeCast>(expr, 'TypeCast');
  const literal = as<A_Const>(cast?.arg, 'A_Const');
  if (cast?.typeName && cast.arg && literal && !literal.isnull) {
    const castType = formatType(cast.typeName);
    if (canonicalTypeName(castType) === canonicalTypeName(columnType) && isArrayType(castType) === isArrayType(columnType)) {
      return deparse(cast.arg);
    }
  }
  return deparse(expr);
}
