/**
 * Typed operations on a shared model document: each is `(doc, args, origin?)`, validates its arguments
 * against the document's current model (throwing `ModelOperationError` and changing nothing on bad
 * input), then runs one Yjs transaction. Add operations return the new element's id (an optional `id`
 * argument is used instead of a fresh one); update and remove operations return the id they touched.
 */
export * from './entity-operations';
export * from './field-operations';
export * from './constraint-operations';
export * from './index-operations';
export * from './relationship-operations';
export * from './event-operations';
export * from './frame-operations';
export * from './win-operations';
