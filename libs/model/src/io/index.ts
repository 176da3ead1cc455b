export { importDdl, importDdlSync, loadDdlParser, type DdlImportResult, type SkippedStatement } from './ddl-import';
export { exportDdl } from './ddl-export';
export { importDbml, exportDbml, type DbmlImportResult } from './dbml';
export { exportMermaid } from './mermaid-export';
export { importJson, exportJson } from './model-json';
export {
  ModelIoError,
  DdlParseError,
  DdlParserNotLoadedError,
  DbmlParseError,
  ModelJsonError,
  ImportedModelInvalidError,
  type ModelIoErrorCode,
  type DbmlDiagnostic,
  type ModelJsonIssue,
  type TextLocation,
} from './io.errors';
