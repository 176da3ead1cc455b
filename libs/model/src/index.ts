export * from './model.schema';
