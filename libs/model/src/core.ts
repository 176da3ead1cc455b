/**
 * Everything of `@hatch/model` except import/export (`io/`): the schema, validation, the Yjs layout and the
 * typed operations. Browser bundles import this entry, so the PostgreSQL parser (WASM) and the DBML parser
 * never reach them; `index.ts` re-exports it together with `io/`.
 */
export * from './model.schema';
export * from './model.errors';
export { validateModel, parseModel, checkIntegrity, formatIssuePath } from './model-validation';
export type { ModelValidationResult } from './model-validation';
export { repairModel } from './model-repair';
export { newId, ID_PREFIXES } from './model-ids';
export { SHARED_TYPE_NAMES, LAYOUT_VERSION, sharedTypes } from './yjs-layout';
export type { ModelSharedTypes } from './yjs-layout';
export { toJSON, applyModel, createModelDoc } from './yjs-binding';
export { setYText, textChange } from './yjs-text';
export * from './model-operations';
