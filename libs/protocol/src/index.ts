export * from './roles';
export * from './collab-protocol';
