import { ModelError, type ModelIssue } from '../model.errors';

/** Errors of the import/export formats. Each carries a stable `code` the api maps to a problem type once. */

export type ModelIoErrorCode =
  | 'DDL_PARSE_ERROR'
  | 'DDL_PARSER_NOT_LOADED'
  | 'DBML_PARSE_ERROR'
  | 'MODEL_JSON_SYNTAX'
  | 'MODEL_JSON_INVALID'
  | 'IMPORTED_MODEL_INVALID';

export abstract class ModelIoError extends ModelError {
  abstract override readonly code: ModelIoErrorCode;
}

/** A 1-based line and column in the text the user gave. */
export interface TextLocation {
  line: number;
  column: number;
}

/** SQL that PostgreSQL's own parser rejects. */
export class DdlParseError extends ModelIoError {
  readonly code = 'DDL_PARSE_ERROR' as const;
  constructor(
    /** The parser's message, e.g. `syntax error at or near "TABLEX"`. */
    readonly parserMessage: string,
    /** 0-based character offset into the SQL text. */
    readonly position: number,
    readonly line: number,
    readonly column: number,
  ) {
    super(`DDL does not parse: ${parserMessage} (line ${line}, column ${column})`);
    this.name = 'DdlParseError';
  }
}

/** `importDdlSync` was called before `loadDdlParser()` finished loading the WebAssembly parser. */
export class DdlParserNotLoadedError extends ModelIoError {
  readonly code = 'DDL_PARSER_NOT_LOADED' as const;
  constructor() {
    super('the PostgreSQL parser is not loaded yet: await loadDdlParser() (or use importDdl) first');
    this.name = 'DdlParserNotLoadedError';
  }
}

export interface DbmlDiagnostic extends TextLocation {
  message: string;
}

/** DBML that @dbml/core rejects; `line`/`column` point at the first problem, `diagnostics` lists all. */
export class DbmlParseError extends ModelIoError {
  readonly code = 'DBML_PARSE_ERROR' as const;
  readonly line: number;
  readonly column: number;
  constructor(readonly diagnostics: DbmlDiagnostic[]) {
    const first = diagnostics[0] ?? { message: 'unknown DBML error', line: 1, column: 1 };
    const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : '';
    super(`DBML does not parse: ${first.message} (line ${first.line}, column ${first.column})${more}`);
    this.name = 'DbmlParseError';
    this.line = first.line;
    this.column = first.column;
  }
}

/** One problem, as `validateModel` reports it: `path` like `entities[0].fields[2].name` (empty for the root). */
export type ModelJsonIssue = ModelIssue;

/** Model JSON that is not JSON (`MODEL_JSON_SYNTAX`, with a position) or not a valid model (`MODEL_JSON_INVALID`, with issues). */
export class ModelJsonError extends ModelIoError {
  private constructor(
    readonly code: 'MODEL_JSON_SYNTAX' | 'MODEL_JSON_INVALID',
    message: string,
    readonly issues: ModelJsonIssue[],
    readonly position: number | null,
    readonly line: number | null,
    readonly column: number | null,
  ) {
    super(message);
    this.name = 'ModelJsonError';
  }

  static syntax(detail: string, position: number, location: TextLocation): ModelJsonError {
    return new ModelJsonError(
      'MODEL_JSON_SYNTAX',
      `model JSON does not parse: ${detail} (line ${location.line}, column ${location.column})`,
      [],
      position,
      location.line,
      location.column,
    );
  }

  static invalid(issues: ModelJsonIssue[]): ModelJsonError {
    const shown = issues
      .slice(0, 5)
      .map((i) => `${i.path || '(root)'}: ${i.message}`)
      .join('; ');
    const more = issues.length > 5 ? `; and ${issues.length - 5} more` : '';
    return new ModelJsonError('MODEL_JSON_INVALID', `not a valid model: ${shown}${more}`, issues, null, null, null);
  }
}

/** An import produced something the model schema rejects (e.g. more tables than `MODEL_LIMITS` allows). */
export class ImportedModelInvalidError extends ModelIoError {
  readonly code = 'IMPORTED_MODEL_INVALID' as const;
  constructor(
    readonly format: 'ddl' | 'dbml',
    readonly issues: ModelJsonIssue[],
  ) {
    const shown = issues.slice(0, 5).map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ');
    super(`the imported ${format.toUpperCase()} does not fit the model: ${shown}`);
    this.name = 'ImportedModelInvalidError';
  }
}
